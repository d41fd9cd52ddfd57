/*
 * The limits on tasks (tests/qemu/test_task_limits.py, Kevlar only: it
 * changes the machine's pid_max and threads-max, which a host shares
 * with everything else it runs). Fork bombs of sleeping children meet
 * threads-max and then a small pid_max with EAGAIN; pids wrap around
 * to RESERVED_PIDS and skip the ids of live process groups; the
 * settings refuse what Linux refuses; and the
 * kernel and this process go on after each bomb.
 */
#include "../usertest.h"
#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/wait.h>

#define PID_MAX     "/proc/sys/kernel/pid_max"
#define THREADS_MAX "/proc/sys/kernel/threads-max"
#define MAX_KIDS    1000

static pid_t kids[MAX_KIDS];
static int nkids;

static long read_setting(const char *path)
{
	char buf[32] = { 0 };
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	return n > 0 ? strtol(buf, NULL, 10) : -1;
}

/* write(2)'s result for 'text' written to 'path': 0 or an errno. */
static int write_setting(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY);
	if (fd < 0)
		return errno;
	ssize_t n = write(fd, text, strlen(text));
	int e = n < 0 ? errno : 0;
	close(fd);
	return e;
}

/* The number of tasks, from /proc/loadavg's "running/total" field. */
static long tasks_now(void)
{
	char buf[128] = { 0 };
	int fd = open("/proc/loadavg", O_RDONLY);
	if (fd < 0)
		return -1;
	read(fd, buf, sizeof(buf) - 1);
	close(fd);
	char *slash = strchr(buf, '/');
	return slash ? strtol(slash + 1, NULL, 10) : -1;
}

static pid_t fork_sleeper(void)
{
	pid_t pid = fork();
	if (pid == 0) {
		for (;;)
			pause();
	}
	return pid;
}

/* Forks sleeping children until fork fails: the errno it failed with. */
static int fork_until_refused(void)
{
	while (nkids < MAX_KIDS) {
		pid_t pid = fork_sleeper();
		if (pid < 0)
			return errno;
		kids[nkids++] = pid;
	}
	return 0;
}

static void kill_kids(void)
{
	for (int i = 0; i < nkids; i++)
		kill(kids[i], SIGKILL);
	for (int i = 0; i < nkids; i++)
		waitpid(kids[i], NULL, 0);
	nkids = 0;
}

static void defaults(void)
{
	struct sysinfo si;
	long threads = read_setting(THREADS_MAX);

	CHECK("limits.pid_max_default", read_setting(PID_MAX) == 32768);
	CHECK("limits.sysinfo", sysinfo(&si) == 0);
	/* Linux: one task per 8 kernel stacks (16 KiB each) of RAM. */
	unsigned long want = (unsigned long)si.totalram * si.mem_unit / (8 * 16384);
	if (threads == (long)want)
		pass("limits.threads_max_from_ram");
	else
		fail("limits.threads_max_from_ram", "%ld, not %lu", threads, want);
	struct rlimit r;
	getrlimit(RLIMIT_NPROC, &r);
	CHECK("limits.nproc_default_half_threads_max",
	      r.rlim_cur == (rlim_t)threads / 2 && r.rlim_max == (rlim_t)threads / 2);
}

static void settings_refuse_bad_values(void)
{
	CHECK("limits.pid_max_300_einval", write_setting(PID_MAX, "300\n") == EINVAL);
	CHECK("limits.pid_max_above_limit_einval", write_setting(PID_MAX, "4194305\n") == EINVAL);
	CHECK("limits.pid_max_negative_einval", write_setting(PID_MAX, "-1\n") == EINVAL);
	CHECK("limits.pid_max_text_einval", write_setting(PID_MAX, "lots\n") == EINVAL);
	CHECK("limits.pid_max_trailing_junk_einval", write_setting(PID_MAX, "500x\n") == EINVAL);
	CHECK("limits.threads_max_19_einval", write_setting(THREADS_MAX, "19\n") == EINVAL);
	CHECK("limits.pid_max_unchanged", read_setting(PID_MAX) == 32768);
	CHECK("limits.pid_max_4194304", write_setting(PID_MAX, "4194304\n") == 0 &&
	      read_setting(PID_MAX) == 4194304);
	CHECK("limits.pid_max_back", write_setting(PID_MAX, " 32768\n") == 0 &&
	      read_setting(PID_MAX) == 32768);
}

