/* Basic kernel types. Every kind of address and handle has its own name. */
#ifndef KEVLAR_TYPES_H
#define KEVLAR_TYPES_H

#include <stddef.h>
#include <stdint.h>
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

typedef u64 paddr_t;      /* physical address */
typedef u64 vaddr_t;      /* kernel virtual address, as an integer */
typedef u64 uptr_t;       /* user-space address: never dereferenced directly */
typedef u64 pfn_t;        /* physical frame number (paddr >> PAGE_SHIFT) */
typedef s64 ssize_t;
typedef u64 nsec_t;       /* nanoseconds on the monotonic clock */

#define PAGE_SHIFT 12
#define PAGE_SIZE  (1UL << PAGE_SHIFT)
#define PAGE_MASK  (~(PAGE_SIZE - 1))

#define ALIGN_UP(x, a)   (((x) + ((a) - 1)) & ~((__typeof__(x))(a) - 1))
#define ALIGN_DOWN(x, a) ((x) & ~((__typeof__(x))(a) - 1))
#define ARRAY_SIZE(a)    (sizeof(a) / sizeof((a)[0]))
#define MIN(a, b)        ((a) < (b) ? (a) : (b))
#define MAX(a, b)        ((a) > (b) ? (a) : (b))

#endif
