/* Test stub of <kevlar/compiler.h>. */
#ifndef KEVLAR_COMPILER_H
#define KEVLAR_COMPILER_H
#define __printf(a, b) __attribute__((format(printf, a, b)))
#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
#endif
