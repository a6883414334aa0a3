/*
 * personality.h - personality(2) values with Linux's numbers
 * (include/uapi/linux/personality.h there): one list for the kernel
 * (kernel/exec.c) and libc (libc/include/sys/personality.h). Only
 * ADDR_NO_RANDOMIZE changes anything here; the others are kept and
 * returned, as Linux keeps flags that mean nothing on its architecture.
 */
#ifndef UAPI_LINUX_PERSONALITY_H
#define UAPI_LINUX_PERSONALITY_H

#define ADDR_NO_RANDOMIZE 0x0040000 /* exec: no layout randomization */
#define READ_IMPLIES_EXEC 0x0400000 /* cleared by a 64-bit exec */
#define PER_LINUX	  0x0000
#define PER_MASK	  0x00ff

#endif
