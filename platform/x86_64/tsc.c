/*
 * The TSC as the monotonic clock, calibrated against PIT channel 2: the
 * PIT runs at a fixed 1.193182 MHz, so counting TSC cycles across a known
 * number of PIT ticks gives the TSC frequency.
 */
#include <kevlar/printk.h>
#include <kevlar/time.h>
#include "cpu.h"

#define PIT_HZ        1193182UL
#define PIT_CH2       0x42
#define PIT_CMD       0x43
#define PIT_GATE      0x61
#define CALIBRATE_MS  20

static u64 tsc_hz;
static u64 tsc_base;
static u64 ns_mult;      /* ns = (cycles * ns_mult) >> 32 */

/* Cycles elapsed while PIT channel 2 counts down 'ms' milliseconds, or 0
 * if the PIT never finished (no PIT, or a broken one). */
static u64 pit_measure(unsigned ms)
{
	u32 count = (u32)(PIT_HZ * ms / 1000);
	u8 gate = inb(PIT_GATE);

	outb(PIT_GATE, (gate & ~0x02) | 0x01);   /* gate on, speaker off */
	outb(PIT_CMD, 0xb0);                     /* ch2, lo/hi, mode 0 */
	outb(PIT_CH2, count & 0xff);
	outb(PIT_CH2, count >> 8);

	u64 start = rdtsc();
	u64 spins = 0;
	while (!(inb(PIT_GATE) & 0x20)) {
		if (++spins > 100000000UL)
			return 0;
	}
	return rdtsc() - start;
}

void tsc_calibrate(void)
{
	u64 best = ~0UL;

	/* Take the smallest of a few runs: interference only adds cycles. */
	for (int i = 0; i < 3; i++) {
		u64 c = pit_measure(CALIBRATE_MS);
		if (c && c < best)
			best = c;
	}
	if (best == ~0UL) {
		tsc_hz = 1000000000UL;
		printk("tsc: PIT calibration failed, assuming 1 GHz\n");
	} else {
		tsc_hz = best * 1000 / CALIBRATE_MS;
	}
	ns_mult = (NSEC_PER_SEC << 32) / tsc_hz;
	tsc_base = rdtsc();
	printk("tsc: %lu.%03lu MHz\n", tsc_hz / 1000000, (tsc_hz / 1000) % 1000);
}

nsec_t clock_monotonic_ns(void)
{
	if (!ns_mult)
		return 0;
	u64 delta = rdtsc() - tsc_base;
	return (nsec_t)(((unsigned __int128)delta * ns_mult) >> 32);
}

u64 tsc_frequency(void)
{
	return tsc_hz;
}

u64 tsc_cycles(void)
{
	return rdtsc();
}

void udelay(u64 us)
{
	if (!tsc_hz) {
		/* Before calibration: roughly 1 us per port read. */
		for (u64 i = 0; i < us; i++)
			inb(0x80);
		return;
	}
	u64 end = rdtsc() + us * (tsc_hz / 1000000);
	while (rdtsc() < end)
		__builtin_ia32_pause();
}
