/*
 * irqsoff.c - the interrupts-off latency tracer, after Linux's irqsoff
 * tracer (kernel/trace/trace_irqsoff.c, CONFIG_IRQSOFF_TRACER): each
 * CPU keeps the longest section it ran with RFLAGS.IF clear in kernel
 * code, its length in TSC ticks and the addresses where it began and
 * ended, as Linux's tracing_max_latency and its trace of the worst
 * section. A long section delays every interrupt of its CPU: the tick
 * (and so preemption and timers), the TLB shootdowns other CPUs wait
 * for, and the wake-up IPIs. The rules for keeping sections short are
 * in docs/concurrency.md; the figures under the system-call fuzzer in
 * docs/testing.md.
 *
 * How a section is found (include/kernel/irqsoff.h has the list of hook
 * points): trace_hardirqs_off() stamps the per-CPU start (struct
 * percpu's irqsoff_start and irqsoff_start_ip) where IF goes from 1 to
 * 0, and trace_hardirqs_on() ends the open section where IF goes back
 * to 1. The traced entry stubs stamp the start themselves, at the first
 * instruction after the CPU cleared IF, whenever the interrupted code
 * had it on; the start address is then the stub's (trap_stub_14,
 * syscall_entry, ...). Under QEMU -icount shift=0 the TSC counts guest
 * instructions, one per ns of virtual time, so a figure is exact and a
 * run repeats it.
 *
 * What it does not see: the few instructions between a stub's stamp
 * and the CPU's own entry, and between the last hook and the iretq or
 * sysret (a few dozen, fixed); the POE null trap (a bare iretq); NMIs
 * and the double fault (not traced); and sections before irqsoff_init()
 * in the boot.
 */
#include <kernel/cmdline.h>
#include <kernel/errno.h>
#include <kernel/irqsoff.h>
#include <kernel/ksyms.h>
#include <kernel/percpu.h>
#include <kernel/printk.h>
#include <kernel/sched.h>
#include <kernel/string.h>
#include <kernel/syscalls.h>
#include <kernel/time.h>
#include <kernel/uaccess.h>
#include <mm/kmalloc.h>
#include <asm/cpu.h>
#include <asm/traps.h>
#include <private.h>

_Static_assert(IRQSOFF_MAX_CPUS == NR_CPUS,
	       "struct irqsoff_stats has one entry per possible CPU");

bool irqsoff_tracing;
static bool irqsoff_boot; /* irqsoff.trace=1 */

static struct irqsoff_record irqsoff_records[NR_CPUS];

/*
 * irqsoff.trace=0|1 (a boolean, as kstrtobool() reads it): trace every
 * interrupts-off section from the boot on. Ours; Linux selects its
 * tracer with `ftrace=irqsoff` or through tracefs.
 */
static int set_trace(const char *val)
{
	bool on;

	if (kstrtobool(val[0] ? val : "1", &on)) {
		pr_err("irqsoff: irqsoff.trace=%s rejected: not a boolean\n",
		       val);
		return -EINVAL;
	}
	irqsoff_boot = on;
	return 0;
}
KERNEL_PARAM("irqsoff.trace", set_trace,
	     "1: record the longest interrupts-off section of each CPU");

void irqsoff_init(void)
{
	if (!irqsoff_boot)
		return;
	idt_use_irqsoff_stubs();
	poe_walker_use_irqsoff();
	WRITE_ONCE(irqsoff_tracing, true);
	pr_info("irqsoff: tracing interrupts-off sections (irqsoff.trace=1)\n");
}

bool irqsoff_set_tracing(bool on)
{
	bool was = irqsoff_tracing;

	if (on && !was)
		for (int cpu = 0; cpu < NR_CPUS; cpu++)
			WRITE_ONCE(per_cpu_area(cpu)->irqsoff_start, 0);
	WRITE_ONCE(irqsoff_tracing, on);
	return was;
}

/*
 * trace_hardirqs_off - IF has just gone from 1 to 0 in the caller: open
 * this CPU's section there. Interrupts off. Linux's trace_hardirqs_off()
 * (start_critical_timing()).
 */
