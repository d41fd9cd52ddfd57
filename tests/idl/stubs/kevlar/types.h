/* Test stub of the kernel's <kevlar/types.h>: just what generated code uses. */
#ifndef KEVLAR_TYPES_H
#define KEVLAR_TYPES_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef int64_t s64;
typedef u64 paddr_t;
typedef u64 uptr_t;
typedef long ssize_t;
#endif
