/*
 * The harness: picks each benchmark's iteration count, runs it in a child
 * of its own with a watchdog, and prints its one line.
 *
 *   kbench [-q] [-t MS] [-w S] [-s DIR] [NAME...]
 *   kbench -l          the benchmarks' names
 *   kbench -u          "kbench-uptime NS": the monotonic clock, that is the
 *                      time since the kernel started it (the boot figure)
 *
 * -q: quick mode, a handful of iterations (a correctness check, not a
 * measurement); -t: the target time of one run in milliseconds (default
 * 250, four times that for BusyBox workloads); -w: seconds one benchmark
 * may take before it is reported as failed (default 120; its process is
 * killed, or left behind where kill fails); -s: the scratch directory,
 * created and emptied (default /tmp/kbench). With NAMEs, only those run.
 * The last line is "kbench-done N F": N benchmarks, F of them failed or
 * unsupported.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "kbench.h"

#define GROWTH_MAX    100

static int64_t target_ns = 250LL * 1000000;
static int64_t watchdog_ns = 120LL * 1000000000;    /* one benchmark, at most */
static int quick;
static int result_fd = 1;       /* where the child writes its line */
static const char *current;
char bench_home[256];

int64_t bench_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* One line, one write(2): nothing is buffered across a fork. */
static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
	char line[256];
	va_list ap;

	va_start(ap, fmt);
	int n = vsnprintf(line, sizeof(line) - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if (n > (int)sizeof(line) - 2)
		n = sizeof(line) - 2;
	line[n++] = '\n';
	for (char *p = line; n > 0;) {
		ssize_t w = write(1, p, n);
		if (w <= 0)
			return;
		p += w;
		n -= w;
	}
}

static void report(const char *kind, const char *fmt, va_list ap)
{
	char why[160];

	vsnprintf(why, sizeof(why), fmt, ap);
	for (char *p = why; *p; p++)
		if (*p == '\n')
			*p = ' ';
	char line[256];
	snprintf(line, sizeof(line), "kbench %s %s %s\n", current, kind, why);
	(void)!write(result_fd, line, strlen(line));
}

void bench_unsupported(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report("unsupported", fmt, ap);
	va_end(ap);
}

void bench_failed(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report("failed", fmt, ap);
	va_end(ap);
}

int bench_spawn(char *const argv[])
{
	pid_t pid = fork();
	int status;

	if (pid < 0)
		return -errno;
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR);
		if (null >= 0) {
			dup2(null, 0);
			dup2(null, 1);
			dup2(null, 2);
			if (null > 2)
				close(null);
		}
		execv(argv[0], argv);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0)
		return -errno;
	return status;
}

int bench_sh(const char *cmd)
{
	char *argv[] = { "/bin/sh", "-c", (char *)cmd, NULL };

	return bench_spawn(argv) == 0 ? 0 : -1;
}

/* Runs one benchmark in this process, growing the count until a run takes
 * the target time. Writes its line to result_fd. */
static int measure(const struct bench *b)
{
	int64_t target = b->workload ? 4 * target_ns : target_ns;
	long max = b->max_iters ? b->max_iters : 1L << 40;
	long n = 1;

	if (quick) {
		max = b->workload ? 1 : (max < 16 ? max : 16);
		n = max;
	}
	if (b->setup) {
		int rc = b->setup();
		if (rc < 0) {
			bench_failed("setup: %s", strerror(-rc));
			return 1;
		}
	}
	for (;;) {
		int64_t ns = b->run(n);
		if (ns < 0)
			return 1;
		if (n >= max || ns >= target || quick) {
			char line[128];
			long whole = (long)(ns * 10 / n);
			snprintf(line, sizeof(line), "kbench %s %ld.%ld %ld\n", b->name,
				 whole / 10, whole % 10, n);
			(void)!write(result_fd, line, strlen(line));
			return 0;
		}
		/* Aim a little past the target, growing at most GROWTH_MAX-fold. */
		long next = ns > 0 ? (long)((double)n * target * 1.2 / (double)ns) : n * GROWTH_MAX;
		if (next > n * GROWTH_MAX)
			next = n * GROWTH_MAX;
		if (next <= n)
			next = n * 2;
		n = next < max ? next : max;
	}
}

/* Sleeps a little longer each time, up to 100 ms, so a quick benchmark is
 * reaped at once and a long one is rarely disturbed. */
static void backoff(int64_t *delay)
{
	struct timespec ts = { 0, *delay };

	nanosleep(&ts, NULL);
	if (*delay < 100000000)
		*delay *= 2;
}

/* Runs b in a child; prints its line or why it has none. Returns 0 when it
 * produced a figure. */
