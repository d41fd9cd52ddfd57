/* fork and wait4/waitid: exit codes, status encoding, WNOHANG, ECHILD. */
#include "usertest.h"
#include <signal.h>

static pid_t child_exiting(int code)
{
	pid_t pid = fork();

	if (pid == 0)
		_exit(code);
	return pid;
}

int main(void)
{
	static const int codes[] = { 0, 1, 42, 255 };
	char name[64];
	int st;

	for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
		pid_t pid = child_exiting(codes[i]);
		pid_t got = wait4(pid, &st, 0, NULL);
		snprintf(name, sizeof(name), "wait4.exit_%d_returns_pid", codes[i]);
		CHECK(name, got == pid);
		snprintf(name, sizeof(name), "wait4.exit_%d_wifexited", codes[i]);
		CHECK(name, WIFEXITED(st) && !WIFSIGNALED(st) && !WIFSTOPPED(st));
		snprintf(name, sizeof(name), "wait4.exit_%d_wexitstatus", codes[i]);
		CHECK(name, WEXITSTATUS(st) == codes[i]);
		snprintf(name, sizeof(name), "wait4.exit_%d_raw_status", codes[i]);
		CHECK(name, st == codes[i] << 8);
	}

	pid_t pid = child_exiting(256 + 3);
	wait4(pid, &st, 0, NULL);
	CHECK("wait4.exit_code_is_low_8_bits", WIFEXITED(st) && WEXITSTATUS(st) == 3);

	/* Any child: three of them, reaped in some order, then none left. */
	int seen = 0;
	pid_t kids[3];
	for (int i = 0; i < 3; i++)
		kids[i] = child_exiting(10 + i);
	for (int i = 0; i < 3; i++) {
		pid_t got = wait4(-1, &st, 0, NULL);
		for (int k = 0; k < 3; k++)
			if (got == kids[k] && WIFEXITED(st) && WEXITSTATUS(st) == 10 + k)
				seen |= 1 << k;
	}
	CHECK("wait4.any_child_reaps_each_once", seen == 7);
	check_err("wait4.no_children_echild", wait4(-1, &st, 0, NULL), ECHILD);
	check_err("wait4.not_a_child_echild", wait4(getppid(), &st, 0, NULL), ECHILD);

	/* WNOHANG with a child that is still running (blocked on a pipe). */
	int fds[2];
	pipe(fds);
	pid = fork();
	if (pid == 0) {
		char c;
		close(fds[1]);
		_exit(read(fds[0], &c, 1) == 0 ? 7 : 8);
	}
	close(fds[0]);
	CHECK("wait4.wnohang_running_child_returns_0", wait4(pid, &st, WNOHANG, NULL) == 0);
	close(fds[1]);
	CHECK("wait4.blocking_wait_after_wnohang", wait4(pid, &st, 0, NULL) == pid);
	CHECK("wait4.child_saw_eof_status_7", WIFEXITED(st) && WEXITSTATUS(st) == 7);

	/* A specific pid is waited for even while another child exits first. */
	pid_t first = child_exiting(21);
	pid_t second = child_exiting(22);
	CHECK("wait4.specific_pid_second", wait4(second, &st, 0, NULL) == second &&
	      WEXITSTATUS(st) == 22);
	CHECK("wait4.specific_pid_first", wait4(first, &st, 0, NULL) == first &&
	      WEXITSTATUS(st) == 21);

	struct rusage ru;
	pid = child_exiting(5);
	CHECK("wait4.with_rusage", wait4(pid, &st, 0, &ru) == pid && WEXITSTATUS(st) == 5);

	pid = child_exiting(0);
	check_err("wait4.bad_options_einval", wait4(pid, &st, 0x100, NULL), EINVAL);
	wait4(pid, &st, 0, NULL);

	pid = child_exiting(0);
	CHECK("wait4.null_status_accepted", wait4(pid, NULL, 0, NULL) == pid);

	siginfo_t si;
	pid = child_exiting(9);
	memset(&si, 0, sizeof(si));
	CHECK("waitid.p_pid_wexited", waitid(P_PID, pid, &si, WEXITED) == 0);
	CHECK("waitid.si_pid", si.si_pid == pid);
	CHECK("waitid.si_code_cld_exited", si.si_code == CLD_EXITED);
	CHECK("waitid.si_status_is_code", si.si_status == 9);
	CHECK("waitid.si_signo_sigchld", si.si_signo == SIGCHLD);
	check_err("waitid.no_children_echild", waitid(P_ALL, 0, &si, WEXITED), ECHILD);
	return finish();
}
