/*
 * Kernel tests of the VFS (test kernels, ktest=<name>):
 *
 *   vfs            path resolution, the namespace operations and their
 *                  errors, descriptors, pipes, devices, mounts, from the
 *                  kernel's side (the system calls' user copies are tested
 *                  from user space)
 *
 * tmpfs-restart and vfs-tree are in ktest_tmpfs.c.
 */
#ifdef KEVLAR_KTEST
#include <services.h>
#include <syscalls.h>
#include <kevlar/abi.h>
#include <kevlar/errno.h>
#include <kevlar/layout.h>
#include <kevlar/mm.h>
#include <kevlar/printk.h>
#include <kevlar/string.h>
#include <kevlar/svc.h>
#include <ifc/fsstore.h>
#include <ifc/rootfs.h>
#include <kevlar/vm.h>
#include "../ktest/ktest.h"
#include "ktest_vfs.h"

/* ---- ktest=vfs ---- */

static void test_paths(void)
{
	struct stat st, st2;
	char *long_name = kmalloc(PATH_MAX + 16);

	CHECK_RC(vfs_mkdirat(AT_FDCWD, "/t", 0755), 0);
	CHECK_RC(vfs_mkdirat(AT_FDCWD, "/t", 0755), -EEXIST);
	CHECK_RC(vfs_mkdirat(AT_FDCWD, "/t/a/b", 0755), -ENOENT);
	CHECK_RC(vfs_mkdirat(AT_FDCWD, "/t/a/", 0700), 0);
	CHECK_RC(write_file("/t/f", "hello", 5, 0), 0);
	CHECK_RC(stat_path("/t/f", 0, &st), 0);
	CHECK(st.st_size == 5 && st.st_mode == (S_IFREG | 0644) && st.st_nlink == 1,
	      "size %ld mode %o nlink %lu", st.st_size, st.st_mode, st.st_nlink);
	CHECK_RC(stat_path("/t/a", 0, &st2), 0);
	CHECK(st2.st_mode == (S_IFDIR | 0700) && st2.st_nlink == 2, "dir mode %o nlink %lu",
	      st2.st_mode, st2.st_nlink);
	CHECK_RC(stat_path("/t", 0, &st2), 0);
	CHECK(st2.st_nlink == 3, "/t nlink %lu", st2.st_nlink);

	CHECK_RC(stat_path("/t/./f", 0, &st2), 0);
	CHECK(st2.st_ino == st.st_ino, "./");
	CHECK_RC(stat_path("/t/a/../f", 0, &st2), 0);
	CHECK(st2.st_ino == st.st_ino, "..");
	CHECK_RC(stat_path("/../../t//f", 0, &st2), 0);
	CHECK(st2.st_ino == st.st_ino, ".. above the root");
	CHECK_RC(stat_path("/t/f/", 0, &st2), -ENOTDIR);
	CHECK_RC(stat_path("/t/f/x", 0, &st2), -ENOTDIR);
	CHECK_RC(stat_path("/t/f/..", 0, &st2), -ENOTDIR);
	CHECK_RC(stat_path("/t/nope", 0, &st2), -ENOENT);
	CHECK_RC(stat_path("/t/nope/x", 0, &st2), -ENOENT);
	CHECK_RC(stat_path("", 0, &st2), -ENOENT);
	CHECK_RC(stat_path("/t/a/", 0, &st2), 0);
	memset(long_name, 'n', NAME_MAX + 1);
	long_name[NAME_MAX + 1] = 0;
	CHECK_RC(stat_path(long_name, 0, &st2), -ENAMETOOLONG);
	CHECK_RC(vfs_mkdirat(AT_FDCWD, long_name, 0755), -ENAMETOOLONG);
	long_name[NAME_MAX] = 0;
	CHECK_RC(vfs_mkdirat(AT_FDCWD, long_name, 0755), 0);
	CHECK_RC(vfs_unlinkat(AT_FDCWD, long_name, AT_REMOVEDIR), 0);
	for (int i = 0; i < PATH_MAX + 8; i += 2) {
		long_name[i] = '.';
		long_name[i + 1] = '/';
	}
	long_name[PATH_MAX + 8] = 0;
	CHECK_RC(stat_path(long_name, 0, &st2), -ENAMETOOLONG);
	kfree(long_name);

	/* Relative paths and the cwd. */
	char cwd[64];
	CHECK_RC(vfs_chdir("/t/a"), 0);
	CHECK_RC(vfs_getcwd(cwd, sizeof(cwd)), 5);
	CHECK(!strcmp(cwd, "/t/a"), "cwd %s", cwd);
	CHECK_RC(stat_path("../f", 0, &st2), 0);
	CHECK(st2.st_ino == st.st_ino, "relative ..");
	CHECK_RC(vfs_chdir("../f"), -ENOTDIR);
	CHECK_RC(vfs_chdir("/"), 0);
	CHECK_RC(vfs_getcwd(cwd, sizeof(cwd)), 2);
	CHECK_RC(vfs_getcwd(cwd, 1), -ERANGE);
}

