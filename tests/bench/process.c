/*
 * Processes and signals: a byte bounced between two processes over two
 * pipes, fork+exit+wait, fork+execve of a tiny static program, installing
 * a signal handler, and a signal sent to oneself and handled.
 */
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "kbench.h"


/* One operation: parent -> child -> parent, one byte each way. */
static int64_t run_pipe_pingpong(long n)
{
	int to_child[2], to_parent[2];
	char c = 'x';

	if (pipe(to_child) < 0 || pipe(to_parent) < 0) {
		bench_failed("pipe: %s", strerror(errno));
		return -1;
	}
	pid_t pid = fork();
	if (pid < 0) {
		bench_failed("fork: %s", strerror(errno));
		return -1;
	}
	if (pid == 0) {
		close(to_child[1]);
		close(to_parent[0]);
		while (read(to_child[0], &c, 1) == 1)
			if (write(to_parent[1], &c, 1) != 1)
				break;
		_exit(0);
	}
	close(to_child[0]);
	close(to_parent[1]);

	int64_t ns = -1;
	int64_t t0 = bench_now();
	long i;
	for (i = 0; i < n; i++) {
		if (write(to_child[1], &c, 1) != 1 || read(to_parent[0], &c, 1) != 1)
			break;
	}
	int64_t t1 = bench_now();
	close(to_child[1]);
	close(to_parent[0]);
	waitpid(pid, NULL, 0);
	if (i == n)
		ns = t1 - t0;
	else
		bench_failed("ping-pong stopped after %ld round trips", i);
	return ns;
}

static int64_t run_fork_exit_wait(long n)
{
	int64_t t0 = bench_now();
	for (long i = 0; i < n; i++) {
		int status;
		pid_t pid = fork();
		if (pid < 0) {
			bench_failed("fork: %s", strerror(errno));
			return -1;
		}
		if (pid == 0)
			_exit(7);
		if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
		    WEXITSTATUS(status) != 7) {
			bench_failed("child did not exit 7");
			return -1;
		}
	}
	return bench_now() - t0;
}

static int64_t run_fork_exec(long n)
{
	char tiny[300];
	snprintf(tiny, sizeof(tiny), "%s/tiny", bench_home);
	char *argv[] = { tiny, NULL };
	char *envp[] = { NULL };

	int64_t t0 = bench_now();
	for (long i = 0; i < n; i++) {
		int status;
		pid_t pid = fork();
		if (pid < 0) {
			bench_failed("fork: %s", strerror(errno));
			return -1;
		}
		if (pid == 0) {
			execve(tiny, argv, envp);
			_exit(127);
		}
		if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
		    WEXITSTATUS(status) != 42) {
			bench_failed("%s did not exit 42 (status %#x)", tiny, status);
			return -1;
		}
	}
	return bench_now() - t0;
}

static volatile sig_atomic_t handled;

static void on_usr1(int sig)
{
	handled++;
}

static int64_t run_sigaction(long n)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	int64_t t0 = bench_now();
	for (long i = 0; i < n; i++) {
		/* Alternate, so no kernel can skip an unchanged action. */
		sa.sa_handler = (i & 1) ? SIG_IGN : on_usr1;
		if (sigaction(SIGUSR1, &sa, NULL) < 0) {
			bench_failed("sigaction: %s", strerror(errno));
			return -1;
		}
	}
	return bench_now() - t0;
}

/* kill(getpid(), SIGUSR1) and the handler running before kill returns to
 * user space. A kernel that records the signal but never delivers it is
 * found on the first try and reported as unsupported. */
static int64_t run_signal_delivery(long n)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	if (sigaction(SIGUSR1, &sa, NULL) < 0) {
		bench_failed("sigaction: %s", strerror(errno));
		return -1;
	}
	pid_t self = getpid();
	handled = 0;
	if (kill(self, SIGUSR1) < 0) {
		bench_unsupported("kill: %s", strerror(errno));
		return -1;
	}
	if (handled != 1) {
		sched_yield();
		if (handled != 1) {
			bench_unsupported("the handler never ran");
			return -1;
		}
	}
	handled = 0;
	int64_t t0 = bench_now();
	for (long i = 0; i < n; i++)
		kill(self, SIGUSR1);
	int64_t t1 = bench_now();
	if (handled != n) {
		bench_failed("%ld signals sent, %ld handled", n, (long)handled);
		return -1;
	}
	return t1 - t0;
}

const struct bench process_benches[] = {
	{ .name = "pipe_pingpong", .run = run_pipe_pingpong },
	{ .name = "fork_exit_wait", .run = run_fork_exit_wait, .max_iters = 20000 },
	{ .name = "fork_exec", .run = run_fork_exec, .max_iters = 20000 },
	{ .name = "sigaction", .run = run_sigaction },
	{ .name = "signal_delivery", .run = run_signal_delivery },
	{ 0 }
};
