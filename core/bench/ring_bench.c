/*
 * bench=ring: what a call from Core into a Ring 2 service costs in this
 * profile. It times a null operation, console.ping, through the generated
 * shim (ops table, recovery point, inlining: whatever the profile makes of
 * it), and a plain call to a Core function that does as little and cannot
 * be inlined, both with the TSC, and prints one line:
 *
 *   bench: ring shim=S.SS direct=D.DD cycles/call calls=N
 *
 * The best of several rounds counts: interrupts only ever add cycles.
 * tools/bench.py puts the two figures in its table. Under QEMU's TCG the
 * guest TSC follows the host's; under -icount it counts instructions.
 */
#include <ifc/console.h>
#include <kevlar/cmdline.h>
#include <kevlar/compiler.h>
#include <kevlar/errno.h>
#include <kevlar/printk.h>
#include <kevlar/string.h>
#include <kevlar/time.h>
#include "ring_bench.h"

#define RING_BENCH_CALLS  20000
#define RING_BENCH_ROUNDS 7

static bool requested;

static int set_bench(const char *v)
{
	if (!v || strcmp(v, "ring"))
		return -EINVAL;
	requested = true;
	return 0;
}
KPARAM("bench", set_bench, "ring: time a null call through a Ring 2 shim at boot");

/* The baseline: a call the compiler must make, to code that does nothing. */
static __noipa int direct_null(void)
{
	return 0;
}

/* Cycles for RING_BENCH_CALLS calls through the profile's own shim (out
 * of line, a macro or inlined, as the generator made it); any non-zero
 * result is or-ed into *bad. */
static u64 time_shim(int *bad)
{
	int sum = 0;
	u64 start = tsc_cycles();

	for (int i = 0; i < RING_BENCH_CALLS; i++)
		sum |= console_ping();
	u64 cycles = tsc_cycles() - start;
	*bad |= sum;
	return cycles;
}

/* The same loop around the plain call. */
static u64 time_direct(int *bad)
{
	int sum = 0;
	u64 start = tsc_cycles();

	for (int i = 0; i < RING_BENCH_CALLS; i++)
		sum |= direct_null();
	u64 cycles = tsc_cycles() - start;
	*bad |= sum;
	return cycles;
}

static void print_per_call(char *buf, size_t len, u64 cycles)
{
	u64 hundredths = cycles * 100 / RING_BENCH_CALLS;

	ksnprintf(buf, len, "%lu.%02lu", hundredths / 100, hundredths % 100);
}

void ring_bench_run(void)
{
	u64 best_shim = ~0UL, best_direct = ~0UL;
	int bad = 0;
	char shim[32], direct[32];

	if (!requested)
		return;
	for (int round = 0; round < RING_BENCH_ROUNDS; round++) {
		u64 s = time_shim(&bad);
		u64 d = time_direct(&bad);
		if (s < best_shim)
			best_shim = s;
		if (d < best_direct)
			best_direct = d;
	}
	if (bad) {
		printk("bench: ring failed: console.ping returned %d\n", bad);
		return;
	}
	print_per_call(shim, sizeof(shim), best_shim);
	print_per_call(direct, sizeof(direct), best_direct);
	printk("bench: ring shim=%s direct=%s cycles/call calls=%d\n", shim, direct,
	       RING_BENCH_CALLS);
}
