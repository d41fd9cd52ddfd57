/*
 * Changing the tree: mkdir, mknod, unlink, rmdir, rename, link, symlink,
 * chmod, truncate. Core resolves the paths and makes the checks every
 * filesystem shares (".", "..", mount points, trailing slashes, the same
 * filesystem for rename and link); the filesystem's service decides the
 * rest and commits. Each takes a walk context (where relative paths
 * start); the *at() wrappers make one from a directory descriptor.
 */
#include <kevlar/errno.h>
#include <kevlar/string.h>
#include "vfs_internal.h"

static int lookup_parent(struct walk_ctx *w, const char *path, struct path_parent *pp)
{
	int rc = path_lookup_parent(w, path, pp);
	if (rc)
		pp->dir = NULL;
	return rc;
}

int vfs_w_mknod(struct walk_ctx *w, const char *path, u32 mode, u32 rdev)
{
	struct path_parent pp;
	int rc = lookup_parent(w, path, &pp);
	if (rc)
		return rc;
	if (pp.type != LAST_NORM || d_lookup(pp.dir, pp.last, pp.len))
		rc = -EEXIST;
	else if (pp.slash)
		rc = -ENOENT;
	else if (!pp.dir->linked)
		rc = -ENOENT;
	else if (S_ISDIR(mode))
		rc = (int)fs_call_mkdir(pp.dir, pp.last, pp.len, mode & 01777 & ~current_fs()->umask);
	else
		rc = (int)fs_call_create(pp.dir, pp.last, pp.len,
					 (mode & S_IFMT) | (mode & 07777 & ~current_fs()->umask), rdev);
	path_parent_release(&pp);
	return rc < 0 ? rc : 0;
}

int vfs_w_mkdir(struct walk_ctx *w, const char *path, u32 mode)
{
	struct path_parent pp;
	int rc = lookup_parent(w, path, &pp);
	if (rc)
		return rc;
	if (pp.type != LAST_NORM || d_lookup(pp.dir, pp.last, pp.len))
		rc = -EEXIST;
	else if (!pp.dir->linked)
		rc = -ENOENT;
	else
		rc = (int)fs_call_mkdir(pp.dir, pp.last, pp.len, mode & 01777 & ~current_fs()->umask);
	path_parent_release(&pp);
	return rc < 0 ? rc : 0;
}

int vfs_w_rmdir(struct walk_ctx *w, const char *path)
{
	struct path_parent pp;
	int rc = lookup_parent(w, path, &pp);
	if (rc)
		return rc;
	struct dentry *child = NULL;
	if (pp.type == LAST_DOT)
		rc = -EINVAL;
	else if (pp.type == LAST_DOTDOT)
		rc = -ENOTEMPTY;
	else if (pp.type == LAST_ROOT)
		rc = -EBUSY;
	else if (!(child = d_lookup(pp.dir, pp.last, pp.len)))
		rc = -ENOENT;
	else if (child->mounted)
		rc = -EBUSY;
	else
		rc = fs_call_rmdir(pp.dir, pp.last, pp.len);
	path_parent_release(&pp);
	return rc;
}

int vfs_w_unlink(struct walk_ctx *w, const char *path)
{
	struct path_parent pp;
	int rc = lookup_parent(w, path, &pp);
	if (rc)
		return rc;
	struct dentry *child = NULL;
	if (pp.type != LAST_NORM)
		rc = -EISDIR;
	else if (!(child = d_lookup(pp.dir, pp.last, pp.len)))
		rc = -ENOENT;
	else if (pp.slash)
		rc = S_ISDIR(child->inode->mode) ? -EISDIR : -ENOTDIR;
	else if (child->mounted)
		rc = -EBUSY;
	else
		rc = fs_call_unlink(pp.dir, pp.last, pp.len);
	path_parent_release(&pp);
	return rc;
}