static void test_symlinks(void)
{
	struct stat st, target;
	char buf[64];

	CHECK_RC(stat_path("/t/f", 0, &target), 0);
	CHECK_RC(vfs_symlinkat("f", AT_FDCWD, "/t/l"), 0);
	CHECK_RC(vfs_symlinkat("f", AT_FDCWD, "/t/l"), -EEXIST);
	CHECK_RC(vfs_symlinkat("", AT_FDCWD, "/t/empty"), -ENOENT);
	CHECK_RC(stat_path("/t/l", 0, &st), 0);
	CHECK(st.st_ino == target.st_ino, "followed");
	CHECK_RC(stat_path("/t/l", AT_SYMLINK_NOFOLLOW, &st), 0);
	CHECK(S_ISLNK(st.st_mode) && st.st_size == 1, "lstat mode %o size %ld", st.st_mode,
	      st.st_size);
	CHECK_RC(vfs_readlinkat(AT_FDCWD, "/t/l", buf, sizeof(buf)), 1);
	CHECK(buf[0] == 'f', "readlink");
	CHECK_RC(vfs_readlinkat(AT_FDCWD, "/t/f", buf, sizeof(buf)), -EINVAL);
	CHECK_RC(vfs_symlinkat("/t/a", AT_FDCWD, "/t/da"), 0);
	CHECK_RC(vfs_symlinkat("../../t/a/../f", AT_FDCWD, "/t/a/up"), 0);
	CHECK_RC(stat_path("/t/a/up", 0, &st), 0);
	CHECK(st.st_ino == target.st_ino, "relative target with ..");
	CHECK_RC(stat_path("/t/da/", 0, &st), 0);
	CHECK(S_ISDIR(st.st_mode), "trailing slash follows");
	CHECK_RC(stat_path("/t/l/", AT_SYMLINK_NOFOLLOW, &st), -ENOTDIR);
	CHECK_RC(stat_path("/t/da/up", 0, &st), 0);
	CHECK_RC(vfs_symlinkat("loop2", AT_FDCWD, "/t/loop1"), 0);
	CHECK_RC(vfs_symlinkat("loop1", AT_FDCWD, "/t/loop2"), 0);
	CHECK_RC(stat_path("/t/loop1", 0, &st), -ELOOP);
	CHECK_RC(stat_path("/t/loop1", AT_SYMLINK_NOFOLLOW, &st), 0);
	CHECK_RC(vfs_openat(AT_FDCWD, "/t/l", O_RDONLY | O_NOFOLLOW, 0, &(struct file *){ NULL }), -ELOOP);

	/* A chain of 40 links resolves; 41 do not. */
	CHECK_RC(vfs_mkdirat(AT_FDCWD, "/t/chain", 0755), 0);
	char name[32], to[32];
	for (int i = 1; i <= 41; i++) {
		ksnprintf(name, sizeof(name), "/t/chain/%d", i);
		if (i == 1)
			ksnprintf(to, sizeof(to), "/t/f");
		else
			ksnprintf(to, sizeof(to), "%d", i - 1);
		CHECK_RC(vfs_symlinkat(to, AT_FDCWD, name), 0);
	}
	CHECK_RC(stat_path("/t/chain/40", 0, &st), 0);
	CHECK_RC(stat_path("/t/chain/41", 0, &st), -ELOOP);

	/* O_CREAT through a dangling symlink makes its target. */
	struct file *f;
	CHECK_RC(vfs_symlinkat("made", AT_FDCWD, "/t/dangling"), 0);
	CHECK_RC(vfs_openat(AT_FDCWD, "/t/dangling", O_WRONLY | O_CREAT, 0600, &f), 0);
	if (!vfs_test_failures)
		file_put(f);
	CHECK(exists("/t/made"), "target made");
	CHECK_RC(vfs_openat(AT_FDCWD, "/t/dangling", O_WRONLY | O_CREAT | O_EXCL, 0600, &f),
		 -EEXIST);
}

