/*
 * Mounted filesystems: the super_block table and mount points. Each
 * mount is a super_block with its own root; a mount covers a directory,
 * and path walks step from that directory onto the mount's root (and back
 * for ".."). Mounts stack: mounting on a covered directory covers the
 * topmost filesystem there.
 */
#include <kevlar/errno.h>
#include <kevlar/mm.h>
#include <kevlar/printk.h>
#include "vfs_internal.h"

static struct super_block *sb_table[SB_MAX + 1];   /* [0] unused */

struct super_block *sb_get(u32 id)
{
	return id && id <= SB_MAX ? sb_table[id] : NULL;
}

struct super_block *sb_create(const char *type, u16 svc, u32 root_mode)
{
	u32 id = 1;
	while (id <= SB_MAX && sb_table[id])
		id++;
	if (id > SB_MAX)
		return NULL;
	struct super_block *sb = kzalloc(sizeof(*sb));
	if (!sb)
		return NULL;
	sb->id = id;
	sb->dev = make_dev(0, id);
	sb->svc = svc;
	sb->type = type;
	sb->next_ino = 1;
	struct inode *root = inode_alloc(sb, S_IFDIR | (root_mode & 07777), 0);
	if (!root) {
		kfree(sb);
		return NULL;
	}
	sb->root = d_alloc_root(root);
	if (!sb->root) {
		inode_get(root);
		inode_put(root);
		kfree(sb);
		return NULL;
	}
	sb_table[id] = sb;
	return sb;
}

/* Unlinks everything below d, deepest first. */
static void unlink_tree(struct dentry *d)
{
	list_for_each_safe(pos, tmp, &d->children) {
		struct dentry *child = list_entry(pos, struct dentry, sibling);
		unlink_tree(child);
		d_unlink(child);
	}
}

/* Frees a super_block that was never mounted and that nothing uses. */
static void sb_destroy(struct super_block *sb)
{
	struct dentry *root = sb->root;

	unlink_tree(root);
	sb_table[sb->id] = NULL;
	root->linked = false;
	dput(dget(root));
	kfree(sb->source);
	kfree(sb);
}

int vfs_mount_at(struct dentry *dir, struct super_block *sb)
{
	dir = d_follow_mounts(dir);
	if (!S_ISDIR(dir->inode->mode))
		return -ENOTDIR;
	if (!dir->linked)
		return -ENOENT;
	int rc = fs_call_mount(sb);
	if (rc < 0) {
		sb_destroy(sb);
		return rc;
	}
	sb->mountpoint = dget(dir);
	dir->mounted = sb;
	return 0;
}