static void bomb_meets_threads_max(void)
{
	long saved = read_setting(THREADS_MAX);
	long before = tasks_now();
	char text[32];

	snprintf(text, sizeof(text), "%ld\n", before + 25);
	CHECK("limits.threads_max_set", write_setting(THREADS_MAX, text) == 0);
	int e = fork_until_refused();
	CHECK("limits.threads_max_fork_eagain", e == EAGAIN);
	if (nkids == 25)
		pass("limits.threads_max_counts_every_task");
	else
		fail("limits.threads_max_counts_every_task", "%d children, not 25", nkids);
	errno = 0;
	CHECK("limits.threads_max_vfork_eagain", syscall(SYS_vfork) == -1 && errno == EAGAIN);
	errno = 0;
	CHECK("limits.threads_max_clone_eagain",
	      syscall(SYS_clone, SIGCHLD, 0L, 0L, 0L, 0L) == -1 && errno == EAGAIN);
	kill_kids();
	snprintf(text, sizeof(text), "%ld\n", saved);
	write_setting(THREADS_MAX, text);
	pid_t pid = fork();
	if (pid == 0)
		_exit(0);
	CHECK("limits.fork_again_after_bomb", pid > 0 && waitpid(pid, NULL, 0) == pid);
}

/*
 * The sleeping child kids[slot], pid 350, leaves; a new child takes 350
 * and makes it a process group, which this process joins. Once that
 * child is reaped, 350 is still the group's id: fork finds no pid free
 * until this process leaves the group.
 */
static void group_keeps_its_pid(int slot)
{
	pid_t mine = getpgrp();
	int go[2], ready[2];
	char c;

	kill(kids[slot], SIGKILL);
	waitpid(kids[slot], NULL, 0);
	kids[slot] = 0;
	if (pipe(go) || pipe(ready))
		return fail("limits.group_pipes", "pipe: %s", errname(errno));
	pid_t leader = fork();
	if (leader == 0) {
		setpgid(0, 0);
		write(ready[1], "r", 1);
		read(go[0], &c, 1);
		_exit(0);
	}
	read(ready[0], &c, 1);
	CHECK("limits.group_leader_is_350", leader == 350);
	CHECK("limits.group_joined", setpgid(0, leader) == 0);
	write(go[1], "g", 1);
	waitpid(leader, NULL, 0);
	errno = 0;
	pid_t pid = fork();
	if (pid == 0)
		_exit(0);
	if (pid > 0)
		waitpid(pid, NULL, 0);
	CHECK("limits.group_id_not_handed_out", pid == -1 && errno == EAGAIN);
	CHECK("limits.group_left", setpgid(0, mine) == 0);
	pid = fork_sleeper();
	kids[slot] = pid;
	CHECK("limits.group_id_free_once_group_ends", pid == 350);
	close(go[0]);
	close(go[1]);
	close(ready[0]);
	close(ready[1]);
}

/*
 * With pid_max 400, children take every pid from the last one to 399;
 * then pids wrap around to RESERVED_PIDS (300), never below: a freed
 * pid under 300 stays unused, a freed pid from 300 up is the next one
 * handed out.
 */
static void bomb_meets_pid_max(void)
{
	CHECK("limits.pid_max_set_400", write_setting(PID_MAX, "400\n") == 0);
	int e = fork_until_refused();
	CHECK("limits.pid_max_fork_eagain", e == EAGAIN);
	CHECK("limits.pids_up_to_399", nkids > 0 && kids[nkids - 1] == 399);
	int low = 0, reused = -1;
	for (int i = 0; i < nkids; i++) {
		if (kids[i] < 300) {
			kill(kids[i], SIGKILL);
			waitpid(kids[i], NULL, 0);
			kids[i] = 0;
			low++;
		} else if (kids[i] == 350) {
			reused = i;
		}
	}
	CHECK("limits.some_pids_below_300", low > 0);
	errno = 0;
	CHECK("limits.pids_below_300_not_reused", fork() == -1 && errno == EAGAIN);
	if (reused >= 0) {
		kill(350, SIGKILL);
		waitpid(350, NULL, 0);
		pid_t pid = fork_sleeper();
		kids[reused] = pid;
		if (pid == 350)
			pass("limits.freed_pid_reused");
		else
			fail("limits.freed_pid_reused", "fork gave %d, not the freed 350", (int)pid);
		if (pid == 350)
			group_keeps_its_pid(reused);
	} else {
		fail("limits.freed_pid_reused", "no child with pid 350");
	}
	for (int i = 0; i < nkids; i++)
		if (kids[i] > 0)
			kill(kids[i], SIGKILL);
	for (int i = 0; i < nkids; i++)
		if (kids[i] > 0)
			waitpid(kids[i], NULL, 0);
	nkids = 0;
	CHECK("limits.pid_max_restored", write_setting(PID_MAX, "32768\n") == 0);
	pid_t pid = fork();
	if (pid == 0)
		_exit(0);
	CHECK("limits.fork_after_pid_bomb", pid > 0 && waitpid(pid, NULL, 0) == pid);
}

int main(void)
{
	if (getpid() >= 300) {
		say("task_limits: run me early in a boot (pid below 300)");
		return 2;
	}
	defaults();
	settings_refuse_bad_values();
	bomb_meets_threads_max();
	bomb_meets_pid_max();
	say("task_limits: done");
	return finish();
}
