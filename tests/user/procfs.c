/* /proc: a process's own files, another process's, the machine's, and
 * what may not be done to them. */
#include <sys/sysinfo.h>
#include <time.h>
#include "usertest.h"

static char text[65536];

/* The whole file into text, NUL-terminated: its length, or -errno. */
static long slurp(const char *path)
{
	int fd = open(path, O_RDONLY);
	long n = 0, r;

	if (fd < 0)
		return -errno;
	while (n < (long)sizeof(text) - 1 && (r = read(fd, text + n, sizeof(text) - 1 - n)) > 0)
		n += r;
	close(fd);
	text[n] = 0;
	return n;
}

/* The value after "Name:" on a line of /proc/<pid>/status-like text. */
static long field(const char *name)
{
	char key[64];
	snprintf(key, sizeof(key), "\n%s:", name);
	const char *p = strstr(text, key);
	return p ? strtol(p + strlen(key), NULL, 10) : -1;
}

/* Field n (1-based, as proc(5) numbers them) of a stat line. */
static long long stat_field(const char *line, int n)
{
	const char *p = strrchr(line, ')');
	if (n == 1)
		return atoll(line);
	if (!p)
		return -1;
	p += 2;   /* field 3, the state */
	for (int i = 3; i < n && p; i++) {
		p = strchr(p, ' ');
		if (p)
			p++;
	}
	return p ? atoll(p) : -1;
}

static int readlink_is(const char *path, const char *want)
{
	char buf[512];
	ssize_t n = readlink(path, buf, sizeof(buf) - 1);
	if (n < 0)
		return 0;
	buf[n] = 0;
	return !strcmp(buf, want);
}

static void self_files(int argc, char **argv, char **envp)
{
	char buf[512], want[512];

	CHECK("stat.pid_is_getpid", slurp("/proc/self/stat") > 0 &&
	      stat_field(text, 1) == getpid());
	CHECK("stat.comm", strstr(text, " (procfs) R ") != NULL);
	CHECK("stat.ppid", stat_field(text, 4) == getppid());
	CHECK("stat.pgrp", stat_field(text, 5) == getpgrp());
	CHECK("stat.has_52_fields", stat_field(text, 52) >= 0 && stat_field(text, 53) == -1);
	CHECK("stat.vsize_nonzero", stat_field(text, 23) > 0);

	CHECK("status.pid", slurp("/proc/self/status") > 0 && field("Pid") == getpid());
	CHECK("status.ppid", field("PPid") == getppid());
	CHECK("status.name", strncmp(text, "Name:\tprocfs\n", 13) == 0);
	umask(027);
	CHECK("status.umask_follows", slurp("/proc/self/status") > 0 &&
	      strstr(text, "\nUmask:\t0027\n") != NULL);
	umask(022);

	CHECK("comm", slurp("/proc/self/comm") == 7 && !strcmp(text, "procfs\n"));
	long n = 0;
	for (int i = 0; i < argc; i++)
		n += strlen(argv[i]) + 1;
	CHECK("cmdline.is_argv", slurp("/proc/self/cmdline") == n &&
	      !strcmp(text, argv[0]) && (argc < 2 || !strcmp(text + strlen(argv[0]) + 1, argv[1])));
	n = 0;
	for (char **e = envp; *e; e++)
		n += strlen(*e) + 1;
	CHECK("environ.is_envp", slurp("/proc/self/environ") == n && (!*envp || !strcmp(text, *envp)));

	ssize_t len = readlink("/proc/self/exe", buf, sizeof(buf) - 1);
	buf[len > 0 ? len : 0] = 0;
	const char *base = strrchr(buf, '/');
	CHECK("exe.is_this_program", len > 0 && buf[0] == '/' && base && !strcmp(base, "/procfs"));
	CHECK("maps.has_the_program", slurp("/proc/self/maps") > 0 && strstr(text, buf) != NULL);
	CHECK("maps.has_the_stack", strstr(text, "[stack]\n") != NULL);
	CHECK("maps.text_is_executable", strstr(text, "r-xp") != NULL);
	snprintf(want, sizeof(want), "%lx-", (unsigned long)(uintptr_t)&self_files);
	int found = 0;
	for (char *line = text; line && *line; line = strchr(line, '\n'), line = line ? line + 1 : NULL) {
		unsigned long lo, hi;
		if (sscanf(line, "%lx-%lx", &lo, &hi) == 2 && lo <= (uintptr_t)&self_files &&
		    (uintptr_t)&self_files < hi)
			found = strncmp(strchr(line, ' ') + 1, "r-x", 3) == 0;
	}
	CHECK("maps.code_address_in_an_executable_area", found);

	const char *dir = scratch_dir();
	CHECK("cwd.follows_chdir", chdir(dir) == 0 && readlink_is("/proc/self/cwd", dir));
	chdir("/");
	CHECK("cwd.after_chdir_root", readlink_is("/proc/self/cwd", "/"));

	snprintf(want, sizeof(want), "%s/opened", dir);
	int fd = open(want, O_RDWR | O_CREAT, 0644);
	snprintf(buf, sizeof(buf), "/proc/self/fd/%d", fd);
	CHECK("fd.link_is_the_path", fd >= 0 && readlink_is(buf, want));
	snprintf(buf, sizeof(buf), "/proc/self/fdinfo/%d", fd);
	CHECK("fdinfo.pos", write(fd, "abc", 3) == 3 && slurp(buf) > 0 &&
	      !strncmp(text, "pos:\t3\n", 7));
	int fds[2];
	CHECK("fd.pipe", pipe(fds) == 0);
	snprintf(buf, sizeof(buf), "/proc/self/fd/%d", fds[0]);
	len = readlink(buf, want, sizeof(want) - 1);
	want[len > 0 ? len : 0] = 0;
	CHECK("fd.pipe_link", len > 0 && !strncmp(want, "pipe:[", 6));
	DIR *d = opendir("/proc/self/fd");
	int seen_fd = 0, seen_pipe = 0, others = 0;
	for (struct dirent *e; d && (e = readdir(d));) {
		if (e->d_name[0] == '.')
			continue;
		seen_fd |= atoi(e->d_name) == fd;
		seen_pipe |= atoi(e->d_name) == fds[1];
		others += e->d_type != DT_LNK;
	}
	if (d)
		closedir(d);
	CHECK("fd.listing", seen_fd && seen_pipe && !others);
	close(fds[0]);
	close(fds[1]);
	close(fd);
	snprintf(buf, sizeof(buf), "/proc/self/fd/%d", fds[1]);
	check_err("fd.closed_is_gone", access(buf, F_OK), ENOENT);
	remove_tree(dir);
}

