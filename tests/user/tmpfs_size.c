/* tmpfs size= and nr_inodes=: ENOSPC, short writes, statfs, remount. */
#include "usertest.h"
#ifndef FALLOC_FL_ZERO_RANGE
#define FALLOC_FL_ZERO_RANGE 0x10   /* linux/falloc.h, which musl lacks */
#endif
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/statfs.h>
#include <sys/sysinfo.h>

#define PAGE 4096L

static char dir[128], path[192];
static char big[100 * 1024];

static int do_mount(const char *opts)
{
	return mount("none", dir, "tmpfs", 0, opts);
}

static void unmount(void)
{
	umount2(dir, MNT_DETACH);   /* the host's; Kevlar has no umount yet */
}

static struct statfs fs(void)
{
	struct statfs st;

	memset(&st, 0xff, sizeof(st));
	statfs(dir, &st);
	return st;
}

static char *file(const char *name)
{
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return path;
}

/* A shared mapping of a file bigger than the mount: writing the page
 * past the limit is SIGBUS. */
static int touch_past_limit(void *arg)
{
	char *p = arg;

	for (long i = 0; i < 32; i++)
		p[i * PAGE] = 1;
	return 0;
}

int main(void)
{
	const char *base = scratch_dir();
	struct sysinfo si;
	struct statfs st;
	long ram_pages;
	int fd;

	sysinfo(&si);
	ram_pages = (long)(si.totalram * si.mem_unit / PAGE);

	/* The default: half of RAM. */
	snprintf(dir, sizeof(dir), "%s/d", base);
	mkdir(dir, 0755);
	if (!check_ok("tmpfs_size.mount_default", do_mount(NULL)))
		return finish();
	st = fs();
	CHECK("tmpfs_size.default_is_half_of_ram", st.f_blocks == (unsigned long)ram_pages / 2);
	CHECK("tmpfs_size.default_inodes", st.f_files == (unsigned long)ram_pages / 2);
	unmount();

	snprintf(dir, sizeof(dir), "%s/p", base);
	mkdir(dir, 0755);
	check_ok("tmpfs_size.mount_percent", do_mount("size=10%"));
	CHECK("tmpfs_size.percent_of_ram", fs().f_blocks == (unsigned long)(ram_pages * 10 + 99) / 100);
	unmount();

	snprintf(dir, sizeof(dir), "%s/b", base);
	mkdir(dir, 0755);
	check_err("tmpfs_size.bad_size_einval", do_mount("size=12q"), EINVAL);
	check_err("tmpfs_size.empty_size_einval", do_mount("size="), EINVAL);
	check_ok("tmpfs_size.mount_suffix", do_mount("size=1m,nr_inodes=1k"));
	st = fs();
	CHECK("tmpfs_size.suffix_m", st.f_blocks == 256);
	CHECK("tmpfs_size.suffix_k_inodes", st.f_files == 1024);
	unmount();

	snprintf(dir, sizeof(dir), "%s/r", base);
	mkdir(dir, 0755);
	check_ok("tmpfs_size.mount_rounded", do_mount("size=5000"));
	CHECK("tmpfs_size.size_rounds_up_to_pages", fs().f_blocks == 2);
	unmount();

	/* A 64 KiB tmpfs with 4 inodes. */
	snprintf(dir, sizeof(dir), "%s/m", base);
	mkdir(dir, 0755);
	if (!check_ok("tmpfs_size.mount_small", do_mount("size=64k,nr_inodes=4")))
		return finish();
	st = fs();
	CHECK("tmpfs_size.statfs_blocks", st.f_blocks == 16 && st.f_bfree == 16 &&
	      st.f_bavail == 16 && st.f_bsize == PAGE);
	CHECK("tmpfs_size.statfs_inodes", st.f_files == 4 && st.f_ffree == 3);

	fd = open(file("f"), O_CREAT | O_RDWR, 0644);
	memset(big, 'x', sizeof(big));
	CHECK("tmpfs_size.write_is_short_where_part_fits",
	      write(fd, big, sizeof(big)) == 16 * PAGE);
	check_err("tmpfs_size.full_write_enospc", write(fd, big, 1), ENOSPC);
	st = fs();
	CHECK("tmpfs_size.statfs_full", st.f_bfree == 0 && st.f_bavail == 0);
	CHECK("tmpfs_size.overwrite_in_place_fits", pwrite(fd, "y", 1, 0) == 1);
	check_ok("tmpfs_size.truncate_up_is_sparse", ftruncate(fd, 1 << 20));
	check_err("tmpfs_size.write_into_hole_enospc", pwrite(fd, "y", 1, 512 * 1024), ENOSPC);
	check_ok("tmpfs_size.truncate_down", ftruncate(fd, 8 * PAGE));
	CHECK("tmpfs_size.truncate_frees", fs().f_bfree == 8);

	/* Remounting: not below what is used; larger, or no limit. */
	check_err("tmpfs_size.remount_below_use_einval",
		  mount(NULL, dir, NULL, MS_REMOUNT, "size=16k"), EINVAL);
	check_ok("tmpfs_size.remount_larger", mount(NULL, dir, NULL, MS_REMOUNT, "size=128k"));
	CHECK("tmpfs_size.remount_statfs", fs().f_blocks == 32 && fs().f_bfree == 24);
	check_ok("tmpfs_size.remount_smaller", mount(NULL, dir, NULL, MS_REMOUNT, "size=64k"));

	/* Shared mapping past the limit: SIGBUS, as on Linux. */
	int mfd = open(file("map"), O_CREAT | O_RDWR, 0644);
	ftruncate(mfd, 32 * PAGE);
	char *m = mmap(NULL, 32 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, mfd, 0);
	CHECK("tmpfs_size.map_file", m != MAP_FAILED);
	if (m != MAP_FAILED)
		check_killed("tmpfs_size.shared_fault_past_limit_sigbus",
			     in_child(touch_past_limit, m), SIGBUS);
	munmap(m, 32 * PAGE);
	close(mfd);
	unlink(file("map"));

	/* Inodes: the root and 3 more. */
	close(open(file("g"), O_CREAT | O_RDWR, 0644));
	check_ok("tmpfs_size.mkdir_last_inode", mkdir(file("h"), 0755));
	check_err("tmpfs_size.no_inode_left_enospc", open(file("i"), O_CREAT | O_RDWR, 0644), ENOSPC);
	check_err("tmpfs_size.no_inode_left_symlink_enospc", symlink("f", file("j")), ENOSPC);
	CHECK("tmpfs_size.statfs_no_inode_free", fs().f_ffree == 0);

	/* rm gives it all back. */
	close(fd);
	unlink(file("f"));
	unlink(file("g"));
	rmdir(file("h"));
	st = fs();
	CHECK("tmpfs_size.rm_frees_space", st.f_bfree == 16 && st.f_ffree == 3);
	/* fallocate: pages now, within the limit or not at all. */
	fd = open(file("fa"), O_CREAT | O_RDWR, 0644);
	check_ok("tmpfs_size.fallocate", syscall(SYS_fallocate, fd, 0, 0L, 8 * PAGE));
	st = fs();
	CHECK("tmpfs_size.fallocate_takes_pages", st.f_bfree == 8);
	struct stat sb;
	fstat(fd, &sb);
	CHECK("tmpfs_size.fallocate_extends", sb.st_size == 8 * PAGE && sb.st_blocks == 64);
	check_err("tmpfs_size.fallocate_past_limit_enospc",
		  syscall(SYS_fallocate, fd, 0, 8 * PAGE, 16 * PAGE), ENOSPC);
	CHECK("tmpfs_size.failed_fallocate_takes_nothing", fs().f_bfree == 8);
	check_ok("tmpfs_size.fallocate_keep_size",
		 syscall(SYS_fallocate, fd, FALLOC_FL_KEEP_SIZE, 8 * PAGE, 2 * PAGE));
	fstat(fd, &sb);
	CHECK("tmpfs_size.keep_size_keeps_size", sb.st_size == 8 * PAGE && fs().f_bfree == 6);
	pwrite(fd, big, 4 * PAGE, 0);
	check_ok("tmpfs_size.punch_hole",
		 syscall(SYS_fallocate, fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 100L, 3 * PAGE));
	char edge[2] = { 1, 1 };
	pread(fd, edge, 1, 99);
	pread(fd, edge + 1, 1, 100);
	CHECK("tmpfs_size.punch_hole_zeroes", edge[0] == 'x' && edge[1] == 0);
	CHECK("tmpfs_size.punch_hole_frees_whole_pages", fs().f_bfree == 8);
	check_err("tmpfs_size.punch_without_keep_size_eopnotsupp",
		  syscall(SYS_fallocate, fd, FALLOC_FL_PUNCH_HOLE, 0L, PAGE), EOPNOTSUPP);
	check_err("tmpfs_size.zero_range_eopnotsupp",
		  syscall(SYS_fallocate, fd, FALLOC_FL_ZERO_RANGE, 0L, PAGE), EOPNOTSUPP);
	check_err("tmpfs_size.fallocate_len_zero_einval", syscall(SYS_fallocate, fd, 0, 0L, 0L), EINVAL);
	check_err("tmpfs_size.fallocate_negative_einval",
		  syscall(SYS_fallocate, fd, 0, -1L, PAGE), EINVAL);
	close(fd);
	fd = open(file("fa"), O_RDONLY);
	check_err("tmpfs_size.fallocate_read_only_ebadf", syscall(SYS_fallocate, fd, 0, 0L, PAGE), EBADF);
	close(fd);
	int pfd[2];
	pipe(pfd);
	check_err("tmpfs_size.fallocate_pipe_espipe", syscall(SYS_fallocate, pfd[1], 0, 0L, PAGE),
		  ESPIPE);
	close(pfd[0]);
	close(pfd[1]);
	unlink(file("fa"));

	fd = open(file("f"), O_CREAT | O_RDWR, 0644);
	CHECK("tmpfs_size.write_after_rm", write(fd, big, 16 * PAGE) == 16 * PAGE);
	close(fd);

	check_ok("tmpfs_size.remount_unlimited", mount(NULL, dir, NULL, MS_REMOUNT, "size=0"));
	CHECK("tmpfs_size.unlimited_statfs_zero", fs().f_blocks == 0);
	check_err("tmpfs_size.cannot_limit_unlimited_again",
		  mount(NULL, dir, NULL, MS_REMOUNT, "size=1m"), EINVAL);
	unlink(file("f"));
	unmount();

	snprintf(dir, sizeof(dir), "%s/d", base);
	rmdir(dir);
	remove_tree(base);
	return finish();
}
