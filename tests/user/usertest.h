/*
 * What every program in tests/user shares: the PASS/FAIL lines, checks
 * on return values and errno, children whose end is observed through
 * wait4, and scratch directories.
 *
 * A program prints one line per check, "PASS <name>" or "FAIL <name>:
 * <why>", and nothing else: no pids, addresses or times, so that its output
 * on the host Linux and on Kevlar can be compared line by line. Each line
 * is one write(2) on fd 1, never buffered, so a fork cannot print it twice.
 * The program exits 0 if every check passed, 1 otherwise.
 *
 * Calls whose libc wrapper would touch a bad pointer itself (musl's stat
 * copies out of a kernel struct; clock_gettime may use the vDSO) are made
 * with syscall(2), so the kernel is what is being tested.
 */
#ifndef KEVLAR_USERTEST_H
#define KEVLAR_USERTEST_H

#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

/* User pointers no call may accept: page 0's neighbour (never mapped), a
 * non-canonical address, the start of the kernel half (the direct map on
 * Kevlar) and the kernel image. */
#define BAD_UNMAPPED	((void *)0x1000UL)
#define BAD_NONCANON	((void *)0x0000800000000000UL)
#define BAD_KHALF	((void *)0xffff800000000000UL)
#define BAD_KIMAGE	((void *)0xffffffff80000000UL)

static int ut_failures;

static inline void ut_vsay(const char *fmt, va_list ap)
{
	char line[512];
	int n = vsnprintf(line, sizeof(line) - 1, fmt, ap);

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

static inline void say(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));
static inline void say(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ut_vsay(fmt, ap);
	va_end(ap);
}

static inline void pass(const char *name)
{
	say("PASS %s", name);
}

static inline void fail(const char *name, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static inline void fail(const char *name, const char *fmt, ...)
{
	char why[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	say("FAIL %s: %s", name, why);
	ut_failures++;
}

static inline const char *errname(int e)
{
	static const struct { int e; const char *name; } names[] = {
		{ EPERM, "EPERM" }, { ENOENT, "ENOENT" }, { ESRCH, "ESRCH" },
		{ EINTR, "EINTR" }, { EIO, "EIO" }, { ENXIO, "ENXIO" }, { E2BIG, "E2BIG" },
		{ ENOEXEC, "ENOEXEC" }, { EBADF, "EBADF" }, { ECHILD, "ECHILD" },
		{ EAGAIN, "EAGAIN" }, { ENOMEM, "ENOMEM" }, { EACCES, "EACCES" },
		{ EFAULT, "EFAULT" }, { EBUSY, "EBUSY" }, { EEXIST, "EEXIST" },
		{ EXDEV, "EXDEV" }, { ENODEV, "ENODEV" }, { ENOTDIR, "ENOTDIR" },
		{ EISDIR, "EISDIR" }, { EINVAL, "EINVAL" }, { ENFILE, "ENFILE" },
		{ EMFILE, "EMFILE" }, { ENOTTY, "ENOTTY" }, { EFBIG, "EFBIG" },
		{ ENOSPC, "ENOSPC" }, { ESPIPE, "ESPIPE" }, { EROFS, "EROFS" },
		{ EMLINK, "EMLINK" }, { EPIPE, "EPIPE" }, { ERANGE, "ERANGE" },
		{ ENAMETOOLONG, "ENAMETOOLONG" }, { ENOSYS, "ENOSYS" },
		{ ENOTEMPTY, "ENOTEMPTY" }, { ELOOP, "ELOOP" }, { EOVERFLOW, "EOVERFLOW" },
		{ ETXTBSY, "ETXTBSY" }, { EOPNOTSUPP, "EOPNOTSUPP" },
	};
	static char other[32];

	if (e == 0)
		return "no error";
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].e == e)
			return names[i].name;
	snprintf(other, sizeof(other), "errno %d", e);
	return other;
}

/* Passes 'name' if 'ok'; otherwise fails it, saying what was expected. */
static inline int check(const char *name, int ok, const char *what)
{
	if (ok)
		pass(name);
	else
		fail(name, "expected %s", what);
	return ok;
}
#define CHECK(name, cond) check((name), !!(cond), #cond)

