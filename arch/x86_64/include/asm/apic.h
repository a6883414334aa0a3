/*
 * apic.h - the local APIC and its timer, and the legacy PIT used once to
 * calibrate them (arch/x86_64/apic.c).
 */
#ifndef ASM_APIC_H
#define ASM_APIC_H

#include <kernel/types.h>

/*
 * pit_calibrate - measure, over a PIT-timed interval of ms milliseconds
 * (1..50), how far the TSC and (if lapic is true) the LAPIC timer count
 * moved. Returns 0, or -ENODEV when the PIT never counted down.
 */
int pit_calibrate(unsigned ms, u64 *tsc_delta, u32 *lapic_delta, bool lapic);

/*
 * lapic_init - enable the local APIC (masking the 8259 PIC) and calibrate
 * its timer. Returns 0, or -ENODEV without an APIC.
 */
int lapic_init(void);

/*
 * lapic_init_secondary - enable this (secondary) CPU's local APIC with the
 * boot CPU's spurious vector; lapic_init() must have run on the boot CPU
 * (it found the LAPIC's address and calibrated the timer, which ticks at
 * the same rate on every CPU). Linux's setup_local_APIC() on an AP.
 */
void lapic_init_secondary(void);

/* lapic_id - this CPU's local APIC ID (the xAPIC's 8 bits). */
u32 lapic_id(void);

/*
 * The interrupt command register's low word (Intel SDM vol. 3, 11.6.1):
 * the vector, the delivery mode and the level; the destination is always
 * one APIC ID, in physical mode. INIT and STARTUP are the MP start-up
 * protocol (smpboot.c); FIXED delivers vector as an interrupt.
 */
#define APIC_DM_FIXED	0x00000
#define APIC_DM_INIT	0x00500
#define APIC_DM_STARTUP 0x00600 /* vector = the start page number */
#define APIC_INT_ASSERT 0x04000

/*
 * lapic_send_ipi - send the IPI described by icr (APIC_DM_* | vector |
 * APIC_INT_ASSERT) to the CPU whose local APIC ID is apic_id, and wait
 * until the local APIC has delivered it (the ICR's delivery status goes
 * idle). Any context; takes interrupts off around the two ICR writes.
 * Linux's __default_send_IPI_dest_field().
 */
void lapic_send_ipi(u32 apic_id, u32 icr);

/* lapic_timer_start - periodic timer interrupts at hz per second. */
void lapic_timer_start(unsigned hz);

/* lapic_eoi - acknowledge the interrupt being handled. */
void lapic_eoi(void);

/* LAPIC timer ticks (after the divider) per millisecond. */
extern u32 lapic_timer_khz;

/* Timer interrupts each CPU has taken, counted by do_trap() on the CPU
 * itself (/proc/interrupts' LOC line in Linux: irq_stat.apic_timer_irqs). */
extern unsigned long apic_timer_irqs[];

#endif
