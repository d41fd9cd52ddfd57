/*
 * Must not pass lint: a service pokes a device register itself (the
 * local APIC's EOI). gcc builds it; ring lint refuses both the volatile
 * and the integer made into a pointer. Its control is mmio.ok.c.
 */
#include <kevlar/types.h>

#define LAPIC_EOI 0xfee000b0UL

void compile_fail_mmio(void)
{
	*(volatile u32 *)LAPIC_EOI = 0;
}
