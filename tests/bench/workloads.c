/*
 * BusyBox workloads: whole programs, each iteration a fork+execve of
 * /bin/busybox (or a shell) with its output on /dev/null. Preparing the
 * input and removing the output happen outside the timed part.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "kbench.h"

#define BB      "/bin/busybox"
#define TREE    "tree"
#define DATA    "data.1m"
#define TARBALL "tree.tar"
#define OUT     "out"

#define FTREE   "ftree"

#define TREE_DIRS  8
#define TREE_FILES 8          /* per directory, 4 KiB each: 256 KiB in all */
#define FTREE_DIRS 32         /* of 32 empty files each, for find */

/* Times 'argv' n times; 'before' and 'after' (shell commands, may be
 * NULL) run around each iteration, untimed. */
static int64_t time_program(long n, char *const argv[], const char *before, const char *after)
{
	int64_t total = 0;

	for (long i = 0; i < n; i++) {
		if (before && bench_sh(before) < 0) {
			bench_failed("preparing: %s", before);
			return -1;
		}
		int64_t t0 = bench_now();
		int status = bench_spawn(argv);
		total += bench_now() - t0;
		if (status != 0) {
			bench_failed("%s %s: status %#x", argv[1], argv[2] ? argv[2] : "", status);
			return -1;
		}
		if (after && bench_sh(after) < 0) {
			bench_failed("cleaning up: %s", after);
			return -1;
		}
	}
	return total;
}

static int write_file(const char *path, const char *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return -errno;
	while (len > 0) {
		ssize_t w = write(fd, data, len);
		if (w <= 0) {
			close(fd);
			return w < 0 ? -errno : -EIO;
		}
		data += w;
		len -= (size_t)w;
	}
	return close(fd) < 0 ? -errno : 0;
}

/* Empties the scratch directory (the current one). */
static int fresh_scratch(void)
{
	return bench_sh("rm -rf ./*") < 0 ? -EIO : 0;
}

/* TREE: TREE_DIRS directories of TREE_FILES 4 KiB files. */
static int make_tree(void)
{
	static char block[4096];
	char path[128];
	int rc = fresh_scratch();

	if (rc < 0 || mkdir(TREE, 0755) < 0)
		return rc < 0 ? rc : -errno;
	for (int d = 0; d < TREE_DIRS; d++) {
		snprintf(path, sizeof(path), TREE "/d%d", d);
		if (mkdir(path, 0755) < 0)
			return -errno;
		for (int f = 0; f < TREE_FILES; f++) {
			memset(block, 'a' + (d * TREE_FILES + f) % 26, sizeof(block));
			snprintf(path, sizeof(path), TREE "/d%d/f%d", d, f);
			if ((rc = write_file(path, block, sizeof(block))) < 0)
				return rc;
		}
	}
	return 0;
}

/* FTREE: FTREE_DIRS directories of FTREE_DIRS empty files. */
static int make_find_tree(void)
{
	char path[64];
	int rc = fresh_scratch();

	if (rc < 0 || mkdir(FTREE, 0755) < 0)
		return rc < 0 ? rc : -errno;
	for (int d = 0; d < FTREE_DIRS; d++) {
		snprintf(path, sizeof(path), FTREE "/d%d", d);
		if (mkdir(path, 0755) < 0)
			return -errno;
		for (int f = 0; f < FTREE_DIRS; f++) {
			snprintf(path, sizeof(path), FTREE "/d%d/f%d", d, f);
			if ((rc = write_file(path, "", 0)) < 0)
				return rc;
		}
	}
	return 0;
}

static int make_tarball(void)
{
	int rc = make_tree();
	if (rc < 0)
		return rc;
	return bench_sh(BB " tar -cf " TARBALL " -C . tree") < 0 ? -EIO : 0;
}

/* DATA: 1 MiB of text-like bytes, the same everywhere: words from a small
 * vocabulary picked by a fixed linear congruential sequence. */
static int make_data(void)
{
	static const char *const words[] = {
		"kernel ", "ring ", "service ", "shim ", "page ", "fault ", "pipe ",
		"fork ", "exec ", "signal ", "tmpfs ", "busybox ", "qemu ", "cpio ",
		"token ", "capability\n",
	};
	static char data[1 << 20];
	uint32_t x = 12345;
	size_t len = 0;
	int rc = fresh_scratch();

	if (rc < 0)
		return rc;
	while (len < sizeof(data)) {
		x = x * 1103515245u + 12345u;
		const char *w = words[(x >> 16) % 16];
		for (; *w && len < sizeof(data); w++)
			data[len++] = *w;
	}
	return write_file(DATA, data, sizeof(data));
}

static int64_t run_sh_true(long n)
{
	char *argv[] = { "/bin/sh", "-c", "true", NULL };
	return time_program(n, argv, NULL, NULL);
}

static int64_t run_pipeline(long n)
{
	char *argv[] = { "/bin/sh", "-c", "seq 1 2000 | grep 7 | sort -r | wc -l", NULL };
	return time_program(n, argv, NULL, NULL);
}

static int64_t run_cp_tree(long n)
{
	char *argv[] = { BB, "cp", "-a", TREE, OUT, NULL };
	return time_program(n, argv, NULL, "rm -rf " OUT);
}

static int64_t run_find(long n)
{
	char *argv[] = { BB, "find", FTREE, "-name", "f1*", NULL };
	return time_program(n, argv, NULL, NULL);
}

static int64_t run_gzip(long n)
{
	char *argv[] = { BB, "gzip", "-c", DATA, NULL };
	return time_program(n, argv, NULL, NULL);
}

static int64_t run_tar_extract(long n)
{
	char *argv[] = { BB, "tar", "-xf", TARBALL, "-C", OUT, NULL };
	return time_program(n, argv, "mkdir " OUT, "rm -rf " OUT);
}

static int64_t run_dd(long n)
{
	char *argv[] = { BB, "dd", "if=/dev/zero", "of=" OUT, "bs=64k", "count=256", NULL };
	return time_program(n, argv, NULL, "rm -f " OUT);
}

const struct bench workload_benches[] = {
	{ .name = "sh_true", .run = run_sh_true, .max_iters = 1000, .workload = 1 },
	{ .name = "pipeline", .run = run_pipeline, .max_iters = 200, .workload = 1 },
	{ .name = "cp_tree", .setup = make_tree, .run = run_cp_tree, .max_iters = 200,
	  .workload = 1 },
	{ .name = "find", .setup = make_find_tree, .run = run_find, .max_iters = 200, .workload = 1 },
	{ .name = "gzip_1m", .setup = make_data, .run = run_gzip, .max_iters = 50,
	  .workload = 1 },
	{ .name = "tar_extract", .setup = make_tarball, .run = run_tar_extract,
	  .max_iters = 200, .workload = 1 },
	{ .name = "dd_16m", .setup = fresh_scratch, .run = run_dd, .max_iters = 50,
	  .workload = 1 },
	{ 0 }
};
