/* Host stand-ins for the platform services that units under test need. */
#ifndef KEVLAR_TEST_HOST_H
#define KEVLAR_TEST_HOST_H

#include <setjmp.h>
#include <stdbool.h>
#include <stddef.h>

/* Everything printk() wrote since the last host_log_clear(). */
const char *host_log(void);
void host_log_clear(void);

/*
 * Runs 'stmt' and reports whether it called kpanic(). The panic message
 * is kept in host_panic_message().
 */
extern jmp_buf *host_panic_jmp;
const char *host_panic_message(void);
#define HOST_PANICS(stmt)                                                   \
	({                                                                  \
		jmp_buf _jb;                                                \
		bool _panicked = false;                                     \
		host_panic_jmp = &_jb;                                      \
		if (setjmp(_jb) == 0) {                                     \
			stmt;                                               \
		} else {                                                    \
			_panicked = true;                                   \
		}                                                           \
		host_panic_jmp = NULL;                                      \
		_panicked;                                                  \
	})

/*
 * Sets up kernel_zone over 64 MiB of host memory (once per process), so
 * that kpage_alloc() and kmalloc() work on the host.
 */
void host_heap_init(void);

#endif
