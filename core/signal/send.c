/*
 * Sending signals. A signal becomes pending on its task (one instance of
 * each standard signal; real-time signals are not queued more than once
 * either, yet); a task that does not block it is woken if it sleeps
 * interruptibly, and takes it on its way back to user mode. Signals the
 * task ignores and does not block are dropped at once, as Linux does.
 * SIGCONT resumes a stopped process and discards pending stop signals; a
 * stop signal discards a pending SIGCONT. Init drops every signal it has
 * no handler for, SIGKILL and SIGSTOP too, as Linux's init does; only a
 * fault of its own can kill it. kill, tkill and tgkill check that the
 * sender may signal the target, as Linux's check_kill_permission does.
 */
#include <syscalls.h>
#include <kevlar/errno.h>
#include <kevlar/irq.h>
#include <kevlar/signal.h>
#include <kevlar/string.h>
#include <kevlar/task.h>
#include "signal_internal.h"

const struct sigaction_k *sig_action(const struct task *t, int sig)
{
	static const struct sigaction_k dfl;
	return t->sighand ? &t->sighand->action[sig - 1] : &dfl;
}

enum sig_default sig_default_action(int sig)
{
	switch (sig) {
	case SIGCHLD: case SIGURG: case SIGWINCH: case SIGCONT:
		return SIG_DEFAULT_IGNORE;
	case SIGSTOP: case SIGTSTP: case SIGTTIN: case SIGTTOU:
		return SIG_DEFAULT_STOP;
	case SIGQUIT: case SIGILL: case SIGTRAP: case SIGABRT: case SIGBUS:
	case SIGFPE: case SIGSEGV: case SIGXCPU: case SIGXFSZ: case SIGSYS:
		return SIG_DEFAULT_CORE;
	default:
		return SIG_DEFAULT_TERM;
	}
}

bool signal_blocked(const struct task *t, int sig)
{
	return (t->sigmask & SIGBIT(sig)) != 0;
}

bool signal_ignored(const struct task *t, int sig)
{
	if (signal_blocked(t, sig))
		return false;
	u64 h = sig_action(t, sig)->handler;
	return h == SIG_IGN || (h == SIG_DFL && sig_default_action(sig) == SIG_DEFAULT_IGNORE);
}

bool signal_init_drops(const struct task *t, int sig)
{
	return t->unkillable && sig_action(t, sig)->handler == SIG_DFL;
}

bool signal_pending(const struct task *t)
{
	return (t->sig_pending & ~t->sigmask) != 0;
}

/* A stopped task goes on; its parent hears of it. Interrupts are off. */
static void resume_stopped(struct task *t)
{
	if (t->state != TASK_STOPPED)
		return;
	t->stop_report = 0;
	t->cont_report = true;
	sched_wakeup_signal(t);
	signal_notify_parent(t, CLD_CONTINUED, SIGCONT);
}

int signal_send(struct task *t, int sig, const struct ksiginfo *info)
{
	if (sig < 0 || sig > _NSIG)
		return -EINVAL;
	if (!sig || !t || t->kernel || t->state == TASK_ZOMBIE)
		return 0;

	u64 flags = irq_save();
	if (sig == SIGCONT || sig == SIGKILL) {
		t->sig_pending &= ~SIG_STOPS;
		resume_stopped(t);
	} else if (SIGBIT(sig) & SIG_STOPS) {
		t->sig_pending &= ~SIGBIT(SIGCONT);
	}
	/* Init's blocked signals wait, to be dropped when delivered. */
	if (signal_ignored(t, sig) || (!signal_blocked(t, sig) && signal_init_drops(t, sig))) {
		irq_restore(flags);
		return 0;
	}
	if (!(t->sig_pending & SIGBIT(sig))) {
		t->sig_pending |= SIGBIT(sig);
		if (info) {
			t->sig_info[sig - 1] = *info;
		} else {
			memset(&t->sig_info[sig - 1], 0, sizeof(t->sig_info[0]));
			t->sig_info[sig - 1].code = SI_KERNEL;
		}
		t->sig_info[sig - 1].signo = sig;
	}
	if (!signal_blocked(t, sig)) {
		if (sig == SIGKILL && t->state == TASK_STOPPED)
			sched_wakeup_signal(t);
		else if (t->state == TASK_SLEEPING && t->sleep_intr)
			sched_wakeup_signal(t);
	}
	irq_restore(flags);
	return 0;
}

