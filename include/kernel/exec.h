/*
 * exec.h - starting a program (kernel/exec.c, kernel/elf.c): load a static
 * ELF64 executable from the initrd into a fresh address space and point
 * the user register frame at its entry, as Linux's execve() and
 * binfmt_elf do.
 */
#ifndef KERNEL_EXEC_H
#define KERNEL_EXEC_H

#include <kernel/types.h>
#include <asm/ptrace.h>

struct mm_struct;

#define MAX_ARG_STRINGS 256	    /* argv + envp entries: more is -E2BIG */
#define MAX_ARG_BYTES	(64 * 1024) /* their total size: more is -E2BIG */

/*
 * randomize_va_space - Linux's sysctl kernel.randomize_va_space: 2 (the
 * default) randomizes the stack, the mmap base and the heap's start at
 * every exec; 0 (the boot option norandmaps) keeps the fixed layout of
 * include/mm/user_mm.h. Set at boot only (kernel/exec.c).
 */
extern int randomize_va_space;

/*
 * ELF_ET_DYN_BASE - where exec puts a static PIE before randomization:
 * two thirds of the user half, Linux's x86-64 value (DEFAULT_MAP_WINDOW
 * / 3 * 2, 0x555555554aaa, rounded down to the program's alignment:
 * 0x555555554000 for 4 KiB pages). Linux 6.1 uses it for a PIE with an
 * interpreter and puts one without (a static PIE, or ld.so run as a
 * program) into the mmap area; we have only the first kind of loader,
 * so every PIE goes here, far from the mmap area and the stack.
 */
#define ELF_ET_DYN_BASE ((0x0000800000000000UL - 4096) / 3 * 2)

/*
 * elf_load - map the static ELF64 x86-64 executable image[0..size) into mm
 * (segments at their p_vaddr, bss zeroed, rights from p_flags): an
 * ET_EXEC where it is linked, an ET_DYN (a static PIE) moved by a load
 * bias that puts its first segment at dyn_base (bytes), rounded down to
 * the segments' largest p_align (Linux's load_bias). Returns 0 and sets
 * *entry (moved by the bias) and *load_bias (0 for ET_EXEC), or -ENOEXEC
 * (not ELF64 / not x86-64 / neither ET_EXEC nor ET_DYN / has PT_INTERP:
 * dynamically linked / a segment or the entry outside user space / an
 * alignment above 1 GiB) with one console line saying which, or -ENOMEM.
 * Sets mm->start_brk/brk past the last segment. Linux's
 * load_elf_binary() without an interpreter.
 */
int elf_load(struct mm_struct *mm, const void *image, size_t size,
	     unsigned long dyn_base, u64 *entry, unsigned long *load_bias);

/*
 * kernel_execve - replace the current task's program with the file at
 * path (relative to the cwd, found through the file system; kernel
 * strings, argv/envp NULL-terminated, already in kernel memory). Its
 * files with close-on-exec set are closed. The process's other threads are killed first and current
 * becomes its main thread (de_thread(), Linux's). On success the task's
 * user frame (regs) starts the new program with Linux's initial stack
 * (argc, argv, envp, auxv) and 0 is returned; on error the old program
 * is untouched and -E2BIG, -ENAMETOOLONG, -ENOENT, -ENOTDIR, -EACCES,
 * -ENOEXEC or -ENOMEM is returned, or
 * -EAGAIN / -EINTR when the process is being killed (current dies on its
 * way out). Sleeps. Also used by the kernel to start init. Linux's
 * kernel_execve().
 */
int kernel_execve(const char *path, const char *const argv[],
		  const char *const envp[], struct pt_regs *regs);

#endif
