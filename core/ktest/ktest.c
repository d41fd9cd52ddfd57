/*
 * ktest=<name>: run a built-in kernel test instead of the normal boot,
 * then power off. Tests that need test-only services exist only in test
 * builds (make KTEST=1).
 */
#include <kevlar/cmdline.h>
#include <kevlar/errno.h>
#include <kevlar/printk.h>
#include <kevlar/string.h>
#include "ktest.h"

#ifdef KEVLAR_KTEST
static const struct ktest ktests[] = {
	{ "containment", ktest_containment },
	{ "vfs", ktest_vfs },
	{ "tmpfs-restart", ktest_tmpfs_restart },
	{ "vfs-tree", ktest_vfs_tree },
	{ "procfs-restart", ktest_procfs_restart },
	{ "proc-cost", ktest_proc_cost },
	{ "oops-kthread", ktest_oops_kthread },
};
#endif

static char requested_name[32];
static const char *requested;

static int set_ktest(const char *v)
{
	if (!v || !*v || strlen(v) >= sizeof(requested_name))
		return -EINVAL;
	strlcpy(requested_name, v, sizeof(requested_name));
	requested = requested_name;
	return 0;
}
KPARAM("ktest", set_ktest, "containment: run a kernel test, then power off");

bool ktest_requested(void)
{
	return requested != NULL;
}

int ktest_run(void)
{
#ifdef KEVLAR_KTEST
	for (unsigned i = 0; i < ARRAY_SIZE(ktests); i++)
		if (!strcmp(ktests[i].name, requested))
			return ktests[i].run();
	printk("ktest: no test '%s' in this kernel\n", requested);
#else
	printk("ktest: '%s' needs a test kernel (make KTEST=1)\n", requested);
#endif
	return -ENOENT;
}