/* Passes if the call succeeded (returned >= 0), as system calls report it. */
static inline int check_ok(const char *name, long ret)
{
	if (ret >= 0) {
		pass(name);
		return 1;
	}
	fail(name, "failed with %s", errname(errno));
	return 0;
}

/* Passes if the call failed (-1) with errno 'want'. */
static inline int check_err(const char *name, long ret, int want)
{
	if (ret == -1 && errno == want) {
		pass(name);
		return 1;
	}
	if (ret == -1)
		fail(name, "expected %s, got %s", errname(want), errname(errno));
	else
		fail(name, "expected %s, but the call succeeded (returned %ld)", errname(want), ret);
	return 0;
}

static inline int finish(void)
{
	return ut_failures ? 1 : 0;
}

/* How a wait status reads, for FAIL messages. */
static inline const char *status_str(int st)
{
	static char buf[64];

	if (WIFEXITED(st))
		snprintf(buf, sizeof(buf), "exited with %d", WEXITSTATUS(st));
	else if (WIFSIGNALED(st))
		snprintf(buf, sizeof(buf), "killed by signal %d", WTERMSIG(st));
	else
		snprintf(buf, sizeof(buf), "wait status 0x%x", st);
	return buf;
}

/*
 * Runs fn(arg) in a child that then exits with fn's return value, and
 * returns the child's wait status (or -1 if fork or wait failed). The
 * child dumps no core if it dies.
 */
static inline int in_child(int (*fn)(void *), void *arg)
{
	int st;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (pid == 0) {
		struct rlimit none = { 0, 0 };
		setrlimit(RLIMIT_CORE, &none);
		_exit(fn(arg));
	}
	if (waitpid(pid, &st, 0) != pid)
		return -1;
	return st;
}

/* Passes if the child ended with exit status 'code'. */
static inline int check_exit(const char *name, int st, int code)
{
	if (st != -1 && WIFEXITED(st) && WEXITSTATUS(st) == code) {
		pass(name);
		return 1;
	}
	fail(name, "expected the child to exit with %d, it %s", code,
	     st == -1 ? "could not be started or waited for" : status_str(st));
	return 0;
}

/* Passes if the child was killed by signal 'sig'. */
static inline int check_killed(const char *name, int st, int sig)
{
	if (st != -1 && WIFSIGNALED(st) && WTERMSIG(st) == sig) {
		pass(name);
		return 1;
	}
	fail(name, "expected the child to be killed by signal %d, it %s", sig,
	     st == -1 ? "could not be started or waited for" : status_str(st));
	return 0;
}

/* Touching memory from a child, to see whether it faults. */
static inline int touch_read(void *p)
{
	return *(volatile char *)p == 0x5a ? 3 : 0;
}

static inline int touch_write(void *p)
{
	*(volatile char *)p = 0x5a;
	return 0;
}

/* A new empty directory under /tmp, and going back on it. */
static char ut_scratch[64];

static inline const char *scratch_dir(void)
{
	strcpy(ut_scratch, "/tmp/kevlar-ut-XXXXXX");
	if (!mkdtemp(ut_scratch)) {
		say("FAIL setup: cannot make a directory under /tmp: %s", errname(errno));
		exit(1);
	}
	return ut_scratch;
}

static inline void remove_tree(const char *path)
{
	struct stat st;

	if (lstat(path, &st) != 0)
		return;
	if (S_ISDIR(st.st_mode)) {
		DIR *d = opendir(path);
		struct dirent *de;

		while (d && (de = readdir(d))) {
			char sub[512];
			if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
				continue;
			snprintf(sub, sizeof(sub), "%s/%s", path, de->d_name);
			remove_tree(sub);
		}
		if (d)
			closedir(d);
		chmod(path, 0700);
		rmdir(path);
	} else {
		unlink(path);
	}
}

/* Writes a whole file; returns 0 or -1. */
static inline int write_file(const char *path, const void *data, size_t len, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);

	if (fd < 0)
		return -1;
	if (write(fd, data, len) != (ssize_t)len) {
		close(fd);
		return -1;
	}
	return close(fd);
}

#endif
