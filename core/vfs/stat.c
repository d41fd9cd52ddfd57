/*
 * What a file is: stat, fstat, lstat, newfstatat, statx; and whether the
 * caller may use it: access, faccessat, faccessat2. Files have owners but
 * no permission is checked against them, so access asks every process
 * only what root is asked: that the file exists, and for X_OK that it is
 * a directory or has an execute bit.
 */
#include <syscalls.h>
#include <abi/fcntl.h>
#include <abi/stat.h>
#include <kevlar/abi.h>
#include <kevlar/errno.h>
#include <kevlar/string.h>
#include <kevlar/uaccess.h>
#include "vfs_internal.h"

void vfs_fill_stat(struct inode *inode, struct stat *st)
{
	memset(st, 0, sizeof(*st));
	st->st_dev = inode->sb->dev;
	st->st_ino = inode->ino;
	st->st_nlink = inode->nlink;
	st->st_mode = inode->mode;
	st->st_uid = inode->uid;
	st->st_gid = inode->gid;
	st->st_rdev = inode->rdev;
	st->st_size = (s64)inode_size(inode);
	st->st_blksize = PAGE_SIZE;
	st->st_blocks = (s64)inode->nr_pages * (PAGE_SIZE / 512);
	st->st_atime = (u64)inode->atime.sec;
	st->st_atime_nsec = (u64)inode->atime.nsec;
	st->st_mtime = (u64)inode->mtime.sec;
	st->st_mtime_nsec = (u64)inode->mtime.nsec;
	st->st_ctime = (u64)inode->ctime.sec;
	st->st_ctime_nsec = (u64)inode->ctime.nsec;
}

/* A user path that may be NULL when AT_EMPTY_PATH allows an empty one. */
static char *getname_at(uptr_t upath, int flags, int *err)
{
	if (!upath && (flags & AT_EMPTY_PATH)) {
		char *empty = getname_empty();
		if (!empty)
			*err = -ENOMEM;
		return empty;
	}
	return getname(upath, err);
}

/* The inode a *at() stat names; referenced through *d. */
static int stat_lookup(int dirfd, uptr_t upath, int flags, struct dentry **d)
{
	int rc;
	char *path = getname_at(upath, flags, &rc);
	if (!path)
		return rc;
	rc = vfs_lookup_at(dirfd, path, flags, d);
	putname(path);
	return rc;
}

int sys_newfstatat(int dirfd, uptr_t path, uptr_t statbuf, int flags)
{
	struct dentry *d;
	struct stat st;

	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT | AT_EMPTY_PATH))
		return -EINVAL;
	int rc = stat_lookup(dirfd, path, flags, &d);
	if (rc)
		return rc;
	vfs_fill_stat(d->inode, &st);
	dput(d);
	return copy_to_user(statbuf, &st, sizeof(st));
}

int sys_stat(uptr_t path, uptr_t statbuf)
{
	return sys_newfstatat(AT_FDCWD, path, statbuf, 0);
}

int sys_lstat(uptr_t path, uptr_t statbuf)
{
	return sys_newfstatat(AT_FDCWD, path, statbuf, AT_SYMLINK_NOFOLLOW);
}

int sys_fstat(int fd, uptr_t statbuf)
{
	struct stat st;
	struct file *f = fd_get(fd);
	if (!f)
		return -EBADF;
	vfs_fill_stat(f->inode, &st);
	file_put(f);
	return copy_to_user(statbuf, &st, sizeof(st));
}

static struct statx_timestamp stx_time(struct vfs_time t)
{
	return (struct statx_timestamp){ .tv_sec = t.sec, .tv_nsec = (u32)t.nsec };
}

int sys_statx(int dirfd, uptr_t path, int flags, u32 mask, uptr_t statxbuf)
{
	struct dentry *d;
	struct statx stx;

	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT | AT_EMPTY_PATH | AT_STATX_SYNC_TYPE))
		return -EINVAL;
	if ((flags & AT_STATX_SYNC_TYPE) == AT_STATX_SYNC_TYPE || (mask & STATX__RESERVED))
		return -EINVAL;
	int rc = stat_lookup(dirfd, path, flags, &d);
	if (rc)
		return rc;
	struct inode *inode = d->inode;
	memset(&stx, 0, sizeof(stx));
	stx.stx_mask = STATX_BASIC_STATS;
	stx.stx_blksize = PAGE_SIZE;
	stx.stx_nlink = inode->nlink;
	stx.stx_mode = (u16)inode->mode;
	stx.stx_uid = inode->uid;
	stx.stx_gid = inode->gid;
	stx.stx_ino = inode->ino;
	stx.stx_size = inode_size(inode);
	stx.stx_blocks = inode->nr_pages * (PAGE_SIZE / 512);
	stx.stx_atime = stx_time(inode->atime);
	stx.stx_mtime = stx_time(inode->mtime);
	stx.stx_ctime = stx_time(inode->ctime);
	stx.stx_rdev_major = dev_major(inode->rdev);
	stx.stx_rdev_minor = dev_minor(inode->rdev);
	stx.stx_dev_major = dev_major(inode->sb->dev);
	stx.stx_dev_minor = dev_minor(inode->sb->dev);
	dput(d);
	return copy_to_user(statxbuf, &stx, sizeof(stx));
}

int sys_faccessat2(int dirfd, uptr_t upath, int mode, int flags)
{
	struct dentry *d;

	if (mode & ~7)
		return -EINVAL;
	if (flags & ~(AT_EACCESS | AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	int rc;
	char *path = getname(upath, &rc);
	if (!path)
		return rc;
	rc = vfs_lookup_at(dirfd, path, flags & ~AT_EACCESS, &d);
	putname(path);
	if (rc)
		return rc;
	u32 m = d->inode->mode;
	if ((mode & X_OK) && !S_ISDIR(m) && !(m & 0111))
		rc = -EACCES;
	dput(d);
	return rc;
}

int sys_faccessat(int dirfd, uptr_t path, int mode)
{
	return sys_faccessat2(dirfd, path, mode, 0);
}

int sys_access(uptr_t path, int mode)
{
	return sys_faccessat2(AT_FDCWD, path, mode, 0);
}
