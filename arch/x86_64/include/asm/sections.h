/*
 * sections.h - the kernel image's section boundaries, symbols defined by
 * linker.ld (addresses in the kernel image mapping). Linux's
 * <asm/sections.h>, with linker.ld's names.
 */
#ifndef ASM_SECTIONS_H
#define ASM_SECTIONS_H

extern char _text[], _etext[];	   /* code */
extern char _rodata[], _erodata[]; /* read-only data */
extern char _data[], _end[];	   /* data and bss */

#endif
