/*
 * Who a task is: pids, process groups and sessions. Its user and groups
 * are its credentials (core/proc/cred.c).
 */
#include <syscalls.h>
#include <kevlar/errno.h>
#include <kevlar/irq.h>
#include <kevlar/task.h>
#include <kevlar/uaccess.h>

int sys_getpid(void) { return current_task()->tgid; }
int sys_gettid(void) { return current_task()->pid; }

int sys_getppid(void)
{
	struct task *p = current_task()->parent;
	return p ? p->tgid : 0;
}

long sys_set_tid_address(uptr_t tidptr)
{
	current_task()->clear_child_tid = tidptr;
	return current_task()->pid;
}

static struct task *task_or_self(pid_t pid)
{
	return pid == 0 ? current_task() : task_find(pid);
}

int sys_getpgid(int pid)
{
	struct task *t = task_or_self(pid);
	return t ? t->pgid : -ESRCH;
}

int sys_getpgrp(void)
{
	return current_task()->pgid;
}

int sys_getsid(int pid)
{
	struct task *t = task_or_self(pid);
	return t ? t->sid : -ESRCH;
}

struct group_probe {
	pid_t pgid, sid;
	bool found;
};

static bool in_group(struct task *t, void *arg)
{
	struct group_probe *g = arg;
	if (t->pgid == g->pgid && t->sid == g->sid)
		g->found = true;
	return !g->found;
}

/* setpgid(2): the caller or one of its children, within one session, into
 * a new group of its own or a group of that session that exists. */
int sys_setpgid(int pid, int pgid)
{
	struct task *self = current_task();
	struct task *t = task_or_self(pid);

	if (pgid < 0)
		return -EINVAL;
	if (!t || (t != self && t->parent != self))
		return -ESRCH;
	if (t->sid != self->sid)
		return -EPERM;
	if (t->pid == t->sid)
		return -EPERM;   /* a session leader cannot move */
	if (t != self && t->execed)
		return -EACCES;  /* a child that has run another program */
	if (!pgid)
		pgid = t->pid;
	if (pgid != t->pid) {
		struct group_probe g = { pgid, self->sid, false };
		task_for_each_user(in_group, &g);
		if (!g.found)
			return -EPERM;
	}
	int rc = pid_group_get(pgid);
	if (rc)
		return rc;
	pid_group_put(t->pgid);
	t->pgid = pgid;
	return 0;
}

int sys_setsid(void)
{
	struct task *self = current_task();

	if (self->pgid == self->pid)
		return -EPERM;   /* already a group leader */
	if (pid_group_get(self->pid))
		return -ENOMEM;
	if (pid_group_get(self->pid)) {
		pid_group_put(self->pid);
		return -ENOMEM;
	}
	pid_group_put(self->pgid);
	pid_group_put(self->sid);
	self->sid = self->pgid = self->pid;
	return self->sid;
}

struct orphan_probe {
	pid_t pgrp;
	bool anchored;      /* a member has a parent outside it, in its session */
};

static bool anchors(struct task *t, void *arg)
{
	struct orphan_probe *o = arg;
	struct task *p = t->parent;
	if (t->pgid == o->pgrp && p && p->pgid != o->pgrp && p->sid == t->sid)
		o->anchored = true;
	return !o->anchored;
}

bool pgrp_orphaned(pid_t pgrp)
{
	struct orphan_probe o = { pgrp, false };
	task_for_each_user(anchors, &o);
	return !o.anchored;
}
