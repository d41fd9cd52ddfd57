/*
 * Interval timers: alarm, setitimer and getitimer. ITIMER_REAL counts
 * wall time and sends SIGALRM; ITIMER_VIRTUAL and ITIMER_PROF count the
 * CPU time of the task they belong to, tick by tick (this kernel does
 * not tell user from system time at the tick, so both count all of it),
 * and send SIGVTALRM and SIGPROF. Timers are not inherited by fork and
 * survive execve, as in Linux. Expiry is checked at every timer tick.
 */
#include <syscalls.h>
#include <abi/time.h>
#include <kevlar/abi.h>
#include <kevlar/errno.h>
#include <kevlar/irq.h>
#include <kevlar/list.h>
#include <kevlar/signal.h>
#include <kevlar/task.h>
#include <kevlar/time.h>
#include <kevlar/uaccess.h>

#define NSEC_PER_USEC  1000UL
#define NSEC_PER_SECOND 1000000000UL

struct itimerval {
	struct timeval it_interval;
	struct timeval it_value;
};

static struct list armed = LIST_INIT(armed);   /* tasks with a real timer, via itimer_node */
static u64 last_tick_ns;

/* CPU-time timers: remaining and interval, in ns, per task. They live in
 * the task's cpu_timer slots. */
static u64 *cpu_value(struct task *t, int which)
{
	return which == ITIMER_VIRTUAL ? &t->cpu_itimer[0] : &t->cpu_itimer[2];
}

static u64 *cpu_interval(struct task *t, int which)
{
	return which == ITIMER_VIRTUAL ? &t->cpu_itimer[1] : &t->cpu_itimer[3];
}

static void charge(struct task *t, int which, int sig, u64 delta)
{
	u64 *value = cpu_value(t, which);
	if (!*value)
		return;
	if (*value > delta) {
		*value -= delta;
		return;
	}
	*value = *cpu_interval(t, which);
	struct ksiginfo info = { .signo = sig, .code = SI_KERNEL };
	signal_send(t, sig, &info);
}

void itimer_tick(u64 now)
{
	struct task *cur = current_task();
	u64 delta = last_tick_ns ? now - last_tick_ns : 0;

	last_tick_ns = now;
	if (cur && !cur->kernel && cur->pid) {
		charge(cur, ITIMER_VIRTUAL, SIGVTALRM, delta);
		charge(cur, ITIMER_PROF, SIGPROF, delta);
	}
	list_for_each_safe(pos, tmp, &armed) {
		struct task *t = list_entry(pos, struct task, itimer_node);
		if (now < t->itimer_next_ns)
			continue;
		struct ksiginfo info = { .signo = SIGALRM, .code = SI_TIMER };
		signal_send(t, SIGALRM, &info);
		if (t->itimer_interval_ns) {
			t->itimer_next_ns += t->itimer_interval_ns;
			if (t->itimer_next_ns <= now)
				t->itimer_next_ns = now + t->itimer_interval_ns;
		} else {
			t->itimer_next_ns = 0;
			list_del(&t->itimer_node);
		}
	}
}

void signal_task_gone(struct task *t)
{
	u64 flags = irq_save();
	list_del(&t->itimer_node);
	t->itimer_next_ns = 0;
	irq_restore(flags);
}

static u64 tv_to_ns(const struct timeval *tv)
{
	return (u64)tv->tv_sec * NSEC_PER_SECOND + (u64)tv->tv_usec * NSEC_PER_USEC;
}

static struct timeval ns_to_tv(u64 ns)
{
	/* Round up, so that an armed timer never reads as zero. */
	u64 us = (ns + NSEC_PER_USEC - 1) / NSEC_PER_USEC;
	struct timeval tv = { (s64)(us / 1000000), (s64)(us % 1000000) };
	return tv;
}

static void get_timer(struct task *t, int which, struct itimerval *out)
{
	u64 value, interval;

	if (which == ITIMER_REAL) {
		u64 now = clock_monotonic_ns();
		value = t->itimer_next_ns ? (t->itimer_next_ns > now ? t->itimer_next_ns - now : 1) : 0;
		interval = t->itimer_interval_ns;
	} else {
		value = *cpu_value(t, which);
		interval = *cpu_interval(t, which);
	}
	out->it_value = ns_to_tv(value);
	out->it_interval = ns_to_tv(interval);
}

static void set_timer(struct task *t, int which, u64 value, u64 interval)
{
	u64 flags = irq_save();
	if (which == ITIMER_REAL) {
		list_del(&t->itimer_node);
		t->itimer_next_ns = value ? clock_monotonic_ns() + value : 0;
		t->itimer_interval_ns = value ? interval : 0;
		if (value)
			list_add_tail(&armed, &t->itimer_node);
	} else {
		*cpu_value(t, which) = value;
		*cpu_interval(t, which) = value ? interval : 0;
	}
	irq_restore(flags);
}

static bool valid_tv(const struct timeval *tv)
{
	return tv->tv_sec >= 0 && tv->tv_usec >= 0 && tv->tv_usec < 1000000;
}

int sys_getitimer(int which, uptr_t curr)
{
	struct itimerval v;

	if (which < ITIMER_REAL || which > ITIMER_PROF)
		return -EINVAL;
	get_timer(current_task(), which, &v);
	return copy_to_user(curr, &v, sizeof(v)) ? -EFAULT : 0;
}

int sys_setitimer(int which, uptr_t unew, uptr_t uold)
{
	struct task *t = current_task();
	struct itimerval nv, ov;

	if (which < ITIMER_REAL || which > ITIMER_PROF)
		return -EINVAL;
	if (unew && copy_from_user(&nv, unew, sizeof(nv)))
		return -EFAULT;
	if (unew && (!valid_tv(&nv.it_value) || !valid_tv(&nv.it_interval)))
		return -EINVAL;
	get_timer(t, which, &ov);
	if (uold && copy_to_user(uold, &ov, sizeof(ov)))
		return -EFAULT;
	if (unew)
		set_timer(t, which, tv_to_ns(&nv.it_value), tv_to_ns(&nv.it_interval));
	else
		set_timer(t, which, 0, 0);
	return 0;
}

long sys_alarm(u32 seconds)
{
	struct task *t = current_task();
	struct itimerval old;

	get_timer(t, ITIMER_REAL, &old);
	set_timer(t, ITIMER_REAL, (u64)seconds * NSEC_PER_SECOND, 0);
	/* Whole seconds left of the old alarm, rounded; at least 1 if one
	 * was pending (as Linux). */
	long left = old.it_value.tv_sec + (old.it_value.tv_usec >= 500000);
	if (!left && (old.it_value.tv_sec || old.it_value.tv_usec))
		left = 1;
	return left;
}
