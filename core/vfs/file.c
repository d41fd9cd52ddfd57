/*
 * Open file descriptions: shared by every descriptor dup()ed or fork()ed
 * from one open(), with one offset and one set of status flags, freed
 * with the last reference. Reads and writes of regular files go to the
 * page cache here in Core; only a change of size asks the filesystem.
 * This file also has the kernel's own file access (exec, mmap).
 */
#include <kevlar/errno.h>
#include <kevlar/layout.h>
#include <kevlar/mm.h>
#include <kevlar/string.h>
#include <kevlar/vm.h>
#include "vfs_internal.h"

#define MAX_LFS_FILESIZE ((u64)0x7fffffffffffffff)

struct file *file_alloc(struct dentry *d, struct inode *inode, int flags,
			const struct file_ops *ops)
{
	struct file *f = kzalloc(sizeof(*f));
	if (!f)
		return NULL;
	f->refs = 1;
	f->flags = flags;
	f->inode = inode;
	f->dentry = dget(d);
	f->ops = ops;
	list_init(&f->epoll_links);
	return f;
}

struct file *file_get(struct file *f)
{
	f->refs++;
	return f;
}

void file_put(struct file *f)
{
	if (!f || --f->refs)
		return;
	if (!list_empty(&f->epoll_links))
		epoll_file_gone(f);
	if (f->ops && f->ops->release)
		f->ops->release(f);
	dput(f->dentry);
	kfree(f);
}

int file_flags(struct file *f)
{
	return f->flags;
}

bool file_is_regular(struct file *f)
{
	return S_ISREG(f->inode->mode);
}

u64 file_size(struct file *f)
{
	return inode_size(f->inode);
}

ssize_t vfs_read(struct file *f, struct uio *u, u64 *pos)
{
	if ((f->flags & O_PATH) || (f->flags & O_ACCMODE) == O_WRONLY)
		return -EBADF;
	if (!f->ops->read)
		return -EINVAL;
	return f->ops->read(f, u, pos);
}

ssize_t vfs_write(struct file *f, struct uio *u, u64 *pos)
{
	if ((f->flags & O_PATH) || (f->flags & O_ACCMODE) == O_RDONLY)
		return -EBADF;
	if (!f->ops->write)
		return -EINVAL;
	return f->ops->write(f, u, pos);
}

/* ---- regular files ---- */

static ssize_t reg_read(struct file *f, struct uio *u, u64 *pos)
{
	struct inode *inode = f->inode;
	ssize_t n = pagecache_read(inode, u, *pos);
	if (n > 0) {
		*pos += (u64)n;
		/* relatime: only when the last access is older than the change. */
		if (inode->atime.sec <= inode->mtime.sec)
			inode_touch(inode, TOUCH_ATIME);
	}
	return n;
}

static ssize_t reg_write(struct file *f, struct uio *u, u64 *pos)
{
	struct inode *inode = f->inode;
	u64 at = (f->flags & O_APPEND) ? inode->size : *pos;

	if (u->len == 0)
		return 0;
	if (at > MAX_LFS_FILESIZE || u->len > MAX_LFS_FILESIZE - at)
		return -EFBIG;
	u64 end = at + u->len, old = inode->size;
	if (end > old) {
		int rc = fs_call_setsize(inode, end);
		if (rc < 0)
			return rc;
	}
	ssize_t n = pagecache_write(inode, u, at);
	u64 done = n > 0 ? (u64)n : 0;
	if (at + done < end && end > old)
		fs_call_setsize(inode, MAX(old, at + done));   /* give back what was not written */
	if (n > 0) {
		*pos = at + done;
		inode_touch(inode, TOUCH_MTIME | TOUCH_CTIME);
	}
	return n;
}

const struct file_ops regular_file_ops = {
	.read = reg_read,
	.write = reg_write,
	.seekable = true,
};

/* Directories are read with getdents64, never read(). */
static ssize_t dir_read(struct file *f, struct uio *u, u64 *pos)
{
	return -EISDIR;
}

const struct file_ops dir_file_ops = {
	.read = dir_read,
	.seekable = true,
};

/* O_PATH: a place in the tree, not a file to read or write. */
const struct file_ops path_file_ops = {
	.seekable = false,
};

/* ---- the kernel's own file access ---- */

struct file *vfs_open_kernel(const char *path, int flags, int *err)
{
	struct file *f = NULL;
	int rc = vfs_openat(AT_FDCWD, path, flags, 0644, &f);
	if (rc) {
		*err = rc;
		return NULL;
	}
	return f;
}

ssize_t kernel_read(struct file *f, void *buf, size_t n, u64 offset)
{
	struct uio u = { .kbuf = buf, .len = n };
	u64 pos = offset;
	if (!f->ops->read)
		return -EINVAL;
	return f->ops->read(f, &u, &pos);
}

ssize_t kernel_write(struct file *f, const void *buf, size_t n, u64 offset)
{
	/* The uio only reads from a buffer it is given for a write. */
	struct uio u = { .kbuf = (void *)buf, .len = n };
	u64 pos = offset;
	if (!f->ops->write)
		return -EINVAL;
	return f->ops->write(f, &u, &pos);
}

int file_check_exec(struct file *f)
{
	u32 mode = f->inode->mode;
	if (!S_ISREG(mode) || !(mode & 0111) || (f->flags & O_PATH))
		return -EACCES;
	return 0;
}

int file_get_page(struct file *f, u64 index, paddr_t *pa)
{
	struct inode *inode = f->inode;

	if (!S_ISREG(inode->mode))
		return -ENODEV;
	if (index < (inode->size + PAGE_SIZE - 1) / PAGE_SIZE) {
		paddr_t p;
		int err = pagecache_fill(inode, index, &p);
		if (err)
			return err;
		frame_get(p);
		*pa = p;
		return 0;
	}
	paddr_t p = frame_alloc(0);
	if (p == PADDR_NONE)
		return -ENOMEM;
	memset(phys_to_virt(p), 0, PAGE_SIZE);
	*pa = p;
	return 0;
}
