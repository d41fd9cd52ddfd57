/*
 * Run as pid 1 (tests/qemu/test_init.py: in Kevlar as init=, on the host
 * as the first process of a new pid namespace): init is protected from
 * signals it has no handler for, and an orphan that a clone gave another
 * exit signal tells init of its end with SIGCHLD. Exits 0 if every check
 * passed; any other end of init is a failure the test sees.
 */
#include "../usertest.h"
#include <sched.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>

static volatile sig_atomic_t got_usr1, got_chld, got_ill;

static void on_usr1(int sig) { (void)sig; got_usr1++; }
static void on_chld(int sig) { (void)sig; got_chld++; }
static void on_ill(int sig) { (void)sig; got_ill++; }

static void handle(int sig, void (*fn)(int))
{
	struct sigaction sa = { .sa_handler = fn, .sa_flags = SA_RESTART };
	sigaction(sig, &sa, NULL);
}

/* A child's report: 1 bit per kill() that returned what Linux returns. */
static int child_kills(void)
{
	int ok = 0;
	ok |= (kill(1, SIGTERM) == 0) << 0;
	ok |= (kill(1, SIGKILL) == 0) << 1;
	ok |= (kill(1, SIGSTOP) == 0) << 2;
	ok |= (kill(1, SIGINT) == 0) << 3;
	signal(SIGUSR2, SIG_IGN);
	ok |= (kill(0, SIGUSR2) == 0) << 4;     /* init's group: init too */
	ok |= (kill(-1, SIGTERM) == -1 && errno == ESRCH) << 5;  /* nobody but init */
	ok |= (kill(1, SIGUSR1) == 0) << 6;     /* init has a handler */
	return ok;
}

static void signals_from_a_child(void)
{
	pid_t pid = fork();
	if (pid == 0)
		_exit(child_kills());
	int st = 0;
	CHECK("init.child_waited", waitpid(pid, &st, 0) == pid);
	CHECK("init.child_kills_return_0", WIFEXITED(st) && WEXITSTATUS(st) == 0x7f);
	pass("init.survives_kill_term_kill_stop_int");
	CHECK("init.handled_signal_delivered", got_usr1 == 1);
	sigset_t pending;
	sigpending(&pending);
	CHECK("init.dropped_signals_not_pending",
	      !sigismember(&pending, SIGTERM) && !sigismember(&pending, SIGINT) &&
	      !sigismember(&pending, SIGUSR2));
}

/* A signal init blocks waits as pending, and is dropped when unblocked. */
static void blocked_signal(void)
{
	sigset_t set, pending;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigprocmask(SIG_BLOCK, &set, NULL);
	pid_t pid = fork();
	if (pid == 0)
		_exit(kill(1, SIGTERM) == 0 ? 0 : 1);
	int st = 0;
	waitpid(pid, &st, 0);
	sigpending(&pending);
	CHECK("init.blocked_signal_pending", WIFEXITED(st) && sigismember(&pending, SIGTERM));
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	sigpending(&pending);
	CHECK("init.unblocked_signal_dropped", !sigismember(&pending, SIGTERM));
}

static void signals_from_itself(void)
{
	CHECK("init.kill_self_term_returns_0", kill(1, SIGTERM) == 0);
	CHECK("init.kill_self_kill_returns_0", kill(1, SIGKILL) == 0);
	CHECK("init.raise_stop_returns_0", raise(SIGSTOP) == 0);
	pass("init.survives_its_own_kills");
}

/* kill(-1) from init reaches everyone else, never init. */
static void kill_everyone_else(void)
{
	pid_t pid = fork();
	if (pid == 0) {
		for (;;)
			pause();
	}
	CHECK("init.kill_minus_one", kill(-1, SIGTERM) == 0);
	int st = 0;
	CHECK("init.kill_minus_one_reaches_child",
	      waitpid(pid, &st, 0) == pid && WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM);
}

/*
 * A middle process clones a grandchild whose exit signal is SIGILL and
 * exits; the grandchild waits to be init's, then exits 7. Init hears of
 * it with SIGCHLD, not SIGILL, and reaps it with a plain wait.
 */
static void orphan_exit_signal(void)
{
	int fds[2];
	if (pipe(fds))
		return fail("init.orphan_pipe", "pipe");
	pid_t middle = fork();
	if (middle == 0) {
		long g = syscall(SYS_clone, SIGILL, 0L, 0L, 0L, 0L);
		if (g == 0) {
			close(fds[0]);
			while (getppid() != 1)
				usleep(1000);
			write(fds[1], "x", 1);
			_exit(7);
		}
		_exit(g > 0 ? 0 : 1);
	}
	close(fds[1]);
	int st = 0;
	CHECK("init.orphan_middle_exits", waitpid(middle, &st, 0) == middle &&
	      WIFEXITED(st) && WEXITSTATUS(st) == 0);
	char c;
	CHECK("init.orphan_adopted", read(fds[0], &c, 1) == 1);
	close(fds[0]);
	pid_t g = waitpid(-1, &st, 0);
	if (g > 0 && WIFEXITED(st) && WEXITSTATUS(st) == 7)
		pass("init.orphan_reaped_by_plain_wait");
	else
		fail("init.orphan_reaped_by_plain_wait", "waitpid: %d (%s), %s", (int)g,
		     errname(errno), status_str(st));
	CHECK("init.orphan_sent_sigchld", got_chld > 0);
	CHECK("init.orphan_sent_no_sigill", got_ill == 0);
}

int main(void)
{
	if (getpid() != 1) {
		say("init_guard: must run as pid 1");
		return 2;
	}
	setsid();   /* a group of its own, as Kevlar's init already has */
	handle(SIGUSR1, on_usr1);
	handle(SIGCHLD, on_chld);
	signals_from_a_child();
	blocked_signal();
	signals_from_itself();
	kill_everyone_else();
	got_chld = 0;
	handle(SIGILL, on_ill);
	orphan_exit_signal();
	say("init_guard: done");
	return finish();
}
