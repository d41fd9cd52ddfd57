/*
 * Pipes: a 64 KiB ring buffer between a read end and a write end, each
 * an open file description of one anonymous pipefs inode. Readers sleep
 * while it is empty and writers remain, writers while it is full and
 * readers remain; a write of at most PIPE_BUF bytes is never interleaved
 * with another. Writing with no reader left sends SIGPIPE and fails with
 * EPIPE. A signal interrupts a sleeping reader or writer.
 */
#include <syscalls.h>
#include <abi/ioctl.h>
#include <kevlar/errno.h>
#include <kevlar/mm.h>
#include <kevlar/printk.h>
#include <kevlar/signal.h>
#include <kevlar/uaccess.h>
#include "vfs_internal.h"

#define PIPE_ORDER 4               /* 2^4 pages = PIPE_SIZE */

_Static_assert((PAGE_SIZE << PIPE_ORDER) == PIPE_SIZE, "pipe buffer order");

struct pipe {
	u8 *buf;
	u32 head;                  /* where the next read starts */
	u32 len;                   /* bytes buffered */
	u32 readers, writers;      /* open ends */
	struct wait_queue readable;    /* readers wait for data or no writers */
	struct wait_queue writable;    /* writers wait for room or no readers */
	u64 rd_events, wr_events;      /* poll_notify() counts, per end */
};

struct super_block *pipe_sb;

static ssize_t pipe_read(struct file *f, struct uio *u, u64 *pos)
{
	struct pipe *p = f->inode->pipe;

	if (!u->len)
		return 0;
	while (!p->len) {
		if (!p->writers)
			return 0;
		if (f->flags & O_NONBLOCK)
			return -EAGAIN;
		if (signal_pending(current_task()))
			return -ERESTARTSYS;
		sched_sleep_intr(&p->readable, 0);
	}
	size_t n = MIN(u->len, (size_t)p->len);
	size_t first = MIN(n, (size_t)(PIPE_SIZE - p->head));
	if (uio_to(u, 0, p->buf + p->head, first) ||
	    (n > first && uio_to(u, first, p->buf, n - first)))
		return -EFAULT;
	p->head = (u32)((p->head + n) % PIPE_SIZE);
	p->len -= (u32)n;
	wait_queue_wake_all(&p->writable);
	poll_notify(&p->wr_events);
	return (ssize_t)n;
}

static ssize_t pipe_write(struct file *f, struct uio *u, u64 *pos)
{
	struct pipe *p = f->inode->pipe;
	size_t done = 0;
	bool atomic = u->len <= PIPE_BUF;

	while (done < u->len) {
		if (!p->readers) {
			signal_send_user(current_task(), SIGPIPE);
			return done ? (ssize_t)done : -EPIPE;
		}
		size_t room = PIPE_SIZE - p->len;
		if (!room || (atomic && room < u->len)) {
			if (f->flags & O_NONBLOCK)
				return done ? (ssize_t)done : -EAGAIN;
			if (signal_pending(current_task()))
				return done ? (ssize_t)done : -ERESTARTSYS;
			sched_sleep_intr(&p->writable, 0);
			continue;
		}
		size_t n = MIN(room, u->len - done);
		size_t tail = (p->head + p->len) % PIPE_SIZE;
		size_t first = MIN(n, PIPE_SIZE - tail);
		if (uio_from(u, done, p->buf + tail, first) ||
		    (n > first && uio_from(u, done + first, p->buf, n - first)))
			return done ? (ssize_t)done : -EFAULT;
		p->len += (u32)n;
		done += n;
		wait_queue_wake_all(&p->readable);
		poll_notify(&p->rd_events);
	}
	return (ssize_t)done;
}

static long pipe_ioctl(struct file *f, unsigned cmd, uptr_t arg)
{
	if (cmd != FIONREAD)
		return -ENOTTY;
	int n = (int)f->inode->pipe->len;
	return copy_to_user(arg, &n, sizeof(n));
}

static unsigned pipe_poll_read(struct file *f, u64 *events)
{
	struct pipe *p = f->inode->pipe;
	*events = p->rd_events;
	unsigned mask = p->len ? POLLIN | POLLRDNORM : 0;
	return mask | (p->writers ? 0 : POLLHUP);
}

