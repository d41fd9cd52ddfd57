/*
 * epoll: a set of (open file description, descriptor) pairs to watch,
 * itself an open file. An entry names the description, not the
 * descriptor: closing one descriptor of a dup()ed description leaves the
 * entry, and the entry goes when the description's last reference does
 * (epoll_file_gone), as in Linux.
 *
 * epoll_wait looks at every entry's readiness each time it wakes (see
 * poll.c for the waiting). Level-triggered entries are reported while
 * ready; an EPOLLET entry when it is first added or modified, then only
 * after its file's event count moved (new data, a closed end) while
 * ready; an EPOLLONESHOT entry once, then not until EPOLL_CTL_MOD arms it
 * again. Reported entries move to the end of the set, so that a small
 * maxevents still sees every ready entry in turn.
 */
#include <syscalls.h>
#include <abi/poll.h>
#include <kevlar/errno.h>
#include <kevlar/mm.h>
#include <kevlar/mmu.h>
#include <kevlar/signal.h>
#include <kevlar/uaccess.h>
#include "vfs_internal.h"

#define EPOLL_FLAGS      (EPOLLEXCLUSIVE | EPOLLWAKEUP | EPOLLONESHOT | EPOLLET)
#define EP_MAX_EVENTS    (0x7fffffff / 12)
#define EP_MAX_NESTS     4

/* struct epoll_event: packed on x86_64. */
struct epoll_event {
	u32 events;
	u64 data;
} __attribute__((packed));
_Static_assert(sizeof(struct epoll_event) == 12, "epoll_event");

struct eventpoll {
	struct list items;         /* of struct epitem, via node */
	u64 events;                /* moves when an entry is added or modified */
};

struct epitem {
	struct list node;          /* in the set */
	struct list file_link;     /* in file->epoll_links */
	struct eventpoll *ep;
	struct file *file;         /* not referenced: the entry goes with it */
	int fd;
	u32 events;                /* what to report, with EPOLLET, EPOLLONESHOT */
	u64 data;
	u64 seen;                  /* the file's event count when last reported */
	bool fresh;                /* added or modified, not reported since */
	bool disarmed;             /* a one-shot entry that fired */
};

static const struct file_ops epoll_ops;

static bool is_epoll(struct file *f)
{
	return f->ops == &epoll_ops;
}

static void epitem_free(struct epitem *epi)
{
	list_del(&epi->node);
	list_del(&epi->file_link);
	kfree(epi);
}

void epoll_file_gone(struct file *f)
{
	list_for_each_safe(pos, tmp, &f->epoll_links) {
		struct epitem *epi = list_entry(pos, struct epitem, file_link);
		epi->ep->events++;
		epitem_free(epi);
	}
	poll_notify(NULL);
}

/*
 * What epi would report now (0: nothing). 'depth' bounds the look into
 * nested epoll sets.
 */
static unsigned epitem_ready(struct epitem *epi, u64 *count, unsigned depth);

static unsigned ep_scan_ready(struct eventpoll *ep, u64 *events, unsigned depth)
{
	unsigned any = 0;
	u64 sum = ep->events;

	list_for_each(pos, &ep->items) {
		struct epitem *epi = list_entry(pos, struct epitem, node);
		u64 count;
		if (epitem_ready(epi, &count, depth + 1))
			any = POLLIN | POLLRDNORM;
		sum += count;
	}
	if (events)
		*events = sum;
	return any;
}

static unsigned epoll_poll_depth(struct file *f, u64 *events, unsigned depth)
{
	if (depth > EP_MAX_NESTS) {
		*events = 0;
		return 0;
	}
	return ep_scan_ready(f->private, events, depth);
}

static unsigned epitem_ready(struct epitem *epi, u64 *count, unsigned depth)
{
	unsigned mask;

	*count = 0;
	if (epi->disarmed)
		return 0;
	if (is_epoll(epi->file))
		mask = epoll_poll_depth(epi->file, count, depth);
	else
		mask = file_poll(epi->file, count);
	mask &= (epi->events & ~EPOLL_FLAGS) | POLLERR | POLLHUP;
	if (!mask)
		return 0;
	if ((epi->events & EPOLLET) && !epi->fresh && *count == epi->seen)
		return 0;
	return mask;
}

