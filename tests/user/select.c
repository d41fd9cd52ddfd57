/* select and pselect6 on pipes: readiness per set, timeouts and the time
 * left written back, bad descriptors and pointers, a late writer. */
#include <signal.h>
#include <sys/select.h>
#include <time.h>
#include "usertest.h"

/* The raw calls: musl's select may copy the timeval itself. */
static long sys_select(int n, fd_set *r, fd_set *w, fd_set *e, struct timeval *tv)
{
	return syscall(SYS_select, n, r, w, e, tv);
}

static long sys_pselect6(int n, fd_set *r, fd_set *w, fd_set *e, struct timespec *ts,
			 const void *sig)
{
	return syscall(SYS_pselect6, n, r, w, e, ts, sig);
}

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

int main(void)
{
	int p[2];
	char buf[16];
	fd_set r, w, e;
	struct timeval tv;

	pipe(p);
	int n = p[0] > p[1] ? p[0] + 1 : p[1] + 1;
	FD_ZERO(&r);
	FD_ZERO(&w);
	FD_SET(p[0], &r);
	FD_SET(p[1], &w);
	tv = (struct timeval){ 0, 0 };
	CHECK("select.empty_pipe_writable_only",
	      sys_select(n, &r, &w, NULL, &tv) == 1 && !FD_ISSET(p[0], &r) && FD_ISSET(p[1], &w));

	write(p[1], "x", 1);
	FD_ZERO(&r);
	FD_ZERO(&w);
	FD_SET(p[0], &r);
	FD_SET(p[1], &w);
	FD_SET(p[0], &w);   /* a read end is never writable */
	tv = (struct timeval){ 0, 0 };
	CHECK("select.both_ready_counts_two",
	      sys_select(n, &r, &w, NULL, &tv) == 2 && FD_ISSET(p[0], &r) && FD_ISSET(p[1], &w) &&
	      !FD_ISSET(p[0], &w));
	FD_ZERO(&e);
	FD_SET(p[0], &e);
	tv = (struct timeval){ 0, 0 };
	CHECK("select.no_exceptions_on_pipes", sys_select(n, NULL, NULL, &e, &tv) == 0 &&
	      !FD_ISSET(p[0], &e));
	read(p[0], buf, 1);

	/* A timeout: nothing ready, the sets come back empty, the timeval is 0. */
	FD_ZERO(&r);
	FD_SET(p[0], &r);
	tv = (struct timeval){ 0, 50000 };
	long long t0 = now_ms();
	CHECK("select.timeout_expires", sys_select(n, &r, NULL, NULL, &tv) == 0 && !FD_ISSET(p[0], &r));
	CHECK("select.timeout_waited", now_ms() - t0 >= 45);
	CHECK("select.timeval_left_zero", tv.tv_sec == 0 && tv.tv_usec == 0);

	/* The time left is written back when something is ready early. */
	write(p[1], "y", 1);
	FD_ZERO(&r);
	FD_SET(p[0], &r);
	tv = (struct timeval){ 10, 0 };
	CHECK("select.ready_before_timeout", sys_select(n, &r, NULL, NULL, &tv) == 1);
	CHECK("select.timeval_updated", tv.tv_sec >= 8 && tv.tv_sec <= 10 &&
	      !(tv.tv_sec == 10 && tv.tv_usec != 0));
	read(p[0], buf, 1);

	/* A late writer wakes a select with no timeout. */
	pid_t pid = fork();
	if (pid == 0) {
		struct timespec ts = { 0, 40000000 };
		nanosleep(&ts, NULL);
		write(p[1], "late", 4);
		_exit(0);
	}
	FD_ZERO(&r);
	FD_SET(p[0], &r);
	CHECK("select.forever_woken_by_child", sys_select(n, &r, NULL, NULL, NULL) == 1 &&
	      FD_ISSET(p[0], &r));
	waitpid(pid, NULL, 0);
	read(p[0], buf, sizeof(buf));

	/* The writer gone: the read end is readable (end of file). */
	close(p[1]);
	FD_ZERO(&r);
	FD_SET(p[0], &r);
	tv = (struct timeval){ 0, 0 };
	CHECK("select.writer_closed_readable", sys_select(n, &r, NULL, NULL, &tv) == 1 &&
	      FD_ISSET(p[0], &r));
	close(p[0]);

	/* The reader gone: the write end is writable (the write fails). */
	pipe(p);
	close(p[0]);
	FD_ZERO(&w);
	FD_SET(p[1], &w);
	tv = (struct timeval){ 0, 0 };
	CHECK("select.reader_closed_writable", sys_select(p[1] + 1, NULL, &w, NULL, &tv) == 1 &&
	      FD_ISSET(p[1], &w));
	close(p[1]);

	/* Errors. */
	pipe(p);
	int closed = p[1] + 1;
	while (fcntl(closed, F_GETFD) != -1)
		closed++;
	FD_ZERO(&r);
	FD_SET(closed, &r);
	tv = (struct timeval){ 0, 0 };
	check_err("select.closed_fd_ebadf", sys_select(closed + 1, &r, NULL, NULL, &tv), EBADF);
	FD_ZERO(&r);
	FD_SET(p[0], &r);
	check_err("select.negative_nfds_einval", sys_select(-1, &r, NULL, NULL, &tv), EINVAL);
	tv = (struct timeval){ -1, 0 };
	check_err("select.negative_timeval_einval", sys_select(p[0] + 1, &r, NULL, NULL, &tv), EINVAL);
	tv = (struct timeval){ 0, 0 };
	check_err("select.bad_set_efault", sys_select(p[0] + 1, BAD_UNMAPPED, NULL, NULL, &tv), EFAULT);
	check_err("select.kernel_set_efault", sys_select(p[0] + 1, NULL, BAD_KHALF, NULL, &tv), EFAULT);
	check_err("select.bad_timeval_efault",
		  sys_select(p[0] + 1, &r, NULL, NULL, BAD_UNMAPPED), EFAULT);
	tv = (struct timeval){ 0, 20000 };
	CHECK("select.nothing_to_wait_for_sleeps", sys_select(0, NULL, NULL, NULL, &tv) == 0 &&
	      tv.tv_sec == 0 && tv.tv_usec == 0);

	/* pselect6: a timespec and a signal mask. */
	struct timespec ts = { 0, 30000000 };
	uint64_t mask = 1UL << (SIGUSR1 - 1), cur = 0;
	struct { const void *ss; size_t len; } sig = { &mask, 8 };
	FD_ZERO(&r);
	FD_SET(p[0], &r);
	CHECK("pselect6.timeout_expires", sys_pselect6(p[0] + 1, &r, NULL, NULL, &ts, &sig) == 0);
	CHECK("pselect6.timespec_left_zero", ts.tv_sec == 0 && ts.tv_nsec == 0);
	syscall(SYS_rt_sigprocmask, SIG_BLOCK, NULL, &cur, 8);
	CHECK("pselect6.sigmask_restored", !(cur & mask));
	write(p[1], "z", 1);
	FD_ZERO(&r);
	FD_SET(p[0], &r);
	ts = (struct timespec){ 7, 0 };
	CHECK("pselect6.ready", sys_pselect6(p[0] + 1, &r, NULL, NULL, &ts, NULL) == 1 &&
	      FD_ISSET(p[0], &r));
	CHECK("pselect6.timespec_updated", ts.tv_sec >= 5 && ts.tv_sec <= 7);
	ts = (struct timespec){ 0, 0 };
	sig.len = 4;
	check_err("pselect6.bad_sigsetsize_einval",
		  sys_pselect6(p[0] + 1, &r, NULL, NULL, &ts, &sig), EINVAL);
	sig = (typeof(sig)){ NULL, 4 };
	FD_ZERO(&r);
	FD_SET(p[0], &r);
	CHECK("pselect6.null_sigset_ignored",
	      sys_pselect6(p[0] + 1, &r, NULL, NULL, &ts, &sig) == 1);
	check_err("pselect6.bad_sig_efault",
		  sys_pselect6(p[0] + 1, &r, NULL, NULL, &ts, BAD_UNMAPPED), EFAULT);
	ts = (struct timespec){ 0, 2000000000 };
	check_err("pselect6.bad_timespec_einval",
		  sys_pselect6(p[0] + 1, &r, NULL, NULL, &ts, NULL), EINVAL);
	close(p[0]);
	close(p[1]);
	return finish();
}
