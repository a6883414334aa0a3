/*
 * sections.h - the symbols linker.ld defines: where each part of the
 * kernel image starts and ends, and the bounds of the tables that macros
 * fill at compile time. As Linux's <asm/sections.h> (<asm-generic/
 * sections.h>). They are addresses, not variables: use _text, never
 * *_text. Virtual addresses (KERNEL_VMA + physical) unless noted.
 */
#ifndef KERNEL_SECTIONS_H
#define KERNEL_SECTIONS_H

#include <kernel/cmdline.h>
#include <kernel/extable.h>
#include <kernel/ktest.h>

/* The image's first byte, physical (the boot code runs at 1 MiB). */
extern char _kernel_phys_start[];

/* Text, read-only data, data and bss: [start, end) each, page aligned. */
extern char _text[], _etext[];
extern char _rodata[], _erodata[];
extern char _data[], _edata[];
extern char _bss[], _ebss[];
extern char _end[]; /* past the last byte, .ksyms included */

/* In .rodata: the tables KTEST(), KERNEL_PARAM() and _ASM_EXTABLE() fill. */
extern const struct ktest_case __start_ktest_cases[], __stop_ktest_cases[];
extern const struct kernel_param __start_kernel_params[],
	__stop_kernel_params[];
extern const struct exception_table_entry __start_ex_table[], __stop_ex_table[];

#endif
