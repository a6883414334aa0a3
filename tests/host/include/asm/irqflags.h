/*
 * irqflags.h (host) - the host unit tests have no interrupts to mask, so
 * saving, disabling and restoring the interrupt flag do nothing. Replaces
 * arch/x86_64/include/asm/irqflags.h (cli/sti would fault in user mode).
 */
#ifndef ASM_IRQFLAGS_H
#define ASM_IRQFLAGS_H

#define local_irq_save(f)    ((f) = 0)
#define local_irq_restore(f) ((void)(f))
#define local_irq_disable() \
	do {                \
	} while (0)
#define local_irq_enable() \
	do {               \
	} while (0)

#endif
