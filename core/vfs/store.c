/*
 * The fsstore interface: Core's inodes and dentries as the backing store
 * of the filesystem services (idl/vfs.idl). A service names its mount
 * and inodes by number; it may change only mounts it provides.
 *
 * Every operation checks everything first and then changes the tree in
 * one step that cannot fail half-way (memory is allocated before the
 * first change). Core checks again what the service should have checked
 * but whose omission would break the tree (unique names, empty
 * directories, no directory under itself, types), so a buggy or faulting
 * service can refuse or misorder work, never corrupt what was written.
 */
#include <services.h>
#include <ifc/fsstore.h>
#include <kevlar/errno.h>
#include <kevlar/mm.h>
#include <kevlar/ring.h>
#include <kevlar/string.h>
#include "vfs_internal.h"

#define MAX_FILE_SIZE (1ULL << 40)

/* The mount 'id' if the calling service provides it. */
static int caller_sb(u32 id, struct super_block **out)
{
	struct super_block *sb = sb_get(id);

	if (!sb || sb->svc == NO_SVC)
		return -EINVAL;
	if (ring_containment() && ring_current_service() != sb->svc)
		return -EPERM;
	*out = sb;
	return 0;
}

static int find_inode(u32 id, u64 ino, struct inode **out)
{
	struct super_block *sb;
	int rc = caller_sb(id, &sb);
	if (rc)
		return rc;
	*out = inode_find(sb, ino);
	return *out ? 0 : -ESTALE;
}

/* A live directory of the caller's mount. */
static int find_dir(u32 id, u64 ino, struct dentry **out)
{
	struct inode *inode;
	int rc = find_inode(id, ino, &inode);
	if (rc)
		return rc;
	if (!S_ISDIR(inode->mode))
		return -ENOTDIR;
	if (!inode->alias || !inode->alias->linked)
		return -ENOENT;   /* removed while in use */
	*out = inode->alias;
	return 0;
}

static int check_name(const u8 *name, size_t len)
{
	if (len == 0)
		return -ENOENT;
	if (len > NAME_MAX)
		return -ENAMETOOLONG;
	if ((len == 1 && name[0] == '.') || (len == 2 && name[0] == '.' && name[1] == '.'))
		return -EEXIST;
	for (size_t i = 0; i < len; i++)
		if (name[i] == '/' || name[i] == 0)
			return -EINVAL;
	return 0;
}

static bool has_nul(const u8 *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (!s[i])
			return true;
	return false;
}

static void dir_changed(struct dentry *dir)
{
	inode_touch(dir->inode, TOUCH_MTIME | TOUCH_CTIME);
}

long fsstore_root_impl(u32 sb_id)
{
	struct super_block *sb;
	int rc = caller_sb(sb_id, &sb);
	return rc ? rc : (long)sb->root->inode->ino;
}

long fsstore_lookup_impl(u32 sb, u64 dir, const u8 *name, size_t len)
{
	struct dentry *d;
	int rc = find_dir(sb, dir, &d);
	if (rc)
		return rc;
	if (len == 1 && name[0] == '.')
		return (long)d->inode->ino;
	if (len == 2 && name[0] == '.' && name[1] == '.')
		return (long)d->parent->inode->ino;
	struct dentry *child = d_lookup(d, (const char *)name, len);
	return child ? (long)child->inode->ino : -ENOENT;
}

long fsstore_mode_impl(u32 sb, u64 ino)
{
	struct inode *inode;
	int rc = find_inode(sb, ino, &inode);
	return rc ? rc : (long)inode->mode;
}

long fsstore_nlink_impl(u32 sb, u64 ino)
{
	struct inode *inode;
	int rc = find_inode(sb, ino, &inode);
	return rc ? rc : (long)inode->nlink;
}

long fsstore_size_impl(u32 sb, u64 ino)
{
	struct inode *inode;
	int rc = find_inode(sb, ino, &inode);
	return rc ? rc : (long)inode_size(inode);
}

long fsstore_entries_impl(u32 sb, u64 dir)
{
	struct dentry *d;
	int rc = find_dir(sb, dir, &d);
	return rc ? rc : (long)d_count_children(d);
}

