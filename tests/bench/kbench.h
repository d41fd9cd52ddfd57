/*
 * kbench: system-call and BusyBox benchmarks, the same program on Kevlar
 * and on Linux (tools/bench.py boots both and compares).
 *
 * Every benchmark prints exactly one line on fd 1, one of
 *
 *   kbench NAME NS_PER_OP ITERATIONS
 *   kbench NAME unsupported REASON...
 *   kbench NAME failed REASON...
 *
 * NS_PER_OP has one decimal. It is CLOCK_MONOTONIC time measured in user
 * space around ITERATIONS operations (under QEMU -icount, guest
 * instructions). The count grows until one run lasts the target time, so
 * slow and fast kernels are both measured over a similar span.
 *
 * Each benchmark runs in a child process of its own: one that crashes or
 * hangs is reported as failed and the rest still run.
 */
#ifndef KBENCH_H
#define KBENCH_H

#define _GNU_SOURCE
#include <stdint.h>
#include <sys/types.h>

/* Benchmarks run in a scratch directory of their own (kbench -s DIR,
 * default /tmp/kbench) and name their files relative to it. */
#define KBENCH_SCRATCH "/tmp/kbench"
/* The directory kbench itself is in, where the tiny program is. */
extern char bench_home[];

struct bench {
	const char *name;
	/* Once, in the benchmark's process, before any run: 0 or -errno. */
	int (*setup)(void);
	/* Performs n operations and returns the nanoseconds they took
	 * (measured by the benchmark itself, so per-iteration preparation can
	 * stay outside), or -1 after bench_unsupported()/bench_failed(). */
	int64_t (*run)(long n);
	/* At most this many operations in one run (0: no limit). */
	long max_iters;
	/* Whether a run is a whole program (a BusyBox workload): those get a
	 * longer target time and fewer iterations. */
	int workload;
};

/* The clock every benchmark uses, in nanoseconds. */
int64_t bench_now(void);

/* Say why the benchmark cannot run here; the run function then returns -1. */
void bench_unsupported(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void bench_failed(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Keeps a value alive: the compiler must assume it is read. */
static inline void bench_sink(uint64_t v)
{
	__asm__ __volatile__("" : : "r"(v) : "memory");
}

/* Hides a value's origin from the optimizer (so a loop cannot be folded). */
static inline long bench_opaque(long v)
{
	__asm__ __volatile__("" : "+r"(v));
	return v;
}

/* Runs argv (argv[0] a full path) with stdin, stdout and stderr on
 * /dev/null; returns its wait status, or -errno if it could not start. */
int bench_spawn(char *const argv[]);
/* Runs a /bin/sh command line, untimed preparation: 0 if it exited 0. */
int bench_sh(const char *cmd);

/* The tables, one per source file. */
extern const struct bench syscall_benches[];
extern const struct bench process_benches[];
extern const struct bench memory_benches[];
extern const struct bench workload_benches[];

#endif
