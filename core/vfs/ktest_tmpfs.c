/*
 * Kernel tests of tmpfs's containment and of the unpacked tree (test
 * kernels, ktest=<name>):
 *
 *   tmpfs-restart  tmpfs faults in the middle of operations after files
 *                  were written: each caller gets -EIO, tmpfs restarts,
 *                  and every file is still there with its data
 *   vfs-tree       prints the tree under / with each file's size and
 *                  checksum, for the boot test to compare with the
 *                  initramfs it packed
 */
#ifdef KEVLAR_KTEST
#include <services.h>
#include <kevlar/errno.h>
#include <kevlar/layout.h>
#include <kevlar/mm.h>
#include <kevlar/ring.h>
#include <kevlar/string.h>
#include <kevlar/svc.h>
#include "../ktest/ktest.h"
#include "ktest_vfs.h"

/* ---- ktest=tmpfs-restart ---- */

static u32 tmpfs_epoch(void)
{
	struct svc_info info;
	svc_get_info(SVC_tmpfs, &info);
	return info.status == SVC_RUNNING ? info.epoch : 0;
}

/* Everything written before the faults, checked after each one. */
static void check_files(const char *when)
{
	char buf[64];
	struct stat st;

	CHECK_RC(read_file("/keep/a.txt", buf, sizeof(buf)), 13);
	CHECK(!strcmp(buf, "first file\nok"), "%s: a.txt is '%s'", when, buf);
	CHECK_RC(read_file("/keep/sub/b.txt", buf, sizeof(buf)), 6);
	CHECK(!strcmp(buf, "second"), "%s: b.txt is '%s'", when, buf);
	CHECK_RC(read_file("/keep/link", buf, sizeof(buf)), 6);
	CHECK_RC(stat_path("/keep/hard", 0, &st), 0);
	CHECK(st.st_nlink == 2 && st.st_size == 13, "%s: hard link nlink %lu", when, st.st_nlink);
	CHECK_RC(stat_path("/keep/big", 0, &st), 0);
	CHECK(st.st_size == 5 * PAGE_SIZE, "%s: big is %ld bytes", when, st.st_size);
	CHECK(!exists("/keep/ktest-fault-pf") && !exists("/keep/ktest-fault-panic"),
	      "%s: a half-made file", when);
}

static void fault_and_check(const char *what, int rc, u32 *epoch)
{
	u32 now = tmpfs_epoch();
	CHECK(rc == -EIO, "%s returned %d, want -EIO", what, rc);
	CHECK(now == *epoch + 1, "%s: tmpfs epoch %u -> %u", what, *epoch, now);
	*epoch = now;
	check_files(what);
	printk("tmpfs-restart: %s: -EIO, tmpfs restarted (epoch %u), files intact\n", what, now);
}

