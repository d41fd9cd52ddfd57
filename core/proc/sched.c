/*
 * The scheduler: one run queue, round robin, preemptive at the return to
 * user mode (the timer tick asks for a reschedule; kernel code runs until
 * it sleeps or yields). The boot task becomes the idle task: it runs only
 * when nothing else can. One CPU today: the run-queue lock with
 * interrupts off is all the exclusion there is.
 */
#include <kevlar/errno.h>
#include <kevlar/irq.h>
#include <kevlar/panic.h>
#include <kevlar/platform.h>
#include <kevlar/procinfo.h>
#include <kevlar/signal.h>
#include <kevlar/spinlock.h>
#include <kevlar/task.h>
#include <kevlar/time.h>
#include "proc_internal.h"
#include "../ktest/ktest.h"

#define TIMESLICE_TICKS 2

static struct list run_queue = LIST_INIT(run_queue);
static unsigned queued;          /* tasks on run_queue */
static struct list timed_sleepers = LIST_INIT(timed_sleepers);   /* via timer_node */
static struct task idle_task;
static unsigned slice_ticks;

struct task *current_task(void)
{
	return thread_current()->owner;
}

void sched_init(void)
{
	idle_task.pid = 0;
	idle_task.tgid = 0;
	idle_task.kernel = true;
	idle_task.state = TASK_RUNNABLE;
	__builtin_memcpy(idle_task.comm, "idle", 5);
	list_init(&idle_task.run_node);
	list_init(&idle_task.timer_node);
	list_init(&idle_task.child_exit.waiters);
	list_init(&idle_task.children);
	list_init(&idle_task.sibling);
	thread_adopt_boot(&idle_task.thread, &idle_task);
	ring_chain_switch(&idle_task.ring_chain);
}

/* Call with interrupts off. */
void sched_enqueue(struct task *t)
{
	t->state = TASK_RUNNABLE;
	if (t != &idle_task && list_empty(&t->run_node)) {
		list_add_tail(&run_queue, &t->run_node);
		queued++;
	}
}

static struct task *pick_next(void)
{
	if (list_empty(&run_queue))
		return &idle_task;
	struct list *n = run_queue.next;
	list_del(n);
	queued--;
	return list_entry(n, struct task, run_node);
}

unsigned sched_runnable(void)
{
	u64 flags = irq_save();
	struct task *cur = current_task();
	unsigned n = queued + (cur != &idle_task && cur->state == TASK_RUNNABLE);
	irq_restore(flags);
	return n;
}

void schedule(void)
{
	u64 flags = irq_save();
	struct task *prev = current_task();

	prev->need_resched = false;
	if (prev->state == TASK_RUNNABLE)
		sched_enqueue(prev);
	struct task *next = pick_next();
	slice_ticks = 0;
	if (next != prev) {
		ring_chain_switch(&next->ring_chain);
		thread_switch(&prev->thread, &next->thread);
	}
	irq_restore(flags);
}

/* Takes a sleeping task off its queues and makes it runnable. */
static void wake(struct task *t)
{
	list_del(&t->run_node);
	list_del(&t->timer_node);
	t->wake_at_ns = 0;
	sched_enqueue(t);
}

void sched_wakeup(struct task *t)
{
	u64 flags = irq_save();
	if (t->state == TASK_SLEEPING)
		wake(t);
	irq_restore(flags);
}

static int sleep_on(struct wait_queue *wq, u64 deadline_ns, bool intr)
{
	u64 flags = irq_save();
	struct task *t = current_task();

	if (intr && signal_pending(t)) {
		irq_restore(flags);
		return -EINTR;
	}
	t->state = TASK_SLEEPING;
	t->sleep_intr = intr;
	t->wake_at_ns = deadline_ns;
	if (wq)
		list_add_tail(&wq->waiters, &t->run_node);
	if (deadline_ns)
		list_add_tail(&timed_sleepers, &t->timer_node);
	schedule();
	t->sleep_intr = false;
	int rc = 0;
	if (intr && signal_pending(t))
		rc = -EINTR;
	else if (deadline_ns && clock_monotonic_ns() >= deadline_ns)
		rc = -ETIMEDOUT;
	irq_restore(flags);
	return rc;
}

int sched_sleep(struct wait_queue *wq, u64 deadline_ns)
{
	return sleep_on(wq, deadline_ns, false);
}

int sched_sleep_intr(struct wait_queue *wq, u64 deadline_ns)
{
	return sleep_on(wq, deadline_ns, true);
}

void sched_wakeup_signal(struct task *t)
{
	u64 flags = irq_save();
	if (t->state == TASK_STOPPED || (t->state == TASK_SLEEPING && t->sleep_intr))
		wake(t);
	irq_restore(flags);
}

void wait_queue_wake_all(struct wait_queue *wq)
{
	u64 flags = irq_save();
	while (!list_empty(&wq->waiters))
		wake(list_entry(wq->waiters.next, struct task, run_node));
	irq_restore(flags);
}

/* Wakes timed sleepers whose deadline passed. Interrupts are off. */
static void wake_expired(u64 now)
{
	list_for_each_safe(pos, tmp, &timed_sleepers) {
		struct task *t = list_entry(pos, struct task, timer_node);
		if (now >= t->wake_at_ns)
			wake(t);
	}
}

void core_timer_tick(void)
{
	u64 now = clock_monotonic_ns();

	if (!thread_current())
		return;   /* a tick before the scheduler has adopted the boot thread */
	struct task *cur = current_task();
#ifdef KEVLAR_KTEST
	ktest_oops_tick();
#endif
	wake_expired(now);
	itimer_tick(now);
	acct_tick();
	if (++slice_ticks >= TIMESLICE_TICKS && !list_empty(&run_queue))
		cur->need_resched = true;
	if (cur == &idle_task && !list_empty(&run_queue))
		cur->need_resched = true;
}

/* The idle loop: sleep until an interrupt makes something runnable. */
void sched_idle_until(bool (*done)(void))
{
	while (!done()) {
		irq_disable();
		if (list_empty(&run_queue))
			cpu_idle();   /* interrupts back on, atomically with the halt */
		else
			irq_enable();
		schedule();
	}
}