static int run_isolated(const struct bench *b)
{
	int fds[2];

	current = b->name;
	if (pipe(fds) < 0) {
		say("kbench %s failed pipe: %s", b->name, strerror(errno));
		return 1;
	}
	pid_t pid = fork();
	if (pid < 0) {
		say("kbench %s failed fork: %s", b->name, strerror(errno));
		close(fds[0]);
		close(fds[1]);
		return 1;
	}
	if (pid == 0) {
		close(fds[0]);
		result_fd = fds[1];
		_exit(measure(b));
	}
	close(fds[1]);

	int status = 0;
	int64_t start = bench_now(), delay = 1000000;
	pid_t got;
	while ((got = waitpid(pid, &status, WNOHANG)) == 0) {
		if (bench_now() - start > watchdog_ns) {
			if (kill(pid, SIGKILL) == 0)
				waitpid(pid, NULL, 0);
			say("kbench %s failed timeout", b->name);
			close(fds[0]);
			return 1;
		}
		backoff(&delay);
	}

	char line[256];
	ssize_t len = read(fds[0], line, sizeof(line) - 1);
	close(fds[0]);
	if (len > 0) {
		line[len] = '\0';
		(void)!write(1, line, (size_t)len);
		return strstr(line, " unsupported ") || strstr(line, " failed ");
	}
	if (got < 0)
		say("kbench %s failed waitpid: %s", b->name, strerror(errno));
	else if (WIFSIGNALED(status))
		say("kbench %s failed killed by signal %d", b->name, WTERMSIG(status));
	else
		say("kbench %s failed exit %d", b->name, WEXITSTATUS(status));
	return 1;
}

static const struct bench *const tables[] = {
	syscall_benches, process_benches, memory_benches, workload_benches,
};

/* bench_home: the absolute directory of argv0, found before any chdir. */
static int find_home(const char *argv0)
{
	const char *slash = strrchr(argv0, '/');
	char dir[256] = ".";

	if (slash) {
		size_t len = (size_t)(slash - argv0);
		if (len >= sizeof(dir))
			len = sizeof(dir) - 1;
		memcpy(dir, argv0, len);
		dir[len] = '\0';
		if (len == 0)
			strcpy(dir, "/");
	}
	if (dir[0] == '/') {
		snprintf(bench_home, sizeof(bench_home), "%s", dir);
		return 1;
	}
	char cwd[200];
	if (!getcwd(cwd, sizeof(cwd))) {
		fprintf(stderr, "kbench: getcwd: %s\n", strerror(errno));
		return 0;
	}
	snprintf(bench_home, sizeof(bench_home), "%s/%s", cwd, dir);
	return 1;
}

/* Creates 'dir' if need be, empties it and makes it the current directory. */
static int enter_scratch(const char *dir)
{
	if (mkdir(dir, 0755) < 0 && errno != EEXIST) {
		fprintf(stderr, "kbench: %s: %s\n", dir, strerror(errno));
		return -1;
	}
	if (chdir(dir) < 0) {
		fprintf(stderr, "kbench: %s: %s\n", dir, strerror(errno));
		return -1;
	}
	return bench_sh("rm -rf ./*");
}

static int wanted(const char *name, int argc, char **argv)
{
	if (argc == 0)
		return 1;
	for (int i = 0; i < argc; i++)
		if (!strcmp(argv[i], name))
			return 1;
	return 0;
}

int main(int argc, char **argv)
{
	int opt, list = 0;
	const char *scratch = KBENCH_SCRATCH;

	while ((opt = getopt(argc, argv, "qt:w:s:lu")) != -1) {
		switch (opt) {
		case 'u':
			say("kbench-uptime %lld", (long long)bench_now());
			return 0;
		case 'q':
			quick = 1;
			break;
		case 't':
			target_ns = atol(optarg) * 1000000LL;
			break;
		case 'w':
			watchdog_ns = atol(optarg) * 1000000000LL;
			break;
		case 's':
			scratch = optarg;
			break;
		case 'l':
			list = 1;
			break;
		default:
			fprintf(stderr, "usage: kbench [-q] [-t MS] [-w S] [-s DIR] [-l] [-u] [NAME...]\n");
			return 2;
		}
	}
	if (!find_home(argv[0]) || (!list && enter_scratch(scratch) < 0))
		return 2;
	argc -= optind;
	argv += optind;
	signal(SIGPIPE, SIG_IGN);

	int ran = 0, bad = 0;
	for (size_t t = 0; t < sizeof(tables) / sizeof(tables[0]); t++) {
		for (const struct bench *b = tables[t]; b->name; b++) {
			if (list) {
				say("%s", b->name);
				continue;
			}
			if (!wanted(b->name, argc, argv))
				continue;
			ran++;
			bad += run_isolated(b);
		}
	}
	if (!list) {
		bench_sh("rm -rf ./*");
		say("kbench-done %d %d", ran, bad);
	}
	return 0;
}