int ktest_tmpfs_restart(void)
{
	struct file *open_file, *f;
	char buf[64];

	vfs_test_failures = vfs_test_checks = 0;
	if (!ring_containment()) {
		printk("tmpfs-restart: no containment in this profile\n");
		return -1;
	}
	enter_process();
	CHECK_RC(vfs_mkdirat(AT_FDCWD, "/keep", 0755), 0);
	CHECK_RC(vfs_mkdirat(AT_FDCWD, "/keep/sub", 0755), 0);
	CHECK_RC(write_file("/keep/a.txt", "first file\nok", 13, 0), 0);
	CHECK_RC(write_file("/keep/sub/b.txt", "second", 6, 0), 0);
	CHECK_RC(vfs_symlinkat("sub/b.txt", AT_FDCWD, "/keep/link"), 0);
	CHECK_RC(vfs_linkat(AT_FDCWD, "/keep/a.txt", AT_FDCWD, "/keep/hard", 0), 0);
	u8 *page = kmalloc(PAGE_SIZE);
	memset(page, 0x5a, PAGE_SIZE);
	CHECK_RC(vfs_openat(AT_FDCWD, "/keep/big", O_WRONLY | O_CREAT, 0644, &f), 0);
	for (int i = 0; i < 5; i++)
		CHECK_RC(kernel_write(f, page, PAGE_SIZE, (u64)i * PAGE_SIZE), PAGE_SIZE);
	file_put(f);
	CHECK_RC(vfs_openat(AT_FDCWD, "/keep/open", O_RDWR | O_CREAT, 0644, &open_file), 0);
	CHECK_RC(kernel_write(open_file, "before", 6, 0), 6);
	check_files("written");

	u32 epoch = tmpfs_epoch();
	fault_and_check("create (page fault)",
			vfs_openat(AT_FDCWD, "/keep/ktest-fault-pf", O_WRONLY | O_CREAT, 0644, &f),
			&epoch);
	fault_and_check("mkdir (panic)", vfs_mkdirat(AT_FDCWD, "/keep/ktest-fault-panic", 0755),
			&epoch);
	fault_and_check("rename (page fault)",
			vfs_renameat2(AT_FDCWD, "/keep/sub/b.txt", AT_FDCWD,
				      "/keep/ktest-fault-pf", 0), &epoch);
	CHECK(exists("/keep/sub/b.txt"), "the rename did not half-happen");

	/* The description opened before the faults still works, and grows. */
	CHECK_RC(kernel_write(open_file, " after", 6, 6), 6);
	CHECK_RC(kernel_read(open_file, buf, sizeof(buf), 0), 12);
	CHECK(!memcmp(buf, "before after", 12), "open file");
	file_put(open_file);
	/* And the restarted tmpfs does everything again. */
	CHECK_RC(write_file("/keep/new", "new", 3, 0), 0);
	CHECK_RC(vfs_renameat2(AT_FDCWD, "/keep/new", AT_FDCWD, "/keep/sub/new", 0), 0);
	CHECK_RC(vfs_unlinkat(AT_FDCWD, "/keep/sub/new", 0), 0);
	CHECK_RC(vfs_mkdirat(AT_FDCWD, "/keep/d", 0755), 0);
	CHECK_RC(vfs_unlinkat(AT_FDCWD, "/keep/d", AT_REMOVEDIR), 0);
	check_files("after the restarts");
	kfree(page);
	leave_process();
	printk("tmpfs-restart: %u checks, %u failed\n", vfs_test_checks, vfs_test_failures);
	return vfs_test_failures ? -1 : 0;
}

/* ---- ktest=vfs-tree ---- */

static u32 crc32(const u8 *p, size_t n, u32 crc)
{
	crc = ~crc;
	for (size_t i = 0; i < n; i++) {
		crc ^= p[i];
		for (int k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0xedb88320u & -(crc & 1));
	}
	return ~crc;
}

static u32 file_crc(struct inode *inode)
{
	u32 crc = 0;
	for (u64 off = 0; off < inode->size; off += PAGE_SIZE) {
		size_t n = MIN(PAGE_SIZE, inode->size - off);
		paddr_t pa = pagecache_page(inode, off / PAGE_SIZE, false);
		if (pa == PADDR_NONE) {
			static const u8 zeros[PAGE_SIZE];
			crc = crc32(zeros, n, crc);
		} else {
			crc = crc32(phys_to_virt(pa), n, crc);
		}
	}
	return crc;
}

static void print_tree(struct dentry *dir, char *path, size_t len)
{
	list_for_each(it, &dir->children) {
		struct dentry *c = list_entry(it, struct dentry, sibling);
		struct inode *inode = c->inode;
		if (len + 1 + c->len >= PATH_MAX)
			continue;
		path[len] = '/';
		memcpy(path + len + 1, c->name, c->len + 1);
		if (S_ISREG(inode->mode))
			printk("tree: %s f %o %lu %08x\n", path, inode->mode & 07777, inode->size,
			       file_crc(inode));
		else if (S_ISLNK(inode->mode))
			printk("tree: %s l %s\n", path, inode->target);
		else if (S_ISDIR(inode->mode))
			printk("tree: %s d %o\n", path, inode->mode & 07777);
		else
			printk("tree: %s o %o\n", path, inode->mode);
		if (S_ISDIR(inode->mode) && !c->mounted)
			print_tree(c, path, len + 1 + c->len);
	}
	path[len] = 0;
}

int ktest_vfs_tree(void)
{
	char *path = kmalloc(PATH_MAX);
	if (!path || !vfs_root())
		return -1;
	path[0] = 0;
	print_tree(vfs_root(), path, 0);
	printk("tree: end\n");
	kfree(path);
	return 0;
}
#endif
