/*
 * Readiness and waiting for it: poll(2) and ppoll(2), and what select
 * and epoll share with them. Each kind of file says what it is ready for
 * (file_ops.poll: pipes, the terminal, eventfd, epoll); a file without
 * one is always ready to read and write, as regular files and the memory
 * devices are.
 *
 * Waiting. Whatever changes a file's readiness calls poll_notify(), which
 * moves one generation counter and wakes every waiter on one wait queue;
 * a waiter reads the generation, looks at its files, and sleeps in
 * poll_sleep() only if the generation has not moved since, so a change
 * that comes in between (even from the serial interrupt) is never lost.
 * One queue for all is a thundering herd, harmless with one CPU and a
 * handful of tasks; every such sleep is in poll_sleep(), which a signal
 * ends with -ERESTARTNOHAND.
 */
#include <syscalls.h>
#include <abi/resource.h>
#include <kevlar/abi.h>
#include <kevlar/errno.h>
#include <kevlar/irq.h>
#include <kevlar/mm.h>
#include <kevlar/signal.h>
#include <kevlar/time.h>
#include <kevlar/uaccess.h>
#include "vfs_internal.h"

static struct wait_queue poll_waiters = WAIT_QUEUE_INIT(poll_waiters);
static u64 generation;

unsigned file_poll(struct file *f, u64 *events)
{
	u64 dummy;
	if (!events)
		events = &dummy;
	*events = 0;
	if (f->ops && f->ops->poll)
		return f->ops->poll(f, events);
	return POLLIN | POLLRDNORM | POLLOUT | POLLWRNORM;
}

void poll_notify(u64 *events)
{
	u64 flags = irq_save();
	if (events)
		(*events)++;
	generation++;
	irq_restore(flags);
	wait_queue_wake_all(&poll_waiters);
}

u64 poll_generation(void)
{
	u64 flags = irq_save();
	u64 g = generation;
	irq_restore(flags);
	return g;
}

int poll_sleep(u64 seen, u64 deadline_ns)
{
	u64 flags = irq_save();
	int rc = 0;

	if (deadline_ns && clock_monotonic_ns() >= deadline_ns)
		rc = -ETIMEDOUT;
	else if (generation == seen)
		rc = sched_sleep_intr(&poll_waiters, deadline_ns);
	irq_restore(flags);
	return rc == -EINTR ? -ERESTARTNOHAND : rc;
}

u64 poll_deadline_after(u64 ns)
{
	u64 now = clock_monotonic_ns(), d;
	if (__builtin_add_overflow(now, ns, &d))
		return ~0UL;
	return d;
}

/* struct timespec in user memory -> nanoseconds: 0 or -EFAULT, -EINVAL. */
static int get_timespec(uptr_t uts, u64 *ns)
{
	struct timespec ts;
	if (copy_from_user(&ts, uts, sizeof(ts)))
		return -EFAULT;
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= (s64)NSEC_PER_SEC)
		return -EINVAL;
	if ((u64)ts.tv_sec >= ~0UL / NSEC_PER_SEC)
		*ns = ~0UL;
	else
		*ns = (u64)ts.tv_sec * NSEC_PER_SEC + (u64)ts.tv_nsec;
	return 0;
}

int poll_get_timeout(uptr_t uts, struct poll_timeout *t)
{
	u64 ns = 0;

	t->deadline = 0;
	t->nowait = false;
	t->timed = false;
	if (!uts)
		return 0;
	int rc = get_timespec(uts, &ns);
	if (rc)
		return rc;
	t->nowait = !ns;
	t->timed = ns != 0;
	t->deadline = ns ? poll_deadline_after(ns) : 0;
	return 0;
}

