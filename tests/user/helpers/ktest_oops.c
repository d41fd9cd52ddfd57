/*
 * ktest_oops KIND...: for each KIND, a child asks a test kernel to fault
 * in Core inside its system call (prctl PR_KTEST_OOPS, core/ktest/oops.c)
 * while it holds the write end of a pipe. The parent reports how the
 * child ended and whether the pipe was closed behind it:
 *
 *   ktest_oops: KIND: killed by signal 11, pipe closed
 *
 * Exits 0 if every child was killed by SIGSEGV and its descriptors were
 * released, 1 otherwise. Run by tests/qemu/test_oops.py; on any other
 * kernel the prctl fails with EINVAL and the child exits 2.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#define PR_KTEST_OOPS 0x4b4f4f50

static int trigger(const char *kind)
{
	int fds[2];

	if (pipe(fds) < 0) {
		printf("ktest_oops: %s: pipe: %s\n", kind, strerror(errno));
		return 1;
	}
	fflush(stdout);
	pid_t pid = fork();
	if (pid < 0) {
		printf("ktest_oops: %s: fork: %s\n", kind, strerror(errno));
		return 1;
	}
	if (pid == 0) {
		close(fds[0]);
		long rc = prctl(PR_KTEST_OOPS, kind, 0, 0, 0);
		printf("ktest_oops: %s: prctl returned %ld (%s)\n", kind, rc,
		       rc < 0 ? strerror(errno) : "no error");
		fflush(stdout);
		_exit(2);
	}
	close(fds[1]);
	int status;
	if (waitpid(pid, &status, 0) != pid) {
		printf("ktest_oops: %s: waitpid: %s\n", kind, strerror(errno));
		return 1;
	}
	char byte;
	ssize_t n = read(fds[0], &byte, 1);
	close(fds[0]);
	const char *pipe_state = n == 0 ? "pipe closed" : "pipe NOT closed";
	if (WIFSIGNALED(status))
		printf("ktest_oops: %s: killed by signal %d, %s\n", kind, WTERMSIG(status), pipe_state);
	else
		printf("ktest_oops: %s: exited with status %d, %s\n", kind, WEXITSTATUS(status),
		       pipe_state);
	fflush(stdout);
	return WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV && n == 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
	int failed = 0;

	for (int i = 1; i < argc; i++)
		failed |= trigger(argv[i]);
	printf("ktest_oops: %s\n", failed ? "FAILED" : "every child killed, kernel running");
	return failed;
}