int signal_send_user(struct task *t, int sig)
{
	struct task *self = current_task();
	struct ksiginfo info = { .signo = sig, .code = SI_USER, .pid = self->tgid,
				 .uid = self->cred.uid };
	return signal_send(t, sig, &info);
}

void signal_force(int sig, int code, uptr_t addr)
{
	struct task *t = current_task();
	struct ksiginfo info = { .signo = sig, .code = code, .addr = addr };

	u64 flags = irq_save();
	if (signal_blocked(t, sig) || sig_action(t, sig)->handler == SIG_IGN) {
		t->sigmask &= ~SIGBIT(sig);
		if (t->sighand)
			t->sighand->action[sig - 1].handler = SIG_DFL;
	}
	if (sig_action(t, sig)->handler == SIG_DFL)
		t->unkillable = false;   /* a fault init cannot handle ends it */
	irq_restore(flags);
	signal_send(t, sig, &info);
}

struct pgrp_send {
	pid_t pgrp;
	int sig;
	const struct ksiginfo *info;
	int found;
};

static bool send_if_in_pgrp(struct task *t, void *arg)
{
	struct pgrp_send *s = arg;
	if (t->pgid == s->pgrp) {
		s->found++;
		signal_send(t, s->sig, s->info);
	}
	return true;
}

int signal_send_pgrp(int pgrp, int sig, const struct ksiginfo *info)
{
	struct pgrp_send s = { pgrp, sig, info, 0 };
	if (pgrp <= 0)
		return -ESRCH;
	task_for_each_user(send_if_in_pgrp, &s);
	return s.found ? 0 : -ESRCH;
}

/*
 * Linux's check_kill_permission: a process may signal itself; a
 * privileged sender (euid 0: CAP_KILL) anyone; any other sender a
 * target whose real or saved uid is its real or effective uid, and any
 * process of its own session with SIGCONT. Signal 0 is checked too.
 */
static int may_signal(const struct task *t, int sig)
{
	const struct task *self = current_task();
	const struct cred *c = &self->cred, *tc = &t->cred;

	if (t->tgid == self->tgid || c->euid == 0)
		return 0;
	if (c->euid == tc->suid || c->euid == tc->uid || c->uid == tc->suid || c->uid == tc->uid)
		return 0;
	if (sig == SIGCONT && t->sid == self->sid)
		return 0;
	return -EPERM;
}

/* A signal from kill(2) and friends to one task, once it may be sent. */
static int send_checked(struct task *t, int sig, const struct ksiginfo *info)
{
	int rc = may_signal(t, sig);
	return rc ? rc : signal_send(t, sig, info);
}

/* What kill's walks over many processes find: Linux's results. */
struct kill_walk {
	pid_t pgrp;
	int sig;
	const struct ksiginfo *info;
	int count;       /* processes tried */
	int sent;        /* of them, signalled */
	int last_err;    /* the last refusal (a group), or the last but EPERM (-1) */
};

static bool kill_in_pgrp(struct task *t, void *arg)
{
	struct kill_walk *w = arg;
	if (t->pgid == w->pgrp) {
		int rc = send_checked(t, w->sig, w->info);
		w->count++;
		if (rc)
			w->last_err = rc;
		else
			w->sent++;
	}
	return true;
}

/* kill(-1): every process but init and the caller that it may signal;
 * refusals do not count as errors, as in Linux. */
static bool kill_everyone(struct task *t, void *arg)
{
	struct kill_walk *w = arg;
	struct task *self = current_task();
	if (t->pid != 1 && t->tgid != self->tgid) {
		int rc = send_checked(t, w->sig, w->info);
		w->count++;
		if (rc && rc != -EPERM)
			w->last_err = rc;
	}
	return true;
}

