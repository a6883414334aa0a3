/*
 * sections.h (host) - replaces include/kernel/sections.h in the host
 * unit tests and the fuzz harnesses (their Makefiles put
 * tests/host/include first). The kernel's KERNEL_PARAM() table is a
 * linker section that linker.ld bounds with __start_kernel_params and
 * __stop_kernel_params; a host program has no such script, and clang's
 * AddressSanitizer pads each global of a section whose name is not a C
 * identifier (".kernel_params"), so the entries would not even sit back
 * to back. Here the table is an ordinary array that the test defines,
 * host_kernel_params[], and the two names are its bounds. The other
 * symbols are declared as in the kernel's header; no host program has
 * them.
 */
#ifndef KERNEL_SECTIONS_H
#define KERNEL_SECTIONS_H

#include <kernel/cmdline.h>
#include <kernel/extable.h>
#include <kernel/ktest.h>

extern char _kernel_phys_start[];
extern char _text[], _etext[];
extern char _rodata[], _erodata[];
extern char _data[], _edata[];
extern char _bss[], _ebss[];
extern char _end[];
extern const struct ktest_case __start_ktest_cases[], __stop_ktest_cases[];
extern const struct exception_table_entry __start_ex_table[], __stop_ex_table[];

/* The KERNEL_PARAM() table: the test's (e.g. tests/fuzz/fuzz_cmdline.c). */
extern const struct kernel_param host_kernel_params[];
extern const size_t host_nr_kernel_params;

#define __start_kernel_params (&host_kernel_params[0])
#define __stop_kernel_params  (&host_kernel_params[host_nr_kernel_params])

#endif
