/*
 * smp.c - cross-CPU calls and the reschedule IPI (include/kernel/smp.h).
 * Only the boot CPU runs until smpboot.c starts the others, so for now
 * every call stays on this CPU.
 */
#include <kernel/errno.h>
#include <kernel/printk.h>
#include <kernel/smp.h>
#include <asm/irqflags.h>

void smp_init(void)
{
	pr_info("smp: %u CPU%s online\n", num_online_cpus(),
		num_online_cpus() == 1 ? "" : "s");
}

void smp_send_reschedule(int cpu)
{
	if (cpu == smp_processor_id())
		this_cpu()->need_resched = true;
}

void smp_call_function_many(const struct cpumask *mask, smp_call_func_t func,
			    void *info, bool wait)
{
	(void)mask, (void)func, (void)info, (void)wait; /* no other CPU */
}

int smp_call_function_single(int cpu, smp_call_func_t func, void *info,
			     bool wait)
{
	unsigned long flags;

	(void)wait;
	if (cpu != smp_processor_id())
		return -ENXIO;
	local_irq_save(flags);
	func(info);
	local_irq_restore(flags);
	return 0;
}

void on_each_cpu(smp_call_func_t func, void *info, bool wait)
{
	unsigned long flags;

	smp_call_function_many(cpu_online_mask, func, info, wait);
	local_irq_save(flags);
	func(info);
	local_irq_restore(flags);
}
