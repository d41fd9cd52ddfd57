/*
 * Synthetic filesystems (/proc): the provider, a Ring 2 service, makes the
 * tree as it is read. Core keeps a dentry and an inode for each name
 * someone looked up, as for every filesystem, but they are only a cache:
 * each lookup asks the provider again (a process may have gone), and a
 * name whose answer changed is dropped, with everything below it, and
 * made anew. Symbolic links get their target from the provider on each
 * lookup too (/proc/self is a different process each time). File contents
 * are never kept: every read asks the provider for those bytes.
 *
 * A fault in the provider is -EIO for the call that met it; the cache is
 * left as it was.
 */
#include <services.h>
#include <ifc/synthfs.h>
#include <kevlar/errno.h>
#include <kevlar/mm.h>
#include <kevlar/string.h>
#include "vfs_internal.h"

#define READ_CHUNK PAGE_SIZE

static struct synthfs_ref provider(const struct super_block *sb)
{
	return (struct synthfs_ref){ .svc = sb->svc, .inst = NULL };
}

/* Takes d and everything below it out of the tree (freeing what nothing
 * else holds); what is still referenced (open, a cwd) lives on unlinked. */
static void prune(struct dentry *d)
{
	list_for_each_safe(pos, tmp, &d->children)
		prune(list_entry(pos, struct dentry, sibling));
	d_unlink(d);
}

/* Asks the provider for a symbolic link's target and keeps it in the
 * inode, where path walks and readlink read it. */
static int refresh_target(struct inode *inode)
{
	struct synthfs_ref ref = provider(inode->sb);
	char *buf = kmalloc(PATH_MAX);
	if (!buf)
		return -ENOMEM;
	ssize_t n = synthfs_readlink(&ref, inode->sb->id, inode->node, (u8 *)buf, PATH_MAX - 1);
	if (n < 0 || n >= PATH_MAX) {
		kfree(buf);
		return n < 0 ? (int)n : -ENAMETOOLONG;
	}
	buf[n] = 0;
	kfree(inode->target);
	inode->target = buf;
	inode->size = (u64)n;
	return 0;
}

int d_lookup_synthetic(struct dentry *dir, const char *name, size_t len,
		       struct dentry **out)
{
	struct super_block *sb = dir->inode->sb;
	struct synthfs_ref ref = provider(sb);
	u32 mode = 0;

	long node = synthfs_lookup(&ref, sb->id, dir->inode->node, (const u8 *)name, len, &mode);
	if (node == -EIO)
		return -EIO;
	struct dentry *d = d_lookup_cached(dir, name, len);
	if (node < 0 || node == 0) {
		if (d)
			prune(d);
		return node < 0 ? (int)node : -EIO;
	}
	if (d && (d->inode->node != (u64)node || d->inode->mode != mode)) {
		prune(d);
		d = NULL;
	}
	if (!d) {
		struct inode *inode = inode_alloc(sb, mode, 0);
		if (!inode)
			return -ENOMEM;
		inode->node = (u64)node;
		d = d_alloc(dir, name, len, inode);
		if (!d) {
			inode_get(inode);
			inode_put(inode);
			return -ENOMEM;
		}
	}
	if (S_ISLNK(mode)) {
		int rc = refresh_target(d->inode);
		if (rc)
			return rc;
	}
	*out = d;
	return 0;
}

/* Drops the cached names of 'dir' that its provider no longer has, so
 * a directory of processes does not keep every process ever seen. */
static void revalidate_children(struct dentry *dir)
{
	struct super_block *sb = dir->inode->sb;
	struct synthfs_ref ref = provider(sb);

	list_for_each_safe(pos, tmp, &dir->children) {
		struct dentry *c = list_entry(pos, struct dentry, sibling);
		u32 mode = 0;
		long node = synthfs_lookup(&ref, sb->id, dir->inode->node, (const u8 *)c->name,
					   c->len, &mode);
		if (node == -EIO)
			return;
		if (node <= 0 || (u64)node != c->inode->node || mode != c->inode->mode)
			prune(c);
	}
}

bool synthetic_readdir(struct file *f, u8 *buf, size_t size, size_t *used, u64 *pos)
{
	struct super_block *sb = f->inode->sb;
	struct synthfs_ref ref = provider(sb);
	char name[NAME_MAX + 1];
	u64 info[3];

	if (*pos <= 2)
		revalidate_children(f->dentry);
	for (;;) {
		long n = synthfs_readdir(&ref, sb->id, f->inode->node, *pos + 1, (u8 *)name,
					 NAME_MAX, info);
		if (n <= 0)
			return true;   /* the end, or the provider failed: stop here */
		if (info[2] <= *pos)
			return true;   /* a cookie going backwards would never end */
		/* Linux's procfs shows its own inode numbers; these are the
		 * provider's, which name the entry as well. */
		if (!dirent_emit(buf, size, used, info[0], info[2], (u32)info[1], name, (size_t)n))
			return false;
		*pos = info[2];
	}
}

/* A read asks the provider for the bytes at *pos, a chunk at a time. */
static ssize_t synthetic_read(struct file *f, struct uio *u, u64 *pos)
{
	struct super_block *sb = f->inode->sb;
	struct synthfs_ref ref = provider(sb);
	size_t done = 0;
	ssize_t err = 0;

	u8 *chunk = kmalloc(READ_CHUNK);
	if (!chunk)
		return -ENOMEM;
	while (done < u->len) {
		size_t want = MIN(u->len - done, (size_t)READ_CHUNK);
		ssize_t n = synthfs_read(&ref, sb->id, f->inode->node, *pos + done, chunk, want);
		if (n <= 0) {
			err = n;
			break;
		}
		if ((err = uio_to(u, done, chunk, (size_t)n)))
			break;
		done += (size_t)n;
		if ((size_t)n < want)
			break;
	}
	kfree(chunk);
	*pos += done;
	return done ? (ssize_t)done : err;
}

/* A write hands the provider one chunk: settings are short. */
static ssize_t synthetic_write(struct file *f, struct uio *u, u64 *pos)
{
	struct super_block *sb = f->inode->sb;
	struct synthfs_ref ref = provider(sb);
	size_t want = MIN(u->len, (size_t)READ_CHUNK);

	u8 *chunk = kmalloc(READ_CHUNK);
	if (!chunk)
		return -ENOMEM;
	ssize_t n = uio_from(u, 0, chunk, want);
	if (n == 0)
		n = synthfs_write(&ref, sb->id, f->inode->node, *pos, chunk, want);
	kfree(chunk);
	if (n > 0)
		*pos += (u64)n;
	return n;
}

const struct file_ops synthetic_file_ops = {
	.read = synthetic_read,
	.write = synthetic_write,
	.seekable = true,
};
