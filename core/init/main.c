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
#include <kevlar/cmdline.h>
#include <kevlar/errno.h>
#include <kevlar/platform.h>
#include <kevlar/printk.h>
#include <kevlar/selftest.h>
#include <kevlar/string.h>
#include <kevlar/svc.h>
#include <kevlar/task.h>
#include <kevlar/vfs.h>
#include <kevlar/vm.h>
#include <kevlar/tty.h>
#include "../bench/ring_bench.h"
#include "../ktest/ktest.h"
#include "../proc/proc_internal.h"

/* Says a line through the klog service; printk if klog cannot. */
static void announce(const char *line)
{
	if (console_write((const u8 *)line, strlen(line)) < 0)
		printk("%s", line);
}

static char init_path[256] = "/init";
static bool init_given;

static int set_init(const char *v)
{
	if (!v || v[0] != '/' || strlen(v) >= sizeof(init_path))
		return -EINVAL;
	strlcpy(init_path, v, sizeof(init_path));
	init_given = true;
	return 0;
}
KPARAM("init", set_init, "/path: the first program (default /init)");

/* Gives kinit a filesystem context and the console as fds 0, 1, 2, and
 * makes the console the controlling terminal of its session. */
static int prepare_init_task(void)
{
	struct task *t = current_task();
	int err = -ENOENT;

	t->files = files_create();
	t->fs = fs_create();
	if (!t->files || !t->fs)
		return -ENOMEM;
	struct file *console = vfs_open_kernel("/dev/console", 2 /* O_RDWR */, &err);
	if (!console)
		return err;
	for (int fd = 0; fd < 3; fd++)
		fd_install(fd ? file_get(console) : console, false);
	if (pid_group_get(t->pid) || pid_group_get(t->pid))
		return -ENOMEM;
	t->pgid = t->sid = t->pid;
	t->unkillable = true;
	tty_console_set_session(t->sid, t->pgid);
	return 0;
}

/* Turns kinit into the first user process. Returns only on failure. */
static void start_init(void)
{
	char *argv[] = { init_path, NULL };
	char *envp[] = { "HOME=/", "TERM=linux", "PATH=/sbin:/usr/sbin:/bin:/usr/bin", NULL };

	int rc = prepare_init_task();
	if (rc == 0)
		rc = exec_kernel(init_path, argv, envp);
	if (rc == -ENOENT && !init_given)
		printk("kevlar: no %s to run\n", init_path);
	else
		printk("kevlar: cannot run %s (error %d)\n", init_path, rc);
}

static void kernel_init(void *arg)
{
	crash_inject();
	tty_console_init();
	svc_boot(ktest_requested());
	vfs_init();
	ring_bench_run();
	if (ktest_requested()) {
		int rc = ktest_run();
		printk("ktest: %s\n", rc == 0 ? "passed" : "FAILED");
		return;
	}
	selftest_run_all();
	start_init();
}

static bool no_tasks_left(void)
{
	return task_live_count() == 0;
}

void core_main(void)
{
	printk("Kevlar %s profile=%s cpus=%u mem=%luMiB\n", KEVLAR_VERSION,
	       KEVLAR_PROFILE, cpus_online(), memory_usable_bytes() >> 20);
	pid_table_init();
	task_limits_init();
	sched_init();
	if (!kthread_start("kinit", kernel_init, NULL))
		printk("kevlar: cannot start kinit: out of memory\n");
	sched_idle_until(no_tasks_left);
	announce("kevlar: nothing left to run, powering off\n");
}
