/*
 * ktest=procfs-restart (test kernels): the procfs service faults in the
 * middle of a lookup, twice; each caller gets -EIO, procfs restarts, and
 * /proc reads as before, since it kept nothing.
 */
#ifdef KEVLAR_KTEST
#include <services.h>
#include <kevlar/errno.h>
#include <kevlar/printk.h>
#include <kevlar/ring.h>
#include <kevlar/string.h>
#include <kevlar/svc.h>
#include "../ktest/ktest.h"
#include "ktest_vfs.h"

static u32 procfs_epoch(void)
{
	struct svc_info info;
	svc_get_info(SVC_procfs, &info);
	return info.status == SVC_RUNNING ? info.epoch : 0;
}

/* /proc as a reader sees it: the reader's own stat and the machine's
 * memory. */
static void check_proc(const char *when)
{
	char buf[512], want[16];

	long n = read_file("/proc/self/stat", buf, sizeof(buf));
	ksnprintf(want, sizeof(want), "%d (", current_task()->pid);
	CHECK(n > 0 && !strncmp(buf, want, strlen(want)), "%s: /proc/self/stat is '%s'", when,
	      n > 0 ? buf : "");
	n = read_file("/proc/meminfo", buf, sizeof(buf));
	CHECK(n > 0 && !strncmp(buf, "MemTotal:", 9), "%s: /proc/meminfo is '%s'", when,
	      n > 0 ? buf : "");
}

static void fault_and_check(const char *what, long rc, u32 *epoch)
{
	u32 now = procfs_epoch();
	CHECK(rc == -EIO, "%s returned %ld, want -EIO", what, rc);
	CHECK(now == *epoch + 1, "%s: procfs epoch %u -> %u", what, *epoch, now);
	*epoch = now;
	check_proc(what);
	printk("procfs-restart: %s: -EIO, procfs restarted (epoch %u)\n", what, now);
}

int ktest_procfs_restart(void)
{
	char buf[64];

	vfs_test_failures = vfs_test_checks = 0;
	if (!ring_containment()) {
		printk("procfs-restart: no containment in this profile\n");
		return -1;
	}
	enter_process();
	check_proc("before");
	u32 epoch = procfs_epoch();
	fault_and_check("lookup (panic)", read_file("/proc/ktest-fault-panic", buf, sizeof(buf)),
			&epoch);
	struct stat st;
	fault_and_check("lookup (page fault)", stat_path("/proc/ktest-fault-pf", 0, &st), &epoch);
	CHECK_RC(read_file("/proc/no-such-file", buf, sizeof(buf)), -ENOENT);
	leave_process();
	printk("procfs-restart: %u checks, %u failed\n", vfs_test_checks, vfs_test_failures);
	return vfs_test_failures ? -1 : 0;
}
#endif
