/*
 * The idle instruction. Core's idle loop calls this rather than halting
 * itself: halting is the platform's business, and where the platform
 * grows a better way to wait (MWAIT, a paravirtual halt) Core need not
 * know.
 */
#include <kevlar/irq.h>

void cpu_idle(void)
{
	/* sti takes effect after the next instruction, so an interrupt that
	 * is already pending wakes the hlt instead of slipping in before it. */
	__asm__ __volatile__("sti; hlt" : : : "memory");
}
