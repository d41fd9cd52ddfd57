/* The control for inline-asm.c: the same service asks Ring 0 for the time. */
#include <kevlar/time.h>
#include <kevlar/types.h>

u64 compile_fail_inline_asm(void)
{
	return clock_monotonic_ns();
}