/* A child waits on a pipe while its parent looks at it. */
static void other_process(void)
{
	int p[2];
	char path[64], c;

	if (pipe(p))
		return;
	pid_t pid = fork();
	if (pid == 0) {
		close(p[1]);
		read(p[0], &c, 1);
		_exit(0);
	}
	close(p[0]);
	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	CHECK("child.stat_ppid", slurp(path) > 0 && stat_field(text, 1) == pid &&
	      stat_field(text, 4) == getpid());
	snprintf(path, sizeof(path), "/proc/%d", pid);
	DIR *d = opendir("/proc");
	int listed = 0;
	for (struct dirent *e; d && (e = readdir(d));)
		listed |= atoi(e->d_name) == pid && e->d_type == DT_DIR;
	if (d)
		closedir(d);
	CHECK("root.lists_the_child", listed);
	snprintf(path, sizeof(path), "/proc/%d/cmdline", pid);
	CHECK("child.cmdline_is_ours", slurp(path) > 0 && strstr(text, "procfs"));
	write(p[1], "x", 1);
	close(p[1]);
	int st;
	waitpid(pid, &st, 0);
	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	check_err("child.gone_after_wait", open(path, O_RDONLY), ENOENT);
}

static void machine_files(void)
{
	struct sysinfo si;

	CHECK("meminfo.memtotal_is_sysinfo", slurp("/proc/meminfo") > 0 && sysinfo(&si) == 0 &&
	      !strncmp(text, "MemTotal:", 9) &&
	      atol(text + 9) == (long)(si.totalram * si.mem_unit / 1024));
	const char *memfree = strstr(text, "\nMemFree:");
	CHECK("meminfo.memfree_below_total", memfree && atol(memfree + 9) < atol(text + 9));
	double up = 0, idle = 0;
	CHECK("uptime.two_numbers", slurp("/proc/uptime") > 0 &&
	      sscanf(text, "%lf %lf", &up, &idle) == 2 && up > 0);
	CHECK("uptime.is_sysinfo", up + 2 >= (double)si.uptime && up <= (double)si.uptime + 2);
	double l1, l5, l15;
	int running, total, last;
	CHECK("loadavg.shape", slurp("/proc/loadavg") > 0 &&
	      sscanf(text, "%lf %lf %lf %d/%d %d", &l1, &l5, &l15, &running, &total, &last) == 6 &&
	      running >= 1 && total >= running && last >= getpid());
	unsigned long long user, nice, sys, idl;
	CHECK("stat.cpu_line", slurp("/proc/stat") > 0 &&
	      sscanf(text, "cpu %llu %llu %llu %llu", &user, &nice, &sys, &idl) == 4);
	const char *btime = strstr(text, "\nbtime ");
	CHECK("stat.btime", btime && atoll(btime + 7) <= (long long)time(NULL));
	CHECK("stat.processes", strstr(text, "\nprocesses ") != NULL);
	CHECK("cpuinfo.processor", slurp("/proc/cpuinfo") > 0 && !strncmp(text, "processor\t: 0\n", 14));
	CHECK("version", slurp("/proc/version") > 0 && !strncmp(text, "Linux version ", 14));
	CHECK("filesystems.proc", slurp("/proc/filesystems") > 0 && strstr(text, "nodev\tproc\n"));
	CHECK("mounts.proc", slurp("/proc/self/mounts") > 0 && strstr(text, " /proc proc "));
	CHECK("mounts.link", readlink_is("/proc/mounts", "self/mounts"));
	char pid[16];
	snprintf(pid, sizeof(pid), "%d", getpid());
	CHECK("self.link", readlink_is("/proc/self", pid));
}

