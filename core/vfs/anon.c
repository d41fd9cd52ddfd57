/*
 * Files that are no file in any directory (epoll sets, eventfd
 * counters): each gets an inode of its own, mode 0600 with no file type
 * as Linux's anonymous inodes have, on one internal filesystem made the
 * first time one is needed.
 */
#include <kevlar/mm.h>
#include "vfs_internal.h"

static struct super_block *anon_sb;

struct file *anon_file_create(const char *name, int flags, const struct file_ops *ops,
			      void *private)
{
	if (!anon_sb)
		anon_sb = sb_create("anon_inodefs", NO_SVC, 0);
	if (!anon_sb)
		return NULL;
	struct inode *inode = inode_alloc(anon_sb, 0600, 0);
	if (!inode)
		return NULL;
	char full[32] = "anon_inode:";
	size_t at = 11;
	for (size_t i = 0; name[i] && at < sizeof(full) - 1; i++)
		full[at++] = name[i];
	full[at] = 0;
	struct dentry *d = d_alloc_anon(inode, full);
	if (!d) {
		inode_put(inode_get(inode));
		return NULL;
	}
	dget(d);
	struct file *f = file_alloc(d, inode, flags, ops);
	if (f)
		f->private = private;
	dput(d);
	return f;
}