static unsigned pipe_poll_write(struct file *f, u64 *events)
{
	struct pipe *p = f->inode->pipe;
	*events = p->wr_events;
	unsigned mask = PIPE_SIZE - p->len >= PIPE_BUF ? POLLOUT | POLLWRNORM : 0;
	return mask | (p->readers ? 0 : POLLERR);
}

static void pipe_free_if_done(struct pipe *p, struct inode *inode)
{
	if (p->readers || p->writers)
		return;
	kpage_free(p->buf, PIPE_ORDER);
	kfree(p);
	inode->pipe = NULL;
}

static void pipe_release_read(struct file *f)
{
	struct pipe *p = f->inode->pipe;
	p->readers--;
	wait_queue_wake_all(&p->writable);
	poll_notify(&p->wr_events);
	pipe_free_if_done(p, f->inode);
}

static void pipe_release_write(struct file *f)
{
	struct pipe *p = f->inode->pipe;
	p->writers--;
	wait_queue_wake_all(&p->readable);
	poll_notify(&p->rd_events);
	pipe_free_if_done(p, f->inode);
}

static const struct file_ops pipe_read_ops = {
	.read = pipe_read,
	.ioctl = pipe_ioctl,
	.poll = pipe_poll_read,
	.release = pipe_release_read,
};

static const struct file_ops pipe_write_ops = {
	.write = pipe_write,
	.ioctl = pipe_ioctl,
	.poll = pipe_poll_write,
	.release = pipe_release_write,
};

int pipe_create(struct file **rd, struct file **wr, int flags)
{
	struct pipe *p = kzalloc(sizeof(*p));
	u8 *buf = kpage_alloc(PIPE_ORDER);
	struct inode *inode = p && buf ? inode_alloc(pipe_sb, S_IFIFO | 0600, 0) : NULL;
	if (!inode) {
		kfree(p);
		if (buf)
			kpage_free(buf, PIPE_ORDER);
		return -ENOMEM;
	}
	char name[32];
	ksnprintf(name, sizeof(name), "pipe:[%lu]", inode->ino);
	struct dentry *d = d_alloc_anon(inode, name);
	if (!d) {
		inode_put(inode_get(inode));
		kfree(p);
		kpage_free(buf, PIPE_ORDER);
		return -ENOMEM;
	}
	p->buf = buf;
	list_init(&p->readable.waiters);
	list_init(&p->writable.waiters);
	inode->pipe = p;
	dget(d);   /* ours until both ends hold it */
	int status = flags & O_NONBLOCK;
	*rd = file_alloc(d, inode, O_RDONLY | status, &pipe_read_ops);
	*wr = *rd ? file_alloc(d, inode, O_WRONLY | status, &pipe_write_ops) : NULL;
	if (!*wr) {
		if (*rd) {
			(*rd)->ops = NULL;   /* never opened as a pipe end */
			file_put(*rd);
		}
		inode->pipe = NULL;
		kfree(p);
		kpage_free(buf, PIPE_ORDER);
		dput(d);
		return -ENOMEM;
	}
	p->readers = p->writers = 1;
	dput(d);
	return 0;
}

static int do_pipe(uptr_t ufds, int flags)
{
	struct file *rd, *wr;

	if (flags & ~(O_CLOEXEC | O_NONBLOCK | O_DIRECT))
		return -EINVAL;
	int rc = pipe_create(&rd, &wr, flags);
	if (rc)
		return rc;
	bool cloexec = flags & O_CLOEXEC;
	int fds[2];
	fds[0] = fd_install(rd, cloexec);
	if (fds[0] < 0) {
		file_put(rd);
		file_put(wr);
		return fds[0];
	}
	fds[1] = fd_install(wr, cloexec);
	if (fds[1] < 0) {
		fd_close(fds[0]);
		file_put(wr);
		return fds[1];
	}
	if (copy_to_user(ufds, fds, sizeof(fds))) {
		fd_close(fds[0]);
		fd_close(fds[1]);
		return -EFAULT;
	}
	return 0;
}

int sys_pipe(uptr_t fds)
{
	return do_pipe(fds, 0);
}

int sys_pipe2(uptr_t fds, int flags)
{
	return do_pipe(fds, flags);
}