/* CPU time: spinning shows in utime + stime within ten seconds, however
 * little of the CPU this machine gives us. */
static void cpu_time(void)
{
	struct timespec a, b;
	long long ticks = 0;

	clock_gettime(CLOCK_MONOTONIC, &a);
	do {
		for (volatile int i = 0; i < 100000; i++)
			;
		if (slurp("/proc/self/stat") > 0)
			ticks = stat_field(text, 14) + stat_field(text, 15);
		clock_gettime(CLOCK_MONOTONIC, &b);
	} while (ticks < 5 && b.tv_sec - a.tv_sec < 10);
	CHECK("stat.cpu_time_counts", ticks >= 5);
}

static void refusals(void)
{
	check_err("nonexistent_pid", open("/proc/999999999/stat", O_RDONLY), ENOENT);
	check_err("nonexistent_file", open("/proc/self/no-such-file", O_RDONLY), ENOENT);
	check_err("create_in_proc", open("/proc/kevlar-new", O_WRONLY | O_CREAT, 0644), ENOENT);
	check_err("mkdir_in_proc", mkdir("/proc/kevlar-dir", 0755), ENOENT);
	check_err("unlink_in_proc", unlink("/proc/self/stat"), EPERM);
	/* Root may open a /proc file for writing on Linux and fail the write;
	 * either way nothing is written. */
	int fd = open("/proc/self/stat", O_WRONLY);
	int err = fd < 0 ? errno : (write(fd, "x", 1) < 0 ? errno : 0);
	CHECK("write_refused", err == EACCES || err == EINVAL || err == EIO);
	if (fd >= 0)
		close(fd);
	struct stat st;
	CHECK("stat.dir_mode", stat("/proc/self/", &st) == 0 && S_ISDIR(st.st_mode) &&
	      (st.st_mode & 0777) == 0555);
	CHECK("stat.file_mode", stat("/proc/self/stat", &st) == 0 && S_ISREG(st.st_mode) &&
	      (st.st_mode & 0777) == 0444 && st.st_size == 0);
	CHECK("lstat.self_is_link", lstat("/proc/self", &st) == 0 && S_ISLNK(st.st_mode));
}

int main(int argc, char **argv, char **envp)
{
	self_files(argc, argv, envp);
	other_process();
	machine_files();
	cpu_time();
	refusals();
	return finish();
}
