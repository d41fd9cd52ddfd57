/*
 * Core's entry. The boot thread announces the kernel, starts the
 * scheduler and the first task, kinit (pid 1), and then becomes the idle
 * task until no task is left, when core_main returns and the machine
 * powers off. kinit starts the Ring 2 services and runs either the kernel
 * test the command line asks for or the boot-time self checks. User space
 * will start from here.
 */
#include <services.h>
#include <ifc/console.h>
#include <kevlar/platform.h>
#include <kevlar/printk.h>
#include <kevlar/selftest.h>
#include <kevlar/string.h>
#include <kevlar/svc.h>
#include <kevlar/task.h>
#include <kevlar/tty.h>
#include "../ktest/ktest.h"
#include "../proc/proc_internal.h"

/* Says a line through the klog service; printk if klog cannot. */
static void announce(const char *line)
{
	if (console_write((const u8 *)line, strlen(line)) < 0)
		printk("%s", line);
}

static void kernel_init(void *arg)
{
	crash_inject();
	tty_console_init();
	svc_boot(ktest_requested());
	if (ktest_requested()) {
		int rc = ktest_run();
		printk("ktest: %s\n", rc == 0 ? "passed" : "FAILED");
	} else {
		selftest_run_all();
	}
	announce("kevlar: nothing left to run, powering off\n");
}

static bool no_tasks_left(void)
{
	return task_live_count() == 0;
}

void core_main(void)
{
	printk("Kevlar %s profile=%s cpus=%u mem=%luMiB\n", KEVLAR_VERSION,
	       KEVLAR_PROFILE, cpus_online(), memory_usable_bytes() >> 20);
	sched_init();
	if (!kthread_start("kinit", kernel_init, NULL))
		printk("kevlar: cannot start kinit: out of memory\n");
	sched_idle_until(no_tasks_left);
}
