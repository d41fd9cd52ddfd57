/* Signals and waiting: SIGCHLD, wait4 and waitid reports of exits, kills,
 * stops and continues, sigsuspend, sigtimedwait, pause, alarm,
 * setitimer, and blocking calls interrupted (EINTR) or restarted
 * (SA_RESTART). */
#include "usertest.h"
#include <signal.h>
#include <poll.h>
#include <sys/time.h>
#include <time.h>

static volatile sig_atomic_t chld, alrm, usr1;

static void on_chld(int sig) { chld++; }
static void on_alrm(int sig) { alrm++; }
static void on_usr1(int sig) { usr1++; }

static void handle(int sig, void (*fn)(int), int flags)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = fn;
	sa.sa_flags = flags;
	sigaction(sig, &sa, NULL);
}

static pid_t spawn_sleeper(void)
{
	pid_t pid = fork();
	if (pid == 0) {
		for (;;)
			pause();
	}
	return pid;
}

int main(void)
{
	int st;
	handle(SIGCHLD, on_chld, 0);

	/* Exit and kill statuses, and SIGCHLD for each. */
	pid_t pid = fork();
	if (pid == 0)
		_exit(42);
	CHECK("sig_wait.wait4_exit", waitpid(pid, &st, 0) == pid && WIFEXITED(st) &&
	      WEXITSTATUS(st) == 42);
	CHECK("sig_wait.sigchld_on_exit", chld >= 1);

	pid = spawn_sleeper();
	kill(pid, SIGTERM);
	CHECK("sig_wait.wait4_killed", waitpid(pid, &st, 0) == pid && WIFSIGNALED(st) &&
	      WTERMSIG(st) == SIGTERM && st == SIGTERM);

	/* Stop and continue. */
	pid = spawn_sleeper();
	kill(pid, SIGSTOP);
	CHECK("sig_wait.wuntraced_stopped", waitpid(pid, &st, WUNTRACED) == pid &&
	      WIFSTOPPED(st) && WSTOPSIG(st) == SIGSTOP && st == 0x137f);
	CHECK("sig_wait.stop_reported_once", waitpid(pid, &st, WUNTRACED | WNOHANG) == 0);
	kill(pid, SIGCONT);
	CHECK("sig_wait.wcontinued", waitpid(pid, &st, WCONTINUED) == pid &&
	      WIFCONTINUED(st) && st == 0xffff);
	kill(pid, SIGSTOP);   /* not SIGTSTP: an orphaned group ignores it */
	siginfo_t si;
	memset(&si, 0, sizeof(si));
	CHECK("sig_wait.waitid_stopped", waitid(P_PID, pid, &si, WSTOPPED) == 0 &&
	      si.si_signo == SIGCHLD && si.si_code == CLD_STOPPED && si.si_status == SIGSTOP &&
	      si.si_pid == pid);
	kill(pid, SIGKILL);
	memset(&si, 0, sizeof(si));
	CHECK("sig_wait.waitid_nowait_killed", waitid(P_PID, pid, &si, WEXITED | WNOWAIT) == 0 &&
	      si.si_code == CLD_KILLED && si.si_status == SIGKILL);
	memset(&si, 0, sizeof(si));
	CHECK("sig_wait.waitid_reaps", waitid(P_ALL, 0, &si, WEXITED) == 0 &&
	      si.si_pid == pid && si.si_code == CLD_KILLED);
	check_err("sig_wait.waitid_no_children", waitid(P_ALL, 0, &si, WEXITED), ECHILD);
	check_err("sig_wait.waitid_bad_options", waitid(P_ALL, 0, &si, 0), EINVAL);
	pid = fork();
	if (pid == 0)
		_exit(3);
	memset(&si, 0, sizeof(si));
	waitid(P_PID, pid, &si, WEXITED);
	CHECK("sig_wait.waitid_exited", si.si_code == CLD_EXITED && si.si_status == 3);

	/* sigsuspend: wait with SIGUSR1 unblocked, mask back afterwards. */
	handle(SIGUSR1, on_usr1, 0);
	sigset_t block, empty, now;
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigprocmask(SIG_BLOCK, &block, NULL);
	pid_t parent = getpid();
	pid = fork();
	if (pid == 0) {
		kill(parent, SIGUSR1);
		_exit(0);
	}
	sigemptyset(&empty);
	errno = 0;
	int r = sigsuspend(&empty);
	CHECK("sig_wait.sigsuspend_eintr", r == -1 && errno == EINTR && usr1 == 1);
	sigprocmask(SIG_BLOCK, NULL, &now);
	CHECK("sig_wait.sigsuspend_restores_mask", sigismember(&now, SIGUSR1));
	waitpid(pid, &st, 0);

	/* sigtimedwait takes a blocked signal without running its handler. */
	kill(getpid(), SIGUSR1);
	memset(&si, 0, sizeof(si));
	r = sigtimedwait(&block, &si, &(struct timespec){ 1, 0 });
	CHECK("sig_wait.sigtimedwait_takes_it", r == SIGUSR1 && si.si_signo == SIGUSR1 &&
	      si.si_pid == getpid() && usr1 == 1);
	check_err("sig_wait.sigtimedwait_timeout",
		  sigtimedwait(&block, &si, &(struct timespec){ 0, 20000000 }), EAGAIN);
	check_err("sig_wait.sigtimedwait_poll", sigtimedwait(&block, &si, &(struct timespec){ 0, 0 }),
		  EAGAIN);
	sigprocmask(SIG_UNBLOCK, &block, NULL);

	/* alarm and pause. */
	handle(SIGALRM, on_alrm, 0);
	CHECK("sig_wait.alarm_none_before", alarm(1) == 0);
	r = pause();
	CHECK("sig_wait.pause_until_alarm", r == -1 && errno == EINTR && alrm == 1);
	alarm(5);
	CHECK("sig_wait.alarm_reports_left", alarm(0) >= 4);

	/* setitimer: a periodic timer fires more than once. */
	alrm = 0;
	struct itimerval it = { { 0, 20000 }, { 0, 20000 } }, cur;
	check_ok("sig_wait.setitimer", setitimer(ITIMER_REAL, &it, NULL));
	while (alrm < 3)
		pause();
	getitimer(ITIMER_REAL, &cur);
	CHECK("sig_wait.getitimer_interval", cur.it_interval.tv_sec == 0 &&
	      cur.it_interval.tv_usec == 20000);
	memset(&it, 0, sizeof(it));
	setitimer(ITIMER_REAL, &it, NULL);
	check_err("sig_wait.setitimer_bad_which", setitimer(7, &it, NULL), EINVAL);

	/* A read interrupted: EINTR without SA_RESTART, restarted with it. */
	int fds[2];
	pipe(fds);
	alrm = 0;
	handle(SIGALRM, on_alrm, 0);
	struct itimerval once = { { 0, 0 }, { 0, 50000 } };
	setitimer(ITIMER_REAL, &once, NULL);
	char c;
	check_err("sig_wait.read_eintr", read(fds[0], &c, 1), EINTR);
	handle(SIGALRM, on_alrm, SA_RESTART);
	pid = fork();
	if (pid == 0) {
		struct timespec d = { 0, 200000000 };
		nanosleep(&d, NULL);
		write(fds[1], "r", 1);
		_exit(0);
	}
	setitimer(ITIMER_REAL, &once, NULL);
	CHECK("sig_wait.read_restarted", read(fds[0], &c, 1) == 1 && c == 'r' && alrm == 2);
	waitpid(pid, &st, 0);

	/* nanosleep interrupted: EINTR and the time left. */
	handle(SIGALRM, on_alrm, SA_RESTART);
	setitimer(ITIMER_REAL, &once, NULL);
	struct timespec req = { 5, 0 }, rem = { 0, 0 };
	r = nanosleep(&req, &rem);
	CHECK("sig_wait.nanosleep_eintr", r == -1 && errno == EINTR);
	CHECK("sig_wait.nanosleep_rem", rem.tv_sec >= 3 && rem.tv_sec <= 5);

	/* wait4 interrupted by a handled signal. */
	handle(SIGALRM, on_alrm, 0);
	pid = spawn_sleeper();
	setitimer(ITIMER_REAL, &once, NULL);
	check_err("sig_wait.wait4_eintr", waitpid(pid, &st, 0), EINTR);
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);

	/* poll is never restarted after a handler, SA_RESTART or not. */
	handle(SIGALRM, on_alrm, SA_RESTART);
	setitimer(ITIMER_REAL, &once, NULL);
	struct pollfd pfd = { fds[0], POLLIN, 0 };
	check_err("sig_wait.poll_eintr_despite_sa_restart", poll(&pfd, 1, 5000), EINTR);

	/* ppoll's mask: SIGUSR1, blocked outside, interrupts the wait, and
	 * the handler has run before ppoll returns; the mask is back after. */
	sigprocmask(SIG_BLOCK, &block, NULL);
	int before = usr1;
	pid = fork();
	if (pid == 0) {
		struct timespec d = { 0, 100000000 };
		nanosleep(&d, NULL);
		kill(parent, SIGUSR1);
		_exit(0);
	}
	r = ppoll(&pfd, 1, NULL, &empty);
	CHECK("sig_wait.ppoll_mask_lets_signal_in", r == -1 && errno == EINTR && usr1 == before + 1);
	sigprocmask(SIG_BLOCK, NULL, &now);
	CHECK("sig_wait.ppoll_mask_restored", sigismember(&now, SIGUSR1));
	sigprocmask(SIG_UNBLOCK, &block, NULL);
	waitpid(pid, &st, 0);

	/* SIGTSTP stops a process whose group has a parent outside it, in
	 * the same session (the group is not orphaned). */
	pid = fork();
	if (pid == 0) {
		setpgid(0, 0);
		for (;;)
			pause();
	}
	setpgid(pid, pid);
	kill(pid, SIGTSTP);
	CHECK("sig_wait.sigtstp_stops_group_with_parent",
	      waitpid(pid, &st, WUNTRACED) == pid && WIFSTOPPED(st) && WSTOPSIG(st) == SIGTSTP);
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);

	/* Process groups. */
	pid = fork();
	if (pid == 0) {
		setpgid(0, 0);
		for (;;)
			pause();
	}
	setpgid(pid, pid);
	check_ok("sig_wait.kill_process_group", kill(-pid, SIGTERM));
	CHECK("sig_wait.group_member_killed", waitpid(pid, &st, 0) == pid && WIFSIGNALED(st) &&
	      WTERMSIG(st) == SIGTERM);
	check_err("sig_wait.kill_empty_group", kill(-pid, SIGTERM), ESRCH);

	/* SIGCHLD ignored: children leave no zombies, and a wait blocks
	 * until they are gone, then finds none. */
	signal(SIGCHLD, SIG_IGN);
	pid = fork();
	if (pid == 0) {
		struct timespec d = { 0, 50000000 };
		nanosleep(&d, NULL);
		_exit(0);
	}
	check_err("sig_wait.sigchld_ignored_no_zombie", waitpid(-1, &st, 0), ECHILD);
	signal(SIGCHLD, SIG_DFL);
	return finish();
}
