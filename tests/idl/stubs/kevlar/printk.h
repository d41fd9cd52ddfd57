/* Test stub of <kevlar/printk.h>. */
#ifndef KEVLAR_PRINTK_H
#define KEVLAR_PRINTK_H
#include <stdarg.h>
#include <kevlar/compiler.h>
#include <kevlar/types.h>
int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
__printf(3, 4) int ksnprintf(char *buf, size_t size, const char *fmt, ...);
__printf(1, 2) void printk(const char *fmt, ...);
#endif
