/*
 * The filesystem context (root, cwd, umask) of processes, and where the
 * VFS's entry points start a lookup: the current task's context and
 * descriptors, or, for kernel threads that have none, the kernel's own
 * (the root as cwd, umask 022).
 */
#include <kevlar/errno.h>
#include <kevlar/mm.h>
#include <kevlar/uaccess.h>
#include "vfs_internal.h"

static struct fs_context kernel_fs = { .refs = 1, .umask = 022 };

/* Set by vfs_init() once the root is mounted. */
void vfs_set_root(struct dentry *root)
{
	kernel_fs.root = dget(root);
	kernel_fs.cwd = dget(root);
}

struct dentry *vfs_root(void)
{
	return kernel_fs.root;
}

struct fs_context *current_fs(void)
{
	struct task *t = current_task();
	return t && t->fs ? t->fs : &kernel_fs;
}

struct fs_context *fs_create(void)
{
	struct fs_context *fs = kzalloc(sizeof(*fs));
	if (!fs)
		return NULL;
	fs->refs = 1;
	fs->umask = 022;
	fs->root = kernel_fs.root ? dget(kernel_fs.root) : NULL;
	fs->cwd = kernel_fs.cwd ? dget(kernel_fs.cwd) : NULL;
	return fs;
}

struct fs_context *fs_fork(struct fs_context *parent)
{
	struct fs_context *fs = kzalloc(sizeof(*fs));
	if (!fs)
		return NULL;
	if (!parent)
		parent = &kernel_fs;
	fs->refs = 1;
	fs->umask = parent->umask;
	fs->root = parent->root ? dget(parent->root) : NULL;
	fs->cwd = parent->cwd ? dget(parent->cwd) : NULL;
	return fs;
}

struct fs_context *fs_get(struct fs_context *fs)
{
	if (fs && fs != &kernel_fs)
		fs->refs++;
	return fs;
}

void fs_put(struct fs_context *fs)
{
	if (!fs || fs == &kernel_fs || --fs->refs)
		return;
	if (fs->root)
		dput(fs->root);
	if (fs->cwd)
		dput(fs->cwd);
	kfree(fs);
}

int walk_begin(struct walk_ctx *w, int dirfd, struct dentry **start_ref)
{
	struct fs_context *fs = current_fs();

	if (!fs->root)
		return -ENOENT;   /* before vfs_init() */
	w->root = fs->root;
	w->links = 0;
	if (dirfd == AT_FDCWD) {
		w->start = dget(fs->cwd);
	} else {
		struct file *f = fd_get(dirfd);
		if (!f)
			return -EBADF;
		w->start = dget(f->dentry);
		file_put(f);
	}
	*start_ref = w->start;
	return 0;
}

char *getname(uptr_t upath, int *err)
{
	char *buf = kmalloc(PATH_MAX);
	if (!buf) {
		*err = -ENOMEM;
		return NULL;
	}
	long n = strncpy_from_user(buf, upath, PATH_MAX);
	if (n < 0) {
		kfree(buf);
		*err = (int)n;
		return NULL;
	}
	return buf;
}

char *getname_empty(void)
{
	return kzalloc(1);
}

void putname(char *name)
{
	kfree(name);
}
