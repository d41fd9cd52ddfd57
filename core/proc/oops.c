/*
 * Oops, Core's half: Ring 0 found a fault in Core during a system call
 * (fortress, balanced) and asks whether the running task may die for it;
 * then it ends the task the way Linux's make_task_dead() does, with
 * do_exit(SIGSEGV): the parent's wait sees it killed by SIGSEGV, its
 * descriptors, filesystem context and signal actions are released, its
 * children go to init. Its address space is leaked, not freed: the
 * abandoned call may have left it half-updated, and freeing it would walk
 * it. Ring 0's half is platform/x86_64/oops.c.
 */
#include <kevlar/platform.h>
#include <kevlar/printk.h>
#include <kevlar/signal.h>
#include <kevlar/string.h>
#include <kevlar/task.h>
#include "proc_internal.h"
#include "../ktest/ktest.h"

const char *core_oops_begin(struct oops_task *who)
{
	struct task *t = current_task();

	if (!t)
		return "before the first task";
	if (t->pid == 0)
		return "in the idle task";
	if (t->kernel)
		return "in a kernel thread";
	if (t->oopsed)
		return "while its task was already dying of an oops";
	if (t->pid == 1)
		return "in init (pid 1)";
	t->oopsed = true;
	who->pid = t->pid;
	strlcpy(who->comm, t->comm, sizeof(who->comm));
	return NULL;
}

void core_oops_exit(void)
{
	struct task *t = current_task();

	printk("oops: %s[%d] killed by SIGSEGV; its memory is leaked\n", t->comm, t->pid);
#ifdef KEVLAR_KTEST
	ktest_oops_exiting();
#endif
	task_exit(SIGSEGV);
}
