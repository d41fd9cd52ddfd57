/* sysinfo, sched_getaffinity, fadvise64 and the extended-attribute calls
 * as a dynamically linked program meets them: sane totals, Linux's
 * argument checks, and the errors that do not depend on the filesystem. */
#include "usertest.h"
#include <fcntl.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>

static void test_sysinfo(void)
{
	struct sysinfo si;

	memset(&si, 0xff, sizeof(si));
	if (!check_ok("sysinfo.ok", syscall(SYS_sysinfo, &si)))
		return;
	CHECK("sysinfo.mem_unit", si.mem_unit >= 1);
	CHECK("sysinfo.totalram", si.totalram > 0);
	CHECK("sysinfo.freeram_below_total", si.freeram <= si.totalram);
	CHECK("sysinfo.procs", si.procs >= 1);
	CHECK("sysinfo.uptime", si.uptime < 10L * 366 * 86400);
	check_err("sysinfo.efault", syscall(SYS_sysinfo, BAD_UNMAPPED), EFAULT);
}

static void test_affinity(void)
{
	unsigned long mask[16];
	long n;

	memset(mask, 0, sizeof(mask));
	n = syscall(SYS_sched_getaffinity, 0, sizeof(mask), mask);
	CHECK("sched_getaffinity.bytes", n >= 8 && n <= (long)sizeof(mask) && n % 8 == 0);
	CHECK("sched_getaffinity.cpu0", mask[0] & 1);
	CHECK("sched_getaffinity.own_pid",
	      syscall(SYS_sched_getaffinity, getpid(), sizeof(mask), mask) == n);
	check_err("sched_getaffinity.odd_length",
		  syscall(SYS_sched_getaffinity, 0, 12, mask), EINVAL);
	check_err("sched_getaffinity.no_such_pid",
		  syscall(SYS_sched_getaffinity, 0x3fffffff, sizeof(mask), mask), ESRCH);
	check_err("sched_getaffinity.efault",
		  syscall(SYS_sched_getaffinity, 0, sizeof(mask), BAD_UNMAPPED), EFAULT);
}

static void test_fadvise(const char *file)
{
	int fd = open(file, O_RDONLY);
	int p[2];

	check_ok("fadvise64.sequential", syscall(SYS_fadvise64, fd, 0, 0, 2));
	check_ok("fadvise64.dontneed", syscall(SYS_fadvise64, fd, 0, 4096, 4));
	check_err("fadvise64.bad_advice", syscall(SYS_fadvise64, fd, 0, 0, 99), EINVAL);
	check_err("fadvise64.negative_len", syscall(SYS_fadvise64, fd, 0L, -1L, 0), EINVAL);
	close(fd);
	check_err("fadvise64.ebadf", syscall(SYS_fadvise64, fd, 0, 0, 0), EBADF);
	if (pipe(p) == 0) {
		check_err("fadvise64.pipe", syscall(SYS_fadvise64, p[0], 0, 0, 0), ESPIPE);
		close(p[0]);
		close(p[1]);
	}
}

static void test_xattr(const char *dir, const char *file)
{
	char missing[512], buf[64], longname[300];
	int fd = open(file, O_RDONLY);

	snprintf(missing, sizeof(missing), "%s/missing", dir);
	memset(longname, 'a', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = 0;
	memcpy(longname, "user.", 5);

	check_err("xattr.get_missing_file",
		  syscall(SYS_getxattr, missing, "user.x", buf, sizeof(buf)), ENOENT);
	check_err("xattr.lget_missing_file",
		  syscall(SYS_lgetxattr, missing, "user.x", buf, sizeof(buf)), ENOENT);
	check_err("xattr.list_missing_file",
		  syscall(SYS_listxattr, missing, buf, sizeof(buf)), ENOENT);
	check_err("xattr.fget_ebadf", syscall(SYS_fgetxattr, -1, "user.x", buf, sizeof(buf)),
		  EBADF);
	check_err("xattr.get_empty_name", syscall(SYS_getxattr, file, "", buf, sizeof(buf)),
		  ERANGE);
	check_err("xattr.get_long_name",
		  syscall(SYS_getxattr, file, longname, buf, sizeof(buf)), ERANGE);
	check_err("xattr.set_bad_flags",
		  syscall(SYS_setxattr, file, "user.x", "v", 1, 4), EINVAL);
	check_err("xattr.set_too_big",
		  syscall(SYS_setxattr, file, "user.x", buf, 65537, 0), E2BIG);
	check_ok("xattr.list_empty", syscall(SYS_listxattr, file, buf, sizeof(buf)));
	CHECK("xattr.flist_empty", syscall(SYS_flistxattr, fd, buf, sizeof(buf)) == 0);
	CHECK("xattr.llist_empty", syscall(SYS_llistxattr, file, NULL, 0) == 0);
	check_err("xattr.remove_missing_file", syscall(SYS_removexattr, missing, "user.x"),
		  ENOENT);
	close(fd);
}

int main(void)
{
	const char *dir = scratch_dir();
	char file[512];

	snprintf(file, sizeof(file), "%s/f", dir);
	if (write_file(file, "hello\n", 6, 0644) != 0)
		fail("sysinfo.setup", "cannot write %s: %s", file, errname(errno));
	test_sysinfo();
	test_affinity();
	test_fadvise(file);
	test_xattr(dir, file);
	remove_tree(dir);
	return finish();
}