void poll_put_remaining(uptr_t uts, u64 deadline_ns, bool timeval)
{
	u64 now = clock_monotonic_ns();
	u64 left = deadline_ns > now ? deadline_ns - now : 0;

	if (timeval) {
		struct timeval tv = { (s64)(left / NSEC_PER_SEC), (s64)(left % NSEC_PER_SEC / 1000) };
		copy_to_user(uts, &tv, sizeof(tv));
	} else {
		struct timespec ts = { (s64)(left / NSEC_PER_SEC), (s64)(left % NSEC_PER_SEC) };
		copy_to_user(uts, &ts, sizeof(ts));
	}
}

int poll_sigmask_set(uptr_t umask, size_t size, u64 *saved, bool *changed)
{
	struct task *t = current_task();
	u64 mask;

	*changed = false;
	if (!umask)
		return 0;
	if (size != sizeof(mask))
		return -EINVAL;
	if (copy_from_user(&mask, umask, sizeof(mask)))
		return -EFAULT;
	*saved = t->sigmask;
	t->sigmask = mask & ~SIG_UNBLOCKABLE;
	*changed = true;
	return 0;
}

void poll_sigmask_restore(u64 saved, bool changed, int rc)
{
	struct task *t = current_task();

	if (!changed)
		return;
	if (rc == -ERESTARTNOHAND || rc == -EINTR) {
		/* The signal is taken under the wait's mask; the old one comes
		 * back after its handler is set up (as sigsuspend). */
		t->saved_sigmask = saved;
		t->restore_sigmask = true;
	} else {
		t->sigmask = saved;
	}
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
			unsigned mask = file_poll(f, NULL);
			fds[i].revents = (s16)(mask & ((u16)fds[i].events | POLLERR | POLLHUP));
			file_put(f);
		}
		if (fds[i].revents)
			ready++;
	}
	return ready;
}

struct poll_scan {
	struct pollfd *fds;
	u32 nfds;
};

static int scan_fds(void *arg)
{
	struct poll_scan *ps = arg;
	return scan(ps->fds, ps->nfds);
}

int poll_wait(int (*scan)(void *arg), void *arg, bool nowait, u64 deadline)
{
	bool timed_out = nowait;
	for (;;) {
		u64 seen = poll_generation();
		int rc = scan(arg);
		if (rc || timed_out)
			return rc;
		int slept = poll_sleep(seen, deadline);
		if (slept == -ETIMEDOUT)
			timed_out = true;
		else if (slept)
			return slept;
	}
}

/*
 * poll and ppoll: 'forever' or a deadline; 'nowait' for a zero timeout.
 * Returns how many entries have events, or -errno.
 */
static int do_poll(uptr_t ufds, u32 nfds, bool nowait, u64 deadline)
{
	if (nfds > task_rlimit(current_task(), RLIMIT_NOFILE))
		return -EINVAL;
	struct pollfd *fds = kmalloc(nfds ? nfds * sizeof(*fds) : 1);
	if (!fds)
		return -ENOMEM;
	int rc;
	if (copy_from_user(fds, ufds, nfds * sizeof(*fds))) {
		rc = -EFAULT;
		goto out;
	}
	struct poll_scan ps = { fds, nfds };
	rc = poll_wait(scan_fds, &ps, nowait, deadline);
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

int sys_poll(uptr_t ufds, u32 nfds, int timeout)
{
	u64 deadline = timeout > 0 ? poll_deadline_after((u64)timeout * 1000000) : 0;
	return do_poll(ufds, nfds, timeout == 0, deadline);
}

int sys_ppoll(uptr_t ufds, u32 nfds, uptr_t utmo, uptr_t usigmask, size_t sigsetsize)
{
	struct poll_timeout t;
	u64 saved = 0;
	bool changed;

	int rc = poll_get_timeout(utmo, &t);
	if (rc)
		return rc;
	rc = poll_sigmask_set(usigmask, sigsetsize, &saved, &changed);
	if (rc)
		return rc;
	rc = do_poll(ufds, nfds, t.nowait, t.deadline);
	poll_sigmask_restore(saved, changed, rc);
	if (t.timed)
		poll_put_remaining(utmo, t.deadline, false);
	return rc;
}
