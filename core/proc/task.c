/*
 * Task lifetime: allocation with a fresh pid, kernel threads, exit and
 * reaping. Exit releases what the task held (its memory and files, once
 * those exist), hands its children to init and wakes its parent; the
 * zombie's kernel stack is freed when the parent reaps it.
 */
#include <kevlar/errno.h>
#include <kevlar/irq.h>
#include <kevlar/mm.h>
#include <kevlar/panic.h>
#include <kevlar/printk.h>
#include <kevlar/procinfo.h>
#include <kevlar/signal.h>
#include <kevlar/string.h>
#include <kevlar/uaccess.h>
#include <kevlar/task.h>
#include <kevlar/time.h>
#include <kevlar/vfs.h>
#include <kevlar/vm.h>
#include "proc_internal.h"

/* Zombies no parent will wait for (its SIGCHLD is ignored), via sibling:
 * freed by the next task to come by, once they have switched away. */
static struct list unwaited = LIST_INIT(unwaited);
static unsigned zombies;

void task_reap_unwaited(void)
{
	struct task *self = current_task();
	u64 flags = irq_save();
	list_for_each_safe(pos, tmp, &unwaited) {
		struct task *z = list_entry(pos, struct task, sibling);
		if (z != self)
			task_free(z);
	}
	irq_restore(flags);
}

/* Linux's fork refuses a new task, before it takes any memory, when the
 * machine has threads-max tasks already (zombies count until reaped). */
static int task_limit_check(void)
{
	return task_count() >= task_threads_max() ? -EAGAIN : 0;
}

struct task *task_alloc(const char *comm, int *err)
{
	task_reap_unwaited();
	*err = task_limit_check();
	if (*err)
		return NULL;
	*err = -ENOMEM;
	struct task *t = kzalloc(sizeof(*t));
	if (!t)
		return NULL;
	if (thread_create(&t->thread, t)) {
		kfree(t);
		return NULL;
	}
	strlcpy(t->comm, comm, sizeof(t->comm));
	list_init(&t->children);
	list_init(&t->sibling);
	list_init(&t->run_node);
	list_init(&t->timer_node);
	list_init(&t->itimer_node);
	list_init(&t->pid_node);
	list_init(&t->child_exit.waiters);
	list_init(&t->vfork_done.waiters);
	t->state = TASK_SLEEPING;   /* not runnable until started */
	t->start_ns = clock_monotonic_ns();

	*err = pid_assign(t);
	if (*err) {
		thread_destroy(&t->thread);
		kfree(t);
		return NULL;
	}
	user_processes_get(0);      /* root's until fork copies a parent's */
	return t;
}

/* Makes 'child' a child of 'parent'. */
void task_adopt(struct task *parent, struct task *child)
{
	u64 flags = irq_save();
	child->parent = parent;
	list_add_tail(&parent->children, &child->sibling);
	irq_restore(flags);
}

struct task *kthread_start(const char *comm, void (*fn)(void *), void *arg)
{
	int err;
	struct task *t = task_alloc(comm, &err);
	if (!t)
		return NULL;
	t->kernel = true;
	thread_start_kernel(&t->thread, fn, arg);
	task_adopt(current_task(), t);
	u64 flags = irq_save();
	sched_enqueue(t);
	irq_restore(flags);
	return t;
}

void task_for_each_user(bool (*fn)(struct task *t, void *arg), void *arg)
{
	pid_t last = 0;

	/* By pid, not by list: the list may change while fn runs. */
	for (struct task *t; (t = task_next(last)); last = t->pid) {
		if (t->kernel || t->state == TASK_ZOMBIE)
			continue;
		if (!fn(t, arg))
			return;
	}
}

unsigned task_live_count(void)
{
	return task_count() - zombies;
}

/*
 * Tells a zombie's parent of its end (CLD_* code and status). No zombie
 * stays for a parent that ignores SIGCHLD (POSIX): its wait finds one
 * child fewer; nor for a kernel thread, which no wait sees. Interrupts
 * are off.
 */
static void notify_exit(struct task *t)
{
	int status = t->exit_code;
	if (t->kernel) {
		list_del(&t->sibling);
		list_add_tail(&unwaited, &t->sibling);
		t->parent = NULL;
		return;
	}
	if (status & 0x7f)
		signal_notify_parent(t, status & 0x80 ? CLD_DUMPED : CLD_KILLED, status & 0x7f);
	else
		signal_notify_parent(t, CLD_EXITED, (status >> 8) & 0xff);
	if (t->parent && t->exit_signal == SIGCHLD && signal_children_unwaited(t->parent)) {
		list_del(&t->sibling);
		list_add_tail(&unwaited, &t->sibling);
		t->parent = NULL;
	}
}

/*
 * Gives the exiting task's children to init (pid 1), or to nobody. Init
 * did not ask for a clone's exit signal: an orphan tells it of its end
 * with SIGCHLD, as Linux's reparenting does, and one that is already a
 * zombie tells it now, so that init's wait finds it.
 */
static void reparent_children(struct task *t)
{
	struct task *init = task_find(1);

	list_for_each_safe(pos, tmp, &t->children) {
		struct task *c = list_entry(pos, struct task, sibling);
		list_del(&c->sibling);
		c->parent = NULL;
		c->exit_signal = SIGCHLD;
		if (init && init != t) {
			task_adopt(init, c);
			if (c->state == TASK_ZOMBIE)
				notify_exit(c);
		}
	}
}

/*
 * Drops the task's memory, descriptors and filesystem context. A task
 * releasing its own memory first moves to the kernel's address space, so
 * it is not running on page tables it frees. The memory of a task dying
 * of an oops is leaked: the fault may have left it half-updated.
 */
void task_release_resources(struct task *t)
{
	if (t->mm) {
		if (t == current_task()) {
			t->thread.space = 0;
			mmu_activate(0);
		}
		if (!t->oopsed)
			mm_put(t->mm);
		t->mm = NULL;
		oom_task_released(t);
	}
	if (t->files) {
		files_put(t->files);
		t->files = NULL;
	}
	if (t->fs) {
		fs_put(t->fs);
		t->fs = NULL;
	}
	sighand_put(t->sighand);
	t->sighand = NULL;
}

/* The first process's end is the machine's: say how it went, in the
 * form tools/qemu-run.py reads (docs/userspace.md). */
static void report_init_exit(int status)
{
	if (status & 0x7f)
		printk("kevlar: init killed by signal %d\n", status & 0x7f);
	else
		printk("kevlar: init exited with status %d\n", (status >> 8) & 0xff);
}

void task_exit(int status)
{
	struct task *t = current_task();

	if (t->pid == 1 && !t->kernel)
		report_init_exit(status);

	task_vfork_release(t);
	if (t->clear_child_tid) {
		int zero = 0;
		copy_to_user(t->clear_child_tid, &zero, sizeof(zero));
	}
	signal_task_gone(t);
	task_release_resources(t);
	irq_disable();
	reparent_children(t);
	t->exit_code = status;
	t->state = TASK_ZOMBIE;
	zombies++;
	notify_exit(t);
	schedule();
	kpanic("task %d ran after exiting", t->pid);
}

void task_free(struct task *t)
{
	u64 flags = irq_save();
	if (t->state == TASK_ZOMBIE)
		zombies--;
	pid_release(t);
	pid_group_put(t->pgid);
	pid_group_put(t->sid);
	list_del(&t->sibling);
	irq_restore(flags);
	cred_release(t);
	thread_destroy(&t->thread);
	kfree(t);
}
