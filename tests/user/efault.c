/*
 * Bad user pointers -- unmapped, non-canonical, the kernel half and the
 * kernel image -- make every call that takes a pointer fail with EFAULT,
 * and nothing else happens.
 */
#include "usertest.h"
#include <sys/uio.h>
#include <time.h>

static const struct { const char *name; void *ptr; } bad[] = {
	{ "unmapped", BAD_UNMAPPED },
	{ "noncanonical", BAD_NONCANON },
	{ "kernel_half", BAD_KHALF },
	{ "kernel_image", BAD_KIMAGE },
};

static const char *kind;

static void expect(const char *call, long ret)
{
	char name[96];

	snprintf(name, sizeof(name), "efault.%s.%s", call, kind);
	check_err(name, ret, EFAULT);
}

static int child_exits(void *arg)
{
	return 0;
}

int main(void)
{
	const char *dir = scratch_dir();
	char file[256];
	int fds[2];

	snprintf(file, sizeof(file), "%s/f", dir);
	write_file(file, "0123456789", 10, 0644);
	int fd = open(file, O_RDWR);
	int dfd = open(dir, O_RDONLY | O_DIRECTORY);
	pipe(fds);
	write(fds[1], "abcdef", 6);

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		void *p = bad[i].ptr;
		kind = bad[i].name;

		lseek(fd, 0, SEEK_SET);
		expect("read_file", syscall(SYS_read, fd, p, 10));
		expect("read_pipe", syscall(SYS_read, fds[0], p, 3));
		expect("write_file", syscall(SYS_write, fd, p, 10));
		expect("write_pipe", syscall(SYS_write, fds[1], p, 3));
		expect("pread64", syscall(SYS_pread64, fd, p, 10, 0));
		expect("pwrite64", syscall(SYS_pwrite64, fd, p, 10, 0));
		expect("readv_iovec", syscall(SYS_readv, fd, p, 1));
		expect("writev_iovec", syscall(SYS_writev, fd, p, 1));
		struct iovec iov = { p, 10 };
		lseek(fd, 0, SEEK_SET);
		expect("readv_buffer", syscall(SYS_readv, fd, &iov, 1));
		expect("writev_buffer", syscall(SYS_writev, fd, &iov, 1));
		expect("open_path", syscall(SYS_open, p, O_RDONLY));
		expect("openat_path", syscall(SYS_openat, AT_FDCWD, p, O_RDONLY));
		expect("stat_path", syscall(SYS_stat, p, &(struct stat){ 0 }));
		expect("stat_buffer", syscall(SYS_stat, file, p));
		expect("lstat_buffer", syscall(SYS_lstat, file, p));
		expect("fstat_buffer", syscall(SYS_fstat, fd, p));
		expect("newfstatat_path", syscall(SYS_newfstatat, dfd, p, &(struct stat){ 0 }, 0));
		expect("newfstatat_buffer", syscall(SYS_newfstatat, dfd, "f", p, 0));
		expect("statx_buffer", syscall(SYS_statx, dfd, "f", 0, 0x7ffU, p));
		expect("access_path", syscall(SYS_access, p, F_OK));
		expect("mkdir_path", syscall(SYS_mkdir, p, 0755));
		expect("chdir_path", syscall(SYS_chdir, p));
		expect("unlink_path", syscall(SYS_unlink, p));
		expect("readlink_path", syscall(SYS_readlink, p, file, 10));
		expect("getdents64_buffer", syscall(SYS_getdents64, dfd, p, 4096));
		expect("getcwd_buffer", syscall(SYS_getcwd, p, 4096));
		expect("uname_buffer", syscall(SYS_uname, p));
		expect("clock_gettime_buffer", syscall(SYS_clock_gettime, CLOCK_MONOTONIC, p));
		expect("gettimeofday_buffer", syscall(SYS_gettimeofday, p, NULL));
		expect("nanosleep_request", syscall(SYS_nanosleep, p, NULL));
		expect("pipe_buffer", syscall(SYS_pipe, p));
		expect("pipe2_buffer", syscall(SYS_pipe2, p, 0));
		expect("getrandom_buffer", syscall(SYS_getrandom, p, 16, 0));
		expect("prlimit64_old", syscall(SYS_prlimit64, 0, RLIMIT_NOFILE, NULL, p));
		expect("prlimit64_new", syscall(SYS_prlimit64, 0, RLIMIT_NOFILE, p, NULL));
		char *argv[] = { "x", NULL };
		expect("execve_path", syscall(SYS_execve, p, argv, argv + 1));

		pid_t pid = fork();
		if (pid == 0)
			_exit(child_exits(NULL));
		expect("wait4_status", syscall(SYS_wait4, pid, p, 0, NULL));
		waitpid(pid, NULL, 0);
	}

	/* The file and the pipe are as they were: nothing was written. */
	char buf[16];
	CHECK("efault.file_unchanged", pread(fd, buf, sizeof(buf), 0) == 10 &&
	      !memcmp(buf, "0123456789", 10));
	CHECK("efault.pipe_data_intact", read(fds[0], buf, sizeof(buf)) == 6 &&
	      !memcmp(buf, "abcdef", 6));
	check_exit("efault.still_alive", in_child(child_exits, NULL), 0);
	close(fd);
	close(dfd);
	remove_tree(dir);
	return finish();
}
