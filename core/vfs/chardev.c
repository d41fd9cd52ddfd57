/*
 * Character devices: a device number names its driver. The memory
 * devices (major 1) are devfs's, reached through the chardev interface
 * with a kernel bounce buffer; the terminals (major 4 and 5) are Core's
 * console (core/tty). Also here: the entropy interface devfs draws
 * random bytes from.
 */
#include <services.h>
#include <ifc/chardev.h>
#include <ifc/entropy.h>
#include <abi/major.h>
#include <kevlar/errno.h>
#include <kevlar/mm.h>
#include <kevlar/random.h>
#include <kevlar/string.h>
#include <kevlar/tty.h>
#include "vfs_internal.h"

#define BOUNCE_SIZE (16UL << 10)

static ssize_t mem_read(struct file *f, struct uio *u, u64 *pos)
{
	struct chardev_ref ref = { .svc = SVC_devfs, .inst = NULL };
	u32 dev = f->inode->rdev;
	size_t chunk = MIN(u->len, BOUNCE_SIZE), done = 0;

	if (!u->len)
		return 0;
	u8 *buf = kmalloc(chunk);
	if (!buf)
		return -ENOMEM;
	ssize_t rc = 0;
	while (done < u->len) {
		size_t want = MIN(chunk, u->len - done);
		ssize_t n = chardev_read(&ref, dev_major(dev), dev_minor(dev), buf, want);
		if (n < 0 || (size_t)n > want) {
			rc = n < 0 ? n : -EIO;
			break;
		}
		if (n && uio_to(u, done, buf, (size_t)n)) {
			rc = -EFAULT;
			break;
		}
		done += (size_t)n;
		if ((size_t)n < want)
			break;
	}
	kfree(buf);
	return done ? (ssize_t)done : rc;
}

static ssize_t mem_write(struct file *f, struct uio *u, u64 *pos)
{
	struct chardev_ref ref = { .svc = SVC_devfs, .inst = NULL };
	u32 dev = f->inode->rdev;
	size_t chunk = MIN(u->len, BOUNCE_SIZE), done = 0;

	if (!u->len)
		return 0;
	u8 *buf = kmalloc(chunk);
	if (!buf)
		return -ENOMEM;
	ssize_t rc = 0;
	while (done < u->len) {
		size_t want = MIN(chunk, u->len - done);
		if (uio_from(u, done, buf, want)) {
			rc = -EFAULT;
			break;
		}
		ssize_t n = chardev_write(&ref, dev_major(dev), dev_minor(dev), buf, want);
		if (n < 0 || (size_t)n > want) {
			rc = n < 0 ? n : -EIO;
			break;
		}
		done += (size_t)n;
		if ((size_t)n < want)
			break;
	}
	kfree(buf);
	return done ? (ssize_t)done : rc;
}

static const struct file_ops mem_ops = {
	.read = mem_read,
	.write = mem_write,
	.seekable = true,
};

int entropy_fill_impl(u8 *buf, size_t len)
{
	while (len) {
		u64 r = random_u64();
		size_t n = MIN(len, sizeof(r));
		memcpy(buf, &r, n);
		buf += n;
		len -= n;
	}
	return 0;
}

const struct file_ops *chardev_ops(u32 rdev)
{
	switch (dev_major(rdev)) {
	case MEM_MAJOR:
		return &mem_ops;
	case TTY_MAJOR:
		return dev_minor(rdev) < 64 ? &console_ops : NULL;
	case TTYAUX_MAJOR:
		return dev_minor(rdev) <= 1 ? &console_ops : NULL;
	default:
		return NULL;
	}
}

int chardev_open(u32 rdev, int flags)
{
	if (dev_major(rdev) == TTYAUX_MAJOR && dev_minor(rdev) == 0)
		return tty_console_open(TTY_OPEN_CTTY, flags);
	if (dev_major(rdev) == TTY_MAJOR)
		return tty_console_open(TTY_OPEN_LINE, flags);
	return 0;
}
