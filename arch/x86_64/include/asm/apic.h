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

/* lapic_timer_start - periodic timer interrupts at hz per second. */
void lapic_timer_start(unsigned hz);

/* lapic_eoi - acknowledge the interrupt being handled. */
void lapic_eoi(void);

/* LAPIC timer ticks (after the divider) per millisecond. */
extern u32 lapic_timer_khz;

#endif
