/* clock_gettime and gettimeofday: valid values that never go backwards. */
#include "usertest.h"
#include <sys/time.h>
#include <time.h>

static long sys_clock_gettime(clockid_t id, struct timespec *ts)
{
	return syscall(SYS_clock_gettime, id, ts);
}

static int64_t ns(const struct timespec *ts)
{
	return ts->tv_sec * 1000000000LL + ts->tv_nsec;
}

int main(void)
{
	struct timespec a, b;
	int monotonic = 1, valid = 1;

	CHECK("clock.monotonic", sys_clock_gettime(CLOCK_MONOTONIC, &a) == 0);
	for (int i = 0; i < 20000; i++) {
		if (sys_clock_gettime(CLOCK_MONOTONIC, &b) != 0 || ns(&b) < ns(&a))
			monotonic = 0;
		if (b.tv_nsec < 0 || b.tv_nsec >= 1000000000L || b.tv_sec < 0)
			valid = 0;
		a = b;
	}
	CHECK("clock.monotonic_never_goes_back", monotonic);
	CHECK("clock.monotonic_fields_in_range", valid);

	struct timespec start, end;
	sys_clock_gettime(CLOCK_MONOTONIC, &start);
	volatile unsigned long spin = 0;
	do {
		for (int i = 0; i < 100000; i++)
			spin++;
		sys_clock_gettime(CLOCK_MONOTONIC, &end);
	} while (ns(&end) == ns(&start) && spin < 4000000000UL);
	CHECK("clock.monotonic_advances", ns(&end) > ns(&start));

	CHECK("clock.realtime", sys_clock_gettime(CLOCK_REALTIME, &a) == 0 &&
	      a.tv_nsec >= 0 && a.tv_nsec < 1000000000L);
	CHECK("clock.boottime", sys_clock_gettime(CLOCK_BOOTTIME, &a) == 0);
	CHECK("clock.libc_clock_gettime", clock_gettime(CLOCK_MONOTONIC, &a) == 0 &&
	      a.tv_nsec < 1000000000L);
	check_err("clock.bad_clock_einval", sys_clock_gettime(1000, &a), EINVAL);

	struct timeval tv;
	CHECK("gettimeofday.call", syscall(SYS_gettimeofday, &tv, NULL) == 0);
	CHECK("gettimeofday.usec_in_range", tv.tv_usec >= 0 && tv.tv_usec < 1000000);
	return finish();
}
