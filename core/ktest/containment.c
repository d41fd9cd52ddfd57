/*
 * ktest=containment: make the test-only service 'faulty' fail in every
 * way a service can, and check each time that the caller got -EIO, the
 * service was restarted (new epoch), its memory was reclaimed, its lock
 * is free, and the next call succeeds. In performance and ludicrous there
 * is no containment: the first fault is a kernel panic, by design.
 */
#ifdef KEVLAR_KTEST
#include <services.h>
#include <ifc/ktest_fault.h>
#include <kevlar/errno.h>
#include <kevlar/printk.h>
#include <kevlar/svc.h>
#include "ktest.h"

static const char *const kinds[] = {
	"panic", "bug", "assert", "pf", "gp", "ud", "de", "watchdog",
};

static bool contained(const char *kind)
{
	struct svc_info before, after;

	svc_get_info(SVC_faulty, &before);
	int rc = ktest_fault_run(kind);
	svc_get_info(SVC_faulty, &after);
	int ping = ktest_fault_ping();

	if (rc != -EIO) {
		printk("containment: %s NOT contained: call returned %d\n", kind, rc);
		return false;
	}
	if (after.epoch != before.epoch + 1 || after.status != SVC_RUNNING) {
		printk("containment: %s: service not restarted (epoch %u -> %u)\n", kind,
		       before.epoch, after.epoch);
		return false;
	}
	if (after.mem_bytes != 0) {
		printk("containment: %s: %zu bytes of service memory survived\n", kind,
		       after.mem_bytes);
		return false;
	}
	if (ping != 0) {
		printk("containment: %s: next call failed (%d)\n", kind, ping);
		return false;
	}
	printk("containment: %s contained -EIO restarted\n", kind);
	return true;
}

int ktest_containment(void)
{
	unsigned ok = 0, total = ARRAY_SIZE(kinds);

	bool forge_refused = true;

#ifdef KEVLAR_PROFILE_FORTRESS
	/* Fortress checks tokens at run time: a forged one is refused. */
	int rc = ktest_fault_run("forge");
	forge_refused = rc == -EPERM;
	printk("containment: forged token %s\n", forge_refused ? "refused -EPERM" : "ACCEPTED");
#endif
	for (unsigned i = 0; i < total; i++)
		ok += contained(kinds[i]);
	printk("containment: %u/%u contained\n", ok, total);
	return ok == total && forge_refused ? 0 : -1;
}
#endif
