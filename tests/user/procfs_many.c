/*
 * /proc with hundreds of processes: the listing shows every one, each
 * one's stat and status read right, and the machine's files stay
 * consistent. (What each read costs is tests/qemu/test_procfs.py's
 * ktest=proc-cost: a count of the work, not a time.)
 */
#include "usertest.h"
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>

#define KIDS 300

static pid_t kids[KIDS];
static int nkids;

static int read_file(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	size_t got = 0;
	ssize_t n;
	while (got < size - 1 && (n = read(fd, buf + got, size - 1 - got)) > 0)
		got += (size_t)n;
	close(fd);
	buf[got] = 0;
	return (int)got;
}

static long meminfo_kb(const char *text, const char *field)
{
	const char *p = strstr(text, field);
	return p ? strtol(p + strlen(field), NULL, 10) : -1;
}

static int listed_kids(void)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	int found = 0;

	if (!d)
		return -1;
	while ((e = readdir(d))) {
		pid_t p = (pid_t)atoi(e->d_name);
		for (int i = 0; p > 0 && i < nkids; i++)
			if (kids[i] == p) {
				found++;
				break;
			}
	}
	closedir(d);
	return found;
}

/* Every child's stat names it sleeping, with this process as its parent,
 * and its status says one thread. */
static int kids_read_right(void)
{
	char path[64], buf[1024];
	int right = 0;

	for (int i = 0; i < nkids; i++) {
		snprintf(path, sizeof(path), "/proc/%d/stat", (int)kids[i]);
		if (read_file(path, buf, sizeof(buf)) <= 0)
			continue;
		char *paren = strrchr(buf, ')');
		char state;
		int ppid;
		if (!paren || sscanf(paren + 1, " %c %d", &state, &ppid) != 2)
			continue;
		snprintf(path, sizeof(path), "/proc/%d/status", (int)kids[i]);
		if (read_file(path, buf, sizeof(buf)) <= 0)
			continue;
		right += state == 'S' && ppid == getpid() && strstr(buf, "\nThreads:\t1\n");
	}
	return right;
}

int main(void)
{
	char buf[4096];

	while (nkids < KIDS) {
		pid_t pid = fork();
		if (pid < 0)
			break;
		if (pid == 0) {
			for (;;)
				pause();
		}
		kids[nkids++] = pid;
	}
	CHECK("procfs_many.forked", nkids == KIDS);
	/* Each child is asleep once its stat says so. */
	for (int tries = 0; tries < 1000 && kids_read_right() < nkids; tries++)
		usleep(10000);
	CHECK("procfs_many.listing_shows_every_child", listed_kids() == nkids);
	CHECK("procfs_many.every_child_stat_and_status", kids_read_right() == nkids);
	CHECK("procfs_many.meminfo_read", read_file("/proc/meminfo", buf, sizeof(buf)) > 0);
	long total = meminfo_kb(buf, "MemTotal:"), free = meminfo_kb(buf, "MemFree:");
	long avail = meminfo_kb(buf, "MemAvailable:");
	CHECK("procfs_many.meminfo_consistent",
	      total > 0 && free > 0 && free <= total && avail >= 0 && avail <= total);
	CHECK("procfs_many.loadavg_counts_them", read_file("/proc/loadavg", buf, sizeof(buf)) > 0 &&
	      strchr(buf, '/') && strtol(strchr(buf, '/') + 1, NULL, 10) > nkids);
	for (int i = 0; i < nkids; i++)
		kill(kids[i], SIGKILL);
	int reaped = 0;
	for (int i = 0; i < nkids; i++)
		reaped += waitpid(kids[i], NULL, 0) == kids[i];
	CHECK("procfs_many.reaped", reaped == nkids);
	CHECK("procfs_many.listing_after", listed_kids() == 0);
	return finish();
}
