/*
 * The rootfs interface: how the initramfs service creates the boot
 * archive's files. Paths are relative to the root of the tree, whatever
 * the calling task's cwd; modes are set exactly as the archive says (no
 * umask), as Linux's initramfs does. The changes go through the root's
 * filesystem like any other. The interface is open only while the boot
 * archive is being unpacked: afterwards every call is -EPERM, so the
 * token that allows it is worth nothing once boot is over.
 */
#include <services.h>
#include <ifc/rootfs.h>
#include <kevlar/errno.h>
#include <kevlar/mm.h>
#include <kevlar/string.h>
#include "vfs_internal.h"

static bool open_for_boot;

void rootfs_allow(bool allow)
{
	open_for_boot = allow;
}

/* A NUL-terminated copy of a counted path, and a walk from the root. */
static int begin(const u8 *path, size_t len, char **out, struct walk_ctx *w)
{
	if (!open_for_boot)
		return -EPERM;
	if (len == 0)
		return -ENOENT;
	if (len >= PATH_MAX)
		return -ENAMETOOLONG;
	for (size_t i = 0; i < len; i++)
		if (!path[i])
			return -EINVAL;
	if (!vfs_root())
		return -ENOENT;
	*out = d_name_copy((const char *)path, len);
	if (!*out)
		return -ENOMEM;
	*w = (struct walk_ctx){ .root = vfs_root(), .start = vfs_root() };
	return 0;
}

static int set_mode(struct walk_ctx *w, const char *path, u32 mode)
{
	struct dentry *d;
	int rc = path_lookup(w, path, 0, &d);
	if (rc)
		return rc;
	if ((d->inode->mode & 07777) != (mode & 07777))
		rc = vfs_chmod_inode(d->inode, mode);
	dput(d);
	return rc;
}

int rootfs_mkdir_impl(const u8 *path, size_t len, u32 mode)
{
	struct walk_ctx w;
	char *p;
	int rc = begin(path, len, &p, &w);
	if (rc)
		return rc;
	rc = vfs_w_mkdir(&w, p, mode);
	if (rc == -EEXIST) {
		struct dentry *d;
		w.links = 0;
		if (!path_lookup(&w, p, LOOKUP_FOLLOW, &d)) {
			if (S_ISDIR(d->inode->mode))
				rc = 0;
			dput(d);
		}
	}
	if (!rc)
		rc = set_mode(&w, p, mode);
	kfree(p);
	return rc;
}

int rootfs_file_impl(const u8 *path, size_t len, u32 mode, const u8 *data, size_t size)
{
	struct walk_ctx w;
	struct file *f;
	char *p;
	int rc = begin(path, len, &p, &w);
	if (rc)
		return rc;
	rc = vfs_w_open(&w, p, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW, mode, &f);
	if (rc)
		goto out;
	size_t done = 0;
	while (done < size) {
		ssize_t n = kernel_write(f, data + done, size - done, done);
		if (n <= 0) {
			rc = n < 0 ? (int)n : -EIO;
			break;
		}
		done += (size_t)n;
	}
	if (!rc && (f->inode->mode & 07777) != (mode & 07777))
		rc = vfs_chmod_inode(f->inode, mode);
	file_put(f);
out:
	kfree(p);
	return rc;
}

int rootfs_symlink_impl(const u8 *path, size_t len, const u8 *target, size_t tlen)
{
	struct walk_ctx w;
	char *p, *t;
	int rc = begin(path, len, &p, &w);
	if (rc)
		return rc;
	if (tlen == 0 || tlen >= PATH_MAX) {
		kfree(p);
		return tlen ? -ENAMETOOLONG : -ENOENT;
	}
	t = d_name_copy((const char *)target, tlen);
	if (!t) {
		kfree(p);
		return -ENOMEM;
	}
	rc = strlen(t) == tlen ? vfs_w_symlink(t, &w, p) : -EINVAL;
	kfree(t);
	kfree(p);
	return rc;
}

int rootfs_link_impl(const u8 *old, size_t olen, const u8 *path, size_t len)
{
	struct walk_ctx wo, wn;
	char *o, *p;
	int rc = begin(old, olen, &o, &wo);
	if (rc)
		return rc;
	rc = begin(path, len, &p, &wn);
	if (!rc) {
		rc = vfs_w_link(&wo, o, &wn, p, 0);
		kfree(p);
	}
	kfree(o);
	return rc;
}

int rootfs_remove_impl(const u8 *path, size_t len)
{
	struct walk_ctx w;
	struct dentry *d;
	char *p;
	int rc = begin(path, len, &p, &w);
	if (rc)
		return rc;
	rc = path_lookup(&w, p, 0, &d);
	if (!rc) {
		bool dir = S_ISDIR(d->inode->mode);
		dput(d);
		w.links = 0;
		rc = dir ? -EISDIR : vfs_w_unlink(&w, p);
	}
	kfree(p);
	return rc;
}
