/*
 * Signal actions, masks and waiting: rt_sigaction, rt_sigprocmask,
 * rt_sigpending, rt_sigsuspend, rt_sigtimedwait, pause. Each process has
 * a table of actions (shared by CLONE_SIGHAND, copied by fork, reset to
 * the defaults for handled signals by execve) and each task a blocked
 * mask. SIGKILL and SIGSTOP can be neither caught nor blocked.
 */
#include <syscalls.h>
#include <abi/signal.h>
#include <kevlar/abi.h>
#include <kevlar/errno.h>
#include <kevlar/irq.h>
#include <kevlar/mm.h>
#include <kevlar/signal.h>
#include <kevlar/string.h>
#include <kevlar/task.h>
#include <kevlar/time.h>
#include <kevlar/uaccess.h>
#include "signal_internal.h"

#define UNBLOCKABLE SIG_UNBLOCKABLE

struct sighand *sighand_fork(struct sighand *parent, bool share)
{
	if (share && parent) {
		parent->refs++;
		return parent;
	}
	struct sighand *sh = kzalloc(sizeof(*sh));
	if (!sh)
		return NULL;
	if (parent)
		memcpy(sh->action, parent->action, sizeof(sh->action));
	sh->refs = 1;
	return sh;
}

void sighand_put(struct sighand *sh)
{
	if (sh && --sh->refs == 0)
		kfree(sh);
}

void sighand_exec(struct sighand *sh)
{
	for (int i = 0; sh && i < _NSIG; i++) {
		if (sh->action[i].handler != SIG_IGN)
			memset(&sh->action[i], 0, sizeof(sh->action[i]));
	}
}

/* The current task's table, created on first use. */
static struct sighand *my_sighand(void)
{
	struct task *t = current_task();
	if (!t->sighand)
		t->sighand = sighand_fork(NULL, false);
	return t->sighand;
}

int sys_rt_sigaction(int sig, uptr_t act, uptr_t oldact, size_t sigsetsize)
{
	struct sigaction new;

	if (sigsetsize != sizeof(u64))
		return -EINVAL;
	if (sig < 1 || sig > _NSIG)
		return -EINVAL;
	if (act && copy_from_user(&new, act, sizeof(new)))
		return -EFAULT;
	if (act && (sig == SIGKILL || sig == SIGSTOP))
		return -EINVAL;
	struct sighand *sh = my_sighand();
	if (!sh)
		return -ENOMEM;
	struct sigaction old = {
		sh->action[sig - 1].handler, sh->action[sig - 1].flags,
		sh->action[sig - 1].restorer, sh->action[sig - 1].mask,
	};
	if (oldact && copy_to_user(oldact, &old, sizeof(old)))
		return -EFAULT;
	if (act) {
		sh->action[sig - 1].handler = new.sa_handler;
		sh->action[sig - 1].flags = new.sa_flags;
		sh->action[sig - 1].restorer = new.sa_restorer;
		sh->action[sig - 1].mask = new.sa_mask & ~UNBLOCKABLE;
		/* A signal now ignored is dropped if pending (POSIX). */
		struct task *t = current_task();
		if (signal_ignored(t, sig))
			t->sig_pending &= ~SIGBIT(sig);
	}
	return 0;
}

int sys_rt_sigprocmask(int how, uptr_t set, uptr_t oldset, size_t sigsetsize)
{
	struct task *t = current_task();
	u64 mask;

	if (sigsetsize != sizeof(u64))
		return -EINVAL;
	if (set && copy_from_user(&mask, set, sizeof(mask)))
		return -EFAULT;
	if (set && how != SIG_BLOCK && how != SIG_UNBLOCK && how != SIG_SETMASK)
		return -EINVAL;
	if (oldset && copy_to_user(oldset, &t->sigmask, sizeof(t->sigmask)))
		return -EFAULT;
	if (!set)
		return 0;
	if (how == SIG_BLOCK)
		t->sigmask |= mask;
	else if (how == SIG_UNBLOCK)
		t->sigmask &= ~mask;
	else
		t->sigmask = mask;
	t->sigmask &= ~UNBLOCKABLE;
	return 0;
}

int sys_rt_sigpending(uptr_t set, size_t sigsetsize)
{
	struct task *t = current_task();
	u64 pending = t->sig_pending & t->sigmask;

	if (sigsetsize > sizeof(u64))
		return -EINVAL;
	return copy_to_user(set, &pending, sigsetsize) ? -EFAULT : 0;
}

/* Sleeps until a signal is delivered; the mask in force while waiting
 * (sigsuspend's) is replaced by the saved one after delivery. */
static int wait_for_signal(void)
{
	while (sched_sleep_intr(NULL, 0) != -EINTR)
		;
	return -ERESTARTNOHAND;
}

int sys_rt_sigsuspend(uptr_t set, size_t sigsetsize)
{
	struct task *t = current_task();
	u64 mask;

	if (sigsetsize != sizeof(u64))
		return -EINVAL;
	if (copy_from_user(&mask, set, sizeof(mask)))
		return -EFAULT;
	t->saved_sigmask = t->sigmask;
	t->restore_sigmask = true;
	t->sigmask = mask & ~UNBLOCKABLE;
	return wait_for_signal();
}

int sys_pause(void)
{
	return wait_for_signal();
}

/* Takes the lowest pending signal in 'set', if any. */
static int dequeue(struct task *t, u64 set, struct ksiginfo *info)
{
	u64 flags = irq_save();
	u64 ready = t->sig_pending & set;
	int sig = ready ? __builtin_ctzl(ready) + 1 : 0;
	if (sig) {
		t->sig_pending &= ~SIGBIT(sig);
		*info = t->sig_info[sig - 1];
	}
	irq_restore(flags);
	return sig;
}

int sys_rt_sigtimedwait(uptr_t uset, uptr_t uinfo, uptr_t utimeout, size_t sigsetsize)
{
	struct task *t = current_task();
	struct ksiginfo info;
	struct timespec ts;
	u64 set, deadline = 0;

	if (sigsetsize != sizeof(u64))
		return -EINVAL;
	if (copy_from_user(&set, uset, sizeof(set)))
		return -EFAULT;
	set &= ~UNBLOCKABLE;
	if (utimeout) {
		if (copy_from_user(&ts, utimeout, sizeof(ts)))
			return -EFAULT;
		if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= 1000000000)
			return -EINVAL;
		deadline = clock_monotonic_ns() + (u64)ts.tv_sec * 1000000000UL + (u64)ts.tv_nsec;
	}
	int sig = dequeue(t, set, &info);
	if (!sig) {
		if (utimeout && !ts.tv_sec && !ts.tv_nsec)
			return -EAGAIN;
		/* Wait with the awaited signals unblocked, so that they wake us;
		 * they are taken here, not delivered. */
		u64 saved = t->sigmask;
		t->sigmask &= ~set;
		int rc;
		do
			rc = sched_sleep_intr(NULL, deadline);
		while (!rc);
		t->sigmask = saved;
		sig = dequeue(t, set, &info);
		if (!sig)
			return rc == -ETIMEDOUT ? -EAGAIN : -EINTR;
	}
	if (uinfo) {
		struct user_siginfo u;
		siginfo_to_user(&u, &info);
		if (copy_to_user(uinfo, &u, sizeof(u)))
			return -EFAULT;
	}
	return sig;
}
