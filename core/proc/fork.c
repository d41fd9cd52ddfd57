/*
 * fork, vfork and clone. A child gets a copy-on-write copy of its
 * parent's memory (or shares it with CLONE_VM), a copy of its descriptor
 * table and filesystem context, the parent's registers with rax = 0, its
 * TLS base and its credentials. A vfork parent sleeps until the child
 * execs or exits.
 */
#include <syscalls.h>
#include <abi/resource.h>
#include <abi/sched.h>
#include <kevlar/errno.h>
#include <kevlar/irq.h>
#include <kevlar/mm.h>
#include <kevlar/string.h>
#include <kevlar/task.h>
#include <kevlar/uaccess.h>
#include <kevlar/vfs.h>
#include <kevlar/vm.h>
#include "proc_internal.h"

/* What this kernel can do today; threads (CLONE_THREAD) come later. */
#define CLONE_SUPPORTED (CSIGNAL | CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_VFORK | \
			 CLONE_SETTLS | CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID | \
			 CLONE_CHILD_SETTID | CLONE_DETACHED)

struct clone_args_k {
	u64 flags;
	uptr_t stack;
	uptr_t parent_tid;
	uptr_t child_tid;
	u64 tls;
};

/* Gives the child its share of the parent's resources. */
static int copy_resources(struct task *parent, struct task *child, u64 flags)
{
	child->mm = flags & CLONE_VM ? mm_get(parent->mm) : mm_fork(parent->mm);
	if (!child->mm)
		return -ENOMEM;
	child->files = files_fork(parent->files);
	child->fs = fs_fork(parent->fs);
	if (!child->files || !child->fs)
		return -ENOMEM;
	child->rlimits = parent->rlimits;
	child->sighand = sighand_fork(parent->sighand, flags & CLONE_SIGHAND);
	child->sigmask = parent->sigmask;
	if (!child->sighand)
		return -ENOMEM;
	child->thread.space = mm_space(child->mm);
	child->thread.fs_base = flags & CLONE_SETTLS ? 0 : parent->thread.fs_base;
	return 0;
}

static long do_clone(const struct clone_args_k *a)
{
	struct task *parent = current_task();

	if (a->flags & ~CLONE_SUPPORTED)
		return -EINVAL;
	if (!parent->mm)
		return -EINVAL;
	/* Linux's copy_process: a user (by real uid) with RLIMIT_NPROC
	 * processes gets no more, unless it is root or acts as root (the
	 * capabilities that exempt it go with euid 0). */
	const struct cred *c = &parent->cred;
	if (c->uid != 0 && c->euid != 0 &&
	    user_processes(c->uid) >= task_rlimit(parent, RLIMIT_NPROC))
		return -EAGAIN;
	bool nproc_exceeded = parent->cred.nproc_exceeded;
	parent->cred.nproc_exceeded = false;   /* a fork within the limit clears it */
	int rc;
	struct task *child = task_alloc(parent->comm, &rc);
	if (!child)
		return rc;
	cred_fork(child, parent);
	child->cred.nproc_exceeded = nproc_exceeded;
	rc = copy_resources(parent, child, a->flags);
	if (rc) {
		task_release_resources(child);
		task_free(child);
		return rc;
	}
	/* The parent is in both: nothing to allocate, nothing can fail. */
	child->pgid = parent->pgid;
	child->sid = parent->sid;
	pid_group_get(child->pgid);
	pid_group_get(child->sid);
	child->exit_signal = (int)(a->flags & CSIGNAL);
	child->altstack = parent->altstack;

	struct trap_frame regs = *thread_user_regs(&parent->thread);
	regs.rax = 0;
	if (a->stack)
		regs.rsp = a->stack;
	thread_start_fork(&child->thread, &regs);
	if (a->flags & CLONE_SETTLS)
		child->thread.fs_base = a->tls;
	if (a->flags & CLONE_CHILD_CLEARTID)
		child->clear_child_tid = a->child_tid;

	pid_t pid = child->pid;
	if (a->flags & CLONE_PARENT_SETTID)
		copy_to_user(a->parent_tid, &pid, sizeof(pid));
	if (a->flags & CLONE_CHILD_SETTID) {
		/* The child's memory: the same page in both before any write
		 * (COW) or shared (CLONE_VM), so write it now through ours. */
		copy_to_user(a->child_tid, &pid, sizeof(pid));
	}
	if (a->flags & CLONE_VFORK)
		child->vfork_parent = parent;

	task_adopt(parent, child);
	u64 flags = irq_save();
	sched_enqueue(child);
	irq_restore(flags);

	if (a->flags & CLONE_VFORK) {
		while (child->vfork_parent)
			sched_sleep(&child->vfork_done, 0);
	}
	return pid;
}

void task_vfork_release(struct task *t)
{
	if (t->vfork_parent) {
		t->vfork_parent = NULL;
		wait_queue_wake_all(&t->vfork_done);
	}
}

long sys_fork(void)
{
	struct clone_args_k a = { .flags = 17 /* SIGCHLD */ };
	return do_clone(&a);
}

long sys_vfork(void)
{
	struct clone_args_k a = { .flags = CLONE_VM | CLONE_VFORK | 17 };
	return do_clone(&a);
}

long sys_clone(u64 flags, uptr_t stack, uptr_t parent_tid, uptr_t child_tid, u64 tls)
{
	struct clone_args_k a = {
		.flags = flags, .stack = stack, .parent_tid = parent_tid,
		.child_tid = child_tid, .tls = tls,
	};
	return do_clone(&a);
}