long fsstore_pages_impl(u32 sb_id)
{
	struct super_block *sb;
	int rc = caller_sb(sb_id, &sb);
	return rc ? rc : (long)sb->pages;
}

long fsstore_inodes_impl(u32 sb_id)
{
	struct super_block *sb;
	int rc = caller_sb(sb_id, &sb);
	return rc ? rc : (long)sb->inodes;
}

/* Makes inode and dentry together, or neither. */
static long make_node(struct dentry *d, const u8 *name, size_t len, u32 mode, u32 rdev,
		      char *target, size_t tlen)
{
	struct super_block *sb = d->inode->sb;

	if (sb->max_inodes && sb->inodes >= sb->max_inodes) {   /* nr_inodes= */
		kfree(target);
		return -ENOSPC;
	}
	struct inode *inode = inode_alloc(sb, mode, rdev);
	if (!inode) {
		kfree(target);
		return -ENOMEM;
	}
	/* Owned by the creator's filesystem ids (Linux's inode_init_owner;
	 * a set-group-ID directory's group is not inherited). */
	inode->uid = current_task()->cred.fsuid;
	inode->gid = current_task()->cred.fsgid;
	inode->target = target;
	inode->size = tlen;
	struct dentry *child = d_alloc(d, (const char *)name, len, inode);
	if (!child) {
		inode_put(inode_get(inode));   /* frees it, and the target */
		return -ENOMEM;
	}
	dir_changed(d);
	return (long)inode->ino;
}

long fsstore_create_impl(u32 sb, u64 dir, const u8 *name, size_t len, u32 mode, u32 rdev)
{
	struct dentry *d;
	int rc = find_dir(sb, dir, &d);
	if (!rc)
		rc = check_name(name, len);
	if (rc)
		return rc;
	switch (mode & S_IFMT) {
	case S_IFREG: case S_IFDIR: case S_IFIFO: case S_IFCHR: case S_IFBLK: case S_IFSOCK:
		break;
	default:
		return -EINVAL;
	}
	if (d_lookup(d, (const char *)name, len))
		return -EEXIST;
	if (!S_ISCHR(mode) && !S_ISBLK(mode))
		rdev = 0;
	return make_node(d, name, len, mode & (S_IFMT | 07777), rdev, NULL, 0);
}

long fsstore_symlink_impl(u32 sb, u64 dir, const u8 *name, size_t len, const u8 *target,
			  size_t tlen)
{
	struct dentry *d;
	int rc = find_dir(sb, dir, &d);
	if (!rc)
		rc = check_name(name, len);
	if (rc)
		return rc;
	if (tlen == 0)
		return -ENOENT;
	if (tlen >= PATH_MAX || has_nul(target, tlen))
		return tlen >= PATH_MAX ? -ENAMETOOLONG : -EINVAL;
	if (d_lookup(d, (const char *)name, len))
		return -EEXIST;
	char *copy = d_name_copy((const char *)target, tlen);
	if (!copy)
		return -ENOMEM;
	return make_node(d, name, len, S_IFLNK | 0777, 0, copy, tlen);
}

int fsstore_link_impl(u32 sb, u64 ino, u64 dir, const u8 *name, size_t len)
{
	struct inode *inode;
	struct dentry *d;
	int rc = find_inode(sb, ino, &inode);
	if (!rc)
		rc = find_dir(sb, dir, &d);
	if (!rc)
		rc = check_name(name, len);
	if (rc)
		return rc;
	if (S_ISDIR(inode->mode))
		return -EPERM;
	if (inode->nlink == 0)
		return -ENOENT;
	if (d_lookup(d, (const char *)name, len))
		return -EEXIST;
	if (!d_alloc(d, (const char *)name, len, inode))
		return -ENOMEM;
	inode_touch(inode, TOUCH_CTIME);
	dir_changed(d);
	return 0;
}

int fsstore_unlink_impl(u32 sb, u64 dir, const u8 *name, size_t len)
{
	struct dentry *d;
	int rc = find_dir(sb, dir, &d);
	if (!rc)
		rc = check_name(name, len);
	if (rc)
		return rc == -EEXIST ? -EINVAL : rc;
	struct dentry *child = d_lookup(d, (const char *)name, len);
	if (!child)
		return -ENOENT;
	if (child->mounted)
		return -EBUSY;
	if (S_ISDIR(child->inode->mode) && d_count_children(child))
		return -ENOTEMPTY;
	inode_touch(child->inode, TOUCH_CTIME);
	d_unlink(child);
	dir_changed(d);
	return 0;
}

