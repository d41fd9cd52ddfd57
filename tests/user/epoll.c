/* epoll: level- and edge-triggered readiness on pipes, one-shot entries,
 * EPOLL_CTL_ADD/MOD/DEL and their errors, closed descriptors, nested
 * sets, timeouts, a late writer; and eventfd. */
#include <poll.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <time.h>
#include "usertest.h"

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static int add(int ep, int fd, unsigned events, uint64_t data)
{
	struct epoll_event ev = { .events = events, .data.u64 = data };
	return epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
}

static int mod(int ep, int fd, unsigned events, uint64_t data)
{
	struct epoll_event ev = { .events = events, .data.u64 = data };
	return epoll_ctl(ep, EPOLL_CTL_MOD, fd, &ev);
}

/* epoll_wait with one event out: how many, and the event. */
static int wait1(int ep, struct epoll_event *ev, int timeout)
{
	memset(ev, 0, sizeof(*ev));
	return epoll_wait(ep, ev, 1, timeout);
}

int main(void)
{
	int p[2], q[2];
	char buf[16];
	struct epoll_event ev, evs[4];

	int ep = epoll_create1(0);
	check_ok("epoll.create1", ep);
	CHECK("epoll.create1_cloexec", ({ int e2 = epoll_create1(EPOLL_CLOEXEC);
		int ok = e2 >= 0 && (fcntl(e2, F_GETFD) & FD_CLOEXEC); close(e2); ok; }));
	check_err("epoll.create1_bad_flags_einval", epoll_create1(1), EINVAL);
	check_err("epoll.create_zero_einval", syscall(SYS_epoll_create, 0), EINVAL);
	int ep_old = syscall(SYS_epoll_create, 1);
	check_ok("epoll.create", ep_old);
	close(ep_old);

	/* Level-triggered. */
	pipe(p);
	check_ok("epoll.ctl_add", add(ep, p[0], EPOLLIN, 7));
	CHECK("epoll.lt_empty_nothing", wait1(ep, &ev, 0) == 0);
	write(p[1], "ab", 2);
	CHECK("epoll.lt_ready", wait1(ep, &ev, 0) == 1 && ev.events == EPOLLIN && ev.data.u64 == 7);
	CHECK("epoll.lt_still_ready", wait1(ep, &ev, 0) == 1 && ev.events == EPOLLIN);
	read(p[0], buf, 2);
	CHECK("epoll.lt_drained_nothing", wait1(ep, &ev, 0) == 0);

	/* Errors of epoll_ctl. */
	check_err("epoll.ctl_add_twice_eexist", add(ep, p[0], EPOLLIN, 0), EEXIST);
	check_err("epoll.ctl_mod_missing_enoent", mod(ep, p[1], EPOLLOUT, 0), ENOENT);
	check_err("epoll.ctl_del_missing_enoent", epoll_ctl(ep, EPOLL_CTL_DEL, p[1], NULL), ENOENT);
	check_err("epoll.ctl_bad_fd_ebadf", add(ep, 999, EPOLLIN, 0), EBADF);
	check_err("epoll.ctl_bad_epfd_ebadf", add(999, p[0], EPOLLIN, 0), EBADF);
	check_err("epoll.ctl_not_epoll_einval", add(p[1], p[0], EPOLLIN, 0), EINVAL);
	check_err("epoll.ctl_self_einval", add(ep, ep, EPOLLIN, 0), EINVAL);
	check_err("epoll.ctl_bad_op_einval", epoll_ctl(ep, 99, p[1], &ev), EINVAL);
	check_err("epoll.ctl_bad_event_efault",
		  epoll_ctl(ep, EPOLL_CTL_ADD, p[1], BAD_UNMAPPED), EFAULT);
	const char *dir = scratch_dir();
	char path[128];
	snprintf(path, sizeof(path), "%s/f", dir);
	int reg = open(path, O_RDWR | O_CREAT, 0600);
	check_err("epoll.ctl_regular_file_eperm", add(ep, reg, EPOLLIN, 0), EPERM);
	close(reg);
	remove_tree(dir);

	/* Errors of epoll_wait. */
	check_err("epoll.wait_zero_max_einval", epoll_wait(ep, evs, 0, 0), EINVAL);
	check_err("epoll.wait_not_epoll_einval", epoll_wait(p[0], evs, 1, 0), EINVAL);
	check_err("epoll.wait_bad_epfd_ebadf", epoll_wait(999, evs, 1, 0), EBADF);
	check_err("epoll.wait_kernel_buffer_efault", epoll_wait(ep, BAD_KHALF, 1, 0), EFAULT);
	write(p[1], "c", 1);
	check_err("epoll.wait_bad_buffer_efault", epoll_wait(ep, BAD_UNMAPPED, 1, 0), EFAULT);
	read(p[0], buf, 1);

	/* MOD and DEL. */
	check_ok("epoll.ctl_add_write_end", add(ep, p[1], EPOLLOUT, 8));
	CHECK("epoll.write_end_ready", wait1(ep, &ev, 0) == 1 && ev.events == EPOLLOUT &&
	      ev.data.u64 == 8);
	check_ok("epoll.ctl_mod", mod(ep, p[1], EPOLLIN, 9));
	CHECK("epoll.mod_changes_events", wait1(ep, &ev, 0) == 0);
	check_ok("epoll.ctl_del", epoll_ctl(ep, EPOLL_CTL_DEL, p[1], NULL));
	CHECK("epoll.del_gone", epoll_ctl(ep, EPOLL_CTL_DEL, p[1], NULL) == -1 && errno == ENOENT);

	/* Several ready: maxevents bounds each call, and every one comes in turn. */
	pipe(q);
	add(ep, q[1], EPOLLOUT, 10);
	write(p[1], "d", 1);
	int got7 = 0, got10 = 0;
	for (int i = 0; i < 2; i++) {
		if (wait1(ep, &ev, 0) == 1) {
			got7 += ev.data.u64 == 7;
			got10 += ev.data.u64 == 10;
		}
	}
	CHECK("epoll.maxevents_round_robin", got7 == 1 && got10 == 1);
	CHECK("epoll.two_ready", epoll_wait(ep, evs, 4, 0) == 2);
	epoll_ctl(ep, EPOLL_CTL_DEL, q[1], NULL);
	read(p[0], buf, 1);

	/* Edge-triggered: once per new arrival, not while the data stays. */
	check_ok("epoll.ctl_mod_et", mod(ep, p[0], EPOLLIN | EPOLLET, 11));
	CHECK("epoll.et_empty_nothing", wait1(ep, &ev, 0) == 0);
	write(p[1], "e", 1);
	CHECK("epoll.et_first_edge", wait1(ep, &ev, 0) == 1 && ev.data.u64 == 11);
	CHECK("epoll.et_no_second_report", wait1(ep, &ev, 0) == 0);
	write(p[1], "f", 1);
	CHECK("epoll.et_new_data_new_edge", wait1(ep, &ev, 0) == 1 && ev.data.u64 == 11);
	CHECK("epoll.et_quiet_again", wait1(ep, &ev, 0) == 0);
	check_ok("epoll.ctl_mod_rearms_et", mod(ep, p[0], EPOLLIN | EPOLLET, 12));
	CHECK("epoll.et_mod_reports_ready", wait1(ep, &ev, 0) == 1 && ev.data.u64 == 12);
	read(p[0], buf, sizeof(buf));

	/* One-shot: reported once, then disabled until MOD. */
	check_ok("epoll.ctl_mod_oneshot", mod(ep, p[0], EPOLLIN | EPOLLONESHOT, 13));
	write(p[1], "g", 1);
	CHECK("epoll.oneshot_fires", wait1(ep, &ev, 0) == 1 && ev.data.u64 == 13);
	CHECK("epoll.oneshot_disabled", wait1(ep, &ev, 0) == 0);
	write(p[1], "h", 1);
	CHECK("epoll.oneshot_stays_disabled", wait1(ep, &ev, 0) == 0);
	check_err("epoll.oneshot_still_in_set", add(ep, p[0], EPOLLIN, 0), EEXIST);
	check_ok("epoll.ctl_mod_rearms_oneshot", mod(ep, p[0], EPOLLIN | EPOLLONESHOT, 14));
	CHECK("epoll.oneshot_rearmed", wait1(ep, &ev, 0) == 1 && ev.data.u64 == 14);
	read(p[0], buf, sizeof(buf));
	mod(ep, p[0], EPOLLIN, 7);

	/* Hang-up and error are reported without being asked for. */
	close(q[0]);
	add(ep, q[1], 0, 15);
	CHECK("epoll.err_unasked", wait1(ep, &ev, 0) == 1 && ev.data.u64 == 15 && ev.events == EPOLLERR);
	epoll_ctl(ep, EPOLL_CTL_DEL, q[1], NULL);
	close(q[1]);

	/* Timeouts and a late writer. */
	long long t0 = now_ms();
	CHECK("epoll.timeout_expires", wait1(ep, &ev, 50) == 0);
	CHECK("epoll.timeout_waited", now_ms() - t0 >= 45);
	pid_t pid = fork();
	if (pid == 0) {
		struct timespec ts = { 0, 40000000 };
		nanosleep(&ts, NULL);
		write(p[1], "late", 4);
		_exit(0);
	}
	CHECK("epoll.forever_woken_by_child", wait1(ep, &ev, -1) == 1 && ev.data.u64 == 7);
	waitpid(pid, NULL, 0);
	read(p[0], buf, sizeof(buf));
	uint64_t mask = 1UL << (SIGUSR1 - 1), cur = 0;
	CHECK("epoll.pwait_sigmask", syscall(SYS_epoll_pwait, ep, evs, 4, 1, &mask, 8) == 0);
	syscall(SYS_rt_sigprocmask, SIG_BLOCK, NULL, &cur, 8);
	CHECK("epoll.pwait_sigmask_restored", !(cur & mask));
	check_err("epoll.pwait_bad_sigsetsize_einval",
		  syscall(SYS_epoll_pwait, ep, evs, 4, 0, &mask, 4), EINVAL);

	/* An epoll set is pollable, and can be watched by another. */
	int outer = epoll_create1(0);
	check_ok("epoll.nested_add", add(outer, ep, EPOLLIN, 16));
	check_err("epoll.nested_loop_eloop", add(ep, outer, EPOLLIN, 0), ELOOP);
	CHECK("epoll.nested_quiet", wait1(outer, &ev, 0) == 0);
	struct pollfd quiet = { ep, POLLIN, 0 };
	CHECK("epoll.pollable_quiet", poll(&quiet, 1, 0) == 0);
	write(p[1], "i", 1);
	CHECK("epoll.nested_ready", wait1(outer, &ev, 0) == 1 && ev.data.u64 == 16);
	struct pollfd pfd = { ep, POLLIN, 0 };
	CHECK("epoll.pollable_ready", poll(&pfd, 1, 0) == 1 && pfd.revents == POLLIN);
	read(p[0], buf, sizeof(buf));
	close(outer);

	/* Entries belong to the open file description: a dup keeps it,
	 * closing the last descriptor removes it. */
	int dup0 = dup(p[0]);
	close(p[0]);
	write(p[1], "j", 1);
	CHECK("epoll.dup_keeps_entry", wait1(ep, &ev, 0) == 1 && ev.data.u64 == 7);
	close(dup0);
	CHECK("epoll.closed_file_drops_out", wait1(ep, &ev, 0) == 0);
	close(p[1]);
	pipe(p);
	check_ok("epoll.readd_after_close", add(ep, p[0], EPOLLIN, 17));
	close(p[0]);
	close(p[1]);
	close(ep);

	/* eventfd: a counter, readable while non-zero. */
	int efd = eventfd(0, EFD_NONBLOCK);
	check_ok("eventfd.create", efd);
	uint64_t v = 0;
	check_err("eventfd.empty_eagain", read(efd, &v, 8), EAGAIN);
	v = 3;
	CHECK("eventfd.write", write(efd, &v, 8) == 8);
	v = 4;
	write(efd, &v, 8);
	ep = epoll_create1(0);
	add(ep, efd, EPOLLIN | EPOLLOUT, 18);
	CHECK("eventfd.epoll_ready", wait1(ep, &ev, 0) == 1 && ev.events == (EPOLLIN | EPOLLOUT));
	CHECK("eventfd.read_sum", read(efd, &v, 8) == 8 && v == 7);
	CHECK("eventfd.epoll_writable_only", wait1(ep, &ev, 0) == 1 && ev.events == EPOLLOUT);
	check_err("eventfd.short_read_einval", read(efd, &v, 4), EINVAL);
	v = ~0ULL;
	check_err("eventfd.max_write_einval", write(efd, &v, 8), EINVAL);
	close(ep);
	close(efd);
	efd = eventfd(2, EFD_SEMAPHORE | EFD_NONBLOCK);
	CHECK("eventfd.semaphore_reads_one", read(efd, &v, 8) == 8 && v == 1 &&
	      read(efd, &v, 8) == 8 && v == 1 && read(efd, &v, 8) == -1 && errno == EAGAIN);
	close(efd);
	efd = eventfd(0, 0);
	pid = fork();
	if (pid == 0) {
		struct timespec ts = { 0, 40000000 };
		uint64_t one = 5;
		nanosleep(&ts, NULL);
		_exit(write(efd, &one, 8) == 8 ? 0 : 1);
	}
	CHECK("eventfd.blocking_read_woken_by_child", read(efd, &v, 8) == 8 && v == 5);
	waitpid(pid, NULL, 0);
	close(efd);
	check_err("eventfd.bad_flags_einval", eventfd(0, 0x10), EINVAL);
	return finish();
}
