/*
 * Single system calls in a loop: the cost of entering the kernel and of
 * the simplest work behind each call. Results are summed into a sink so
 * no call can be dropped; calls go through syscall(2) where musl would
 * otherwise answer without the kernel (clock_gettime has both forms: the
 * libc one, which may use a vDSO, and the raw system call).
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>
#include "kbench.h"

#define FILE_PATH "file"

static char buf[4096];
static int fd_null, fd_zero, fd_file;

static int open_devices(void)
{
	fd_null = open("/dev/null", O_RDWR);
	fd_zero = open("/dev/zero", O_RDONLY);
	if (fd_null < 0 || fd_zero < 0)
		return -errno;
	return 0;
}

static int make_file(void)
{
	fd_file = open(FILE_PATH, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd_file < 0)
		return -errno;
	if (write(fd_file, buf, sizeof(buf)) != (ssize_t)sizeof(buf))
		return -EIO;
	return 0;
}

/* The loop every benchmark here shares: 'call' once per iteration, its
 * results summed; a negative one ends the run as failed. */
#define TIMED_LOOP(n, call, what)                                      \
	do {                                                           \
		uint64_t sum = 0;                                      \
		int64_t t0 = bench_now();                              \
		for (long i = 0; i < (n); i++) {                       \
			long r = (long)(call);                         \
			if (r < 0) {                                   \
				bench_failed("%s: %s", what, strerror(errno)); \
				return -1;                             \
			}                                              \
			sum += (uint64_t)r;                            \
		}                                                      \
		int64_t t1 = bench_now();                              \
		bench_sink(sum);                                       \
		return t1 - t0;                                        \
	} while (0)

static int64_t run_getpid(long n)
{
	TIMED_LOOP(n, syscall(SYS_getpid), "getpid");
}

static int64_t run_read_null(long n)
{
	TIMED_LOOP(n, read(fd_null, buf, sizeof(buf)), "read");
}

static int64_t run_read_zero(long n)
{
	TIMED_LOOP(n, read(fd_zero, buf, sizeof(buf)), "read");
}

static int64_t run_write_null(long n)
{
	TIMED_LOOP(n, write(fd_null, buf, sizeof(buf)), "write");
}

static long open_close(void)
{
	int fd = open(FILE_PATH, O_RDONLY);
	if (fd < 0)
		return -1;
	return close(fd) < 0 ? -1 : fd;
}

static int64_t run_open_close(long n)
{
	TIMED_LOOP(n, open_close(), "open/close");
}

static struct stat st;

static long stat_size(int rc)
{
	return rc < 0 ? rc : (long)st.st_size;
}

static int64_t run_stat(long n)
{
	TIMED_LOOP(n, stat_size(stat(FILE_PATH, &st)), "stat");
}

static int64_t run_fstat(long n)
{
	TIMED_LOOP(n, stat_size(fstat(fd_file, &st)), "fstat");
}

static int64_t run_lseek(long n)
{
	TIMED_LOOP(n, lseek(fd_file, bench_opaque(0), SEEK_SET), "lseek");
}

static long dup_close(void)
{
	int fd = dup(fd_file);
	if (fd < 0)
		return -1;
	return close(fd) < 0 ? -1 : fd;
}

static int64_t run_dup_close(long n)
{
	TIMED_LOOP(n, dup_close(), "dup/close");
}

static int64_t run_sched_yield(long n)
{
	TIMED_LOOP(n, sched_yield(), "sched_yield");
}

static struct timespec ts;

static long ts_ns(int rc)
{
	return rc < 0 ? rc : ts.tv_nsec;
}

static int64_t run_clock_gettime(long n)
{
	TIMED_LOOP(n, ts_ns(clock_gettime(CLOCK_MONOTONIC, &ts)), "clock_gettime");
}

static int64_t run_clock_gettime_syscall(long n)
{
	TIMED_LOOP(n, ts_ns((int)syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &ts)),
		   "clock_gettime");
}

static struct utsname uts;

static long uname_byte(int rc)
{
	return rc < 0 ? rc : uts.release[0];
}

static int64_t run_uname(long n)
{
	TIMED_LOOP(n, uname_byte(uname(&uts)), "uname");
}

const struct bench syscall_benches[] = {
	{ .name = "getpid", .run = run_getpid },
	{ .name = "read_null", .setup = open_devices, .run = run_read_null },
	{ .name = "read_zero", .setup = open_devices, .run = run_read_zero },
	{ .name = "write_null", .setup = open_devices, .run = run_write_null },
	{ .name = "open_close", .setup = make_file, .run = run_open_close },
	{ .name = "stat", .setup = make_file, .run = run_stat },
	{ .name = "fstat", .setup = make_file, .run = run_fstat },
	{ .name = "lseek", .setup = make_file, .run = run_lseek },
	{ .name = "dup_close", .setup = make_file, .run = run_dup_close },
	{ .name = "sched_yield", .run = run_sched_yield },
	{ .name = "clock_gettime", .run = run_clock_gettime },
	{ .name = "clock_gettime_syscall", .run = run_clock_gettime_syscall },
	{ .name = "uname", .run = run_uname },
	{ 0 }
};