int sys_kill(int pid, int sig)
{
	struct task *self = current_task();
	struct ksiginfo info = { .signo = sig, .code = SI_USER, .pid = self->tgid,
				 .uid = self->cred.uid };

	if (sig < 0 || sig > _NSIG)
		return -EINVAL;
	if (pid > 0) {
		struct task *t = task_find(pid);
		if (!t || t->kernel || t->state == TASK_ZOMBIE)
			return -ESRCH;
		return send_checked(t, sig, &info);
	}
	struct kill_walk w = { pid == 0 ? self->pgid : -pid, sig, &info, 0, 0, 0 };
	if (pid == -1) {
		task_for_each_user(kill_everyone, &w);
		return w.count ? w.last_err : -ESRCH;
	}
	if (w.pgrp <= 0)
		return -ESRCH;
	task_for_each_user(kill_in_pgrp, &w);
	if (!w.count)
		return -ESRCH;
	return w.sent ? 0 : w.last_err;
}

static int send_to_thread(int tgid, int tid, int sig)
{
	struct task *self = current_task();
	struct ksiginfo info = { .signo = sig, .code = SI_TKILL, .pid = self->tgid,
				 .uid = self->cred.uid };

	if (tid <= 0 || sig < 0 || sig > _NSIG)
		return -EINVAL;
	struct task *t = task_find(tid);
	if (!t || t->kernel || t->state == TASK_ZOMBIE || (tgid > 0 && t->tgid != tgid))
		return -ESRCH;
	return send_checked(t, sig, &info);
}

int sys_tkill(int tid, int sig)
{
	return send_to_thread(0, tid, sig);
}

int sys_tgkill(int tgid, int tid, int sig)
{
	if (tgid <= 0)
		return -EINVAL;
	return send_to_thread(tgid, tid, sig);
}

bool signal_children_unwaited(const struct task *parent)
{
	const struct sigaction_k *act = sig_action(parent, SIGCHLD);
	return act->handler == SIG_IGN || (act->flags & SA_NOCLDWAIT);
}

void signal_notify_parent(struct task *child, int code, int status)
{
	struct task *parent = child->parent;
	if (!parent)
		return;
	int sig = code == CLD_EXITED || code == CLD_KILLED || code == CLD_DUMPED
		? child->exit_signal : SIGCHLD;
	const struct sigaction_k *act = sig_action(parent, SIGCHLD);
	bool quiet = sig == SIGCHLD && (code == CLD_STOPPED || code == CLD_CONTINUED) &&
		(act->flags & SA_NOCLDSTOP);
	if (sig && !quiet) {
		struct ksiginfo info = {
			.signo = sig, .code = code, .pid = child->tgid, .status = status,
		};
		signal_send(parent, sig, &info);
	}
	wait_queue_wake_all(&parent->child_exit);
}

const char *signal_name(int sig)
{
	static const char *const names[SIGRTMIN] = SIGNAL_NAMES;
	static const char *const rt[] = {
		"SIGRT_0", "SIGRT_1", "SIGRT_2", "SIGRT_3", "SIGRT_4", "SIGRT_5", "SIGRT_6",
		"SIGRT_7", "SIGRT_8", "SIGRT_9", "SIGRT_10", "SIGRT_11", "SIGRT_12", "SIGRT_13",
		"SIGRT_14", "SIGRT_15", "SIGRT_16", "SIGRT_17", "SIGRT_18", "SIGRT_19", "SIGRT_20",
		"SIGRT_21", "SIGRT_22", "SIGRT_23", "SIGRT_24", "SIGRT_25", "SIGRT_26", "SIGRT_27",
		"SIGRT_28", "SIGRT_29", "SIGRT_30", "SIGRT_31", "SIGRT_32",
	};
	if (sig > 0 && sig < SIGRTMIN)
		return names[sig];
	if (sig >= SIGRTMIN && sig <= _NSIG)
		return rt[sig - SIGRTMIN];
	return "SIG?";
}
