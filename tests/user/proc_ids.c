/* getpid, getppid, gettid: how a child's ids relate to its parent's. */
#include "usertest.h"

int main(void)
{
	pid_t self = getpid();
	int fds[2];

	CHECK("proc_ids.getpid_positive", self > 0);
	CHECK("proc_ids.gettid_is_pid_single_threaded", syscall(SYS_gettid) == self);
	CHECK("proc_ids.getppid_is_another_process", getppid() > 0 && getppid() != self);
	CHECK("proc_ids.getpid_stable", getpid() == self);

	if (pipe(fds) != 0) {
		fail("proc_ids.setup", "pipe: %s", errname(errno));
		return finish();
	}
	pid_t child = fork();
	if (child == 0) {
		pid_t ids[3] = { getpid(), getppid(), (pid_t)syscall(SYS_gettid) };
		write(fds[1], ids, sizeof(ids));
		_exit(0);
	}
	pid_t ids[3] = { 0, 0, 0 };
	CHECK("proc_ids.fork_returns_positive_pid", child > 0);
	CHECK("proc_ids.child_got_ids", read(fds[0], ids, sizeof(ids)) == sizeof(ids));
	CHECK("proc_ids.child_pid_is_fork_result", ids[0] == child);
	CHECK("proc_ids.child_ppid_is_parent_pid", ids[1] == self);
	CHECK("proc_ids.child_tid_is_its_pid", ids[2] == child);
	CHECK("proc_ids.child_pid_differs_from_parent", ids[0] != self);
	CHECK("proc_ids.wait4_returns_child_pid", wait4(child, NULL, 0, NULL) == child);

	pid_t a = fork();
	if (a == 0)
		_exit(0);
	pid_t b = fork();
	if (b == 0)
		_exit(0);
	CHECK("proc_ids.two_children_distinct_pids", a > 0 && b > 0 && a != b);
	waitpid(a, NULL, 0);
	waitpid(b, NULL, 0);
	CHECK("proc_ids.parent_pid_unchanged_after_fork", getpid() == self);
	return finish();
}
