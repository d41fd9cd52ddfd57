/*
 * Core's entry. It announces the kernel, starts the Ring 2 services, and
 * either runs the kernel test the command line asks for or the boot-time
 * self checks; then it returns, which powers the machine off. User space
 * will start here.
 */
#include <services.h>
#include <ifc/console.h>
#include <kevlar/platform.h>
#include <kevlar/printk.h>
#include <kevlar/selftest.h>
#include <kevlar/string.h>
#include <kevlar/svc.h>
#include "../ktest/ktest.h"

/* Says a line through the klog service; printk if klog cannot. */
static void announce(const char *line)
{
	if (console_write((const u8 *)line, strlen(line)) < 0)
		printk("%s", line);
}

void core_main(void)
{
	printk("Kevlar %s profile=%s cpus=%u mem=%luMiB\n", KEVLAR_VERSION,
	       KEVLAR_PROFILE, cpus_online(), memory_usable_bytes() >> 20);
	crash_inject();
	svc_boot(ktest_requested());
	if (ktest_requested()) {
		int rc = ktest_run();
		printk("ktest: %s\n", rc == 0 ? "passed" : "FAILED");
	} else {
		selftest_run_all();
	}
	announce("kevlar: nothing left to run, powering off\n");
}
