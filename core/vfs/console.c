/*
 * /dev/console, /dev/tty and /dev/ttyN: the console terminal of
 * core/tty as a file. Reads, writes, ioctls and readiness are its line
 * discipline's.
 */
#include <kevlar/console.h>
#include <kevlar/errno.h>
#include <kevlar/tty.h>
#include <kevlar/uaccess.h>
#include "vfs_internal.h"

static ssize_t console_read(struct file *f, struct uio *u, u64 *pos)
{
	if (u->kbuf)
		return -EINVAL;
	return tty_console_read(u->ubuf, u->len, f->flags & O_NONBLOCK);
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
	return tty_console_ioctl(cmd, arg);
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