int vfs_w_rename(struct walk_ctx *wo, const char *old, struct walk_ctx *wn, const char *new,
		 u32 flags)
{
	struct path_parent po, pn = { 0 };
	int rc;

	if (flags & ~(RENAME_NOREPLACE | RENAME_EXCHANGE | RENAME_WHITEOUT))
		return -EINVAL;
	if ((flags & RENAME_EXCHANGE) && (flags & (RENAME_NOREPLACE | RENAME_WHITEOUT)))
		return -EINVAL;
	if ((rc = lookup_parent(wo, old, &po)))
		return rc;
	if ((rc = lookup_parent(wn, new, &pn)))
		goto out;
	if (po.type != LAST_NORM || pn.type != LAST_NORM) {
		rc = -EBUSY;
		goto out;
	}
	if (po.dir->inode->sb != pn.dir->inode->sb) {
		rc = -EXDEV;
		goto out;
	}
	struct dentry *src = d_lookup(po.dir, po.last, po.len);
	if (!src) {
		rc = -ENOENT;
		goto out;
	}
	struct dentry *dst = d_lookup(pn.dir, pn.last, pn.len);
	if (!S_ISDIR(src->inode->mode) &&
	    (po.slash || (pn.slash && !(flags & RENAME_EXCHANGE)))) {
		rc = -ENOTDIR;
		goto out;
	}
	if ((flags & RENAME_EXCHANGE) && dst && pn.slash && !S_ISDIR(dst->inode->mode)) {
		rc = -ENOTDIR;
		goto out;
	}
	if (src->mounted || (dst && dst->mounted)) {
		rc = -EBUSY;
		goto out;
	}
	rc = fs_call_rename(po.dir, po.last, po.len, pn.dir, pn.last, pn.len, flags);
out:
	path_parent_release(&po);
	path_parent_release(&pn);
	return rc;
}

