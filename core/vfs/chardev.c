/*
 * Character devices: a device number names its driver. The terminals
 * (major 4 and 5) are Core's console (core/tty). Any other major is a
 * service's, the one the IDL registers for it (`provides chardev major
 * 1;`: gen/<p>/registry.c's chardev_by_major), reached through the
 * chardev interface with a kernel bounce buffer, except where the device
 * says its bytes are all alike (null, zero, full): then no data passes
 * through it, and a read is a clear of the reader's buffer, a write reads
 * nothing. Also here: the entropy interface devfs draws random bytes
 * from.
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

/* The service that registered major 'major', or NO_SVC. */
static u16 major_provider(u32 major)
{
	for (unsigned i = 0; i < CHARDEV_BY_MAJOR_COUNT; i++)
		if (chardev_by_major[i].number == major)
			return chardev_by_major[i].svc;
	return NO_SVC;
}

/* A read of zero bytes: cleared a page at a time, so that a buffer
 * that goes bad part way gives the count before it, as on Linux. */
static ssize_t zeroes_to(struct uio *u, size_t n)
{
	size_t done = 0;

	while (done < n) {
		size_t step = MIN(n - done, PAGE_SIZE - ((u->ubuf + done) & (PAGE_SIZE - 1)));
		if (uio_zero(u, done, step))
			return done ? (ssize_t)done : -EFAULT;
		done += step;
	}
	return (ssize_t)done;
}

static ssize_t svc_chardev_read(struct file *f, struct uio *u, u64 *pos)
{
	u32 dev = f->inode->rdev;
	struct chardev_ref ref = { .svc = major_provider(dev_major(dev)), .inst = NULL };
	size_t chunk = MIN(u->len, BOUNCE_SIZE), done = 0;

	if (!u->len)
		return 0;
	ssize_t zeroes = chardev_read_zeroes(&ref, dev_major(dev), dev_minor(dev), u->len);
	if (zeroes >= 0)
		return (size_t)zeroes > u->len ? -EIO : zeroes_to(u, (size_t)zeroes);
	if (zeroes != -ENOSYS)
		return zeroes;
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

static ssize_t svc_chardev_write(struct file *f, struct uio *u, u64 *pos)
{
	u32 dev = f->inode->rdev;
	struct chardev_ref ref = { .svc = major_provider(dev_major(dev)), .inst = NULL };
	size_t chunk = MIN(u->len, BOUNCE_SIZE), done = 0;

	if (!u->len)
		return 0;
	ssize_t unread = chardev_write_unread(&ref, dev_major(dev), dev_minor(dev), u->len);
	if (unread != -ENOSYS)
		return (unread >= 0 && (size_t)unread > u->len) ? -EIO : unread;
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

static const struct file_ops svc_chardev_ops = {
	.read = svc_chardev_read,
	.write = svc_chardev_write,
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
	case TTY_MAJOR:
		return dev_minor(rdev) < 64 ? &console_ops : NULL;
	case TTYAUX_MAJOR:
		return dev_minor(rdev) <= 1 ? &console_ops : NULL;
	default:
		return major_provider(dev_major(rdev)) != NO_SVC ? &svc_chardev_ops : NULL;
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
