/*
 * smp.c - cross-CPU calls and the reschedule IPI (include/kernel/smp.h),
 * carried by the local APIC's inter-processor interrupts (docs/smp.md).
 *
 * A cross-CPU call goes through one global call-data slot, as Linux's
 * did before it had per-CPU queues (call_function_data): the caller takes
 * call_lock, writes the function, its argument and the set of CPUs still
 * to run it (pending), sends CALL_FUNCTION_VECTOR to each of them and
 * waits until pending is empty. Each target clears its own bit: with
 * wait, after the function returned; without, as soon as it has read the
 * slot. Either way the slot is free again when pending is empty, so the
 * caller can release the lock. The caller spins for the lock and for
 * pending with interrupts ON: two CPUs calling each other at once must
 * each be able to answer the other's IPI.
 */
#include <kernel/errno.h>
#include <kernel/printk.h>
#include <kernel/smp.h>
#include <asm/apic.h>
#include <asm/cpu.h>
#include <asm/irqflags.h>
#include <asm/processor-flags.h>
#include <asm/smp.h>

static struct {
	smp_call_func_t func;
	void *info;
	bool wait;
	unsigned long pending; /* cpumask bits: CPUs yet to answer */
} call_data;
static int call_lock; /* 1 while a caller owns call_data */

static unsigned long resched_count[NR_CPUS];
static bool warned_irqs_off;

/* preempt_count keeps the caller on this CPU (the scheduler may move a
 * task between CPUs once run queues are per CPU): smp_processor_id() must
 * stay the CPU the call excludes or runs on. */
static inline void pin_cpu(void)
{
	this_cpu()->preempt_count++;
}

static inline void unpin_cpu(void)
{
	this_cpu()->preempt_count--;
}

void smp_send_reschedule(int cpu)
{
	if (cpu == smp_processor_id())
		this_cpu()->need_resched = true;
	else if (cpu_online(cpu))
		lapic_send_ipi(x86_cpu_to_apicid[cpu],
			       APIC_DM_FIXED | APIC_INT_ASSERT |
				       RESCHEDULE_VECTOR);
}

void smp_reschedule_interrupt(void)
{
	struct percpu *p = this_cpu();

	p->need_resched = true;
	resched_count[p->cpu]++; /* only this CPU writes its counter */
}

unsigned long smp_resched_ipi_count(int cpu)
{
	return READ_ONCE(resched_count[cpu]);
}

void smp_call_function_interrupt(void)
{
	unsigned long bit = 1UL << smp_processor_id();
	smp_call_func_t func;
	void *info;
	bool wait;

	lapic_eoi();
	/* A bit not set: an IPI that arrived after this CPU had answered
	 * (two IPIs can merge into one, never the other way round). */
	if (!(__atomic_load_n(&call_data.pending, __ATOMIC_ACQUIRE) & bit))
		return;
	func = call_data.func;
	info = call_data.info;
	wait = call_data.wait;
	if (!wait)
		__atomic_fetch_and(&call_data.pending, ~bit, __ATOMIC_RELEASE);
	func(info);
	if (wait)
		__atomic_fetch_and(&call_data.pending, ~bit, __ATOMIC_RELEASE);
}

void smp_call_function_many(const struct cpumask *mask, smp_call_func_t func,
			    void *info, bool wait)
{
	struct cpumask targets;
	int cpu;

	pin_cpu();
	cpumask_and(&targets, mask, cpu_online_mask);
	__cpumask_clear_cpu(smp_processor_id(), &targets);
	if (cpumask_empty(&targets))
		goto out;
	if (!(arch_local_save_flags() & X86_EFLAGS_IF) && !warned_irqs_off) {
		warned_irqs_off = true; /* once: the log must stay readable */
		pr_warn("smp: cross-CPU call with interrupts off (may deadlock) from %pS\n",
			__builtin_return_address(0));
	}

	while (__atomic_exchange_n(&call_lock, 1, __ATOMIC_ACQUIRE))
		cpu_relax();
	call_data.func = func;
	call_data.info = info;
	call_data.wait = wait;
	__atomic_store_n(&call_data.pending, targets.bits, __ATOMIC_RELEASE);
	for_each_cpu(cpu, &targets)
		lapic_send_ipi(x86_cpu_to_apicid[cpu],
			       APIC_DM_FIXED | APIC_INT_ASSERT |
				       CALL_FUNCTION_VECTOR);
	while (__atomic_load_n(&call_data.pending, __ATOMIC_ACQUIRE))
		cpu_relax();
	__atomic_store_n(&call_lock, 0, __ATOMIC_RELEASE);
out:
	unpin_cpu();
}

int smp_call_function_single(int cpu, smp_call_func_t func, void *info,
			     bool wait)
{
	struct cpumask one = CPU_MASK_NONE;
	unsigned long flags;
	int ret = 0;

	pin_cpu();
	if (cpu == smp_processor_id()) {
		local_irq_save(flags);
		func(info);
		local_irq_restore(flags);
	} else if (!cpu_online(cpu)) {
		ret = -ENXIO;
	} else {
		__cpumask_set_cpu(cpu, &one);
		smp_call_function_many(&one, func, info, wait);
	}
	unpin_cpu();
	return ret;
}

void on_each_cpu(smp_call_func_t func, void *info, bool wait)
{
	unsigned long flags;

	pin_cpu();
	smp_call_function_many(cpu_online_mask, func, info, wait);
	local_irq_save(flags);
	func(info);
	local_irq_restore(flags);
	unpin_cpu();
}
