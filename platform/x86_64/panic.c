/*
 * Fatal errors. A panic prints its reason and a backtrace, then resets the
 * machine (under QEMU -no-reboot, QEMU exits). A fault while panicking
 * skips the report and resets at once, so a broken console or a corrupt
 * stack can never turn a panic into a hang.
 */
#include <kevlar/backtrace.h>
#include <kevlar/irq.h>
#include <kevlar/panic.h>
#include <kevlar/power.h>
#include <kevlar/printk.h>
#include "fault.h"
#include "ring_internal.h"

void printk_force_unlock(void);

static int panic_depth;

void panic_begin(void)
{
	irq_disable();
	if (__atomic_add_fetch(&panic_depth, 1, __ATOMIC_SEQ_CST) > 1)
		machine_reset();
	printk_force_unlock();
}

void panic_end(const char *why)
{
	printk("Kernel panic - not syncing: %s\n", why);
	printk("Rebooting.\n");
	machine_reset();
}

void kpanic(const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	kvsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (!panic_depth)
		ring_contain_panic(msg);   /* returns only outside a service */
	panic_begin();
	printk("kernel panic: %s\n", msg);
	backtrace_here();
	panic_end(msg);
}

bool fault_fixup(struct trap_frame *f)
{
	return ring_contain_trap(f);
}
