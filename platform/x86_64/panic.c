/*
 * Fatal errors. A panic prints its reason and a backtrace, then resets the
 * machine (under QEMU -no-reboot, QEMU exits). A fault while panicking
 * skips the report and resets at once, so a broken console or a corrupt
 * stack can never turn a panic into a hang.
 */
#include <kevlar/backtrace.h>
#include <kevlar/console.h>
#include <kevlar/irq.h>
#include <kevlar/mmu.h>
#include <kevlar/platform.h>
#include <kevlar/panic.h>
#include <kevlar/power.h>
#include <kevlar/printk.h>
#include "cpu.h"
#include "extable.h"
#include "fault.h"
#include "oops.h"
#include "ring_internal.h"

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
	if (oops_count())
		printk("Tainted: D (%u earlier oops%s)\n", oops_count(), oops_count() > 1 ? "es" : "");
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
	if (!panic_depth) {
		ring_contain_panic(msg);   /* returns only outside a service */
		oops_panic(msg, (u64)__builtin_return_address(0));
	}
	panic_begin();
	printk("kernel panic: %s\n", msg);
	backtrace_here();
	panic_end(msg);
}

/*
 * The recoveries, in order: a user page Core can map (demand paging,
 * copy-on-write), an exception in user mode (Core signals the task), a
 * faulting user copy (-EFAULT), a fault inside a Ring 2 service (-EIO),
 * a fault in Core during a system call (an oops: the process dies).
 */
bool fault_fixup(struct trap_frame *f)
{
	bool user = trap_from_user(f);
	u64 fixup = user ? 0 : extable_fixup(f->rip);

	if (f->vector == 14) {
		u64 addr = read_cr2();
		if ((user || (fixup && addr < USER_TOP)) && core_page_fault(addr, f->error) == 0)
			return true;
	}
	if (user) {
		core_user_fault(f);
		return true;
	}
	if (fixup) {
		f->rip = fixup;
		return true;
	}
	return ring_contain_trap(f) || oops_trap(f);
}
