/*
 * Path resolution, as Linux does it: absolute and relative paths, "." and
 * ".." (never above the root, across mount points), symbolic links (at
 * most SYMLOOP_MAX per lookup, then -ELOOP), repeated and trailing
 * slashes (a trailing slash asks for a directory), and the errors
 * -ENOENT, -ENOTDIR, -ENAMETOOLONG.
 *
 * A walk neither sleeps nor calls a service, so the tree cannot change
 * under it and it takes no references until it hands back its result.
 * The one exception is a synthetic filesystem's directory (/proc), whose
 * provider is asked about each name; it cannot change the tree itself,
 * and Core then changes only that directory's entry for that name.
 */
#include <kevlar/errno.h>
#include <kevlar/string.h>
#include "vfs_internal.h"

static bool is_dir(const struct dentry *d)
{
	return S_ISDIR(d->inode->mode);
}

static int last_type(const char *name, size_t len)
{
	if (len == 1 && name[0] == '.')
		return LAST_DOT;
	if (len == 2 && name[0] == '.' && name[1] == '.')
		return LAST_DOTDOT;
	return LAST_NORM;
}

/*
 * Walks 'path' from 'start'. Without 'pp' it resolves every component and
 * puts the result in *out; with 'pp' it stops before the last component
 * and describes it there instead. No references are taken.
 */
static int walk(struct walk_ctx *w, struct dentry *start, const char *path,
		unsigned flags, struct dentry **out, struct path_parent *pp)
{
	struct dentry *cur = start;

	if (*path == '/') {
		cur = d_follow_mounts(w->root);
		while (*path == '/')
			path++;
	}
	if (!*path) {
		/* "/" (or a symlink's "/" target): the root itself. */
		if (pp) {
			*pp = (struct path_parent){ .dir = cur, .last = path, .len = 0,
						    .type = LAST_ROOT, .slash = true };
			return 0;
		}
		*out = cur;
		return 0;
	}
	for (;;) {
		const char *name = path;
		size_t len = 0;
		while (name[len] && name[len] != '/')
			len++;
		if (len > NAME_MAX)
			return -ENAMETOOLONG;
		path = name + len;
		bool slash = *path == '/';
		while (*path == '/')
			path++;
		bool last = !*path;

		if (!is_dir(cur))
			return -ENOTDIR;
		int type = last_type(name, len);
		if (last && pp) {
			*pp = (struct path_parent){ .dir = cur, .last = name, .len = len,
						    .type = type, .slash = slash };
			return 0;
		}
		struct dentry *next;
		if (type == LAST_DOT) {
			next = cur;
		} else if (type == LAST_DOTDOT) {
			next = d_follow_mounts(d_dotdot(cur, w->root));
		} else {
			if (cur->inode->sb->synthetic) {
				int rc = d_lookup_synthetic(cur, name, len, &next);
				if (rc)
					return rc;
			} else if (!(next = d_lookup(cur, name, len))) {
				return -ENOENT;
			}
			next = d_follow_mounts(next);
			if (S_ISLNK(next->inode->mode) &&
			    (!last || slash || (flags & LOOKUP_FOLLOW))) {
				if (++w->links > SYMLOOP_MAX)
					return -ELOOP;
				int rc = walk(w, cur, next->inode->target, LOOKUP_FOLLOW, &next, NULL);
				if (rc)
					return rc;
			}
		}
		cur = next;
		if (last) {
			if ((slash || (flags & LOOKUP_DIRECTORY)) && !is_dir(cur))
				return -ENOTDIR;
			*out = cur;
			return 0;
		}
	}
}

int path_lookup(struct walk_ctx *w, const char *path, unsigned flags, struct dentry **out)
{
	struct dentry *d;

	if (!*path) {
		if (!(flags & LOOKUP_EMPTY))
			return -ENOENT;
		d = w->start;
		if ((flags & LOOKUP_DIRECTORY) && !is_dir(d))
			return -ENOTDIR;
	} else {
		if (strnlen(path, PATH_MAX) >= PATH_MAX)
			return -ENAMETOOLONG;
		int rc = walk(w, w->start, path, flags, &d, NULL);
		if (rc)
			return rc;
	}
	*out = dget(d);
	return 0;
}

int path_lookup_parent(struct walk_ctx *w, const char *path, struct path_parent *pp)
{
	if (!*path)
		return -ENOENT;
	if (strnlen(path, PATH_MAX) >= PATH_MAX)
		return -ENAMETOOLONG;
	int rc = walk(w, w->start, path, 0, NULL, pp);
	if (rc)
		return rc;
	dget(pp->dir);
	return 0;
}

void path_parent_release(struct path_parent *pp)
{
	if (pp->dir)
		dput(pp->dir);
	pp->dir = NULL;
}

int path_follow_link(struct walk_ctx *w, struct dentry *dir, struct dentry *link,
		     unsigned flags, struct dentry **out)
{
	struct dentry *d;

	if (++w->links > SYMLOOP_MAX)
		return -ELOOP;
	int rc = walk(w, dir, link->inode->target, flags, &d, NULL);
	if (rc)
		return rc;
	*out = dget(d);
	return 0;
}
