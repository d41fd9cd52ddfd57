/*
 * Directories as a process sees them: listing (getdents64), the working
 * directory (chdir, fchdir, getcwd) and the umask.
 *
 * A directory's listing is ".", "..", then its entries in the order they
 * were made; each has a cookie (d_off) that survives entries coming and
 * going, so a listing interleaved with unlink() neither repeats nor skips
 * an entry that stays.
 */
#include <syscalls.h>
#include <kevlar/abi.h>
#include <kevlar/errno.h>
#include <kevlar/mm.h>
#include <kevlar/string.h>
#include <kevlar/uaccess.h>
#include "vfs_internal.h"

#define DIRENT_NAME_OFF 19
#define GETDENTS_CHUNK  (64UL << 10)

bool dirent_emit(u8 *buf, size_t size, size_t *used, u64 ino, u64 off, u32 mode,
		 const char *name, size_t len)
{
	size_t reclen = ALIGN_UP(DIRENT_NAME_OFF + len + 1, 8);
	if (*used + reclen > size)
		return false;
	struct linux_dirent64 *de = (struct linux_dirent64 *)(buf + *used);
	de->d_ino = ino;
	de->d_off = (s64)off;
	de->d_reclen = (u16)reclen;
	de->d_type = (u8)((mode & S_IFMT) >> 12);
	memcpy(de->d_name, name, len);
	memset(de->d_name + len, 0, reclen - DIRENT_NAME_OFF - len);
	*used += reclen;
	return true;
}

long vfs_readdir(struct file *f, u8 *buf, size_t size)
{
	struct dentry *d = f->dentry;

	if (f->flags & O_PATH)
		return -EBADF;
	if (!S_ISDIR(f->inode->mode))
		return -ENOTDIR;
	if (!d->linked)
		return -ENOENT;
	size_t used = 0;
	u64 pos = f->pos;
	bool no_room = false;
	if (pos < 1) {
		no_room = !dirent_emit(buf, size, &used, d->inode->ino, 1, S_IFDIR, ".", 1);
		if (!no_room)
			pos = 1;
	}
	if (!no_room && pos < 2) {
		no_room = !dirent_emit(buf, size, &used, d->parent->inode->ino, 2, S_IFDIR, "..", 2);
		if (!no_room)
			pos = 2;
	}
	if (!no_room && f->inode->sb->synthetic) {
		no_room = !synthetic_readdir(f, buf, size, &used, &pos);
	} else if (!no_room) {
		list_for_each(it, &d->children) {
			struct dentry *c = list_entry(it, struct dentry, sibling);
			if (c->pos <= pos)
				continue;
			if (!dirent_emit(buf, size, &used, c->inode->ino, c->pos, c->inode->mode,
				  c->name, c->len)) {
				no_room = true;
				break;
			}
			pos = c->pos;
		}
	}
	if (used == 0 && no_room)
		return -EINVAL;   /* not even one entry fits */
	f->pos = pos;
	inode_touch(f->inode, TOUCH_ATIME);
	return (long)used;
}

long sys_getdents64(int fd, uptr_t dirp, u32 count)
{
	struct file *f = fd_get(fd);
	if (!f)
		return -EBADF;
	size_t size = MIN((size_t)count, GETDENTS_CHUNK);
	u8 *buf = kmalloc(size ? size : 1);
	long rc = -ENOMEM;
	if (buf) {
		u64 before = f->pos;
		rc = vfs_readdir(f, buf, size);
		if (rc > 0 && copy_to_user(dirp, buf, (size_t)rc)) {
			f->pos = before;
			rc = -EFAULT;
		}
		kfree(buf);
	}
	file_put(f);
	return rc;
}

char *path_of(struct dentry *d, struct dentry *root, char *buf, size_t size)
{
	if (size < 2)
		return NULL;
	char *p = buf + size - 1;
	*p = 0;
	while (d != root) {
		if (d_is_root(d)) {
			struct super_block *sb = d->inode->sb;
			if (!sb->mountpoint)
				break;   /* outside the process's root */
			d = sb->mountpoint;
			continue;
		}
		if ((size_t)(p - buf) < d->len + 1u)
			return NULL;
		p -= d->len;
		memcpy(p, d->name, d->len);
		*--p = '/';
		d = d->parent;
	}
	if (!*p) {
		if (p == buf)
			return NULL;
		*--p = '/';
	}
	return p;
}

int vfs_getcwd(char *buf, size_t size)
{
	struct fs_context *fs = current_fs();
	struct dentry *cwd = fs->cwd;

	if (!cwd->linked)
		return -ENOENT;
	char *p = path_of(cwd, fs->root, buf, size);
	if (!p)
		return -ERANGE;
	size_t len = strlen(p) + 1;
	memmove(buf, p, len);
	return (int)len;
}

long sys_getcwd(uptr_t ubuf, size_t size)
{
	char *buf = kmalloc(PATH_MAX);
	if (!buf)
		return -ENOMEM;
	long rc = vfs_getcwd(buf, PATH_MAX);
	if (rc == -ERANGE)
		rc = -ENAMETOOLONG;
	else if (rc > 0 && (size_t)rc > size)
		rc = -ERANGE;
	else if (rc > 0 && copy_to_user(ubuf, buf, (size_t)rc))
		rc = -EFAULT;
	kfree(buf);
	return rc;
}

int sys_chdir(uptr_t upath)
{
	int rc;
	char *path = getname(upath, &rc);
	if (!path)
		return rc;
	rc = vfs_chdir(path);
	putname(path);
	return rc;
}

int sys_fchdir(int fd)
{
	struct file *f = fd_get(fd);
	if (!f)
		return -EBADF;
	int rc = 0;
	if (!S_ISDIR(f->inode->mode)) {
		rc = -ENOTDIR;
	} else {
		struct fs_context *fs = current_fs();
		struct dentry *old = fs->cwd;
		fs->cwd = dget(f->dentry);
		dput(old);
	}
	file_put(f);
	return rc;
}

int sys_umask(int mask)
{
	struct fs_context *fs = current_fs();
	int old = (int)fs->umask;
	fs->umask = (u32)mask & 0777;
	return old;
}
