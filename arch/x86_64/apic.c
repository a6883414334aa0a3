/*
 * apic.c - the local APIC timer, our periodic tick, calibrated against the
 * 8254 PIT (channel 2, gated through port 0x61, polled). The 8259 PIC is
 * remapped out of the exception range and masked; all interrupts come
 * through the LAPIC. Registers are reached through the direct map, which
 * covers the low 4 GiB including the LAPIC page (mm/init.c).
 */
#include <kernel/cpumask.h>
#include <kernel/errno.h>
#include <kernel/printk.h>
#include <asm/apic.h>
#include <asm/cpu.h>
#include <asm/io.h>
#include <asm/irqflags.h>
#include <asm/memlayout.h>
#include <asm/traps.h>

#define APIC_ID		  0x020
#define APIC_EOI	  0x0b0
#define APIC_ICR_LOW	  0x300 /* interrupt command: vector, mode, status */
#define APIC_ICR_HIGH	  0x310 /* bits 24..31: the destination APIC ID */
#define APIC_ICR_BUSY	  (1u << 12) /* delivery status: send pending */
#define APIC_SPIV	  0x0f0 /* spurious vector; bit 8 enables the APIC */
#define APIC_LVTT	  0x320 /* timer local vector table entry */
#define APIC_TMICT	  0x380 /* timer initial count */
#define APIC_TMCCT	  0x390 /* timer current count */
#define APIC_TDCR	  0x3e0 /* timer divide configuration */
#define APIC_LVT_MASKED	  (1u << 16)
#define APIC_LVT_PERIODIC (1u << 17)
#define APIC_TDCR_DIV16	  0x3
#define APIC_BASE_ENABLE  (1ULL << 11)

#define PIT_HZ	 1193182ULL
#define PIT_CH2	 0x42
#define PIT_CMD	 0x43
#define PIT_GATE 0x61 /* bit 0: gate ch2, bit 1: speaker, bit 5: out */

u32 lapic_timer_khz;
unsigned long apic_timer_irqs[NR_CPUS];
static volatile u32 *lapic;

static inline u32 lapic_read(u32 reg)
{
	return lapic[reg / 4];
}

static inline void lapic_write(u32 reg, u32 v)
{
	lapic[reg / 4] = v;
}

int pit_calibrate(unsigned ms, u64 *tsc_delta, u32 *lapic_delta, bool use_lapic)
{
	u32 count = (u32)(PIT_HZ * ms / 1000), l0 = 0, loops = 0;
	u64 t0;

	if (ms == 0 || ms > 50)
		return -EINVAL; /* 16-bit counter: at most ~54 ms */
	/* Gate low, speaker off; channel 2, lobyte/hibyte, mode 0. */
	outb(PIT_GATE, (inb(PIT_GATE) & ~0x03));
	outb(PIT_CMD, 0xb0);
	outb(PIT_CH2, count & 0xff);
	outb(PIT_CH2, count >> 8);
	if (use_lapic) {
		lapic_write(APIC_TDCR, APIC_TDCR_DIV16);
		lapic_write(APIC_LVTT, APIC_LVT_MASKED | TIMER_VECTOR);
		lapic_write(APIC_TMICT, 0xffffffff);
		l0 = lapic_read(APIC_TMCCT);
	}
	t0 = rdtsc();
	outb(PIT_GATE, (inb(PIT_GATE) & ~0x02) | 0x01); /* gate high: go */
	while (!(inb(PIT_GATE) & 0x20))			/* OUT goes high at 0 */
		if (++loops > 100000000)
			return -ENODEV;
	*tsc_delta = rdtsc() - t0;
	if (use_lapic) {
		*lapic_delta = l0 - lapic_read(APIC_TMCCT);
		lapic_write(APIC_TMICT, 0);
	}
	return 0;
}

static void pic_disable(void)
{
	/* Remap the 8259s to vectors 32..47 (so a stray IRQ is not taken for
	 * an exception), then mask every line. */
	outb(0x20, 0x11);
	outb(0xa0, 0x11);
	outb(0x21, IRQ_BASE);
	outb(0xa1, IRQ_BASE + 8);
	outb(0x21, 4);
	outb(0xa1, 2);
	outb(0x21, 1);
	outb(0xa1, 1);
	outb(0x21, 0xff);
	outb(0xa1, 0xff);
}

int lapic_init(void)
{
	u64 base, tsc;
	u32 ticks;

	if (!boot_cpu.has_apic)
		return -ENODEV;
	pic_disable();
	base = rdmsr(MSR_APIC_BASE);
	wrmsr(MSR_APIC_BASE, base | APIC_BASE_ENABLE);
	lapic = __va(base & 0xffffff000ULL);
	lapic_write(APIC_SPIV, 0x100 | SPURIOUS_VECTOR);

	if (pit_calibrate(10, &tsc, &ticks, true))
		return -ENODEV;
	lapic_timer_khz = ticks / 10;
	pr_info("apic: LAPIC id %u at %#lx, timer %u kHz (divide by 16)\n",
		lapic_read(APIC_ID) >> 24,
		(unsigned long)(base & 0xffffff000ULL), lapic_timer_khz);
	return 0;
}

void lapic_init_secondary(void)
{
	u64 base = rdmsr(MSR_APIC_BASE);

	/* Every CPU sees its own LAPIC at the same physical address, so
	 * the boot CPU's mapping (lapic) serves this one too. */
	wrmsr(MSR_APIC_BASE, base | APIC_BASE_ENABLE);
	lapic_write(APIC_SPIV, 0x100 | SPURIOUS_VECTOR);
}

u32 lapic_id(void)
{
	return lapic_read(APIC_ID) >> 24;
}

void lapic_send_ipi(u32 apic_id, u32 icr)
{
	unsigned long flags;

	/* The two ICR writes must not be split by an interrupt handler that
	 * sends an IPI of its own. */
	local_irq_save(flags);
	while (lapic_read(APIC_ICR_LOW) & APIC_ICR_BUSY)
		cpu_relax();
	lapic_write(APIC_ICR_HIGH, apic_id << 24);
	lapic_write(APIC_ICR_LOW, icr); /* this write sends */
	while (lapic_read(APIC_ICR_LOW) & APIC_ICR_BUSY)
		cpu_relax();
	local_irq_restore(flags);
}

void lapic_timer_start(unsigned hz)
{
	lapic_write(APIC_TDCR, APIC_TDCR_DIV16);
	lapic_write(APIC_LVTT, APIC_LVT_PERIODIC | TIMER_VECTOR);
	lapic_write(APIC_TMICT, lapic_timer_khz * 1000 / hz);
}

void lapic_eoi(void)
{
	if (lapic)
		lapic_write(APIC_EOI, 0);
}
