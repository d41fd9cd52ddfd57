/* Kernel log and string formatting. */
#ifndef KEVLAR_PRINTK_H
#define KEVLAR_PRINTK_H

#include <kevlar/types.h>
#include <kevlar/compiler.h>

/*
 * A freestanding vsnprintf. Supports %d %i %u %x %X %o %c %s %p %%, the
 * flags '-', '0', '+', ' ', '#', a width and precision (numeric or '*'),
 * and the length modifiers hh h l ll z t j. Always NUL-terminates when
 * size > 0 and returns the length the full output would have had.
 */
int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
__printf(3, 4) int ksnprintf(char *buf, size_t size, const char *fmt, ...);

/* Writes to the console, each line prefixed "[seconds.micros] ". */
__printf(1, 2) void printk(const char *fmt, ...);
void vprintk(const char *fmt, va_list ap);

/* Formats the Linux-style timestamp prefix "[%5lu.%06lu] " for ns. */
int printk_format_time(char *buf, size_t size, u64 ns);

#endif
