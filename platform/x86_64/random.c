/* random_u64(): the CPU's hardware generator, else TSC jitter mixing. */
#include <kevlar/random.h>
#include <kevlar/time.h>
#include "cpu.h"

enum source { SRC_UNKNOWN, SRC_RDSEED, SRC_RDRAND, SRC_TSC };
static enum source source;
static u64 mix_state;

static enum source detect(void)
{
	u32 a, b, c, d;

	cpuid(7, 0, &a, &b, &c, &d);
	if (b & (1u << 18))
		return SRC_RDSEED;
	cpuid(1, 0, &a, &b, &c, &d);
	if (c & (1u << 30))
		return SRC_RDRAND;
	return SRC_TSC;
}

static bool rdseed(u64 *v)
{
	for (int i = 0; i < 64; i++) {
		u8 ok;
		__asm__ __volatile__("rdseed %0; setc %1" : "=r"(*v), "=qm"(ok));
		if (ok)
			return true;
	}
	return false;
}

static bool rdrand(u64 *v)
{
	for (int i = 0; i < 16; i++) {
		u8 ok;
		__asm__ __volatile__("rdrand %0; setc %1" : "=r"(*v), "=qm"(ok));
		if (ok)
			return true;
	}
	return false;
}

/* splitmix64 over the TSC: each call folds in the cycle counter. */
static u64 tsc_mix(void)
{
	u64 z = (mix_state += 0x9e3779b97f4a7c15UL ^ rdtsc());
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9UL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebUL;
	return z ^ (z >> 31);
}

u64 random_u64(void)
{
	u64 v;

	if (source == SRC_UNKNOWN)
		source = detect();
	if (source == SRC_RDSEED && rdseed(&v))
		return v;
	if (source <= SRC_RDRAND && rdrand(&v))
		return v;
	return tsc_mix();
}

const char *random_source(void)
{
	if (source == SRC_UNKNOWN)
		source = detect();
	return source == SRC_RDSEED ? "rdseed" : source == SRC_RDRAND ? "rdrand" : "tsc";
}
