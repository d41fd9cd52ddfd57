/*
 * ktest=proc-cost (test kernels): what reading /proc costs, counted, not
 * timed. The pid table counts its steps (hash entries and bitmap words
 * looked at), which every walk over the tasks and every lookup by pid
 * goes through. Each file is read with the few tasks of boot and again
 * with hundreds more asleep: the machine's files must cost the same,
 * one process's file the same, and a listing of /proc no more than a
 * few steps per task.
 */
#ifdef KEVLAR_KTEST
#include <kevlar/errno.h>
#include <kevlar/procinfo.h>
#include <kevlar/string.h>
#include <kevlar/task.h>
#include "../ktest/ktest.h"
#include "ktest_vfs.h"

#define SLEEPERS 400
#define STEPS_PER_TASK 4   /* a listing: a bitmap word and a hash entry or two per task */

static struct wait_queue sleepers_wq = WAIT_QUEUE_INIT(sleepers_wq);
static bool sleepers_end;

static void sleeper(void *arg)
{
	while (!sleepers_end)
		sched_sleep(&sleepers_wq, 0);
}

/* The pid table's steps for reading 'path' whole. */
static u64 read_cost(const char *path)
{
	char buf[2048];
	u64 before = pid_table_steps();
	long n = read_file(path, buf, sizeof(buf));
	CHECK(n > 0, "%s: %ld", path, n);
	return pid_table_steps() - before;
}

/* The steps for listing /proc, and the entries it lists in *entries. */
static u64 list_cost(unsigned *entries)
{
	u8 buf[1024];
	struct file *f;
	u64 before = pid_table_steps();

	*entries = 0;
	int rc = vfs_openat(AT_FDCWD, "/proc", O_RDONLY | O_DIRECTORY, 0, &f);
	CHECK(rc == 0, "open /proc: %d", rc);
	if (rc)
		return 0;
	for (;;) {
		long got = vfs_readdir(f, buf, sizeof(buf));
		if (got <= 0)
			break;
		for (long at = 0; at < got;) {
			u16 reclen;
			memcpy(&reclen, buf + at + 16, sizeof(reclen));   /* linux_dirent64.d_reclen */
			(*entries)++;
			at += reclen;
		}
	}
	file_put(f);
	return pid_table_steps() - before;
}

struct costs {
	u64 meminfo, loadavg, stat, pid_stat, pid_status, listing;
	unsigned entries;
};

static void measure(struct costs *c)
{
	c->meminfo = read_cost("/proc/meminfo");
	c->loadavg = read_cost("/proc/loadavg");
	c->stat = read_cost("/proc/stat");
	c->pid_stat = read_cost("/proc/1/stat");
	c->pid_status = read_cost("/proc/1/status");
	c->listing = list_cost(&c->entries);
	printk("proc-cost: %u tasks: meminfo %lu, loadavg %lu, stat %lu, 1/stat %lu, "
	       "1/status %lu, listing %lu steps (%u entries)\n", task_count(), c->meminfo,
	       c->loadavg, c->stat, c->pid_stat, c->pid_status, c->listing, c->entries);
}

int ktest_proc_cost(void)
{
	struct costs few, many;
	unsigned started = 0;

	vfs_test_failures = vfs_test_checks = 0;
	enter_process();
	measure(&few);
	for (; started < SLEEPERS; started++)
		if (!kthread_start("sleeper", sleeper, NULL))
			break;
	CHECK(started == SLEEPERS, "started %u sleepers", started);
	measure(&many);

	CHECK(many.entries >= few.entries + started, "listing: %u entries, then %u",
	      few.entries, many.entries);
	CHECK(many.meminfo == few.meminfo, "meminfo: %lu steps, then %lu", few.meminfo,
	      many.meminfo);
	CHECK(many.loadavg == few.loadavg, "loadavg: %lu steps, then %lu", few.loadavg,
	      many.loadavg);
	CHECK(many.stat == few.stat, "stat: %lu steps, then %lu", few.stat, many.stat);
	CHECK(many.pid_stat == few.pid_stat, "1/stat: %lu steps, then %lu", few.pid_stat,
	      many.pid_stat);
	CHECK(many.pid_status == few.pid_status, "1/status: %lu steps, then %lu",
	      few.pid_status, many.pid_status);
	CHECK(many.listing <= (u64)STEPS_PER_TASK * task_count(),
	      "listing: %lu steps for %u tasks", many.listing, task_count());

	sleepers_end = true;
	wait_queue_wake_all(&sleepers_wq);
	leave_process();
	printk("proc-cost: %u checks, %u failed\n", vfs_test_checks, vfs_test_failures);
	return vfs_test_failures ? -1 : 0;
}
#endif
