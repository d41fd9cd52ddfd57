/*
 * Inodes: allocation by filesystem and number, reference counts, times.
 * An inode is found by (super_block, number) through one hash table, so
 * the filesystem services can name inodes by number and never hold a
 * pointer into Core.
 */
#include <kevlar/mm.h>
#include <kevlar/clock.h>
#include <kevlar/time.h>
#include "vfs_internal.h"

#define INODE_BUCKETS 1024

static struct list inode_hash[INODE_BUCKETS];
static bool hash_ready;

static struct list *bucket(u32 sb, u64 ino)
{
	u64 h = (ino * 0x9e3779b97f4a7c15ULL) ^ ((u64)sb << 32);
	if (!hash_ready) {
		for (unsigned i = 0; i < INODE_BUCKETS; i++)
			list_init(&inode_hash[i]);
		hash_ready = true;
	}
	return &inode_hash[(h >> 20) % INODE_BUCKETS];
}

struct vfs_time vfs_now(void)
{
	s64 ns = clock_realtime_ns();

	return (struct vfs_time){ ns / (s64)NSEC_PER_SEC, ns % (s64)NSEC_PER_SEC };
}

void inode_touch(struct inode *inode, unsigned what)
{
	struct vfs_time now = vfs_now();
	if (what & TOUCH_ATIME)
		inode->atime = now;
	if (what & TOUCH_MTIME)
		inode->mtime = now;
	if (what & TOUCH_CTIME)
		inode->ctime = now;
}

struct inode *inode_alloc(struct super_block *sb, u32 mode, u32 rdev)
{
	struct inode *inode = kzalloc(sizeof(*inode));
	if (!inode)
		return NULL;
	inode->sb = sb;
	inode->ino = sb->next_ino++;
	inode->mode = mode;
	inode->rdev = rdev;
	inode_touch(inode, TOUCH_ATIME | TOUCH_MTIME | TOUCH_CTIME);
	list_add_tail(bucket(sb->id, inode->ino), &inode->hash_node);
	sb->inodes++;
	return inode;
}

struct inode *inode_find(struct super_block *sb, u64 ino)
{
	list_for_each(pos, bucket(sb->id, ino)) {
		struct inode *inode = list_entry(pos, struct inode, hash_node);
		if (inode->sb == sb && inode->ino == ino)
			return inode;
	}
	return NULL;
}

struct inode *inode_get(struct inode *inode)
{
	inode->refs++;
	return inode;
}

static void inode_free(struct inode *inode)
{
	list_del(&inode->hash_node);
	if (inode->pages) {
		pagecache_truncate(inode, 0);
		kfree(inode->pages);
	}
	kfree(inode->target);
	inode->sb->inodes--;
	kfree(inode);
}

void inode_put(struct inode *inode)
{
	if (--inode->refs == 0)
		inode_free(inode);
}

u64 inode_size(struct inode *inode)
{
	if (S_ISDIR(inode->mode))
		return inode->alias ? (2 + inode->alias->nchildren) * BOGO_DIRENT : 0;
	return inode->size;
}
