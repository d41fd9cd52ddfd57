/*
 * Signal actions and masks: rt_sigaction and rt_sigprocmask. Each process
 * has a table of actions (shared by CLONE_SIGHAND, copied by fork, reset
 * to the defaults for handled signals by execve) and each task a blocked
 * mask. SIGKILL and SIGSTOP can be neither caught nor blocked.
 */
#include <syscalls.h>
#include <kevlar/abi.h>
#include <kevlar/errno.h>
#include <kevlar/mm.h>
#include <kevlar/string.h>
#include <kevlar/task.h>
#include <kevlar/uaccess.h>

#define SIGKILL 9
#define SIGSTOP 19
#define SIG_DFL 0
#define SIG_IGN 1
#define SIG_BLOCK   0
#define SIG_UNBLOCK 1
#define SIG_SETMASK 2
#define UNBLOCKABLE ((1UL << (SIGKILL - 1)) | (1UL << (SIGSTOP - 1)))

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
	for (int i = 0; sh && i < NSIG; i++) {
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
	if (sig < 1 || sig > NSIG)
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
