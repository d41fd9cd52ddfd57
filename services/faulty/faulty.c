/*
 * faulty: a test-only service that fails on request, in every way a
 * service can fail, so that containment can be shown and tested. Before
 * each fault it takes its own lock and allocates from its Heap: after the
 * restart both must be gone (ping() checks the lock is free).
 */
#include <caps.h>
#include <services.h>
#include <ifc/console.h>
#include <ifc/ktest_fault.h>
#include <ifc/svcmem.h>
#include <kevlar/errno.h>
#include <kevlar/panic.h>
#include <kevlar/spinlock.h>
#include <kevlar/string.h>

static struct faulty_caps caps;
static spinlock_t busy = SPINLOCK_INIT;
static void *scratch;
static int runs;

int faulty_init(const struct faulty_caps *c)
{
	caps = *c;
	return 0;
}

/* Holds resources that a restart must take back. */
static int hold_resources(void)
{
	spin_lock(&busy);
	scratch = svcmem_alloc(caps.Heap, 4096);
	if (!scratch) {
		spin_unlock(&busy);
		return -ENOMEM;
	}
	return 0;
}

/* A value the compiler cannot see through. */
static u64 opaque(u64 v)
{
	/* ringlint: allow volatile -- test-only: keeps the compiler from folding the faults away */
	static volatile u64 cell;
	cell = v;
	return cell;
}

static int forge_token(void)
{
	cap_Heap forged = caps.Heap;
#ifdef KEVLAR_PROFILE_FORTRESS
	forged.t.nonce ^= 0x5a5a5a5a5a5a5a5aUL;
#endif
	void *p = svcmem_alloc(forged, 64);
	if (p) {
		svcmem_free(caps.Heap, p);
		return 0;        /* the forgery was accepted */
	}
	return -EPERM;
}

int faulty_ktest_fault_run(const char *kind)
{
	runs++;
	if (!strcmp(kind, "forge"))
		return forge_token();
	if (hold_resources())
		return -ENOMEM;
	console_write((const u8 *)"faulty: about to fail\n", 22);
	if (!strcmp(kind, "panic"))
		kpanic("faulty: panic on request");
	if (!strcmp(kind, "bug"))
		BUG_ON(opaque(1) == 1);
	if (!strcmp(kind, "assert"))
		KASSERT(opaque(1) == 2);
	if (!strcmp(kind, "pf"))
		/* ringlint: allow int-to-ptr, volatile -- test-only: a page fault on purpose */
		return (int)*(volatile u64 *)opaque(0xdead0000UL);
	if (!strcmp(kind, "gp"))
		/* ringlint: allow int-to-ptr, volatile -- test-only: a #GP (non-canonical address) on purpose */
		return (int)*(volatile u64 *)opaque(0xdead000000000000UL);
	if (!strcmp(kind, "ud"))
		__builtin_trap();
	if (!strcmp(kind, "de"))
		return (int)(opaque(100) / opaque(0));
	if (!strcmp(kind, "watchdog"))
		for (;;)
			opaque(runs);
	svcmem_free(caps.Heap, scratch);
	spin_unlock(&busy);
	return -EINVAL;
}

int faulty_ktest_fault_ping(void)
{
	if (!spin_trylock(&busy))
		return -EBUSY;      /* a lock survived the restart */
	spin_unlock(&busy);
	return runs;            /* 0 after a restart */
}
