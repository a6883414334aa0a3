/*
 * types.h - fixed-width integer types used everywhere in the kernel.
 * Built on the compiler's freestanding headers, so the same code compiles
 * in the kernel and in host unit tests (tests/host/).
 */
#ifndef KERNEL_TYPES_H
#define KERNEL_TYPES_H

#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdarg.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef int64_t s64;

typedef u64 phys_addr_t;     /* a physical address, bytes */
typedef unsigned long pfn_t; /* a page frame number: phys >> PAGE_SHIFT */

#endif
