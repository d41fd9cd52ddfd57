/*
 * A file's attributes other than its name: owner (chown family), times
 * (utimensat), permission bits by descriptor (fchmod), size (truncate,
 * ftruncate), and the filesystem's totals (statfs). Owners and times are
 * Core's inode fields and set here; permissions and sizes are the
 * filesystem's decision (fs_call_setmode, fs_call_setsize). Also the
 * calls that ask for data to reach storage, which tmpfs has none of.
 */
#include <syscalls.h>
#include <abi/fcntl.h>
#include <abi/statfs.h>
#include <kevlar/abi.h>
#include <kevlar/errno.h>
#include <kevlar/mm.h>
#include <kevlar/string.h>
#include <kevlar/uaccess.h>
#include "vfs_internal.h"

#define NO_ID       0xffffffffu

struct statfs {
	s64 f_type;
	s64 f_bsize;
	u64 f_blocks;
	u64 f_bfree;
	u64 f_bavail;
	u64 f_files;
	u64 f_ffree;
	s32 f_fsid[2];
	s64 f_namelen;
	s64 f_frsize;
	s64 f_flags;
	s64 f_spare[4];
};
_Static_assert(sizeof(struct statfs) == 120, "struct statfs");

/* The inode a path call names; with a NULL path and AT_EMPTY_PATH-like
 * 'null_is_fd', dirfd's own. */
static int lookup(int dirfd, uptr_t upath, int flags, bool null_is_fd, struct dentry **d)
{
	int rc;
	char *path;

	if (!upath && null_is_fd) {
		if (dirfd == AT_FDCWD)
			return -EFAULT;
		path = getname_empty();
		flags |= AT_EMPTY_PATH;
		if (!path)
			return -ENOMEM;
	} else if (!(path = getname(upath, &rc))) {
		return rc;
	}
	rc = vfs_lookup_at(dirfd, path, flags, d);
	putname(path);
	return rc;
}

/* ---- owners ---- */

static int set_owner(struct inode *inode, u32 uid, u32 gid)
{
	if (uid != NO_ID)
		inode->uid = uid;
	if (gid != NO_ID)
		inode->gid = gid;
	/* As Linux: a change of owner drops set-user-ID, and set-group-ID
	 * where it means that (group execute), for non-directories. */
	if ((uid != NO_ID || gid != NO_ID) && !S_ISDIR(inode->mode)) {
		inode->mode &= ~S_ISUID;
		if (inode->mode & 0010)
			inode->mode &= ~S_ISGID;
	}
	inode_touch(inode, TOUCH_CTIME);
	return 0;
}

int sys_fchownat(int dirfd, uptr_t path, u32 owner, u32 group, int flags)
{
	struct dentry *d;
	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	int rc = lookup(dirfd, path, flags, false, &d);
	if (rc)
		return rc;
	rc = set_owner(d->inode, owner, group);
	dput(d);
	return rc;
}

int sys_chown(uptr_t path, u32 owner, u32 group)
{
	return sys_fchownat(AT_FDCWD, path, owner, group, 0);
}

int sys_lchown(uptr_t path, u32 owner, u32 group)
{
	return sys_fchownat(AT_FDCWD, path, owner, group, AT_SYMLINK_NOFOLLOW);
}

int sys_fchown(int fd, u32 owner, u32 group)
{
	struct file *f = fd_get(fd);
	if (!f)
		return -EBADF;
	int rc = (f->flags & O_PATH) ? -EBADF : set_owner(f->inode, owner, group);
	file_put(f);
	return rc;
}

/* ---- times ---- */