static void test_changes(void)
{
	struct stat st, st2;
	char buf[64];
	struct file *f;

	/* Hard links, and a file that outlives its last name while open. */
	CHECK_RC(vfs_linkat(AT_FDCWD, "/t/f", AT_FDCWD, "/t/g", 0), 0);
	CHECK_RC(stat_path("/t/g", 0, &st), 0);
	CHECK(st.st_nlink == 2, "nlink %lu", st.st_nlink);
	CHECK_RC(vfs_linkat(AT_FDCWD, "/t/a", AT_FDCWD, "/t/a2", 0), -EPERM);
	CHECK_RC(vfs_linkat(AT_FDCWD, "/t/f", AT_FDCWD, "/t/g", 0), -EEXIST);
	CHECK_RC(vfs_openat(AT_FDCWD, "/t/g", O_RDONLY, 0, &f), 0);
	CHECK_RC(vfs_unlinkat(AT_FDCWD, "/t/f", 0), 0);
	CHECK_RC(vfs_unlinkat(AT_FDCWD, "/t/g", 0), 0);
	CHECK(!exists("/t/g"), "gone");
	CHECK_RC(kernel_read(f, buf, sizeof(buf), 0), 5);
	CHECK(!memcmp(buf, "hello", 5), "data of an unlinked open file");
	CHECK(f->inode->nlink == 0, "nlink 0");
	file_put(f);

	/* rmdir and unlink refusals. */
	CHECK_RC(write_file("/t/a/x", "x", 1, 0), 0);
	CHECK_RC(vfs_unlinkat(AT_FDCWD, "/t/a", AT_REMOVEDIR), -ENOTEMPTY);
	CHECK_RC(vfs_unlinkat(AT_FDCWD, "/t/a", 0), -EISDIR);
	CHECK_RC(vfs_unlinkat(AT_FDCWD, "/t/a/x", AT_REMOVEDIR), -ENOTDIR);
	CHECK_RC(vfs_unlinkat(AT_FDCWD, "/t/a/x/", 0), -ENOTDIR);
	CHECK_RC(vfs_unlinkat(AT_FDCWD, "/t/a/.", AT_REMOVEDIR), -EINVAL);
	CHECK_RC(vfs_unlinkat(AT_FDCWD, "/t/a/..", AT_REMOVEDIR), -ENOTEMPTY);
	CHECK_RC(vfs_unlinkat(AT_FDCWD, "/", AT_REMOVEDIR), -EBUSY);
	CHECK_RC(vfs_unlinkat(AT_FDCWD, "/t/nope", 0), -ENOENT);

	/* rename, every refusal and both flags. */
	CHECK_RC(write_file("/t/r1", "one", 3, 0), 0);
	CHECK_RC(write_file("/t/r2", "two", 3, 0), 0);
	CHECK_RC(vfs_mkdirat(AT_FDCWD, "/t/d1", 0755), 0);
	CHECK_RC(vfs_mkdirat(AT_FDCWD, "/t/d1/sub", 0755), 0);
	CHECK_RC(vfs_mkdirat(AT_FDCWD, "/t/d2", 0755), 0);
	CHECK_RC(vfs_renameat2(AT_FDCWD, "/t/r1", AT_FDCWD, "/t/r2", RENAME_NOREPLACE), -EEXIST);
	CHECK_RC(vfs_renameat2(AT_FDCWD, "/t/r1", AT_FDCWD, "/t/r2", RENAME_EXCHANGE), 0);
	CHECK_RC(read_file("/t/r1", buf, sizeof(buf)), 3);
	CHECK(!strcmp(buf, "two"), "exchanged: %s", buf);
	CHECK_RC(vfs_renameat2(AT_FDCWD, "/t/r1", AT_FDCWD, "/t/r2", 0), 0);
	CHECK_RC(read_file("/t/r2", buf, sizeof(buf)), 3);
	CHECK(!strcmp(buf, "two") && !exists("/t/r1"), "replaced: %s", buf);
	CHECK_RC(vfs_renameat2(AT_FDCWD, "/t/d1", AT_FDCWD, "/t/d1/sub/in", 0), -EINVAL);
	CHECK_RC(vfs_renameat2(AT_FDCWD, "/t/d2", AT_FDCWD, "/t/d1", 0), -ENOTEMPTY);
	CHECK_RC(vfs_renameat2(AT_FDCWD, "/t/d2", AT_FDCWD, "/t/r2", 0), -ENOTDIR);
	CHECK_RC(vfs_renameat2(AT_FDCWD, "/t/r2", AT_FDCWD, "/t/d2", 0), -EISDIR);
	CHECK_RC(vfs_renameat2(AT_FDCWD, "/t/r2/", AT_FDCWD, "/t/r3", 0), -ENOTDIR);
	CHECK_RC(vfs_renameat2(AT_FDCWD, "/t/.", AT_FDCWD, "/t/r3", 0), -EBUSY);
	CHECK_RC(vfs_renameat2(AT_FDCWD, "/t/nope", AT_FDCWD, "/t/r3", 0), -ENOENT);
	CHECK_RC(vfs_renameat2(AT_FDCWD, "/t/r2", AT_FDCWD, "/t/r3", 8), -EINVAL);
	CHECK_RC(stat_path("/t/d1", 0, &st), 0);
	CHECK_RC(vfs_renameat2(AT_FDCWD, "/t/d1/sub", AT_FDCWD, "/t/d2/sub", 0), 0);
	CHECK_RC(stat_path("/t/d1", 0, &st2), 0);
	CHECK(st2.st_nlink == st.st_nlink - 1, "moved a subdirectory out: nlink %lu -> %lu",
	      st.st_nlink, st2.st_nlink);
	CHECK_RC(vfs_renameat2(AT_FDCWD, "/t/d1", AT_FDCWD, "/t/d2", 0), -ENOTEMPTY);
	CHECK_RC(vfs_unlinkat(AT_FDCWD, "/t/d2/sub", AT_REMOVEDIR), 0);
	CHECK_RC(vfs_renameat2(AT_FDCWD, "/t/d2", AT_FDCWD, "/t/d1", 0), 0);
	CHECK(!exists("/t/d2"), "dir over empty dir");

	/* Sizes: O_TRUNC, appends, a hole past the end, chmod. */
	CHECK_RC(write_file("/t/s", "abcdef", 6, 0), 0);
	CHECK_RC(write_file("/t/s", "xy", 2, O_TRUNC), 0);
	CHECK_RC(read_file("/t/s", buf, sizeof(buf)), 2);
	CHECK_RC(vfs_openat(AT_FDCWD, "/t/s", O_WRONLY, 0, &f), 0);
	CHECK_RC(kernel_write(f, "z", 1, 3 * PAGE_SIZE), 1);
	file_put(f);
	CHECK_RC(stat_path("/t/s", 0, &st), 0);
	CHECK(st.st_size == (s64)(3 * PAGE_SIZE + 1) && st.st_blocks == 16, "size %ld blocks %ld",
	      st.st_size, st.st_blocks);
	CHECK_RC(vfs_openat(AT_FDCWD, "/t/s", O_RDONLY, 0, &f), 0);
	CHECK_RC(kernel_read(f, buf, 4, PAGE_SIZE), 4);
	CHECK(!buf[0] && !buf[3], "a hole reads as zeros");
	paddr_t pa;
	CHECK_RC(file_get_page(f, 0, &pa), 0);
	CHECK(!memcmp(phys_to_virt(pa), "xy", 2), "file_get_page");
	frame_put(pa);
	file_put(f);
	CHECK_RC(vfs_chmodat(AT_FDCWD, "/t/s", 04755, 0), 0);
	CHECK_RC(stat_path("/t/s", 0, &st), 0);
	CHECK(st.st_mode == (S_IFREG | 04755), "chmod %o", st.st_mode);
	CHECK_RC(vfs_openat(AT_FDCWD, "/t/a", O_WRONLY, 0, &f), -EISDIR);
	CHECK_RC(vfs_openat(AT_FDCWD, "/t/s", O_RDONLY | O_DIRECTORY, 0, &f), -ENOTDIR);
	CHECK_RC(vfs_openat(AT_FDCWD, "/t/new/", O_WRONLY | O_CREAT, 0644, &f), -EISDIR);
}

