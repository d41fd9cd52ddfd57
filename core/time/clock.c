/*
 * The clocks user space reads and sleeps on: CLOCK_REALTIME is the CMOS
 * time at boot plus the monotonic clock; the monotonic clocks are the
 * TSC's. Sleeps go through the scheduler's timed sleep.
 */
#include <syscalls.h>
#include <abi/time.h>
#include <kevlar/abi.h>
#include <kevlar/clock.h>
#include <kevlar/errno.h>
#include <kevlar/signal.h>
#include <kevlar/task.h>
#include <kevlar/time.h>
#include <kevlar/uaccess.h>

static s64 realtime_offset_ns;
static bool realtime_known;

static s64 realtime_ns(void)
{
	if (!realtime_known) {
		realtime_offset_ns = rtc_read_epoch() * (s64)NSEC_PER_SEC -
				     (s64)clock_monotonic_ns();
		realtime_known = true;
	}
	return realtime_offset_ns + (s64)clock_monotonic_ns();
}

s64 clock_realtime_ns(void)
{
	return realtime_ns();
}

/* The clock's time in ns, or -EINVAL for a clock that does not exist. */
static int clock_read(int clk, s64 *ns)
{
	switch (clk) {
	case CLOCK_REALTIME:
	case CLOCK_REALTIME_COARSE:
		*ns = realtime_ns();
		return 0;
	case CLOCK_MONOTONIC:
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_MONOTONIC_COARSE:
	case CLOCK_BOOTTIME:
	case CLOCK_PROCESS_CPUTIME_ID:
	case CLOCK_THREAD_CPUTIME_ID:
		*ns = (s64)clock_monotonic_ns();
		return 0;
	default:
		return -EINVAL;
	}
}

static struct timespec to_timespec(s64 ns)
{
	return (struct timespec){ ns / (s64)NSEC_PER_SEC, ns % (s64)NSEC_PER_SEC };
}

int sys_clock_gettime(int clk, uptr_t tp)
{
	s64 ns;
	int rc = clock_read(clk, &ns);
	if (rc)
		return rc;
	struct timespec ts = to_timespec(ns);
	return copy_to_user(tp, &ts, sizeof(ts)) ? -EFAULT : 0;
}

int sys_clock_getres(int clk, uptr_t res)
{
	s64 ns;
	int rc = clock_read(clk, &ns);
	if (rc)
		return rc;
	struct timespec ts = { 0, 1 };
	if (res && copy_to_user(res, &ts, sizeof(ts)))
		return -EFAULT;
	return 0;
}

int sys_gettimeofday(uptr_t tv, uptr_t tz)
{
	s64 ns = realtime_ns();
	struct timeval v = { ns / (s64)NSEC_PER_SEC, (ns % (s64)NSEC_PER_SEC) / 1000 };
	if (tv && copy_to_user(tv, &v, sizeof(v)))
		return -EFAULT;
	if (tz && clear_user(tz, 8))
		return -EFAULT;
	return 0;
}

long sys_time(uptr_t tloc)
{
	s64 t = realtime_ns() / (s64)NSEC_PER_SEC;
	if (tloc && copy_to_user(tloc, &t, sizeof(t)))
		return -EFAULT;
	return t;
}

/* Writes the time left until 'deadline' to rem (if given). */
static int write_remaining(uptr_t rem, u64 deadline)
{
	u64 now = clock_monotonic_ns();
	u64 left = deadline > now ? deadline - now : 0;
	struct timespec ts = { (s64)(left / NSEC_PER_SEC), (s64)(left % NSEC_PER_SEC) };
	return rem && copy_to_user(rem, &ts, sizeof(ts)) ? -EFAULT : 0;
}

/*
 * Sleeps until the monotonic clock reaches 'deadline'. A signal ends the
 * sleep: the time left goes to rem and the call asks to be restarted
 * through restart_syscall, which sleeps until the same deadline (when
 * the signal had no handler: a stop and continue) or fails with EINTR.
 */
static int sleep_until(u64 deadline, uptr_t rem)
{
	while (clock_monotonic_ns() < deadline) {
		if (sched_sleep_intr(NULL, deadline) == -EINTR) {
			struct task *t = current_task();
			if (write_remaining(rem, deadline))
				return -EFAULT;
			t->restart_deadline_ns = deadline;
			t->restart_rem = rem;
			return -ERESTART_RESTARTBLOCK;
		}
	}
	return 0;
}

long sys_restart_syscall(void)
{
	struct task *t = current_task();
	if (!t->restart_deadline_ns)
		return -EINTR;
	u64 deadline = t->restart_deadline_ns;
	t->restart_deadline_ns = 0;
	return sleep_until(deadline, t->restart_rem);
}

static int read_timespec(uptr_t req, s64 *ns)
{
	struct timespec ts;
	if (copy_from_user(&ts, req, sizeof(ts)))
		return -EFAULT;
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= (s64)NSEC_PER_SEC)
		return -EINVAL;
	*ns = ts.tv_sec > (s64)(~0UL >> 2) / (s64)NSEC_PER_SEC ? (s64)(~0UL >> 2)
		: ts.tv_sec * (s64)NSEC_PER_SEC + ts.tv_nsec;
	return 0;
}

int sys_nanosleep(uptr_t req, uptr_t rem)
{
	s64 ns;
	int rc = read_timespec(req, &ns);
	if (rc)
		return rc;
	return sleep_until(clock_monotonic_ns() + (u64)ns, rem);
}

int sys_clock_nanosleep(int clk, int flags, uptr_t req, uptr_t rem)
{
	s64 now, ns;
	int rc = clock_read(clk, &now);
	if (rc)
		return rc;
	if (clk == CLOCK_THREAD_CPUTIME_ID)
		return -EINVAL;
	rc = read_timespec(req, &ns);
	if (rc)
		return rc;
	s64 wait = flags & TIMER_ABSTIME ? ns - now : ns;
	if (wait <= 0)
		return 0;
	int r = sleep_until(clock_monotonic_ns() + (u64)wait, flags & TIMER_ABSTIME ? 0 : rem);
	/* An absolute sleep restarts with its own arguments. */
	return r == -ERESTART_RESTARTBLOCK && (flags & TIMER_ABSTIME) ? -ERESTARTNOHAND : r;
}

int sys_sched_yield(void)
{
	schedule();
	return 0;
}