void __noinline trace_hardirqs_off(void)
{
	struct percpu *cpu = this_cpu();

	cpu->irqsoff_start_ip = (unsigned long)__builtin_return_address(0);
	cpu->irqsoff_start = rdtsc() | 1; /* never 0: 0 means none open */
}

/*
 * trace_hardirqs_on - IF is about to go back to 1 in the caller (or at
 * the iretq or sysret the caller leads to): close this CPU's open
 * section, if any, and keep it if it is the CPU's longest. Interrupts
 * off; a call with them on finds a section that some path opened and
 * never closed, and drops it. Linux's trace_hardirqs_on()
 * (stop_critical_timing(), check_critical_timing()).
 */
void __noinline trace_hardirqs_on(void)
{
	struct percpu *cpu = this_cpu();
	u64 start = cpu->irqsoff_start, ticks;
	struct irqsoff_record *r;

	if (!start)
		return;
	cpu->irqsoff_start = 0;
	if (arch_local_save_flags() & X86_EFLAGS_IF)
		return;
	ticks = rdtsc() - start;
	r = &irqsoff_records[cpu->cpu];
	r->sections++;
	if (ticks <= r->ticks)
		return;
	r->ticks = ticks;
	r->start_ip = cpu->irqsoff_start_ip;
	r->end_ip = (unsigned long)__builtin_return_address(0);
	r->pid = cpu->curr ? cpu->curr->pid : 0;
}

void irqsoff_read(int cpu, struct irqsoff_record *r)
{
	*r = irqsoff_records[cpu];
}

void irqsoff_reset(int cpu)
{
	unsigned long flags;

	local_irq_save(flags);
	irqsoff_records[cpu] = (struct irqsoff_record){ 0 };
	local_irq_restore(flags);
}

char *irqsoff_symbolize(unsigned long ip, char *buf, size_t size)
{
	unsigned long off, symsize;
	const char *name = ip ? ksym_lookup(ip, &off, &symsize) : NULL;

	if (name)
		snprintf(buf, size, "%s+0x%lx", name, off);
	else
		snprintf(buf, size, "0x%016lx", ip);
	return buf;
}

/*
 * sys_irqsoff_stats - private call 1030 (include/uapi/private.h): copy
 * struct irqsoff_stats, every online CPU's longest interrupts-off section
 * since boot, to buf, at most size bytes. Returns the bytes copied, or
 * -EFAULT, -ENOMEM. Ours, like fault_stats; Linux's figure is the file
 * tracing_max_latency of tracefs.
 */
long sys_irqsoff_stats(void __user *buf, size_t size)
{
	struct irqsoff_stats *st = kmalloc(sizeof(*st));
	unsigned long longest = 0;
	long ret;
	int cpu;

	if (!st)
		return -ENOMEM;
	memset(st, 0, sizeof(*st));
	st->tracing = irqsoff_tracing;
	st->tsc_khz = tsc_khz;
	for_each_online_cpu(cpu)
	{
		struct irqsoff_cpu_stats *c = &st->cpu[cpu];
		struct irqsoff_record r;

		irqsoff_read(cpu, &r);
		c->max_ticks = r.ticks;
		c->max_ns = tsc_to_ns(r.ticks);
		c->start_ip = r.start_ip;
		c->end_ip = r.end_ip;
		c->pid = (unsigned long)r.pid;
		c->sections = r.sections;
		if (r.sections) {
			irqsoff_symbolize(r.start_ip, c->start_sym,
					  sizeof(c->start_sym));
			irqsoff_symbolize(r.end_ip, c->end_sym,
					  sizeof(c->end_sym));
		}
		if (r.ticks > longest) {
			longest = r.ticks;
			st->max_cpu = (unsigned long)cpu;
		}
		st->nr_cpus = (unsigned long)cpu + 1;
	}
	if (size > sizeof(*st))
		size = sizeof(*st);
	ret = copy_to_user(buf, st, size) ? -EFAULT : (long)size;
	kfree(st);
	return ret;
}