static int count_entries(const char *path, bool *saw_dots)
{
	struct file *f;
	u8 buf[256];
	int n = 0;

	if (vfs_openat(AT_FDCWD, path, O_RDONLY | O_DIRECTORY, 0, &f))
		return -1;
	*saw_dots = false;
	for (;;) {
		long got = vfs_readdir(f, buf, sizeof(buf));   /* small: several calls */
		if (got <= 0)
			break;
		for (long off = 0; off < got;) {
			struct linux_dirent64 *de = (struct linux_dirent64 *)(buf + off);
			if (!strcmp(de->d_name, ".."))
				*saw_dots = true;
			n++;
			off += de->d_reclen;
		}
	}
	file_put(f);
	return n;
}

static void test_dirs_and_fds(void)
{
	bool dots = false;
	CHECK_RC(vfs_mkdirat(AT_FDCWD, "/t/many", 0755), 0);
	char name[32];
	for (int i = 0; i < 50; i++) {
		ksnprintf(name, sizeof(name), "/t/many/entry-number-%02d", i);
		CHECK_RC(write_file(name, "", 0, 0), 0);
	}
	CHECK_RC(count_entries("/t/many", &dots), 52);
	CHECK(dots, "..");
	struct file *f;
	u8 small[8];
	CHECK_RC(vfs_openat(AT_FDCWD, "/t/many", O_RDONLY, 0, &f), 0);
	CHECK_RC(vfs_readdir(f, small, sizeof(small)), -EINVAL);
	file_put(f);

	/* Descriptors: lowest free, dup2 over, close-on-exec, fork. */
	int a = fd_install(vfs_open_kernel("/t/s", O_RDONLY, &(int){0}), false);
	int b = fd_install(vfs_open_kernel("/t/s", O_RDONLY, &(int){0}), true);
	CHECK(a == 0 && b == 1, "fds %d %d", a, b);
	CHECK_RC(sys_dup(a), 2);
	CHECK_RC(sys_close(1), 0);
	CHECK_RC(sys_close(1), -EBADF);
	CHECK_RC(sys_dup(a), 1);
	CHECK_RC(sys_dup2(a, 7), 7);
	CHECK_RC(sys_dup2(7, 7), 7);
	CHECK_RC(sys_dup2(9, 9), -EBADF);
	CHECK_RC(sys_dup3(7, 7, 0), -EINVAL);
	CHECK_RC(sys_dup3(a, 8, O_CLOEXEC), 8);
	CHECK_RC(sys_fcntl(8, 1 /* F_GETFD */, 0), 1);
	CHECK_RC(sys_fcntl(a, 1030 /* F_DUPFD_CLOEXEC */, 5), 5);
	CHECK_RC(sys_fcntl(a, 0 /* F_DUPFD */, 5), 6);
	CHECK_RC(sys_fcntl(a, 3 /* F_GETFL */, 0), O_RDONLY | O_LARGEFILE);
	CHECK_RC(sys_fcntl(a, 4 /* F_SETFL */, O_APPEND | O_NONBLOCK), 0);
	CHECK_RC(sys_fcntl(2, 3 /* F_GETFL */, 0), O_RDONLY | O_LARGEFILE | O_APPEND | O_NONBLOCK);
	CHECK_RC(sys_lseek(a, 5, 0), 5);
	CHECK_RC(sys_lseek(2, 0, 1 /* SEEK_CUR: shared offset */), 5);
	CHECK_RC(sys_lseek(a, -1, 0), -EINVAL);
	CHECK_RC(sys_lseek(a, 1, 2 /* SEEK_END */), 3 * PAGE_SIZE + 2);
	CHECK_RC(sys_dup2(a, FD_MAX), -EBADF);
	CHECK_RC(sys_ioctl(a, 0x5401 /* TCGETS */, 0), -ENOTTY);
	struct files *child = files_fork(current_task()->files);
	CHECK(child && child->fd[8] && child->fd[8] == current_task()->files->fd[8], "fork shares");
	files_close_on_exec(child);
	CHECK(child && !child->fd[8] && !child->fd[5] && child->fd[6], "close-on-exec");
	files_put(child);

	/* A bad user pointer is -EFAULT, never a crash. */
	CHECK_RC(sys_mkdir(0, 0755), -EFAULT);
	CHECK_RC(sys_mkdir((uptr_t)"/t/kernel", 0755), -EFAULT);
	CHECK_RC(sys_lseek(a, 0, 0), 0);
	CHECK_RC(sys_read(a, (uptr_t)small, 1), -EFAULT);
	CHECK_RC(sys_fstat(a, 0xffff800000001000UL), -EFAULT);
	CHECK_RC(sys_pipe(0), -EFAULT);
}

