/*
 * The console terminal: the serial line with a line discipline. Today it
 * is canonical mode only (echo, erase, kill, end-of-file, CR to NL);
 * termios, raw mode and job-control signals come with the interactive
 * shell.
 */
#ifndef KEVLAR_TTY_H
#define KEVLAR_TTY_H

#include <kevlar/types.h>

void tty_console_init(void);
/* Blocks until a line (or end-of-file) is typed; copies at most n bytes
 * of it to user memory. Returns the count, 0 at end-of-file, -EFAULT. */
ssize_t tty_console_read(uptr_t ubuf, size_t n);
/* Would a read return now (a whole line, or end-of-file, is waiting)?
 * *events moves whenever that may have changed. */
bool tty_console_input_ready(u64 *events);
/* Writes n bytes from user memory to the console. */
ssize_t tty_console_write(uptr_t ubuf, size_t n);

#endif
