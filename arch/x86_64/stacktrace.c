/*
 * stacktrace.c - backtraces from the frame-pointer chain. The kernel is
 * built with -fno-omit-frame-pointer, so every function's frame starts
 * with [saved rbp][return address]; boot/boot.asm ends the chain with
 * rbp = 0, and trap_common links a trap frame into it. Names come from the
 * kernel's own symbol table (kernel/ksyms.c).
 */
#include <kernel/printk.h>
#include <kernel/sections.h>
#include <asm/memlayout.h>
#include <asm/traps.h>

#define MAX_FRAMES     32
#define MAX_FRAME_SIZE (64 * 1024) /* bytes between two frame records */

static bool kernel_text(unsigned long addr)
{
	return addr >= (unsigned long)_text && addr < (unsigned long)_etext;
}

void show_trace(unsigned long rip, unsigned long rbp)
{
	printk(KERN_EMERG "Call Trace:\n");
	printk(KERN_EMERG " [<%016lx>] %pS\n", rip, (void *)rip);
	for (int n = 0; n < MAX_FRAMES; n++) {
		unsigned long *frame = (unsigned long *)rbp;
		unsigned long next, ret;

		if (rbp < PAGE_OFFSET || (rbp & 7))
			break;
		next = frame[0];
		ret = frame[1];
		if (!kernel_text(ret))
			break;
		printk(KERN_EMERG " [<%016lx>] %pB\n", ret, (void *)ret);
		if (next <= rbp || next - rbp > MAX_FRAME_SIZE)
			break;
		rbp = next;
	}
}

void dump_stack(void)
{
	unsigned long rbp = (unsigned long)__builtin_frame_address(0);

	show_trace((unsigned long)__builtin_return_address(0),
		   ((unsigned long *)rbp)[0]);
}
