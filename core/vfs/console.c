/*
 * /dev/console, /dev/tty and /dev/ttyN: the console terminal of
 * core/tty as a file. Reads and writes go to its line discipline; the
 * terminal ioctls a shell asks first (TCGETS, TIOCGWINSZ, the foreground
 * process group) are answered here with what a serial console in
 * canonical mode looks like, so that programs know they talk to a
 * terminal. Settings are remembered and reported back, not yet applied:
 * raw mode and job control come with the interactive shell.
 */
#include <kevlar/console.h>
#include <kevlar/errno.h>
#include <kevlar/tty.h>
#include <kevlar/uaccess.h>
#include "vfs_internal.h"

#define TCGETS     0x5401
#define TCSETS     0x5402
#define TCSETSW    0x5403
#define TCSETSF    0x5404
#define TCSBRK     0x5409
#define TCXONC     0x540a
#define TCFLSH     0x540b
#define TIOCSCTTY  0x540e
#define TIOCGPGRP  0x540f
#define TIOCSPGRP  0x5410
#define TIOCOUTQ   0x5411
#define TIOCGWINSZ 0x5413
#define TIOCSWINSZ 0x5414
#define FIONREAD   0x541b
#define TIOCNOTTY  0x5422
#define TIOCGSID   0x5429

/* The kernel's struct termios (asm-generic/termbits.h), as TCGETS has it. */
struct ktermios {
	u32 c_iflag, c_oflag, c_cflag, c_lflag;
	u8 c_line;
	u8 c_cc[19];
};
_Static_assert(sizeof(struct ktermios) == 36, "struct termios");

struct winsize {
	u16 ws_row, ws_col, ws_xpixel, ws_ypixel;
};

/* Linux's defaults for a new terminal: ICRNL IXON; OPOST ONLCR; B38400
 * CS8 CREAD HUPCL; ISIG ICANON ECHO ECHOE ECHOK ECHOCTL ECHOKE IEXTEN. */
static struct ktermios termios = {
	.c_iflag = 0x0500,
	.c_oflag = 0x0005,
	.c_cflag = 0x04bf,
	.c_lflag = 0x8a3b,
	.c_cc = { 3, 28, 127, 21, 4, 0, 1, 0, 17, 19, 26, 0, 18, 15, 23, 22, 0 },
};
static struct winsize winsize = { 24, 80, 0, 0 };
static int foreground_pgrp;

static ssize_t console_read(struct file *f, struct uio *u, u64 *pos)
{
	if (u->kbuf)
		return -EINVAL;
	return tty_console_read(u->ubuf, u->len);
}

static ssize_t console_write(struct file *f, struct uio *u, u64 *pos)
{
	if (u->kbuf) {
		console_output(u->kbuf, u->len);
		return (ssize_t)u->len;
	}
	return tty_console_write(u->ubuf, u->len);
}

static long console_ioctl(struct file *f, unsigned cmd, uptr_t arg)
{
	struct task *t = current_task();
	int zero = 0;

	switch (cmd) {
	case TCGETS:
		return copy_to_user(arg, &termios, sizeof(termios));
	case TCSETS:
	case TCSETSW:
	case TCSETSF:
		return copy_from_user(&termios, arg, sizeof(termios));
	case TIOCGWINSZ:
		return copy_to_user(arg, &winsize, sizeof(winsize));
	case TIOCSWINSZ:
		return copy_from_user(&winsize, arg, sizeof(winsize));
	case TIOCGPGRP: {
		int pgrp = foreground_pgrp ? foreground_pgrp : (t ? t->pgid : 0);
		return copy_to_user(arg, &pgrp, sizeof(pgrp));
	}
	case TIOCSPGRP: {
		int pgrp;
		if (copy_from_user(&pgrp, arg, sizeof(pgrp)))
			return -EFAULT;
		if (pgrp < 0)
			return -EINVAL;
		foreground_pgrp = pgrp;
		return 0;
	}
	case TIOCGSID: {
		int sid = t ? t->sid : 0;
		return copy_to_user(arg, &sid, sizeof(sid));
	}
	case FIONREAD:
	case TIOCOUTQ:
		return copy_to_user(arg, &zero, sizeof(zero));
	case TIOCSCTTY:
	case TIOCNOTTY:
	case TCSBRK:
	case TCXONC:
	case TCFLSH:
		return 0;
	default:
		return -ENOTTY;
	}
}

/* Readable only when the line discipline has input for a reader; output
 * never waits. */
static unsigned console_poll(struct file *f, u64 *events)
{
	unsigned mask = POLLOUT | POLLWRNORM;
	if (tty_console_input_ready(events))
		mask |= POLLIN | POLLRDNORM;
	return mask;
}

const struct file_ops console_ops = {
	.read = console_read,
	.write = console_write,
	.ioctl = console_ioctl,
	.poll = console_poll,
	.seekable = false,
};