int fsstore_rename_impl(u32 sb, u64 odir, const u8 *oname, size_t olen, u64 ndir,
			const u8 *nname, size_t nlen, u32 flags)
{
	struct dentry *od, *nd;
	int rc;

	if (flags & ~(RENAME_NOREPLACE | RENAME_EXCHANGE))
		return -EINVAL;
	if ((flags & RENAME_NOREPLACE) && (flags & RENAME_EXCHANGE))
		return -EINVAL;
	if ((rc = find_dir(sb, odir, &od)) || (rc = find_dir(sb, ndir, &nd)))
		return rc;
	if ((rc = check_name(oname, olen)) || (rc = check_name(nname, nlen)))
		return rc == -EEXIST ? -EBUSY : rc;
	struct dentry *src = d_lookup(od, (const char *)oname, olen);
	struct dentry *dst = d_lookup(nd, (const char *)nname, nlen);
	if (!src)
		return -ENOENT;
	if (src->mounted || (dst && dst->mounted))
		return -EBUSY;
	if (flags & RENAME_EXCHANGE) {
		if (!dst)
			return -ENOENT;
		if (S_ISDIR(dst->inode->mode) && d_is_ancestor(dst, od))
			return -EINVAL;
	}
	if (dst == src || (dst && dst->inode == src->inode))
		return 0;
	if (dst && (flags & RENAME_NOREPLACE))
		return -EEXIST;
	bool src_dir = S_ISDIR(src->inode->mode);
	if (src_dir && d_is_ancestor(src, nd))
		return -EINVAL;
	if (dst && !(flags & RENAME_EXCHANGE)) {
		bool dst_dir = S_ISDIR(dst->inode->mode);
		if (src_dir && !dst_dir)
			return -ENOTDIR;
		if (!src_dir && dst_dir)
			return -EISDIR;
		if (dst_dir && d_count_children(dst))
			return -ENOTEMPTY;
	}

	char *new_name = d_name_copy((const char *)nname, nlen);
	char *old_name = (flags & RENAME_EXCHANGE) ? d_name_copy((const char *)oname, olen) : NULL;
	if (!new_name || ((flags & RENAME_EXCHANGE) && !old_name)) {
		kfree(new_name);
		kfree(old_name);
		return -ENOMEM;
	}
	/* From here on nothing fails. */
	dget(src);
	if (dst && (flags & RENAME_EXCHANGE)) {
		dget(dst);
		d_move(dst, od, old_name, olen);
		d_move(src, nd, new_name, nlen);
		inode_touch(dst->inode, TOUCH_CTIME);
		dput(dst);
	} else {
		if (dst)
			d_unlink(dst);
		d_move(src, nd, new_name, nlen);
	}
	inode_touch(src->inode, TOUCH_CTIME);
	dput(src);
	dir_changed(od);
	if (nd != od)
		dir_changed(nd);
	return 0;
}

int fsstore_set_size_impl(u32 sb, u64 ino, u64 size)
{
	struct inode *inode;
	int rc = find_inode(sb, ino, &inode);
	if (rc)
		return rc;
	if (S_ISDIR(inode->mode))
		return -EISDIR;
	if (!S_ISREG(inode->mode))
		return -EINVAL;
	if (size > MAX_FILE_SIZE)
		return -EFBIG;
	if (size < inode->size)
		pagecache_truncate(inode, size);
	inode->size = size;
	inode_touch(inode, TOUCH_MTIME | TOUCH_CTIME);
	return 0;
}

int fsstore_set_mode_impl(u32 sb, u64 ino, u32 mode)
{
	struct inode *inode;
	int rc = find_inode(sb, ino, &inode);
	if (rc)
		return rc;
	inode->mode = (inode->mode & S_IFMT) | (mode & 07777);
	inode_touch(inode, TOUCH_CTIME);
	return 0;
}
