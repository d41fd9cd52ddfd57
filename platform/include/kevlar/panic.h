/* Fatal errors. kpanic() never returns: it reports and resets the machine. */
#ifndef KEVLAR_PANIC_H
#define KEVLAR_PANIC_H

#include <kevlar/compiler.h>

__noreturn __printf(1, 2) void kpanic(const char *fmt, ...);

#define BUG() kpanic("BUG at %s:%d", __FILE__, __LINE__)
#define BUG_ON(cond)                                                        \
	do {                                                                \
		if (unlikely(cond))                                         \
			kpanic("BUG at %s:%d: %s", __FILE__, __LINE__, #cond); \
	} while (0)
#define KASSERT(cond)                                                       \
	do {                                                                \
		if (unlikely(!(cond)))                                      \
			kpanic("assertion failed at %s:%d: %s", __FILE__,    \
			       __LINE__, #cond);                             \
	} while (0)

#endif
