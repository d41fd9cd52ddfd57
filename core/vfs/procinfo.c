/*
 * What the VFS tells /proc (procinfo in idl/procfs.idl): a process's open
 * descriptors and what they name, its working and root directories and
 * umask, the mounts and the filesystem types. Paths are as the reading
 * process names them, from its own root.
 */
#include <ifc/procinfo.h>
#include <kevlar/errno.h>
#include <kevlar/mm.h>
#include <kevlar/printk.h>
#include <kevlar/procinfo.h>
#include <kevlar/string.h>
#include "vfs_internal.h"

/* The path of d from the reader's root into buf, NUL-terminated: its
 * length, or -ENAMETOOLONG. */
static int dentry_path(struct dentry *d, char *buf, size_t size)
{
	char *p = path_of(d, current_fs()->root, buf, size);
	if (!p)
		return -ENAMETOOLONG;
	size_t len = strlen(p);
	memmove(buf, p, len + 1);
	if (!d->linked && !d_is_root(d)) {
		const char *gone = " (deleted)";
		if (len + strlen(gone) >= size)
			return -ENAMETOOLONG;
		memcpy(buf + len, gone, strlen(gone) + 1);
		len += strlen(gone);
	}
	return (int)len;
}

int file_path(struct file *f, char *buf, size_t size)
{
	if (f->inode->pipe) {
		int n = ksnprintf(buf, size, "pipe:[%lu]", f->inode->ino);
		return (size_t)n < size ? n : -ENAMETOOLONG;
	}
	return dentry_path(f->dentry, buf, size);
}

void file_identity(struct file *f, u32 *dev, u64 *ino)
{
	*dev = f->inode->sb->dev;
	*ino = f->inode->ino;
}

u64 vfs_cached_pages(void)
{
	u64 pages = 0;

	for (u32 id = 1; id <= SB_MAX; id++) {
		struct super_block *sb = sb_get(id);
		if (sb)
			pages += sb->pages;
	}
	return pages;
}

/* A kernel path into an IDL buffer (no NUL): its whole length. */
static int give_path(int rc, const char *path, u8 *buf, size_t len)
{
	if (rc < 0)
		return rc;
	memcpy(buf, path, MIN((size_t)rc, len));
	return rc;
}

/* Descriptor fd of process pid, or NULL with *err. */
static struct file *fd_of(int pid, int fd, int *err)
{
	struct task *t = procinfo_task(pid);
	struct files *files = t ? t->files : NULL;

	*err = t ? -ENOENT : -ESRCH;
	if (!files || fd < 0 || (unsigned)fd >= files->cap || !files->fd[fd])
		return NULL;
	*err = 0;
	return files->fd[fd];
}

int procinfo_fd_next_impl(int pid, int after)
{
	struct task *t = procinfo_task(pid);
	if (!t)
		return -ESRCH;
	struct files *files = t->files;
	for (unsigned fd = after < 0 ? 0 : (unsigned)after + 1; files && fd < files->cap; fd++)
		if (files->fd[fd])
			return (int)fd;
	return -ENOENT;
}

int procinfo_fd_path_impl(int pid, int fd, u8 *buf, size_t len)
{
	int err;
	struct file *f = fd_of(pid, fd, &err);
	if (!f)
		return err;
	char *path = kmalloc(PATH_MAX);
	if (!path)
		return -ENOMEM;
	err = give_path(file_path(f, path, PATH_MAX), path, buf, len);
	kfree(path);
	return err;
}

long procinfo_fd_flags_impl(int pid, int fd)
{
	int err;
	struct file *f = fd_of(pid, fd, &err);
	if (!f)
		return err;
	struct task *t = procinfo_task(pid);
	struct files *files = t->files;
	bool cloexec = files->cloexec[fd / 64] & (1ULL << (fd % 64));
	return f->flags | (cloexec ? O_CLOEXEC : 0);
}

long procinfo_fd_pos_impl(int pid, int fd)
{
	int err;
	struct file *f = fd_of(pid, fd, &err);
	return f ? (long)f->pos : err;
}

/* The working (cwd) or root directory of process pid into buf. */
static int fs_path(int pid, bool cwd, u8 *buf, size_t len)
{
	struct task *t = procinfo_task(pid);
	if (!t)
		return -ESRCH;
	if (!t->fs)
		return -ENOENT;
	char *path = kmalloc(PATH_MAX);
	if (!path)
		return -ENOMEM;
	int rc = dentry_path(cwd ? t->fs->cwd : t->fs->root, path, PATH_MAX);
	rc = give_path(rc, path, buf, len);
	kfree(path);
	return rc;
}

int procinfo_cwd_path_impl(int pid, u8 *buf, size_t len)
{
	return fs_path(pid, true, buf, len);
}

int procinfo_root_path_impl(int pid, u8 *buf, size_t len)
{
	return fs_path(pid, false, buf, len);
}

int procinfo_umask_impl(int pid)
{
	struct task *t = procinfo_task(pid);
	if (!t)
		return -ESRCH;
	return t->fs ? (int)t->fs->umask : 0;
}

/* A mounted filesystem: one with a mount point, or the root. */
static struct super_block *mounted(int id)
{
	struct super_block *sb = id > 0 ? sb_get((u32)id) : NULL;
	if (!sb || (!sb->mountpoint && sb->root != vfs_root()))
		return NULL;
	return sb;
}

int procinfo_mount_next_impl(int after)
{
	for (int id = after < 0 ? 1 : after + 1; id <= SB_MAX; id++)
		if (mounted(id))
			return id;
	return -ENOENT;
}

int procinfo_mount_path_impl(int id, u8 *buf, size_t len)
{
	struct super_block *sb = mounted(id);
	if (!sb)
		return -ENOENT;
	char *path = kmalloc(PATH_MAX);
	if (!path)
		return -ENOMEM;
	int rc = give_path(dentry_path(sb->root, path, PATH_MAX), path, buf, len);
	kfree(path);
	return rc;
}

static int give_string(const char *s, u8 *buf, size_t len)
{
	size_t n = strlen(s);
	memcpy(buf, s, MIN(n, len));
	return (int)n;
}

int procinfo_mount_type_impl(int id, u8 *buf, size_t len)
{
	struct super_block *sb = mounted(id);
	return sb ? give_string(sb->type, buf, len) : -ENOENT;
}

int procinfo_mount_source_impl(int id, u8 *buf, size_t len)
{
	struct super_block *sb = mounted(id);
	if (!sb)
		return -ENOENT;
	if (sb->source)
		return give_string(sb->source, buf, len);
	/* Mounted by the kernel itself: Linux names these after their type,
	 * and the initramfs root "rootfs". */
	return give_string(sb->root == vfs_root() ? "rootfs" : sb->type, buf, len);
}

int procinfo_fs_type_impl(int index, u8 *buf, size_t len)
{
	const char *name = index >= 0 ? fs_type_name((unsigned)index) : NULL;
	return name ? give_string(name, buf, len) : -ENOENT;
}
