/*
 * smpboot.c - starting the secondary CPUs (APs), as Linux's
 * arch/x86/kernel/smpboot.c does, much simplified (docs/smp.md).
 *
 * The boot CPU (CPU 0) finds the others in the ACPI MADT (acpi.c), copies
 * the real-mode trampoline (trampoline.asm) to TRAMPOLINE_PHYS and starts
 * them one at a time: for each, it makes the idle task (fork_idle(), whose
 * stack the AP starts on), the GDT, TSS and IST stacks (gdt.c), writes the
 * CPU number, stack and page tables into the trampoline's data, and sends
 * INIT, then STARTUP (SIPI) -- a second STARTUP if the first went unheard
 * -- the sequence of the Intel SDM (vol. 3, 9.4.4) and the MultiProcessor
 * Specification (B.4). The AP climbs to 64-bit mode in the trampoline and
 * lands in start_secondary(), which sets up what is per CPU and marks
 * itself online; the boot CPU waits for that before it starts the next
 * one, because all of them share the trampoline's one data block.
 *
 * CPU numbers are dense: 0 is the boot CPU, the others follow in MADT
 * order. Nothing a secondary CPU does during bring-up allocates memory or
 * takes a lock: everything it needs is made beforehand by the boot CPU.
 */
#include <kernel/boot_params.h>
#include <kernel/errno.h>
#include <kernel/panic.h>
#include <kernel/printk.h>
#include <kernel/sched.h>
#include <kernel/smp.h>
#include <kernel/string.h>
#include <kernel/syscalls.h>
#include <kernel/time.h>
#include <mm/memblock.h>
#include <mm/mm_init.h>
#include <asm/acpi.h>
#include <asm/apic.h>
#include <asm/cpu.h>
#include <asm/desc.h>
#include <asm/memlayout.h>
#include <asm/smp.h>

_Static_assert(__builtin_offsetof(struct trampoline_data, efer_nx) == 24 &&
		       sizeof(struct trampoline_data) == 32,
	       "struct trampoline_data must match trampoline.asm");

#define AP_START_TIMEOUT_MS 5000 /* TCG on a busy host can be slow */

u32 x86_cpu_to_apicid[NR_CPUS];

/* The boot CPU's CR0 and CR4 once all its features are on (PGE, the FPU
 * and SSE bits, SMEP, SMAP): every AP loads the same. Linux keeps the CR4
 * bits in cpu_tlbstate.cr4 and copies them into its trampoline. */
static unsigned long boot_cr0, boot_cr4;

/* Set by an AP as the first thing in C: the boot CPU then knows that the
 * STARTUP IPI was heard and sends no second one. */
static volatile int ap_alive = -1;

static inline unsigned long read_cr0(void)
{
	unsigned long v;

	__asm__ __volatile__("mov %%cr0, %0" : "=r"(v));
	return v;
}

static inline void write_cr0(unsigned long v)
{
	__asm__ __volatile__("mov %0, %%cr0" : : "r"(v) : "memory");
}

/* Busy-wait us microseconds on the TSC (calibrated by time_init()). */
static void udelay(unsigned long us)
{
	u64 end = rdtsc() + us * tsc_khz / 1000;

	while (rdtsc() < end)
		cpu_relax();
}

void __noreturn start_secondary(int cpu)
{
	WRITE_ONCE(ap_alive, cpu);
	write_cr0(boot_cr0);
	write_cr4(boot_cr4); /* PGE, OSFXSR, OSXMMEXCPT, SMEP, SMAP */
	__asm__ __volatile__("fninit" ::: "memory");
	gdt_load_cpu(cpu);
	idt_load();
	percpu_init(cpu);
	tss_set_rsp0((u64)per_cpu_area(cpu)->idle->stack + KSTACK_SIZE);
	syscall_init(); /* the syscall MSRs and EFER.SCE are per CPU */
	lapic_init_secondary();
	lapic_timer_start(HZ);
	set_cpu_online(cpu, true);
	cpu_startup_entry();
}

