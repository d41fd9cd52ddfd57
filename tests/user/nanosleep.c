/* nanosleep and clock_nanosleep sleep at least as long as asked. */
#include "usertest.h"
#include <time.h>

static int64_t now_ns(void)
{
	struct timespec ts;
	syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int main(void)
{
	struct timespec req = { 0, 50 * 1000000L }, rem;
	int64_t t0 = now_ns();

	CHECK("nanosleep.50ms", syscall(SYS_nanosleep, &req, &rem) == 0);
	int64_t slept = now_ns() - t0;
	CHECK("nanosleep.at_least_50ms", slept >= 50 * 1000000LL);
	CHECK("nanosleep.less_than_10s", slept < 10 * 1000000000LL);

	struct timespec zero = { 0, 0 };
	CHECK("nanosleep.zero", syscall(SYS_nanosleep, &zero, NULL) == 0);
	struct timespec bad = { 0, 1000000000L };
	check_err("nanosleep.nsec_too_big_einval", syscall(SYS_nanosleep, &bad, NULL), EINVAL);
	struct timespec neg = { -1, 0 };
	check_err("nanosleep.negative_einval", syscall(SYS_nanosleep, &neg, NULL), EINVAL);

	struct timespec rel = { 0, 30 * 1000000L };
	t0 = now_ns();
	CHECK("clock_nanosleep.relative", syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, &rel,
						  NULL) == 0);
	CHECK("clock_nanosleep.relative_at_least_30ms", now_ns() - t0 >= 30 * 1000000LL);

	struct timespec abs;
	syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &abs);
	abs.tv_nsec += 40 * 1000000L;
	if (abs.tv_nsec >= 1000000000L) {
		abs.tv_sec++;
		abs.tv_nsec -= 1000000000L;
	}
	int64_t target = abs.tv_sec * 1000000000LL + abs.tv_nsec;
	CHECK("clock_nanosleep.absolute", syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC,
						  TIMER_ABSTIME, &abs, NULL) == 0);
	CHECK("clock_nanosleep.absolute_reached", now_ns() >= target);
	return finish();
}
