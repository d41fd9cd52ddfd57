/*
 * The console terminal: the serial line with Linux's line discipline
 * (canonical and raw modes, echo, erase and kill, signals from VINTR,
 * VQUIT and VSUSP), termios, the window size, and job control (a
 * controlling session and its foreground process group).
 */
#ifndef KEVLAR_TTY_H
#define KEVLAR_TTY_H

#include <kevlar/task.h>
#include <kevlar/types.h>

void tty_console_init(void);
/* Reads as the terminal's mode says (a line in canonical mode, VMIN and
 * VTIME otherwise) into user memory. Returns the count, 0 at end-of-file,
 * -EAGAIN (nonblock), -EFAULT, -EIO or -ERESTARTSYS (job control, a
 * signal). */
ssize_t tty_console_read(uptr_t ubuf, size_t n, bool nonblock);
/* Writes n bytes from user memory to the console. */
ssize_t tty_console_write(uptr_t ubuf, size_t n);
/* The terminal ioctls (termios, window size, process groups). */
long tty_console_ioctl(unsigned cmd, uptr_t arg);
/* Would a read return now (a line, end-of-file, or in raw mode a byte,
 * is waiting)? *events (may be NULL) moves whenever that may have
 * changed (poll_notify). */
bool tty_console_input_ready(u64 *events);
/* Opening the console: as /dev/tty (the caller's controlling terminal:
 * -ENXIO without one), as a terminal line (/dev/ttyN: a session leader
 * without a controlling terminal gets it, unless O_NOCTTY), or as
 * /dev/console (nothing more). Returns 0 or -errno. */
enum tty_open { TTY_OPEN_CTTY, TTY_OPEN_LINE };
int tty_console_open(enum tty_open how, int flags);
/* Makes the console the controlling terminal of session sid, with pgrp
 * in the foreground (the kernel does this for init). */
void tty_console_set_session(pid_t sid, pid_t pgrp);

#endif
