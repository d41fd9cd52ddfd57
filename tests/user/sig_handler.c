/* Handlers: delivery by kill, siginfo, the frame's ucontext, masks during
 * a handler, SA_NODEFER, SA_RESETHAND, sigreturn restoring registers and
 * the FPU state, sigaltstack, and pending/blocked signals. */
#include "usertest.h"
#include <signal.h>
#include <ucontext.h>

static volatile sig_atomic_t hits, calls, max_depth, depth;
static volatile int got_signo, got_code, got_pid;
static volatile uintptr_t handler_sp;
static volatile int blocked_in_handler;
static volatile double fpu_in_handler;

static void on_usr1(int sig)
{
	sigset_t cur;
	hits++;
	sigprocmask(SIG_BLOCK, NULL, &cur);
	blocked_in_handler = sigismember(&cur, SIGUSR1) * 2 + sigismember(&cur, SIGUSR2);
	/* Clobber the FPU state: sigreturn must put the caller's back. */
	volatile double x = 1.0;
	for (int i = 0; i < 10; i++)
		x = x * 3.5 + 0.25;
	fpu_in_handler = x;
}

static void on_info(int sig, siginfo_t *si, void *uc)
{
	got_signo = si->si_signo;
	got_code = si->si_code;
	got_pid = si->si_pid;
	ucontext_t *u = uc;
	handler_sp = (uintptr_t)&u;
	(void)u;
}

static void on_nodefer(int sig)
{
	depth++;
	if (depth > max_depth)
		max_depth = depth;
	if (++calls < 3)
		raise(SIGUSR2);
	depth--;
}

static void on_alt(int sig)
{
	int local;
	handler_sp = (uintptr_t)&local;
}

int main(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sigemptyset(&sa.sa_mask);
	sigaddset(&sa.sa_mask, SIGUSR2);
	check_ok("sig_handler.sigaction", sigaction(SIGUSR1, &sa, NULL));

	volatile double before = 2.5;
	check_ok("sig_handler.kill_self", kill(getpid(), SIGUSR1));
	CHECK("sig_handler.handler_ran_once", hits == 1);
	CHECK("sig_handler.own_signal_blocked_in_handler", blocked_in_handler & 2);
	CHECK("sig_handler.sa_mask_blocked_in_handler", blocked_in_handler & 1);
	CHECK("sig_handler.fpu_restored_after_handler", before * 2 == 5.0 && fpu_in_handler > 1000);
	sigset_t now;
	sigprocmask(SIG_BLOCK, NULL, &now);
	CHECK("sig_handler.mask_restored_after_handler", !sigismember(&now, SIGUSR1) &&
	      !sigismember(&now, SIGUSR2));

	/* Blocked: pending until unblocked, then delivered once. */
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	kill(getpid(), SIGUSR1);
	kill(getpid(), SIGUSR1);
	CHECK("sig_handler.blocked_not_delivered", hits == 1);
	sigset_t pend;
	sigemptyset(&pend);
	sigpending(&pend);
	CHECK("sig_handler.sigpending_shows_it", sigismember(&pend, SIGUSR1));
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	CHECK("sig_handler.delivered_once_on_unblock", hits == 2);

	/* SA_SIGINFO: what kill(2) fills in. */
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_info;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGUSR2, &sa, NULL);
	kill(getpid(), SIGUSR2);
	CHECK("sig_handler.siginfo_signo", got_signo == SIGUSR2);
	CHECK("sig_handler.siginfo_code_user", got_code == SI_USER);
	CHECK("sig_handler.siginfo_pid", got_pid == getpid());
	syscall(SYS_tgkill, getpid(), gettid(), SIGUSR2);
	CHECK("sig_handler.tgkill_code_tkill", got_code == SI_TKILL);

	/* SA_NODEFER lets the handler interrupt itself. */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_nodefer;
	sa.sa_flags = SA_NODEFER;
	sigaction(SIGUSR2, &sa, NULL);
	raise(SIGUSR2);
	CHECK("sig_handler.nodefer_nests", max_depth == 3);
	max_depth = 0;
	calls = 0;
	sa.sa_flags = 0;
	sigaction(SIGUSR2, &sa, NULL);
	raise(SIGUSR2);
	CHECK("sig_handler.defer_queues_instead", max_depth == 1 && calls == 3);

	/* SA_RESETHAND: one shot, then the default again. */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sa.sa_flags = SA_RESETHAND;
	sigaction(SIGUSR1, &sa, NULL);
	raise(SIGUSR1);
	struct sigaction old;
	sigaction(SIGUSR1, NULL, &old);
	CHECK("sig_handler.resethand_back_to_default", old.sa_handler == SIG_DFL);

	/* sigaltstack. */
	static char altstack[65536];
	stack_t ss = { .ss_sp = altstack, .ss_size = sizeof(altstack), .ss_flags = 0 };
	check_ok("sig_handler.sigaltstack", sigaltstack(&ss, NULL));
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alt;
	sa.sa_flags = SA_ONSTACK;
	sigaction(SIGUSR2, &sa, NULL);
	raise(SIGUSR2);
	CHECK("sig_handler.handler_on_altstack", handler_sp >= (uintptr_t)altstack &&
	      handler_sp < (uintptr_t)altstack + sizeof(altstack));
	stack_t cur;
	sigaltstack(NULL, &cur);
	CHECK("sig_handler.altstack_reported", cur.ss_sp == altstack && cur.ss_flags == 0);
	ss.ss_size = 100;
	check_err("sig_handler.altstack_too_small", sigaltstack(&ss, NULL), ENOMEM);
	ss.ss_flags = 12345;
	ss.ss_size = sizeof(altstack);
	check_err("sig_handler.altstack_bad_flags", sigaltstack(&ss, NULL), EINVAL);
	ss.ss_flags = SS_DISABLE;
	sigaltstack(&ss, NULL);
	sigaltstack(NULL, &cur);
	CHECK("sig_handler.altstack_disabled", cur.ss_flags == SS_DISABLE);

	/* Bad arguments. */
	check_err("sig_handler.sigaction_sigkill", sigaction(SIGKILL, &sa, NULL), EINVAL);
	check_err("sig_handler.kill_bad_signal", kill(getpid(), 65), EINVAL);
	check_err("sig_handler.kill_no_such_pid", kill(999999, SIGUSR1), ESRCH);
	check_ok("sig_handler.kill_signal_zero", kill(getpid(), 0));
	check_err("sig_handler.sigaction_efault",
		  syscall(SYS_rt_sigaction, SIGUSR1, BAD_KHALF, NULL, 8), EFAULT);
	check_err("sig_handler.sigaltstack_efault", syscall(SYS_sigaltstack, BAD_UNMAPPED, NULL),
		  EFAULT);
	return finish();
}
