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
 * elf_load - map the static ELF64 x86-64 executable image[0..size) into mm
 * (segments at their p_vaddr, bss zeroed, rights from p_flags). Returns 0
 * and sets *entry, or -ENOEXEC (not ELF64 / not x86-64 / not ET_EXEC /
 * has PT_INTERP / a segment outside user space) with one console line
 * saying which, or -ENOMEM. Sets mm->start_brk/brk past the last segment.
 * Linux's load_elf_binary() for static executables only.
 */
int elf_load(struct mm_struct *mm, const void *image, size_t size, u64 *entry);

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
