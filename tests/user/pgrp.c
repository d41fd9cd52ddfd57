/* Process groups and sessions: setpgid, getpgid, setsid, getsid, and
 * what a new session loses (its controlling terminal). */
#include "usertest.h"
#include <signal.h>

/* In a child: make a new session and report what it sees. */
static int new_session(void *arg)
{
	pid_t me = getpid();
	if (setsid() != me)
		return 10;
	if (getsid(0) != me || getpgid(0) != me)
		return 11;
	if (setsid() != -1 || errno != EPERM)
		return 12;                      /* already a group leader */
	if (setpgid(0, getppid()) != -1 || errno != EPERM)
		return 13;                      /* a session leader cannot move */
	int fd = open("/dev/tty", O_RDWR);
	if (fd >= 0 || errno != ENXIO)
		return 14;                      /* no controlling terminal now */
	return 0;
}

static int group_leader_setsid(void *arg)
{
	setpgid(0, 0);
	return setsid() == -1 && errno == EPERM ? 0 : 20;
}

int main(void)
{
	pid_t self = getpid();

	CHECK("pgrp.getpgid_zero_is_own", getpgid(0) == getpgrp());
	CHECK("pgrp.getsid_zero_is_own", getsid(0) == getsid(self));
	check_err("pgrp.getpgid_no_such_pid", getpgid(999999), ESRCH);
	check_err("pgrp.getsid_no_such_pid", getsid(999999), ESRCH);
	check_err("pgrp.setpgid_negative", setpgid(0, -1), EINVAL);
	check_err("pgrp.setpgid_not_a_child", setpgid(1, 0), ESRCH);

	pid_t child = fork();
	if (child == 0) {
		pause();
		_exit(0);
	}
	check_ok("pgrp.setpgid_child_own_group", setpgid(child, child));
	CHECK("pgrp.child_in_its_group", getpgid(child) == child);
	CHECK("pgrp.child_same_session", getsid(child) == getsid(0));
	check_ok("pgrp.setpgid_child_back", setpgid(child, getpgrp()));
	CHECK("pgrp.child_back_in_ours", getpgid(child) == getpgrp());
	check_err("pgrp.setpgid_no_such_group", setpgid(child, 999999), EPERM);
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);

	/* A child that has run execve can no longer be moved. The pipe's
	 * write end closes on exec: EOF says the exec happened. */
	int fds[2];
	pipe2(fds, O_CLOEXEC);
	child = fork();
	if (child == 0) {
		close(fds[0]);
		execl("/bin/sleep", "sleep", "5", (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	char c;
	CHECK("pgrp.child_execed", read(fds[0], &c, 1) == 0);
	check_err("pgrp.setpgid_after_exec", setpgid(child, child), EACCES);
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	close(fds[0]);

	check_exit("pgrp.setsid_new_session", in_child(new_session, NULL), 0);
	check_exit("pgrp.setsid_group_leader_eperm", in_child(group_leader_setsid, NULL), 0);
	return finish();
}
