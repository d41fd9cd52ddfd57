/* The kernel console (COM1). */
#ifndef KEVLAR_CONSOLE_H
#define KEVLAR_CONSOLE_H

#include <kevlar/types.h>

void serial_init(void);
void console_write(const char *s, size_t n);

#endif
