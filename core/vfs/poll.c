/*
 * poll(2). Each kind of file says what it is ready for (file_ops.poll;
 * without one, a file is always ready to read and write, as regular files
 * are). A poller with nothing ready sleeps on one wait queue that every
 * change of a pipe's state wakes, and looks again; the terminal reports
 * itself always ready, its read() being where a reader waits.
 */
#include <syscalls.h>
#include <kevlar/abi.h>
#include <kevlar/errno.h>
#include <kevlar/mm.h>
#include <kevlar/signal.h>
#include <kevlar/time.h>
#include <kevlar/uaccess.h>
#include "vfs_internal.h"

#define RLIMIT_NOFILE 7

struct wait_queue vfs_poll_wait = WAIT_QUEUE_INIT(vfs_poll_wait);

unsigned file_poll(struct file *f)
{
	if (f->ops && f->ops->poll)
		return f->ops->poll(f);
	return POLLIN | POLLRDNORM | POLLOUT | POLLWRNORM;
}

/* Fills each revents; returns how many are non-zero. */
static int scan(struct pollfd *fds, u32 nfds)
{
	int ready = 0;
	for (u32 i = 0; i < nfds; i++) {
		fds[i].revents = 0;
		if (fds[i].fd < 0)
			continue;
		struct file *f = fd_get(fds[i].fd);
		if (!f) {
			fds[i].revents = POLLNVAL;
		} else {
			unsigned mask = file_poll(f);
			fds[i].revents = (s16)(mask & ((u16)fds[i].events | POLLERR | POLLHUP));
			file_put(f);
		}
		if (fds[i].revents)
			ready++;
	}
	return ready;
}

int sys_poll(uptr_t ufds, u32 nfds, int timeout)
{
	struct task *t = current_task();

	if (nfds > task_rlimit(t, RLIMIT_NOFILE))
		return -EINVAL;
	struct pollfd *fds = kmalloc(nfds ? nfds * sizeof(*fds) : 1);
	if (!fds)
		return -ENOMEM;
	int rc;
	if (copy_from_user(fds, ufds, nfds * sizeof(*fds))) {
		rc = -EFAULT;
		goto out;
	}
	u64 deadline = timeout > 0 ? clock_monotonic_ns() + (u64)timeout * 1000000 : 0;
	for (;;) {
		rc = scan(fds, nfds);
		if (rc || timeout == 0)
			break;
		if (deadline && clock_monotonic_ns() >= deadline)
			break;
		if (sched_sleep_intr(&vfs_poll_wait, deadline) == -EINTR) {
			rc = -ERESTARTNOHAND;
			goto out;
		}
	}
	for (u32 i = 0; i < nfds; i++) {
		if (copy_to_user(ufds + i * sizeof(*fds) + __builtin_offsetof(struct pollfd, revents),
				 &fds[i].revents, sizeof(fds[i].revents))) {
			rc = -EFAULT;
			break;
		}
	}
out:
	kfree(fds);
	return rc;
}
