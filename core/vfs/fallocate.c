/*
 * fallocate(2), as Linux's vfs_fallocate and shmem_fallocate: checks in
 * Linux's order, then for tmpfs either pages for the whole range now
 * (mode 0, which also extends the file, or FALLOC_FL_KEEP_SIZE), so that
 * writing there cannot fail for want of space later, or a hole
 * (FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE). A range that does not fit
 * in the mount's size= is refused whole with ENOSPC, nothing allocated.
 * tmpfs knows no other mode (EOPNOTSUPP).
 */
#include <syscalls.h>
#include <abi/fcntl.h>
#include <kevlar/errno.h>
#include <kevlar/mm.h>
#include "vfs_internal.h"

#define MAX_LFS_FILESIZE ((u64)0x7fffffffffffffff)

/* The modes the VFS accepts before asking the filesystem. */
static int check_mode(int mode)
{
	switch (mode & ~FALLOC_FL_KEEP_SIZE) {
	case 0:
	case FALLOC_FL_ZERO_RANGE:
	case FALLOC_FL_UNSHARE_RANGE:
		return 0;
	case FALLOC_FL_PUNCH_HOLE:
		return mode & FALLOC_FL_KEEP_SIZE ? 0 : -EOPNOTSUPP;
	case FALLOC_FL_COLLAPSE_RANGE:
	case FALLOC_FL_INSERT_RANGE:
	case FALLOC_FL_WRITE_ZEROES:
		return mode & FALLOC_FL_KEEP_SIZE ? -EOPNOTSUPP : 0;
	default:
		return -EOPNOTSUPP;
	}
}

/* Pages for [start, end) of a tmpfs file, or -ENOSPC with none taken. */
static int allocate(struct inode *inode, u64 start, u64 end)
{
	struct super_block *sb = inode->sb;
	u64 first = start / PAGE_SIZE, last = (end + PAGE_SIZE - 1) / PAGE_SIZE;
	u64 missing = 0;
	paddr_t pa;
	int err;

	for (u64 i = first; i < last; i++)
		missing += i >= inode->pages_cap || inode->pages[i] == PADDR_NONE;
	if (sb->max_pages && (last - first > sb->max_pages || missing > sb->max_pages - sb->pages))
		return -ENOSPC;
	for (u64 i = first; i < last; i++)
		if ((err = pagecache_fill(inode, i, &pa)))
			return err;
	return 0;
}

static int fallocate_inode(struct file *f, int mode, u64 offset, u64 len)
{
	struct inode *inode = f->inode;
	int err;

	if ((f->flags & O_PATH) || (f->flags & O_ACCMODE) == O_RDONLY)
		return -EBADF;
	if (S_ISFIFO(inode->mode))
		return -ESPIPE;
	if (S_ISDIR(inode->mode))
		return -EISDIR;
	if (!S_ISREG(inode->mode))
		return -ENODEV;
	if (offset + len > MAX_LFS_FILESIZE)
		return -EFBIG;
	if (inode->sb->synthetic || inode->sb->svc == NO_SVC ||
	    (mode & ~(FALLOC_FL_KEEP_SIZE | FALLOC_FL_PUNCH_HOLE)))
		return -EOPNOTSUPP;
	if (mode & FALLOC_FL_PUNCH_HOLE) {
		pagecache_punch(inode, offset, offset + len);
		inode_touch(inode, TOUCH_MTIME | TOUCH_CTIME);
		return 0;
	}
	if ((err = allocate(inode, offset, offset + len)))
		return err;
	if (!(mode & FALLOC_FL_KEEP_SIZE) && offset + len > inode->size)
		return vfs_truncate_inode(inode, offset + len);
	inode_touch(inode, TOUCH_CTIME);
	return 0;
}

int sys_fallocate(int fd, int mode, s64 offset, s64 len)
{
	struct file *f;
	int err;

	if (offset < 0 || len <= 0)
		return -EINVAL;
	if ((err = check_mode(mode)))
		return err;
	if (!(f = fd_get(fd)))
		return -EBADF;
	err = fallocate_inode(f, mode, (u64)offset, (u64)len);
	file_put(f);
	return err;
}