/* Start CPU cpu and wait until it is online. Returns 0 or -errno. */
static int do_boot_cpu(int cpu, struct trampoline_data *tr)
{
	u32 apic_id = x86_cpu_to_apicid[cpu];
	struct task *idle = fork_idle(cpu);
	u64 deadline;

	if (!idle)
		return -ENOMEM;
	if (gdt_prepare_cpu(cpu))
		return -ENOMEM;
	tr->cpu = cpu;
	tr->stack = (u64)idle->stack + KSTACK_SIZE;
	tr->kernel_cr3 = init_pgd_phys;
	tr->efer_nx = boot_cpu.has_nx;
	WRITE_ONCE(ap_alive, -1);

	lapic_send_ipi(apic_id, APIC_DM_INIT | APIC_INT_ASSERT);
	mdelay(10);
	for (int i = 0; i < 2 && READ_ONCE(ap_alive) != cpu; i++) {
		lapic_send_ipi(apic_id, APIC_DM_STARTUP | APIC_INT_ASSERT |
						(TRAMPOLINE_PHYS >> 12));
		udelay(200);
	}
	deadline = rdtsc() + AP_START_TIMEOUT_MS * tsc_khz;
	while (!cpu_online(cpu)) {
		if (rdtsc() > deadline) {
			int err = READ_ONCE(ap_alive) == cpu ? -ETIMEDOUT :
							       -EIO;

			/* INIT again puts it back to waiting for a SIPI: a
			 * CPU that starts late must not run on with the
			 * next CPU's trampoline data. */
			lapic_send_ipi(apic_id, APIC_DM_INIT | APIC_INT_ASSERT);
			return err;
		}
		cpu_relax();
	}
	return 0;
}

void smp_init(void)
{
	struct acpi_madt_cpu found[NR_CPUS];
	struct trampoline_data *tr;
	unsigned long size, off;
	int n, cpu = 1;
	u32 self = lapic_id();

	x86_cpu_to_apicid[0] = self;
	n = acpi_find_cpus(found, NR_CPUS);
	if (n < 0)
		pr_warn("smp: no ACPI MADT; running on the boot CPU only\n");
	if (n > NR_CPUS) {
		pr_warn("smp: %d CPUs listed, NR_CPUS is %d: using %d\n", n,
			NR_CPUS, NR_CPUS);
		n = NR_CPUS;
	}
	for (int i = 0; i < n; i++) {
		if (found[i].apic_id == self)
			continue;
		if (!(found[i].flags & ACPI_MADT_ENABLED))
			continue; /* online-capable: no hot-plug here */
		if (found[i].apic_id > 0xff) {
			pr_warn("smp: APIC id %u needs x2APIC; skipped\n",
				found[i].apic_id);
			continue;
		}
		if (cpu == NR_CPUS)
			break;
		x86_cpu_to_apicid[cpu] = found[i].apic_id;
		set_cpu_possible(cpu, true);
		cpu++;
	}

	if (num_possible_cpus() > 1) {
		if (trampoline_data.base != TRAMPOLINE_PHYS)
			panic("smp: trampoline.asm is assembled for %#x, not %#lx",
			      trampoline_data.base, TRAMPOLINE_PHYS);
		/* Three labels of one blob (trampoline.asm), which C sees
		 * as three objects: subtract them as numbers. */
		size = (unsigned long)trampoline_end -
		       (unsigned long)trampoline_start;
		off = (unsigned long)&trampoline_data -
		      (unsigned long)trampoline_start;
		memcpy(__va(TRAMPOLINE_PHYS), trampoline_start, size);
		tr = (struct trampoline_data *)((char *)__va(TRAMPOLINE_PHYS) +
						off);
		boot_cr0 = read_cr0();
		boot_cr4 = read_cr4();
		for_each_possible_cpu(cpu)
		{
			int err;

			if (cpu == 0)
				continue;
			err = do_boot_cpu(cpu, tr);
			if (err) {
				pr_err("smp: CPU %d (APIC id %u) did not come "
				       "up: error %d\n",
				       cpu, x86_cpu_to_apicid[cpu], err);
				set_cpu_possible(cpu, false);
			}
		}
	}
	pr_info("smp: %u CPU%s online\n", num_online_cpus(),
		num_online_cpus() == 1 ? "" : "s");
}

void smp_reserve_trampoline(void)
{
	/* Inside the first MiB, which memblock_init() already keeps; said
	 * again here so that the trampoline does not depend on that rule. */
	memblock_reserve(TRAMPOLINE_PHYS, 4096);
}