static unsigned epoll_poll(struct file *f, u64 *events)
{
	return epoll_poll_depth(f, events, 0);
}

static void epoll_release(struct file *f)
{
	struct eventpoll *ep = f->private;
	while (!list_empty(&ep->items))
		epitem_free(list_entry(ep->items.next, struct epitem, node));
	kfree(ep);
	poll_notify(NULL);
}

static const struct file_ops epoll_ops = {
	.poll = epoll_poll,
	.release = epoll_release,
};

static int epoll_new(int flags)
{
	struct eventpoll *ep = kzalloc(sizeof(*ep));
	if (!ep)
		return -ENOMEM;
	list_init(&ep->items);
	struct file *f = anon_file_create("[eventpoll]", O_RDWR, &epoll_ops, ep);
	if (!f) {
		kfree(ep);
		return -ENOMEM;
	}
	int fd = fd_install(f, flags & EPOLL_CLOEXEC);
	if (fd < 0)
		file_put(f);
	return fd;
}

int sys_epoll_create(int size)
{
	if (size <= 0)
		return -EINVAL;
	return epoll_new(0);
}

int sys_epoll_create1(int flags)
{
	if (flags & ~EPOLL_CLOEXEC)
		return -EINVAL;
	return epoll_new(flags);
}

static struct epitem *ep_find(struct eventpoll *ep, struct file *f, int fd)
{
	list_for_each(pos, &ep->items) {
		struct epitem *epi = list_entry(pos, struct epitem, node);
		if (epi->file == f && epi->fd == fd)
			return epi;
	}
	return NULL;
}

/* Would watching 'target' from 'ep' make a cycle, or nest too deep? */
static bool ep_creates_loop(struct eventpoll *ep, struct file *target, unsigned depth)
{
	if (!is_epoll(target))
		return false;
	if (target->private == ep || depth >= EP_MAX_NESTS)
		return true;
	struct eventpoll *inner = target->private;
	list_for_each(pos, &inner->items) {
		struct epitem *epi = list_entry(pos, struct epitem, node);
		if (ep_creates_loop(ep, epi->file, depth + 1))
			return true;
	}
	return false;
}

static int ep_insert(struct eventpoll *ep, struct file *f, int fd, struct epoll_event *ev)
{
	if (ep_creates_loop(ep, f, 0))
		return -ELOOP;
	struct epitem *epi = kzalloc(sizeof(*epi));
	if (!epi)
		return -ENOMEM;
	epi->ep = ep;
	epi->file = f;
	epi->fd = fd;
	epi->events = ev->events;
	epi->data = ev->data;
	epi->fresh = true;
	list_add_tail(&ep->items, &epi->node);
	list_add_tail(&f->epoll_links, &epi->file_link);
	return 0;
}

int sys_epoll_ctl(int epfd, int op, int fd, uptr_t uevent)
{
	struct epoll_event ev = { 0, 0 };

	if (op != EPOLL_CTL_DEL && copy_from_user(&ev, uevent, sizeof(ev)))
		return -EFAULT;
	struct file *epf = fd_get(epfd);
	if (!epf)
		return -EBADF;
	struct file *f = fd_get(fd);
	int rc;
	if (!f) {
		rc = -EBADF;
		goto out_ep;
	}
	if (!f->ops || !f->ops->poll) {
		rc = -EPERM;
		goto out;
	}
	if (!is_epoll(epf) || f == epf) {
		rc = -EINVAL;
		goto out;
	}
	if ((ev.events & EPOLLEXCLUSIVE) &&
	    (op == EPOLL_CTL_MOD || is_epoll(f) ||
	     (op == EPOLL_CTL_ADD && (ev.events & ~(EPOLLEXCLUSIVE | EPOLLET | EPOLLWAKEUP |
						     POLLIN | POLLOUT | POLLERR | POLLHUP))))) {
		rc = -EINVAL;
		goto out;
	}
	struct eventpoll *ep = epf->private;
	struct epitem *epi = ep_find(ep, f, fd);
	switch (op) {
	case EPOLL_CTL_ADD:
		rc = epi ? -EEXIST : ep_insert(ep, f, fd, &ev);
		break;
	case EPOLL_CTL_DEL:
		if (epi)
			epitem_free(epi);
		rc = epi ? 0 : -ENOENT;
		break;
	case EPOLL_CTL_MOD:
		if (!epi) {
			rc = -ENOENT;
			break;
		}
		if (epi->events & EPOLLEXCLUSIVE) {
			rc = -EINVAL;
			break;
		}
		epi->events = ev.events;
		epi->data = ev.data;
		epi->fresh = true;
		epi->disarmed = false;
		rc = 0;
		break;
	default:
		rc = -EINVAL;
	}
	if (!rc)
		poll_notify(&ep->events);
out:
	file_put(f);
out_ep:
	file_put(epf);
	return rc;
}