static void test_pipes_and_devices(void)
{
	struct file *rd, *wr;
	char buf[64];

	CHECK_RC(pipe_create(&rd, &wr, 0), 0);
	CHECK_RC(kernel_write(wr, "through", 7, 0), 7);
	CHECK_RC(kernel_read(rd, buf, sizeof(buf), 0), 7);
	CHECK(!memcmp(buf, "through", 7), "pipe data");
	CHECK_RC(kernel_write(rd, "x", 1, 0), -EINVAL);
	file_put(wr);
	CHECK_RC(kernel_read(rd, buf, sizeof(buf), 0), 0);
	file_put(rd);
	CHECK_RC(pipe_create(&rd, &wr, O_NONBLOCK), 0);
	CHECK_RC(kernel_read(rd, buf, sizeof(buf), 0), -EAGAIN);
	u8 *big = kmalloc(PIPE_SIZE);
	CHECK_RC(kernel_write(wr, big, PIPE_SIZE, 0), PIPE_SIZE);
	CHECK_RC(kernel_write(wr, big, 1, 0), -EAGAIN);
	kfree(big);
	file_put(rd);
	CHECK_RC(kernel_write(wr, "x", 1, 0), -EPIPE);
	file_put(wr);

	struct file *f;
	struct stat st;
	CHECK_RC(vfs_openat(AT_FDCWD, "/dev/null", O_RDWR, 0, &f), 0);
	CHECK_RC(kernel_write(f, "gone", 4, 0), 4);
	CHECK_RC(kernel_read(f, buf, sizeof(buf), 0), 0);
	file_put(f);
	CHECK_RC(vfs_openat(AT_FDCWD, "/dev/zero", O_RDONLY, 0, &f), 0);
	memset(buf, 1, sizeof(buf));
	CHECK_RC(kernel_read(f, buf, sizeof(buf), 0), sizeof(buf));
	CHECK(!buf[0] && !buf[63], "zeros");
	file_put(f);
	CHECK_RC(vfs_openat(AT_FDCWD, "/dev/urandom", O_RDONLY, 0, &f), 0);
	u64 r[4] = { 0 };
	CHECK_RC(kernel_read(f, r, sizeof(r), 0), sizeof(r));
	CHECK(r[0] || r[1] || r[2] || r[3], "random");
	file_put(f);
	CHECK_RC(vfs_openat(AT_FDCWD, "/dev/full", O_WRONLY, 0, &f), 0);
	CHECK_RC(kernel_write(f, "x", 1, 0), -ENOSPC);
	file_put(f);
	CHECK_RC(stat_path("/dev/console", 0, &st), 0);
	CHECK(S_ISCHR(st.st_mode) && st.st_rdev == make_dev(5, 1), "console %o %lx", st.st_mode,
	      st.st_rdev);
	CHECK_RC(vfs_openat(AT_FDCWD, "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0666, &f), 0);
	file_put(f);
}

static void test_mounts(void)
{
	struct stat st, root;
	struct dentry *d;
	int rc;

	CHECK_RC(vfs_mkdirat(AT_FDCWD, "/t/m", 0755), 0);
	CHECK_RC(write_file("/t/m/hidden", "h", 1, 0), 0);
	CHECK_RC(vfs_lookup_at(AT_FDCWD, "/t/m", 0, &d), 0);
	struct super_block *sb = sb_create_type("tmpfs", 01777, &rc);
	CHECK(sb != NULL, "sb %d", rc);
	CHECK_RC(vfs_mount_at(d, sb), 0);
	dput(d);
	CHECK(!exists("/t/m/hidden"), "the mount covers");
	CHECK_RC(stat_path("/t/m", 0, &st), 0);
	CHECK_RC(stat_path("/", 0, &root), 0);
	CHECK(st.st_dev != root.st_dev && st.st_mode == (S_IFDIR | 01777), "dev %lu mode %o",
	      st.st_dev, st.st_mode);
	CHECK_RC(write_file("/t/m/in", "i", 1, 0), 0);
	CHECK_RC(vfs_renameat2(AT_FDCWD, "/t/m/in", AT_FDCWD, "/t/out", 0), -EXDEV);
	CHECK_RC(vfs_linkat(AT_FDCWD, "/t/m/in", AT_FDCWD, "/t/out", 0), -EXDEV);
	CHECK_RC(stat_path("/t/m/../s", 0, &st), 0);
	CHECK_RC(vfs_unlinkat(AT_FDCWD, "/t/m", AT_REMOVEDIR), -EBUSY);
	CHECK_RC(vfs_chdir("/t/m"), 0);
	char cwd[32];
	CHECK_RC(vfs_getcwd(cwd, sizeof(cwd)), 5);
	CHECK_RC(vfs_chdir("/"), 0);
	CHECK_RC(sb_create_type("ext2", 0755, &rc) == NULL ? rc : 0, -ENODEV);

	/* The store serves a service only its own mounts: not Core, not devfs. */
	if (ring_containment()) {
		struct super_block *root_sb = vfs_root()->inode->sb;
		CHECK_RC(fsstore_create_impl(root_sb->id, vfs_root()->inode->ino, (const u8 *)"x", 1,
					     S_IFREG | 0644, 0), -EPERM);
		CHECK_RC(fsstore_unlink_impl(root_sb->id, vfs_root()->inode->ino, (const u8 *)"t", 1),
			 -EPERM);
	}
	CHECK_RC(fsstore_root_impl(SB_MAX + 1), -EINVAL);
	/* The boot archive's interface is closed once boot is over. */
	CHECK_RC(rootfs_mkdir_impl((const u8 *)"late", 4, 0755), -EPERM);
	CHECK(!exists("/late"), "made after boot");
}

int ktest_vfs(void)
{
	vfs_test_failures = vfs_test_checks = 0;
	enter_process();
	test_paths();
	test_symlinks();
	test_changes();
	test_dirs_and_fds();
	test_pipes_and_devices();
	test_mounts();
	leave_process();
	printk("vfs-test: %u checks, %u failed\n", vfs_test_checks, vfs_test_failures);
	return vfs_test_failures ? -1 : 0;
}

#endif