int sys_utimensat(int dirfd, uptr_t path, uptr_t utimes, int flags)
{
	struct timespec ts[2];
	struct dentry *d;

	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	if (utimes) {
		if (copy_from_user(ts, utimes, sizeof(ts)))
			return -EFAULT;
		for (int i = 0; i < 2; i++)
			if (ts[i].tv_nsec != UTIME_NOW && ts[i].tv_nsec != UTIME_OMIT &&
			    (ts[i].tv_nsec < 0 || ts[i].tv_nsec >= 1000000000))
				return -EINVAL;
	} else {
		ts[0].tv_nsec = ts[1].tv_nsec = UTIME_NOW;
	}
	int rc = lookup(dirfd, path, flags, true, &d);
	if (rc)
		return rc;
	struct inode *inode = d->inode;
	struct vfs_time now = vfs_now();
	struct vfs_time *field[2] = { &inode->atime, &inode->mtime };
	for (int i = 0; i < 2; i++) {
		if (ts[i].tv_nsec == UTIME_OMIT)
			continue;
		*field[i] = ts[i].tv_nsec == UTIME_NOW ? now
			  : (struct vfs_time){ ts[i].tv_sec, ts[i].tv_nsec };
	}
	if (ts[0].tv_nsec != UTIME_OMIT || ts[1].tv_nsec != UTIME_OMIT)
		inode->ctime = now;
	dput(d);
	return 0;
}

/* ---- permissions and sizes by descriptor, and by path ---- */

int sys_fchmod(int fd, u16 mode)
{
	struct file *f = fd_get(fd);
	if (!f)
		return -EBADF;
	int rc = (f->flags & O_PATH) ? -EBADF : vfs_chmod_inode(f->inode, mode);
	file_put(f);
	return rc;
}

int sys_ftruncate(int fd, s64 length)
{
	if (length < 0)
		return -EINVAL;
	struct file *f = fd_get(fd);
	if (!f)
		return -EBADF;
	int rc;
	if ((f->flags & O_PATH) || (f->flags & O_ACCMODE) == O_RDONLY)
		rc = (f->flags & O_PATH) ? -EBADF : -EINVAL;
	else if (!S_ISREG(f->inode->mode))
		rc = -EINVAL;
	else
		rc = vfs_truncate_inode(f->inode, (u64)length);
	file_put(f);
	return rc;
}

int sys_truncate(uptr_t path, s64 length)
{
	struct dentry *d;
	if (length < 0)
		return -EINVAL;
	int rc = lookup(AT_FDCWD, path, 0, false, &d);
	if (rc)
		return rc;
	rc = vfs_truncate_inode(d->inode, (u64)length);
	dput(d);
	return rc;
}

/* ---- storage ---- */

static int sync_fd(int fd)
{
	struct file *f = fd_get(fd);
	if (!f)
		return -EBADF;
	int rc = S_ISFIFO(f->inode->mode) || S_ISSOCK(f->inode->mode) ? -EINVAL : 0;
	file_put(f);
	return rc;
}

int sys_fsync(int fd)
{
	return sync_fd(fd);
}

int sys_fdatasync(int fd)
{
	return sync_fd(fd);
}

int sys_sync(void)
{
	return 0;   /* everything is in memory already */
}

static int fill_statfs(struct super_block *sb, uptr_t buf)
{
	struct statfs st;
	u64 blocks = sb->max_pages, files = sb->max_inodes;   /* 0: no limit */

	memset(&st, 0, sizeof(st));
	st.f_type = sb->svc == NO_SVC ? PIPEFS_MAGIC : TMPFS_MAGIC;
	st.f_bsize = PAGE_SIZE;
	st.f_frsize = PAGE_SIZE;
	st.f_blocks = blocks;
	st.f_bfree = st.f_bavail = blocks > sb->pages ? blocks - sb->pages : 0;
	st.f_files = files;
	st.f_ffree = files > sb->inodes ? files - sb->inodes : 0;
	if (sb->synthetic) {   /* nothing stored: no blocks, no inodes */
		st.f_type = PROC_SUPER_MAGIC;
		st.f_blocks = st.f_bfree = st.f_bavail = st.f_files = st.f_ffree = 0;
	}
	st.f_fsid[0] = (s32)sb->dev;
	st.f_namelen = NAME_MAX;
	return copy_to_user(buf, &st, sizeof(st));
}

int sys_statfs(uptr_t path, uptr_t buf)
{
	struct dentry *d;
	int rc = lookup(AT_FDCWD, path, 0, false, &d);
	if (rc)
		return rc;
	rc = fill_statfs(d->inode->sb, buf);
	dput(d);
	return rc;
}

int sys_fstatfs(int fd, uptr_t buf)
{
	struct file *f = fd_get(fd);
	if (!f)
		return -EBADF;
	int rc = fill_statfs(f->inode->sb, buf);
	file_put(f);
	return rc;
}
