/*
 * Extended attributes. No Kevlar filesystem stores any, so these calls do
 * what Linux does for a filesystem without xattr handlers and without a
 * security module: once the file and the arguments check out, reading or
 * changing an attribute fails with EOPNOTSUPP and the list is empty.
 * Checks come in Linux's order (fs/xattr.c): the file first, then the
 * flags, the name (empty or over 255 bytes: ERANGE), the value's size,
 * and the namespace rule for user.* on special files.
 */
#include <syscalls.h>
#include <abi/xattr.h>
#include <kevlar/errno.h>
#include <kevlar/mm.h>
#include <kevlar/string.h>
#include <kevlar/uaccess.h>
#include "vfs_internal.h"

#define XATTR_USER      "user."

/* Whose attributes a call means: a path (following the last symlink or
 * not) or a descriptor. */
enum xattr_target { BY_PATH, BY_LPATH, BY_FD };

static int target_inode(enum xattr_target how, uptr_t upath, int fd, struct dentry **d)
{
	if (how == BY_FD) {
		struct file *f = fd_get(fd);
		if (!f)
			return -EBADF;
		*d = dget(f->dentry);
		file_put(f);
		return 0;
	}
	int rc;
	char *path = getname(upath, &rc);
	if (!path)
		return rc;
	rc = vfs_lookup_at(AT_FDCWD, path, how == BY_LPATH ? AT_SYMLINK_NOFOLLOW : 0, d);
	putname(path);
	return rc;
}

/* Copies the attribute name in: -ERANGE if empty or too long. */
static int import_name(uptr_t uname, char name[XATTR_NAME_MAX + 1])
{
	long n = strncpy_from_user(name, uname, XATTR_NAME_MAX + 1);
	if (n == -ENAMETOOLONG || n == 0)
		return -ERANGE;
	return n < 0 ? (int)n : 0;
}

/* Linux's xattr_permission(): user.* attributes exist only on regular
 * files and directories. */
static int name_permission(const struct inode *inode, const char *name, bool write)
{
	if (!strncmp(name, XATTR_USER, sizeof(XATTR_USER) - 1) &&
	    !S_ISREG(inode->mode) && !S_ISDIR(inode->mode))
		return write ? -EPERM : -ENODATA;
	return 0;
}

static int do_setxattr(enum xattr_target how, uptr_t upath, int fd, uptr_t uname,
		       uptr_t value, size_t size, int flags)
{
	char name[XATTR_NAME_MAX + 1];
	struct dentry *d;
	int rc = target_inode(how, upath, fd, &d);

	if (rc)
		return rc;
	if (flags & ~(XATTR_CREATE | XATTR_REPLACE))
		rc = -EINVAL;
	else if (!(rc = import_name(uname, name)) && size > XATTR_SIZE_MAX)
		rc = -E2BIG;
	if (!rc && size) {
		void *buf = kmalloc(size);
		if (!buf)
			rc = -ENOMEM;
		else if (copy_from_user(buf, value, size))
			rc = -EFAULT;
		kfree(buf);
	}
	if (!rc)
		rc = name_permission(d->inode, name, true);
	dput(d);
	return rc ? rc : -EOPNOTSUPP;
}

static ssize_t do_getxattr(enum xattr_target how, uptr_t upath, int fd, uptr_t uname)
{
	char name[XATTR_NAME_MAX + 1];
	struct dentry *d;
	int rc = target_inode(how, upath, fd, &d);

	if (rc)
		return rc;
	if (!(rc = import_name(uname, name)))
		rc = name_permission(d->inode, name, false);
	dput(d);
	return rc ? rc : -EOPNOTSUPP;
}

static ssize_t do_listxattr(enum xattr_target how, uptr_t upath, int fd)
{
	struct dentry *d;
	int rc = target_inode(how, upath, fd, &d);

	if (rc)
		return rc;
	dput(d);
	return 0;   /* no attributes: an empty list, whatever the buffer */
}

static int do_removexattr(enum xattr_target how, uptr_t upath, int fd, uptr_t uname)
{
	char name[XATTR_NAME_MAX + 1];
	struct dentry *d;
	int rc = target_inode(how, upath, fd, &d);

	if (rc)
		return rc;
	if (!(rc = import_name(uname, name)))
		rc = name_permission(d->inode, name, true);
	dput(d);
	return rc ? rc : -EOPNOTSUPP;
}

int sys_setxattr(uptr_t path, uptr_t name, uptr_t value, size_t size, int flags)
{
	return do_setxattr(BY_PATH, path, -1, name, value, size, flags);
}

int sys_lsetxattr(uptr_t path, uptr_t name, uptr_t value, size_t size, int flags)
{
	return do_setxattr(BY_LPATH, path, -1, name, value, size, flags);
}

int sys_fsetxattr(int fd, uptr_t name, uptr_t value, size_t size, int flags)
{
	return do_setxattr(BY_FD, 0, fd, name, value, size, flags);
}

ssize_t sys_getxattr(uptr_t path, uptr_t name, uptr_t value, size_t size)
{
	return do_getxattr(BY_PATH, path, -1, name);
}

ssize_t sys_lgetxattr(uptr_t path, uptr_t name, uptr_t value, size_t size)
{
	return do_getxattr(BY_LPATH, path, -1, name);
}

ssize_t sys_fgetxattr(int fd, uptr_t name, uptr_t value, size_t size)
{
	return do_getxattr(BY_FD, 0, fd, name);
}

ssize_t sys_listxattr(uptr_t path, uptr_t list, size_t size)
{
	return do_listxattr(BY_PATH, path, -1);
}

ssize_t sys_llistxattr(uptr_t path, uptr_t list, size_t size)
{
	return do_listxattr(BY_LPATH, path, -1);
}

ssize_t sys_flistxattr(int fd, uptr_t list, size_t size)
{
	return do_listxattr(BY_FD, 0, fd);
}

int sys_removexattr(uptr_t path, uptr_t name)
{
	return do_removexattr(BY_PATH, path, -1, name);
}

int sys_lremovexattr(uptr_t path, uptr_t name)
{
	return do_removexattr(BY_LPATH, path, -1, name);
}

int sys_fremovexattr(int fd, uptr_t name)
{
	return do_removexattr(BY_FD, 0, fd, name);
}
