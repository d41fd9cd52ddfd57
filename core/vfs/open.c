/*
 * open(2) and openat(2): finding or creating the file, then making an
 * open file description for it. With O_CREAT a symlink in the last
 * component is followed (and its target created if it does not exist),
 * unless O_EXCL or O_NOFOLLOW say otherwise, as Linux does.
 */
#include <syscalls.h>
#include <kevlar/errno.h>
#include <kevlar/uaccess.h>
#include "vfs_internal.h"

/* Finds or creates the file of an O_CREAT open. */
static int open_create(struct walk_ctx *w, const char *path, int flags, u32 mode,
		       struct dentry **out)
{
	struct dentry *hold_dir = NULL, *hold_link = NULL;
	struct path_parent pp = { 0 };
	int rc;

	for (;;) {
		rc = path_lookup_parent(w, path, &pp);
		if (rc)
			break;
		if (pp.type != LAST_NORM) {
			rc = -EISDIR;
			break;
		}
		struct dentry *child = d_lookup(pp.dir, pp.last, pp.len);
		if (child) {
			child = d_follow_mounts(child);
			if (flags & O_EXCL) {
				rc = -EEXIST;
				break;
			}
			if (S_ISLNK(child->inode->mode)) {
				if (flags & O_NOFOLLOW) {
					rc = -ELOOP;
					break;
				}
				if (++w->links > SYMLOOP_MAX) {
					rc = -ELOOP;
					break;
				}
				/* Go on with the target, from the link's directory. */
				if (hold_dir)
					dput(hold_dir);
				if (hold_link)
					dput(hold_link);
				hold_dir = pp.dir;
				hold_link = dget(child);
				pp.dir = NULL;
				w->start = hold_dir;
				path = child->inode->target;
				continue;
			}
			if (S_ISDIR(child->inode->mode) || pp.slash) {
				rc = -EISDIR;
				break;
			}
			*out = dget(child);
			break;
		}
		if (pp.slash) {
			rc = -EISDIR;
			break;
		}
		if (!pp.dir->linked) {
			rc = -ENOENT;   /* the directory was removed */
			break;
		}
		u32 perm = mode & 07777 & ~current_fs()->umask;
		long ino = fs_call_create(pp.dir, pp.last, pp.len, S_IFREG | perm, 0);
		if (ino < 0) {
			rc = (int)ino;
			break;
		}
		child = d_lookup(pp.dir, pp.last, pp.len);
		if (!child || child->inode->ino != (u64)ino) {
			rc = -EIO;   /* the filesystem said yes but made nothing */
			break;
		}
		*out = dget(child);
		break;
	}
	path_parent_release(&pp);
	if (hold_dir)
		dput(hold_dir);
	if (hold_link)
		dput(hold_link);
	return rc;
}

/* An open file description for d, as 'flags' asks. */
static int open_dentry(struct dentry *d, int flags, struct file **out)
{
	struct inode *inode = d->inode;
	int acc = flags & O_ACCMODE;
	const struct file_ops *ops;

	if (flags & O_PATH) {
		if ((flags & O_DIRECTORY) && !S_ISDIR(inode->mode))
			return -ENOTDIR;
		flags &= O_PATH | O_DIRECTORY | O_NOFOLLOW | O_LARGEFILE;
		ops = &path_file_ops;
	} else if (S_ISDIR(inode->mode)) {
		if (acc != O_RDONLY || (flags & O_TRUNC))
			return -EISDIR;
		ops = &dir_file_ops;
	} else if (flags & O_DIRECTORY) {
		return -ENOTDIR;
	} else if (S_ISLNK(inode->mode)) {
		return -ELOOP;
	} else if (S_ISREG(inode->mode) && inode->sb->synthetic) {
		if (acc != O_RDONLY && !(inode->mode & 0200))
			return -EACCES;   /* made to be read, but for settings */
		ops = &synthetic_file_ops;
	} else if (S_ISREG(inode->mode)) {
		ops = &regular_file_ops;
	} else if (S_ISCHR(inode->mode)) {
		ops = chardev_ops(inode->rdev);
		if (!ops)
			return -ENXIO;
		int rc = chardev_open(inode->rdev, flags);
		if (rc)
			return rc;
	} else {
		return -ENXIO;   /* fifos, sockets and block devices: not yet */
	}
	struct file *f = file_alloc(d, inode, flags & ~(O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC |
							O_CLOEXEC), ops);
	if (!f)
		return -ENOMEM;
	if ((flags & O_TRUNC) && S_ISREG(inode->mode) && inode->size) {
		int rc = vfs_truncate_inode(inode, 0);
		if (rc) {
			file_put(f);
			return rc;
		}
	}
	*out = f;
	return 0;
}

int vfs_w_open(struct walk_ctx *w, const char *path, int flags, u32 mode, struct file **out)
{
	struct dentry *d = NULL;
	int rc;

	if ((flags & O_TMPFILE) == O_TMPFILE)
		return -EOPNOTSUPP;
	if ((flags & O_ACCMODE) == O_ACCMODE)
		return -EINVAL;
	if (flags & O_CREAT) {
		rc = open_create(w, path, flags, mode, &d);
	} else {
		unsigned lf = (flags & O_NOFOLLOW) ? 0 : LOOKUP_FOLLOW;
		if (flags & O_DIRECTORY)
			lf |= LOOKUP_DIRECTORY;
		rc = path_lookup(w, path, lf, &d);
		if (!rc && S_ISLNK(d->inode->mode) && !(flags & O_PATH))
			rc = -ELOOP;
	}
	if (!rc)
		rc = open_dentry(d, flags | O_LARGEFILE, out);
	if (d)
		dput(d);
	return rc;
}

int vfs_openat(int dirfd, const char *path, int flags, u32 mode, struct file **out)
{
	struct walk_ctx w;
	struct dentry *start;
	int rc = walk_begin(&w, dirfd, &start);
	if (rc)
		return rc;
	rc = vfs_w_open(&w, path, flags, mode, out);
	dput(start);
	return rc;
}

static int do_sys_open(int dirfd, uptr_t upath, int flags, u32 mode)
{
	int rc;
	char *path = getname(upath, &rc);
	if (!path)
		return rc;
	struct file *f;
	rc = vfs_openat(dirfd, path, flags, mode, &f);
	putname(path);
	if (rc)
		return rc;
	rc = fd_install(f, flags & O_CLOEXEC);
	if (rc < 0)
		file_put(f);
	return rc;
}

int sys_open(uptr_t path, int flags, u16 mode)
{
	return do_sys_open(AT_FDCWD, path, flags, mode);
}

int sys_openat(int dirfd, uptr_t path, int flags, u16 mode)
{
	return do_sys_open(dirfd, path, flags, mode);
}

int sys_close(int fd)
{
	return fd_close(fd);
}
