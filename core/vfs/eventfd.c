/*
 * eventfd: a 64-bit counter as a file. A write adds to it (blocking
 * while the sum would pass 0xfffffffffffffffe), a read takes all of it
 * (or 1 with EFD_SEMAPHORE), blocking while it is 0. Readable while it
 * is not 0, writable while 1 more fits. Blocking waits are poll waits.
 */
#include <syscalls.h>
#include <abi/poll.h>
#include <kevlar/errno.h>
#include <kevlar/mm.h>
#include <kevlar/signal.h>
#include "vfs_internal.h"

#define EFD_MAX       0xfffffffffffffffeUL

struct eventfd {
	u64 count;
	u64 events;                /* for poll_notify() */
	bool semaphore;
};

static ssize_t eventfd_read(struct file *f, struct uio *u, u64 *pos)
{
	struct eventfd *e = f->private;

	if (u->len < sizeof(u64))
		return -EINVAL;
	for (;;) {
		u64 seen = poll_generation();
		if (e->count)
			break;
		if (f->flags & O_NONBLOCK)
			return -EAGAIN;
		if (poll_sleep(seen, 0))
			return -ERESTARTSYS;
	}
	u64 v = e->semaphore ? 1 : e->count;
	if (uio_to(u, 0, &v, sizeof(v)))
		return -EFAULT;
	e->count -= v;
	poll_notify(&e->events);
	return sizeof(v);
}

static ssize_t eventfd_write(struct file *f, struct uio *u, u64 *pos)
{
	struct eventfd *e = f->private;
	u64 v;

	if (u->len < sizeof(v))
		return -EINVAL;
	if (uio_from(u, 0, &v, sizeof(v)))
		return -EFAULT;
	if (v == ~0UL)
		return -EINVAL;
	for (;;) {
		u64 seen = poll_generation();
		if (EFD_MAX - e->count >= v)
			break;
		if (f->flags & O_NONBLOCK)
			return -EAGAIN;
		if (poll_sleep(seen, 0))
			return -ERESTARTSYS;
	}
	e->count += v;
	if (v)
		poll_notify(&e->events);
	return sizeof(v);
}

static unsigned eventfd_poll(struct file *f, u64 *events)
{
	struct eventfd *e = f->private;
	unsigned mask = 0;

	*events = e->events;
	if (e->count)
		mask |= POLLIN | POLLRDNORM;
	if (e->count < EFD_MAX)
		mask |= POLLOUT | POLLWRNORM;
	return mask;
}

static void eventfd_release(struct file *f)
{
	kfree(f->private);
}

static const struct file_ops eventfd_ops = {
	.read = eventfd_read,
	.write = eventfd_write,
	.poll = eventfd_poll,
	.release = eventfd_release,
};

int sys_eventfd2(u32 initval, int flags)
{
	if (flags & ~(EFD_SEMAPHORE | EFD_CLOEXEC | EFD_NONBLOCK))
		return -EINVAL;
	struct eventfd *e = kzalloc(sizeof(*e));
	if (!e)
		return -ENOMEM;
	e->count = initval;
	e->semaphore = flags & EFD_SEMAPHORE;
	struct file *f = anon_file_create("[eventfd]", O_RDWR | (flags & EFD_NONBLOCK),
					  &eventfd_ops, e);
	if (!f) {
		kfree(e);
		return -ENOMEM;
	}
	int fd = fd_install(f, flags & EFD_CLOEXEC);
	if (fd < 0)
		file_put(f);
	return fd;
}

int sys_eventfd(u32 initval)
{
	return sys_eventfd2(initval, 0);
}
