/* poll and ppoll: pipes empty, full, with data, with an end closed; timeouts;
 * bad descriptors and pointers; a child that writes after a delay. */
#include <poll.h>
#include <signal.h>
#include <time.h>
#include "usertest.h"

static long sys_ppoll(struct pollfd *fds, unsigned long n, const struct timespec *ts,
		      const void *mask, size_t masksize)
{
	return syscall(SYS_ppoll, fds, n, ts, mask, masksize);
}

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static int poll1(int fd, short events, int timeout)
{
	struct pollfd p = { fd, events, 0 };
	int n = poll(&p, 1, timeout);
	return n < 0 ? -1 : p.revents;
}

/* Writes "late" into fd after a delay, then exits. */
static void write_later(int fd, int ms)
{
	struct timespec ts = { 0, ms * 1000000L };
	nanosleep(&ts, NULL);
	write(fd, "late", 4);
	_exit(0);
}

static void fill(int fd)
{
	static char chunk[4096];
	int fl = fcntl(fd, F_GETFL);
	fcntl(fd, F_SETFL, fl | O_NONBLOCK);
	while (write(fd, chunk, sizeof(chunk)) > 0)
		;
	fcntl(fd, F_SETFL, fl);
}

int main(void)
{
	int p[2];
	char buf[16];
	struct pollfd pf[4];

	pipe(p);
	CHECK("poll.empty_pipe_not_readable", poll1(p[0], POLLIN, 0) == 0);
	CHECK("poll.empty_pipe_writable", poll1(p[1], POLLOUT, 0) == POLLOUT);
	write(p[1], "x", 1);
	CHECK("poll.data_readable", poll1(p[0], POLLIN, 0) == POLLIN);
	CHECK("poll.only_asked_events", poll1(p[0], POLLOUT, 0) == 0);
	read(p[0], buf, 1);
	CHECK("poll.drained_not_readable", poll1(p[0], POLLIN, 0) == 0);

	fill(p[1]);
	CHECK("poll.full_pipe_not_writable", poll1(p[1], POLLOUT, 0) == 0);
	CHECK("poll.full_pipe_readable", poll1(p[0], POLLIN, 0) == POLLIN);
	while (read(p[0], buf, sizeof(buf)) == sizeof(buf) && poll1(p[0], POLLIN, 0) == POLLIN)
		;
	CHECK("poll.emptied_pipe_writable", poll1(p[1], POLLOUT, 0) == POLLOUT);

	/* Two descriptors, one ready: the count is of descriptors with events. */
	write(p[1], "y", 1);
	pf[0] = (struct pollfd){ p[0], POLLIN, 0 };
	pf[1] = (struct pollfd){ p[1], POLLOUT, 0 };
	pf[2] = (struct pollfd){ -1, POLLIN, 0x55 };
	CHECK("poll.count_ready", poll(pf, 3, 0) == 2 && pf[0].revents == POLLIN &&
	      pf[1].revents == POLLOUT);
	CHECK("poll.negative_fd_ignored", pf[2].revents == 0);
	read(p[0], buf, 1);

	close(p[1]);
	CHECK("poll.writer_closed_hup", poll1(p[0], POLLIN, 0) == POLLHUP);
	CHECK("poll.hup_even_if_not_asked", poll1(p[0], 0, 0) == POLLHUP);
	close(p[0]);

	pipe(p);
	write(p[1], "z", 1);
	close(p[1]);
	CHECK("poll.data_and_hup", poll1(p[0], POLLIN, 0) == (POLLIN | POLLHUP));
	close(p[0]);

	pipe(p);
	close(p[0]);
	CHECK("poll.reader_closed_err", poll1(p[1], POLLOUT, 0) == (POLLOUT | POLLERR));
	close(p[1]);

	/* Bad descriptors. */
	pf[0] = (struct pollfd){ 999, POLLIN, 0 };
	CHECK("poll.bad_fd_nval", poll(pf, 1, 0) == 1 && pf[0].revents == POLLNVAL);
	pf[0] = (struct pollfd){ 999, 0, 0 };
	CHECK("poll.bad_fd_nval_without_events", poll(pf, 1, 100) == 1 && pf[0].revents == POLLNVAL);

	/* Regular files and the memory devices are always ready. */
	int null = open("/dev/null", O_RDWR), zero = open("/dev/zero", O_RDONLY);
	CHECK("poll.dev_null_ready", poll1(null, POLLIN | POLLOUT, 0) == (POLLIN | POLLOUT));
	CHECK("poll.dev_zero_ready", poll1(zero, POLLIN, 0) == POLLIN);
	const char *dir = scratch_dir();
	char path[128];
	snprintf(path, sizeof(path), "%s/f", dir);
	int reg = open(path, O_RDWR | O_CREAT, 0600);
	CHECK("poll.regular_file_ready", poll1(reg, POLLIN | POLLOUT, 0) == (POLLIN | POLLOUT));
	close(reg);
	close(null);
	close(zero);
	remove_tree(dir);

	/* Errors. */
	struct rlimit rl;
	getrlimit(RLIMIT_NOFILE, &rl);
	check_err("poll.nfds_over_limit_einval", poll(pf, rl.rlim_cur + 1, 0), EINVAL);
	check_err("poll.bad_pointer_efault", poll(BAD_UNMAPPED, 1, 0), EFAULT);
	check_err("poll.kernel_pointer_efault", poll(BAD_KHALF, 1, 0), EFAULT);
	CHECK("poll.zero_fds_times_out", poll(NULL, 0, 10) == 0);

	/* Timeouts. */
	pipe(p);
	long long t0 = now_ms();
	CHECK("poll.timeout_expires", poll1(p[0], POLLIN, 60) == 0);
	long long waited = now_ms() - t0;
	CHECK("poll.timeout_waited", waited >= 55 && waited < 2000);
	t0 = now_ms();
	CHECK("poll.zero_timeout_returns", poll1(p[0], POLLIN, 0) == 0 && now_ms() - t0 < 50);

	/* A child writes after a delay; the parent is woken by it. */
	pid_t pid = fork();
	if (pid == 0)
		write_later(p[1], 50);
	t0 = now_ms();
	CHECK("poll.woken_by_child_write", poll1(p[0], POLLIN, 5000) == POLLIN);
	CHECK("poll.woken_before_timeout", now_ms() - t0 < 4000);
	CHECK("poll.child_data", read(p[0], buf, sizeof(buf)) == 4 && !memcmp(buf, "late", 4));
	waitpid(pid, NULL, 0);

	/* Forever (-1), woken by the writer's exit closing the last write end. */
	pid = fork();
	if (pid == 0) {
		close(p[0]);
		struct timespec ts = { 0, 30000000 };
		nanosleep(&ts, NULL);
		_exit(0);
	}
	close(p[1]);
	CHECK("poll.forever_woken_by_hup", poll1(p[0], POLLIN, -1) == POLLHUP);
	waitpid(pid, NULL, 0);
	close(p[0]);

	/* ppoll: timespec timeouts, the time left written back, the signal mask. */
	pipe(p);
	struct timespec ts = { 0, 40000000 };
	pf[0] = (struct pollfd){ p[0], POLLIN, 0 };
	CHECK("ppoll.timeout_expires", sys_ppoll(pf, 1, &ts, NULL, 0) == 0);
	CHECK("ppoll.timeout_left_zero", ts.tv_sec == 0 && ts.tv_nsec == 0);
	ts = (struct timespec){ 5, 0 };
	write(p[1], "a", 1);
	CHECK("ppoll.ready", sys_ppoll(pf, 1, &ts, NULL, 0) == 1 && pf[0].revents == POLLIN);
	CHECK("ppoll.time_left_written", ts.tv_sec <= 5 && (ts.tv_sec >= 4 || ts.tv_nsec > 0) &&
	      !(ts.tv_sec == 5 && ts.tv_nsec != 0));
	ts = (struct timespec){ 0, 0 };
	read(p[0], buf, 1);
	CHECK("ppoll.zero_timeout", sys_ppoll(pf, 1, &ts, NULL, 0) == 0);
	uint64_t mask = 1UL << (SIGUSR1 - 1), cur = 0;
	ts = (struct timespec){ 0, 1000000 };
	CHECK("ppoll.with_sigmask", sys_ppoll(pf, 1, &ts, &mask, 8) == 0);
	syscall(SYS_rt_sigprocmask, SIG_BLOCK, NULL, &cur, 8);
	CHECK("ppoll.sigmask_restored", !(cur & mask));
	ts = (struct timespec){ 0, 1000000 };
	check_err("ppoll.bad_sigsetsize_einval", sys_ppoll(pf, 1, &ts, &mask, 4), EINVAL);
	check_err("ppoll.bad_sigmask_efault", sys_ppoll(pf, 1, &ts, BAD_UNMAPPED, 8), EFAULT);
	ts = (struct timespec){ 0, 1000000000 };
	check_err("ppoll.bad_timespec_einval", sys_ppoll(pf, 1, &ts, NULL, 0), EINVAL);
	ts = (struct timespec){ -1, 0 };
	check_err("ppoll.negative_timespec_einval", sys_ppoll(pf, 1, &ts, NULL, 0), EINVAL);
	check_err("ppoll.bad_timespec_efault", sys_ppoll(pf, 1, BAD_UNMAPPED, NULL, 0), EFAULT);
	pid = fork();
	if (pid == 0)
		write_later(p[1], 30);
	CHECK("ppoll.forever_woken", sys_ppoll(pf, 1, NULL, NULL, 0) == 1 && pf[0].revents == POLLIN);
	waitpid(pid, NULL, 0);
	close(p[0]);
	close(p[1]);
	return finish();
}
