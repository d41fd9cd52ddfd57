/*
 * Core's entry. Today it announces the kernel, runs the boot-time self
 * checks and returns, which powers the machine off; user space will start
 * here.
 */
#include <kevlar/platform.h>
#include <kevlar/printk.h>
#include <kevlar/selftest.h>

void core_main(void)
{
	printk("Kevlar %s profile=%s cpus=%u mem=%luMiB\n", KEVLAR_VERSION,
	       KEVLAR_PROFILE, cpus_online(), memory_usable_bytes() >> 20);
	crash_inject();
	selftest_run_all();
	printk("kevlar: nothing left to run, powering off\n");
}