int vfs_w_link(struct walk_ctx *wo, const char *old, struct walk_ctx *wn, const char *new,
	       int flags)
{
	struct dentry *src;
	struct path_parent pn;
	unsigned lf = 0;

	if (flags & ~(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	if (flags & AT_SYMLINK_FOLLOW)
		lf |= LOOKUP_FOLLOW;
	if (flags & AT_EMPTY_PATH)
		lf |= LOOKUP_EMPTY;
	int rc = path_lookup(wo, old, lf, &src);
	if (rc)
		return rc;
	if ((rc = lookup_parent(wn, new, &pn))) {
		dput(src);
		return rc;
	}
	if (pn.type != LAST_NORM || d_lookup(pn.dir, pn.last, pn.len))
		rc = -EEXIST;
	else if (pn.slash)
		rc = -ENOENT;
	else if (S_ISDIR(src->inode->mode))
		rc = -EPERM;
	else if (src->inode->sb != pn.dir->inode->sb)
		rc = -EXDEV;
	else if (!pn.dir->linked)
		rc = -ENOENT;
	else
		rc = fs_call_link(src->inode, pn.dir, pn.last, pn.len);
	path_parent_release(&pn);
	dput(src);
	return rc;
}

int vfs_w_symlink(const char *target, struct walk_ctx *w, const char *path)
{
	struct path_parent pp;

	if (!*target)
		return -ENOENT;
	int rc = lookup_parent(w, path, &pp);
	if (rc)
		return rc;
	if (pp.type != LAST_NORM || d_lookup(pp.dir, pp.last, pp.len))
		rc = -EEXIST;
	else if (pp.slash || !pp.dir->linked)
		rc = -ENOENT;
	else
		rc = (int)fs_call_symlink(pp.dir, pp.last, pp.len, target, strnlen(target, PATH_MAX));
	path_parent_release(&pp);
	return rc < 0 ? rc : 0;
}

int vfs_truncate_inode(struct inode *inode, u64 size)
{
	if (S_ISDIR(inode->mode))
		return -EISDIR;
	if (!S_ISREG(inode->mode))
		return -EINVAL;
	return fs_call_setsize(inode, size);
}

int vfs_chmod_inode(struct inode *inode, u32 mode)
{
	if (inode->sb->svc == NO_SVC) {
		inode->mode = (inode->mode & S_IFMT) | (mode & 07777);   /* a pipe */
		inode_touch(inode, TOUCH_CTIME);
		return 0;
	}
	return fs_call_setmode(inode, mode & 07777);
}

/* ---- the *at() forms ---- */

#define WITH_WALK(dirfd, w, call)                                       \
	({                                                              \
		struct walk_ctx w;                                      \
		struct dentry *_start;                                  \
		int _rc = walk_begin(&w, (dirfd), &_start);             \
		if (!_rc) {                                             \
			_rc = (call);                                   \
			dput(_start);                                   \
		}                                                       \
		_rc;                                                    \
	})

int vfs_mknodat(int dirfd, const char *path, u32 mode, u32 rdev)
{
	return WITH_WALK(dirfd, w, vfs_w_mknod(&w, path, mode, rdev));
}

int vfs_mkdirat(int dirfd, const char *path, u32 mode)
{
	return WITH_WALK(dirfd, w, vfs_w_mkdir(&w, path, mode));
}

int vfs_unlinkat(int dirfd, const char *path, int flags)
{
	if (flags & ~AT_REMOVEDIR)
		return -EINVAL;
	if (flags & AT_REMOVEDIR)
		return WITH_WALK(dirfd, w, vfs_w_rmdir(&w, path));
	return WITH_WALK(dirfd, w, vfs_w_unlink(&w, path));
}

int vfs_renameat2(int odirfd, const char *old, int ndirfd, const char *new, u32 flags)
{
	return WITH_WALK(odirfd, wo, WITH_WALK(ndirfd, wn, vfs_w_rename(&wo, old, &wn, new, flags)));
}

int vfs_linkat(int odirfd, const char *old, int ndirfd, const char *new, int flags)
{
	return WITH_WALK(odirfd, wo, WITH_WALK(ndirfd, wn, vfs_w_link(&wo, old, &wn, new, flags)));
}

int vfs_symlinkat(const char *target, int dirfd, const char *path)
{
	return WITH_WALK(dirfd, w, vfs_w_symlink(target, &w, path));
}

int vfs_lookup_at(int dirfd, const char *path, int flags, struct dentry **out)
{
	unsigned lf = (flags & AT_SYMLINK_NOFOLLOW) ? 0 : LOOKUP_FOLLOW;
	if (flags & AT_EMPTY_PATH)
		lf |= LOOKUP_EMPTY;
	return WITH_WALK(dirfd, w, path_lookup(&w, path, lf, out));
}

ssize_t vfs_readlinkat(int dirfd, const char *path, char *buf, size_t size)
{
	struct dentry *d;
	int rc = vfs_lookup_at(dirfd, path, AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH, &d);
	if (rc)
		return rc;
	ssize_t n = -EINVAL;
	if (S_ISLNK(d->inode->mode)) {
		n = (ssize_t)MIN(size, d->inode->size);
		memcpy(buf, d->inode->target, (size_t)n);
		inode_touch(d->inode, TOUCH_ATIME);
	}
	dput(d);
	return n;
}

int vfs_chmodat(int dirfd, const char *path, u32 mode, int flags)
{
	struct dentry *d;
	int rc = vfs_lookup_at(dirfd, path, flags, &d);
	if (rc)
		return rc;
	rc = S_ISLNK(d->inode->mode) ? -EOPNOTSUPP : vfs_chmod_inode(d->inode, mode);
	dput(d);
	return rc;
}

int vfs_chdir(const char *path)
{
	struct dentry *d;
	int rc = vfs_lookup_at(AT_FDCWD, path, 0, &d);
	if (rc)
		return rc;
	if (!S_ISDIR(d->inode->mode)) {
		dput(d);
		return -ENOTDIR;
	}
	struct fs_context *fs = current_fs();
	struct dentry *old = fs->cwd;
	fs->cwd = d;
	dput(old);
	return 0;
}
