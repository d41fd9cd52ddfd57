/*
 * The OOM killer. When a frame for a process's memory cannot be had (a
 * page fault, a copy-on-write break, a user copy in a system call), a
 * process is killed so that its memory comes back, as Linux's
 * mm/oom_kill.c does, and the allocation is tried again.
 *
 * The victim is the process with the most memory: resident pages plus
 * its page tables (Linux's oom_badness without oom_score_adj). Kernel
 * threads are never chosen, and init only when no other process is
 * left. Memory in tmpfs files is no process's and killing cannot free
 * it, so it does not count: with tmpfs holding most of RAM the largest
 * process still goes.
 *
 * While a victim is dying no second one is chosen: whoever needs memory
 * waits until the victim has dropped its address space (one CPU, so the
 * victim runs while the others sleep). A victim that cannot die (asleep
 * where SIGKILL does not reach) is waited for a second at most; then the
 * next one may be chosen, where Linux's oom_reaper would have taken the
 * first one's memory.
 */
#include <ifc/procinfo.h>
#include <kevlar/errno.h>
#include <kevlar/mm.h>
#include <kevlar/printk.h>
#include <kevlar/procinfo.h>
#include <kevlar/task.h>
#include <kevlar/time.h>
#include <kevlar/vm.h>
#include "proc_internal.h"

#define OOM_VICTIM_WAIT_NS 1000000000ULL
#define OOM_SLEEP_NS       50000000ULL

static pid_t victim;            /* killed, memory not yet released */
static u64 victim_deadline_ns;
static struct wait_queue victim_released = WAIT_QUEUE_INIT(victim_released);

static bool fatal_signal_pending(const struct task *t)
{
	return t->sig_pending & SIGBIT(SIGKILL);
}

/* Another task already counted holds the same address space (vfork). */
static bool mm_counted(const struct task *t)
{
	for (struct task *o = task_next(0); o && o != t; o = task_next(o->pid))
		if (o->mm == t->mm && !o->kernel)
			return true;
	return false;
}

static bool killable(const struct task *t)
{
	return !t->kernel && t->mm && t->state != TASK_ZOMBIE;
}

static u64 badness(struct task *t)
{
	struct vm_usage u;

	vm_usage(t->mm, &u);
	return u.anon_pages + u.file_pages + u.shmem_pages + u.pgtable_pages;
}

/* The process to kill, or NULL if there is none. */
static struct task *choose_victim(void)
{
	struct task *best = NULL, *init = NULL;
	u64 best_score = 0;

	for (struct task *t = task_next(0); t; t = task_next(t->pid)) {
		u64 score;

		/* A task with SIGKILL pending is dying already: what it holds
		 * comes back without a second kill. */
		if (!killable(t) || fatal_signal_pending(t) || mm_counted(t))
			continue;
		if (t->pid == 1) {
			init = t;
			continue;
		}
		score = badness(t) + 1;   /* an empty process still counts */
		if (score > best_score) {
			best = t;
			best_score = score;
		}
	}
	return best ? best : init;
}

static void report(struct task *t)
{
	struct vm_usage u;

	vm_usage(t->mm, &u);
	printk("Out of memory: Killed process %d (%s) total-vm:%llukB, anon-rss:%llukB, "
	       "file-rss:%llukB, shmem-rss:%llukB, UID:%u pgtables:%llukB oom_score_adj:0\n",
	       t->pid, t->comm, (unsigned long long)u.total_pages * 4,
	       (unsigned long long)u.anon_pages * 4, (unsigned long long)u.file_pages * 4,
	       (unsigned long long)u.shmem_pages * 4, t->cred.uid,
	       (unsigned long long)u.pgtable_pages * 4);
}

/* Sleeps until the victim has released its memory or a while passed. */
static void wait_for_victim(void)
{
	u64 until = clock_monotonic_ns() + OOM_SLEEP_NS;

	if (until > victim_deadline_ns)
		until = victim_deadline_ns;
	sched_sleep(&victim_released, until);
}

int oom_kill(void)
{
	struct task *self = current_task();
	struct ksiginfo info = { .signo = SIGKILL, .code = SI_KERNEL };
	struct task *t;

	if (fatal_signal_pending(self))
		return -EINTR;
	if (victim) {
		struct task *v = task_find(victim);

		if (v && v->mm && clock_monotonic_ns() < victim_deadline_ns) {
			wait_for_victim();
			return fatal_signal_pending(self) ? -EINTR : 0;
		}
		/* Gone, or stuck: choose again, passing it over. */
		victim = 0;
	}
	t = choose_victim();
	if (!t)
		return -ENOMEM;
	printk("%s invoked oom-killer: order=0, oom_score_adj=0\n", self->comm);
	report(t);
	victim = t->pid;
	victim_deadline_ns = clock_monotonic_ns() + OOM_VICTIM_WAIT_NS;
	signal_send(t, SIGKILL, &info);
	if (t == self)
		return -EINTR;
	wait_for_victim();
	return fatal_signal_pending(self) ? -EINTR : 0;
}

/* Linux's proc_oom_score: the badness as a share of RAM, in [0, 2000]
 * scaled by two thirds. */
long procinfo_oom_score_impl(int pid)
{
	struct task *t = procinfo_task(pid);
	u64 total = frame_total_pages();

	if (!t)
		return -ESRCH;
	if (!killable(t) || t->pid == 1 || !total)
		return 0;
	return (long)((1000 + badness(t) * 1000 / total) * 2 / 3);
}

void oom_task_released(struct task *t)
{
	if (victim && t->pid == victim) {
		victim = 0;
		wait_queue_wake_all(&victim_released);
	}
}