/* Collects up to max ready entries into out[]: how many. */
static int ep_collect(struct eventpoll *ep, struct epoll_event *out, int max)
{
	struct list reported = LIST_INIT(reported);
	int n = 0;

	list_for_each_safe(pos, tmp, &ep->items) {
		if (n == max)
			break;
		struct epitem *epi = list_entry(pos, struct epitem, node);
		u64 count;
		unsigned mask = epitem_ready(epi, &count, 0);
		if (!mask)
			continue;
		out[n].events = mask;
		out[n].data = epi->data;
		n++;
		epi->seen = count;
		epi->fresh = false;
		if (epi->events & EPOLLONESHOT)
			epi->disarmed = true;
		list_del(&epi->node);
		list_add_tail(&reported, &epi->node);
	}
	while (!list_empty(&reported)) {
		struct list *node = reported.next;
		list_del(node);
		list_add_tail(&ep->items, node);
	}
	return n;
}

struct ep_scan {
	struct eventpoll *ep;
	struct epoll_event *out;
	int cap;
};

static int scan_ready(void *arg)
{
	struct ep_scan *es = arg;
	return ep_collect(es->ep, es->out, es->cap);
}

static int do_epoll_wait(int epfd, uptr_t uevents, int max, bool nowait, u64 deadline)
{
	if (max <= 0 || max > EP_MAX_EVENTS)
		return -EINVAL;
	if (!access_ok(uevents, (size_t)max * sizeof(struct epoll_event)))
		return -EFAULT;
	struct file *epf = fd_get(epfd);
	if (!epf)
		return -EBADF;
	int rc;
	if (!is_epoll(epf)) {
		rc = -EINVAL;
		goto out;
	}
	size_t cap = MIN((size_t)max, (size_t)1024);
	struct epoll_event *out = kmalloc(cap * sizeof(*out));
	if (!out) {
		rc = -ENOMEM;
		goto out;
	}
	struct ep_scan es = { epf->private, out, (int)cap };
	rc = poll_wait(scan_ready, &es, nowait, deadline);
	if (rc == -ERESTARTNOHAND)
		rc = -EINTR;   /* epoll_wait is never restarted */
	if (rc > 0 && copy_to_user(uevents, out, (size_t)rc * sizeof(*out)))
		rc = -EFAULT;
	kfree(out);
out:
	file_put(epf);
	return rc;
}

int sys_epoll_wait(int epfd, uptr_t events, int maxevents, int timeout)
{
	u64 deadline = timeout > 0 ? poll_deadline_after((u64)timeout * 1000000) : 0;
	return do_epoll_wait(epfd, events, maxevents, timeout == 0, deadline);
}

int sys_epoll_pwait(int epfd, uptr_t events, int maxevents, int timeout, uptr_t usigmask,
		    size_t sigsetsize)
{
	u64 deadline = timeout > 0 ? poll_deadline_after((u64)timeout * 1000000) : 0;
	u64 saved = 0;
	bool changed;
	int rc = poll_sigmask_set(usigmask, sigsetsize, &saved, &changed);
	if (rc)
		return rc;
	rc = do_epoll_wait(epfd, events, maxevents, timeout == 0, deadline);
	poll_sigmask_restore(saved, changed, rc);
	return rc;
}

int sys_epoll_pwait2(int epfd, uptr_t events, int maxevents, uptr_t utmo, uptr_t usigmask,
		     size_t sigsetsize)
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
	rc = do_epoll_wait(epfd, events, maxevents, t.nowait, t.deadline);
	poll_sigmask_restore(saved, changed, rc);
	return rc;
}
