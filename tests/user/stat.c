/* stat, fstat, lstat, newfstatat and statx: the fields that do not vary. */
#include "usertest.h"

/* statx, as in <linux/stat.h> (musl's headers do not have it). */
struct kstatx_ts { int64_t tv_sec; uint32_t tv_nsec; int32_t pad; };
struct kstatx {
	uint32_t stx_mask, stx_blksize;
	uint64_t stx_attributes;
	uint32_t stx_nlink, stx_uid, stx_gid;
	uint16_t stx_mode, pad1;
	uint64_t stx_ino, stx_size, stx_blocks, stx_attributes_mask;
	struct kstatx_ts stx_atime, stx_btime, stx_ctime, stx_mtime;
	uint32_t stx_rdev_major, stx_rdev_minor, stx_dev_major, stx_dev_minor;
	uint64_t spare[14];
};
#define KSTATX_TYPE	0x1U
#define KSTATX_MODE	0x2U
#define KSTATX_NLINK	0x4U
#define KSTATX_INO	0x100U
#define KSTATX_SIZE	0x200U
#define KSTATX_BASIC	0x7ffU
#define KSTATX_RESERVED	0x80000000U

static long sys_statx(int dirfd, const char *path, int flags, unsigned mask, struct kstatx *sx)
{
	return syscall(SYS_statx, dirfd, path, flags, mask, sx);
}

static long sys_newfstatat(int dirfd, const char *path, struct stat *st, int flags)
{
	return syscall(SYS_newfstatat, dirfd, path, st, flags);
}

