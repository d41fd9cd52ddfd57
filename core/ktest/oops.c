/*
 * prctl(PR_KTEST_OOPS, "kind"), in test kernels only: Core faults on
 * purpose inside the system call, so that the oops path can be tested
 * from a user program (tests/user/helpers/ktest_oops.c). Each kind is one
 * way Core can fail; in fortress and balanced the caller dies of SIGSEGV
 * and the kernel goes on, in performance and ludicrous the kernel panics.
 */
#ifdef KEVLAR_KTEST
#include <kevlar/errno.h>
#include <kevlar/irq.h>
#include <kevlar/layout.h>
#include <kevlar/panic.h>
#include <kevlar/printk.h>
#include <kevlar/spinlock.h>
#include <kevlar/string.h>
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
	return -EINVAL;
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
