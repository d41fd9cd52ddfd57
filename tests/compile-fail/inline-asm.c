/*
 * Must not pass lint: a service with inline assembly. gcc builds it; ring
 * lint (make lint) is what refuses it. Its control is inline-asm.ok.c.
 */
#include <kevlar/types.h>

u64 compile_fail_inline_asm(void)
{
	u32 lo, hi;

	__asm__ __volatile__("rdtsc" : "=a"(lo), "=d"(hi));
	return ((u64)hi << 32) | lo;
}
