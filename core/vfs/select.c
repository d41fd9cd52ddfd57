/*
 * select(2) and pselect6(2): poll(2) over three bitmaps. As in Linux,
 * nfds is cut down to the size of the descriptor table (bits above it
 * are ignored), a set bit for a descriptor that is not open is -EBADF,
 * a descriptor counts once per set it is ready in, and select writes
 * the time left back into its timeval (pselect6 into its timespec),
 * except for a zero timeout.
 */
#include <syscalls.h>
#include <kevlar/abi.h>
#include <kevlar/errno.h>
#include <kevlar/mm.h>
#include <kevlar/string.h>
#include <kevlar/time.h>
#include <kevlar/uaccess.h>
#include "vfs_internal.h"

#define SELECT_IN  (POLLIN | POLLRDNORM | POLLRDBAND | POLLHUP | POLLERR)
#define SELECT_OUT (POLLOUT | POLLWRNORM | POLLWRBAND | POLLERR)
#define SELECT_EX  POLLPRI

/* The three sets the caller gave (in[3]) and the three it gets (out[3]),
 * one bit per descriptor, 'words' u64s each. */
struct fd_sets {
	u64 *in[3];
	u64 *out[3];
	size_t words;
	int n;                     /* descriptors 0 .. n-1 are looked at */
};

static bool bit(const u64 *set, int fd)
{
	return set[fd / 64] & (1UL << (fd % 64));
}

/* The ready descriptors into s->out: how many bits were set, or -EBADF. */
static int select_scan(struct fd_sets *s, int n)
{
	static const unsigned want[3] = { SELECT_IN, SELECT_OUT, SELECT_EX };
	int count = 0;

	for (int k = 0; k < 3; k++)
		memset(s->out[k], 0, s->words * 8);
	for (int fd = 0; fd < n; fd++) {
		if (!bit(s->in[0], fd) && !bit(s->in[1], fd) && !bit(s->in[2], fd))
			continue;
		struct file *f = fd_get(fd);
		if (!f)
			return -EBADF;
		unsigned mask = file_poll(f, NULL);
		file_put(f);
		for (int k = 0; k < 3; k++) {
			if (bit(s->in[k], fd) && (mask & want[k])) {
				s->out[k][fd / 64] |= 1UL << (fd % 64);
				count++;
			}
		}
	}
	return count;
}

static int scan_sets(void *arg)
{
	struct fd_sets *s = arg;
	return select_scan(s, s->n);
}

/*
 * The select machinery: 'nowait' for a zero timeout, else until the
 * deadline (0: none). The result sets are written back only on success.
 */
static int do_select(int n, uptr_t uin, uptr_t uout, uptr_t uex, bool nowait, u64 deadline)
{
	uptr_t user[3] = { uin, uout, uex };
	struct files *files = current_files();
	struct fd_sets s;

	if (n < 0)
		return -EINVAL;
	if (!files)
		return -EBADF;
	if ((unsigned)n > files->cap)
		n = (int)files->cap;
	s.words = ((size_t)n + 63) / 64;
	u64 *mem = kzalloc(s.words ? s.words * 6 * 8 : 8);
	if (!mem)
		return -ENOMEM;
	for (int k = 0; k < 3; k++) {
		s.in[k] = mem + k * s.words;
		s.out[k] = mem + (3 + k) * s.words;
	}
	int rc = 0;
	size_t bytes = s.words * 8;
	for (int k = 0; k < 3; k++) {
		if (user[k] && copy_from_user(s.in[k], user[k], bytes)) {
			rc = -EFAULT;
			goto out;
		}
		if (n % 64)
			s.in[k][n / 64] &= (1UL << (n % 64)) - 1;
	}
	s.n = n;
	rc = poll_wait(scan_sets, &s, nowait, deadline);
	if (rc < 0)
		goto out;
	for (int k = 0; k < 3; k++) {
		if (user[k] && copy_to_user(user[k], s.out[k], bytes)) {
			rc = -EFAULT;
			break;
		}
	}
out:
	kfree(mem);
	return rc;
}

int sys_select(int n, uptr_t uin, uptr_t uout, uptr_t uex, uptr_t utv)
{
	u64 ns = 0, deadline = 0;

	if (utv) {
		struct timeval tv;
		if (copy_from_user(&tv, utv, sizeof(tv)))
			return -EFAULT;
		s64 sec = tv.tv_sec + tv.tv_usec / 1000000, usec = tv.tv_usec % 1000000;
		if (sec < 0 || usec < 0)
			return -EINVAL;
		ns = (u64)sec >= ~0UL / NSEC_PER_SEC ? ~0UL : (u64)sec * NSEC_PER_SEC + (u64)usec * 1000;
		deadline = ns ? poll_deadline_after(ns) : 0;
	}
	int rc = do_select(n, uin, uout, uex, utv && !ns, deadline);
	if (utv && ns)
		poll_put_remaining(utv, deadline, true);
	return rc;
}

/* pselect6's sixth argument: { const sigset_t *ss; size_t ss_len; }. */
struct pselect_sigmask {
	u64 ss;
	u64 ss_len;
};

int sys_pselect6(int n, uptr_t uin, uptr_t uout, uptr_t uex, uptr_t uts, uptr_t usig)
{
	struct poll_timeout t;
	u64 saved = 0;
	bool changed = false;

	int rc = poll_get_timeout(uts, &t);
	if (rc)
		return rc;
	if (usig) {
		struct pselect_sigmask sm;
		if (copy_from_user(&sm, usig, sizeof(sm)))
			return -EFAULT;
		rc = poll_sigmask_set(sm.ss, sm.ss_len, &saved, &changed);
		if (rc)
			return rc;
	}
	rc = do_select(n, uin, uout, uex, t.nowait, t.deadline);
	poll_sigmask_restore(saved, changed, rc);
	if (t.timed)
		poll_put_remaining(uts, t.deadline, false);
	return rc;
}
