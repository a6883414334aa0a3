/*
 * asm/prctl.h - arch_prctl(2) codes, with Linux's values
 * (arch/x86/include/uapi/asm/prctl.h): the ones the kernel implements
 * (kernel/sys.c, do_arch_prctl_64()).
 */
#ifndef UAPI_ASM_PRCTL_H
#define UAPI_ASM_PRCTL_H

#define ARCH_SET_FS 0x1002
#define ARCH_GET_FS 0x1003

#endif
