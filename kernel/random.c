/*
 * random.c - random_u64() and random_below() (include/kernel/random.h):
 * the random numbers behind exec's address-space layout randomization
 * (kernel/exec.c) and AT_RANDOM. RDRAND when the boot CPU has it
 * (arch/x86_64/cpu.c reads CPUID into boot_cpu.has_rdrand), always mixed
 * with the TSC, so that a CPU without RDRAND still gets a layout that
 * changes from run to run. Under QEMU's -icount -seed (tools/qemu.sh
 * --repeatable) both are repeatable, and so is the layout. getrandom(2)
 * hands the same numbers to user space.
 *
 * Not a cryptographic generator: RDRAND's output is mixed, not
 * extracted through a hash or a stream cipher as Linux's crng does.
 */
#include <kernel/compiler.h>
#include <kernel/errno.h>
#include <kernel/percpu.h>
#include <kernel/random.h>
#include <kernel/sched.h>
#include <kernel/signal.h>
#include <kernel/syscalls.h>
#include <mm/page.h>
#include <asm/cpu.h>

#define RDRAND_RETRY_LOOPS 10 /* Linux's: RDRAND may run dry for a moment */

/* Every call adds the golden ratio: no two calls mix the same input. */
static u64 random_counter;

/* One 64-bit RDRAND into *v; false when the CPU had no value ready. */
static bool rdrand_u64(u64 *v)
{
	for (int i = 0; i < RDRAND_RETRY_LOOPS; i++) {
		bool ok;

		__asm__ __volatile__("rdrand %0" : "=r"(*v), "=@ccc"(ok));
		if (ok)
			return true;
	}
	return false;
}

/* splitmix64's finalizer: every input bit reaches every output bit. */
static u64 mix64(u64 x)
{
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

u64 random_u64(void)
{
	u64 x = rdtsc() ^ __atomic_add_fetch(&random_counter,
					     0x9e3779b97f4a7c15ULL,
					     __ATOMIC_RELAXED);
	u64 hw;

	x = mix64(x);
	if (boot_cpu.has_rdrand && rdrand_u64(&hw))
		x = mix64(x ^ hw);
	return x;
}

u64 random_below(u64 n)
{
	return n ? random_u64() % n : 0;
}

#define GRND_NONBLOCK 0x0001
#define GRND_RANDOM   0x0002
#define GRND_INSECURE 0x0004
#define GETRANDOM_MAX 0x7fffffffUL /* Linux caps len at INT_MAX */

/*
 * sys_getrandom - getrandom(2): fill buf with count random bytes of
 * random_u64(). Never blocks: the generator is ready from boot (Linux's
 * crng is ready once seeded; a Linux that is waits no more), so
 * GRND_NONBLOCK and GRND_RANDOM change nothing, and GRND_INSECURE is
 * what every call gets anyway. Returns the bytes stored (count capped at
 * INT_MAX; fewer when a store faults after the first bytes, or when the
 * caller is killed between two pages, as Linux's get_random_bytes_user()
 * stops on a pending signal), or in Linux's order -EINVAL (an unknown
 * flag; GRND_INSECURE with GRND_RANDOM), -EFAULT (buf not in user space,
 * or the first store faults). Linux's getrandom(2), drivers/char/
 * random.c.
 */
long sys_getrandom(char __user *buf, size_t count, unsigned int flags)
{
	size_t done = 0;

	if (flags & ~(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE))
		return -EINVAL;
	if ((flags & (GRND_INSECURE | GRND_RANDOM)) ==
	    (GRND_INSECURE | GRND_RANDOM))
		return -EINVAL;
	if (count > GETRANDOM_MAX)
		count = GETRANDOM_MAX;
	if (!access_ok(buf, count))
		return -EFAULT;
	while (done < count) {
		u64 block[8];
		size_t n = MIN(count - done, sizeof(block));

		for (size_t i = 0; i < ARRAY_SIZE(block); i++)
			block[i] = random_u64();
		if (copy_to_user(buf + done, block, n))
			return done ? (long)done : -EFAULT;
		done += n;
		if (done % PAGE_SIZE == 0 && done < count) {
			if (fatal_signal_pending(current))
				break;
			/* Let the tick's switch happen: the kernel is not
			 * preemptible, and len may be 2 GiB. */
			if (READ_ONCE(this_cpu()->need_resched))
				schedule();
		}
	}
	return (long)done;
}
