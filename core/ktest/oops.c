/*
 * prctl(PR_KTEST_OOPS, "kind"), in test kernels only: Core faults on
 * purpose inside the system call, so that the oops path can be tested
 * from a user program (tests/user/helpers/ktest_oops.c). Each kind is one
 * way Core can fail; in fortress and balanced the caller dies of SIGSEGV
 * and the kernel goes on, in performance and ludicrous the kernel panics.
 * Three kinds must panic everywhere: "tick" faults in the next timer
 * interrupt, "twice" faults again while the task dies of its oops, and
 * ktest=oops-kthread faults in a kernel thread.
 */
#ifdef KEVLAR_KTEST
#include <kevlar/errno.h>
#include <kevlar/irq.h>
#include <kevlar/layout.h>
#include <kevlar/panic.h>
#include <kevlar/printk.h>
#include <kevlar/spinlock.h>
#include <kevlar/string.h>
#include <kevlar/task.h>
#include <kevlar/uaccess.h>
#include "ktest.h"

/* A value the compiler cannot see through. */
static u64 opaque(u64 v)
{
	/* ringlint: allow volatile -- test-only: keeps the compiler from folding the faults away */
	static volatile u64 cell;
	cell = v;
	return cell;
}

static u64 load(u64 address)
{
	/* ringlint: allow int-to-ptr, volatile -- test-only: a fault on purpose */
	return *(volatile u64 *)opaque(address);
}

/* Past the end of the direct map: a kernel address nothing maps. */
#define UNMAPPED_KERNEL_ADDRESS (DIRECT_MAP_BASE + DIRECT_MAP_SIZE - 4096)

/* "tick": the next timer tick faults, in interrupt context. */
static bool fault_in_tick;
/* "twice": this task faults again while it dies of the first oops. */
static pid_t fault_again_pid;

static int fail(const char *kind)
{
	if (!strcmp(kind, "null"))
		return (int)load(0x10);
	if (!strcmp(kind, "pf"))
		return (int)load(UNMAPPED_KERNEL_ADDRESS);
	if (!strcmp(kind, "gp"))
		return (int)load(0xdead000000000000UL);   /* non-canonical */
	if (!strcmp(kind, "ud"))
		__builtin_trap();
	if (!strcmp(kind, "de"))
		return (int)(opaque(100) / opaque(0));
	if (!strcmp(kind, "bug"))
		BUG_ON(opaque(1) == 1);
	if (!strcmp(kind, "assert"))
		KASSERT(opaque(1) == 2);
	if (!strcmp(kind, "panic"))
		kpanic("ktest: panic in a system call on request");
	if (!strcmp(kind, "irqoff")) {
		irq_disable();
		return (int)load(0x10);
	}
	if (!strcmp(kind, "preempt")) {
		preempt_disable();
		BUG();
	}
	if (!strcmp(kind, "tick")) {
		__atomic_store_n(&fault_in_tick, true, __ATOMIC_SEQ_CST);
		while (__atomic_load_n(&fault_in_tick, __ATOMIC_SEQ_CST))
			opaque(0);
		return -EINVAL;
	}
	if (!strcmp(kind, "twice")) {
		fault_again_pid = current_task()->pid;
		return (int)load(0x10);
	}
	return -EINVAL;
}

void ktest_oops_tick(void)
{
	if (__atomic_load_n(&fault_in_tick, __ATOMIC_SEQ_CST)) {
		__atomic_store_n(&fault_in_tick, false, __ATOMIC_SEQ_CST);
		load(0x10);
	}
}

void ktest_oops_exiting(void)
{
	if (fault_again_pid && fault_again_pid == current_task()->pid) {
		fault_again_pid = 0;
		load(0x10);
	}
}

int ktest_oops_kthread(void)
{
	printk("ktest: Core fails ('null') in a kernel thread on request\n");
	return fail("null");
}

int ktest_oops_prctl(uptr_t kind_ptr)
{
	char kind[16];

	long n = strncpy_from_user(kind, kind_ptr, sizeof(kind));
	if (n < 0)
		return (int)n;
	if (n >= (long)sizeof(kind))
		return -EINVAL;
	printk("ktest: Core fails ('%s') in a system call on request\n", kind);
	return fail(kind);
}
#endif