int main(void)
{
	const char *dir = scratch_dir();
	char file[256], link2[256], sym[256], sub[256], notdir[256];
	struct stat st, st2;

	umask(022);
	snprintf(file, sizeof(file), "%s/file", dir);
	snprintf(link2, sizeof(link2), "%s/hard", dir);
	snprintf(sym, sizeof(sym), "%s/sym", dir);
	snprintf(sub, sizeof(sub), "%s/sub", dir);
	snprintf(notdir, sizeof(notdir), "%s/file/x", dir);
	write_file(file, "0123456789", 10, 0666);

	CHECK("stat.file", stat(file, &st) == 0);
	CHECK("stat.regular", S_ISREG(st.st_mode));
	CHECK("stat.mode_0644", (st.st_mode & 07777) == 0644);
	CHECK("stat.size_10", st.st_size == 10);
	CHECK("stat.nlink_1", st.st_nlink == 1);
	CHECK("stat.ino_nonzero", st.st_ino != 0);
	CHECK("stat.blksize_positive", st.st_blksize > 0);

	int fd = open(file, O_RDWR);
	CHECK("fstat.same_file", fstat(fd, &st2) == 0 && st2.st_ino == st.st_ino &&
	      st2.st_dev == st.st_dev && st2.st_mode == st.st_mode && st2.st_size == 10);
	write(fd, "0123456789abcdef", 16);
	CHECK("fstat.size_follows_writes", fstat(fd, &st2) == 0 && st2.st_size == 16);
	close(fd);

	CHECK("stat.link", link(file, link2) == 0);
	CHECK("stat.nlink_2_after_link", stat(file, &st2) == 0 && st2.st_nlink == 2);
	CHECK("stat.link_same_inode", stat(link2, &st2) == 0 && st2.st_ino == st.st_ino);
	unlink(link2);
	CHECK("stat.nlink_1_after_unlink", stat(file, &st2) == 0 && st2.st_nlink == 1);

	symlink("file", sym);
	CHECK("lstat.symlink", lstat(sym, &st2) == 0 && S_ISLNK(st2.st_mode));
	CHECK("lstat.symlink_size_is_target_length", st2.st_size == 4);
	CHECK("stat.follows_symlink", stat(sym, &st2) == 0 && S_ISREG(st2.st_mode) &&
	      st2.st_ino == st.st_ino);
	CHECK("lstat.regular_file", lstat(file, &st2) == 0 && S_ISREG(st2.st_mode));

	mkdir(sub, 0777);
	CHECK("stat.directory", stat(sub, &st2) == 0 && S_ISDIR(st2.st_mode));
	CHECK("stat.directory_mode_0755", (st2.st_mode & 07777) == 0755);
	CHECK("stat.empty_directory_nlink_2", st2.st_nlink == 2);
	CHECK("stat.parent_nlink_counts_subdir", stat(dir, &st2) == 0 && st2.st_nlink == 3);

	int dfd = open(dir, O_RDONLY | O_DIRECTORY);
	CHECK("newfstatat.relative", sys_newfstatat(dfd, "file", &st2, 0) == 0 &&
	      st2.st_ino == st.st_ino);
	CHECK("newfstatat.at_fdcwd", sys_newfstatat(AT_FDCWD, file, &st2, 0) == 0 &&
	      st2.st_ino == st.st_ino);
	CHECK("newfstatat.nofollow", sys_newfstatat(dfd, "sym", &st2, AT_SYMLINK_NOFOLLOW) == 0 &&
	      S_ISLNK(st2.st_mode));
	CHECK("newfstatat.follow", sys_newfstatat(dfd, "sym", &st2, 0) == 0 && S_ISREG(st2.st_mode));
	fd = open(file, O_RDONLY);
	CHECK("newfstatat.empty_path", sys_newfstatat(fd, "", &st2, AT_EMPTY_PATH) == 0 &&
	      st2.st_ino == st.st_ino);
	check_err("newfstatat.bad_flags_einval", sys_newfstatat(dfd, "file", &st2, 0x1), EINVAL);
	check_err("newfstatat.bad_dirfd_ebadf", sys_newfstatat(999, "file", &st2, 0), EBADF);
	check_err("newfstatat.dirfd_not_a_directory_enotdir",
		  sys_newfstatat(fd, "x", &st2, 0), ENOTDIR);
	close(fd);

	struct kstatx sx;
	memset(&sx, 0, sizeof(sx));
	CHECK("statx.file", sys_statx(AT_FDCWD, file, 0, KSTATX_BASIC, &sx) == 0);
	CHECK("statx.mask_has_basics", (sx.stx_mask & (KSTATX_TYPE | KSTATX_MODE | KSTATX_NLINK |
	      KSTATX_INO | KSTATX_SIZE)) == (KSTATX_TYPE | KSTATX_MODE | KSTATX_NLINK |
	      KSTATX_INO | KSTATX_SIZE));
	CHECK("statx.mode", sx.stx_mode == (S_IFREG | 0644));
	CHECK("statx.size", sx.stx_size == 16);
	CHECK("statx.nlink", sx.stx_nlink == 1);
	CHECK("statx.ino_matches_stat", sx.stx_ino == st.st_ino);
	CHECK("statx.nofollow", sys_statx(dfd, "sym", AT_SYMLINK_NOFOLLOW, KSTATX_BASIC, &sx) == 0 &&
	      (sx.stx_mode & S_IFMT) == S_IFLNK);
	CHECK("statx.directory", sys_statx(dfd, "sub", 0, KSTATX_BASIC, &sx) == 0 &&
	      (sx.stx_mode & S_IFMT) == S_IFDIR && sx.stx_nlink == 2);
	check_err("statx.reserved_mask_einval",
		  sys_statx(AT_FDCWD, file, 0, KSTATX_RESERVED, &sx), EINVAL);
	check_err("statx.bad_flags_einval", sys_statx(AT_FDCWD, file, 0x1, KSTATX_BASIC, &sx),
		  EINVAL);
	check_err("statx.missing_enoent", sys_statx(dfd, "missing", 0, KSTATX_BASIC, &sx), ENOENT);
	close(dfd);

	check_err("stat.missing_enoent", stat("/tmp/kevlar-ut-missing/x", &st2), ENOENT);
	check_err("stat.through_file_enotdir", stat(notdir, &st2), ENOTDIR);
	check_err("stat.empty_path_enoent", stat("", &st2), ENOENT);
	check_err("fstat.bad_fd_ebadf", fstat(999, &st2), EBADF);
	CHECK("stat.root_is_directory", stat("/", &st2) == 0 && S_ISDIR(st2.st_mode));
	CHECK("stat.dev_null_is_char_device", stat("/dev/null", &st2) == 0 && S_ISCHR(st2.st_mode));
	remove_tree(dir);
	return finish();
}
