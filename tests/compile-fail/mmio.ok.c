/* The control for mmio.c: a service writes only its own memory. */
#include <kevlar/types.h>

static u32 last_eoi;

void compile_fail_mmio(void)
{
	__atomic_store_n(&last_eoi, 0, __ATOMIC_RELEASE);
}
