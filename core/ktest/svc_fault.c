/*
 * Test kernels: a service fails on request in the middle of one of its
 * operations (ktest=tmpfs-restart, ktest=procfs-restart). The service
 * passes the name it was handed; the fault is raised here, inside the
 * service's call, so it is the service's fault: in fortress and balanced
 * it is contained and the service restarted, as for a fault in its own
 * code.
 */
#include <services.h>
#include <ifc/ktest_svc.h>
#include <kevlar/panic.h>
#include <kevlar/ring.h>
#include <kevlar/string.h>
#include <kevlar/svc.h>

#ifdef KEVLAR_KTEST
static bool named(const u8 *name, size_t len, const char *what)
{
	return len == strlen(what) && !memcmp(name, what, len);
}

static u64 opaque(u64 x)
{
	/* ringlint: allow volatile -- test-only: keeps the compiler from folding the fault away */
	static volatile u64 cell;
	cell = x;
	return cell;
}

void ktest_svc_fault_if_asked_impl(const u8 *name, size_t len)
{
	unsigned svc = ring_current_service();
	const char *who = svc < SVC_COUNT ? svc_table[svc].name : "core";

	if (named(name, len, "ktest-fault-panic"))
		kpanic("%s: fault on request", who);
	if (named(name, len, "ktest-fault-pf"))
		/* ringlint: allow int-to-ptr, volatile -- test-only: a page fault on purpose */
		*(volatile u64 *)opaque(0xdead0000UL) = 1;
}
#else
void ktest_svc_fault_if_asked_impl(const u8 *name, size_t len)
{
}
#endif
