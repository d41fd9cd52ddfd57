/*
 * mount(2), for the filesystems that need no device: tmpfs (and devtmpfs,
 * another devfs). Bind mounts, remounts, moves and propagation are not
 * there: -EINVAL, as for an option the filesystem does not know.
 */
#include <syscalls.h>
#include <abi/mount.h>
#include <kevlar/errno.h>
#include <kevlar/mm.h>
#include <kevlar/string.h>
#include <kevlar/uaccess.h>
#include "vfs_internal.h"

/* Flags that only ask for behaviour Kevlar has anyway, or ignores. */
#define MS_ACCEPTED (MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_SYNCHRONOUS | MS_NOATIME | \
		     MS_NODIRATIME | MS_SILENT | MS_RELATIME | MS_STRICTATIME | MS_LAZYTIME)

/* tmpfs options: 'mode' is used, the others are accepted and ignored. */
static int parse_options(char *opts, u32 *mode)
{
	static const char *const known[] = {
		"size", "nr_blocks", "nr_inodes", "uid", "gid", "huge", "mpol",
		"inode32", "inode64", "noswap", "quota", "usrquota", "grpquota",
	};
	char *p = opts;

	while (p && *p) {
		char *end = strchr(p, ',');
		if (end)
			*end = 0;
		char *val = strchr(p, '=');
		if (val)
			*val++ = 0;
		if (!strcmp(p, "mode")) {
			u32 m = 0;
			if (!val || !*val)
				return -EINVAL;
			for (char *c = val; *c; c++) {
				if (*c < '0' || *c > '7')
					return -EINVAL;
				m = m * 8 + (u32)(*c - '0');
			}
			*mode = m & 07777;
		} else if (*p) {
			bool ok = false;
			for (unsigned i = 0; i < ARRAY_SIZE(known); i++)
				ok |= !strcmp(p, known[i]);
			if (!ok)
				return -EINVAL;
		}
		p = end ? end + 1 : NULL;
	}
	return 0;
}

/* A copy of mount(2)'s source, for /proc/mounts; NULL if it cannot be
 * read (it is only a name: the filesystems here need no device). */
static char *mount_source(uptr_t usource)
{
	char buf[64];
	long n = strncpy_from_user(buf, usource, sizeof(buf));
	return n > 0 ? d_name_copy(buf, (size_t)n) : NULL;
}

int sys_mount(uptr_t source, uptr_t target, uptr_t fstype, u64 flags, uptr_t data)
{
	char type[32], *opts = NULL, *path = NULL;
	u32 mode = 01777;
	int rc;

	if ((flags & MS_MGC_MSK) == MS_MGC_VAL)
		flags &= ~(u64)MS_MGC_MSK;
	if (flags & ~(u64)MS_ACCEPTED)
		return -EINVAL;
	if (!fstype)
		return -EINVAL;
	long n = strncpy_from_user(type, fstype, sizeof(type));
	if (n < 0)
		return n == -ENAMETOOLONG ? -ENODEV : (int)n;
	if (data) {
		opts = kmalloc(PAGE_SIZE);
		if (!opts)
			return -ENOMEM;
		n = strncpy_from_user(opts, data, PAGE_SIZE);
		if (n < 0) {
			rc = n == -ENAMETOOLONG ? -EINVAL : (int)n;
			goto out;
		}
		if ((rc = parse_options(opts, &mode)))
			goto out;
	}
	if (!(path = getname(target, &rc)))
		goto out;
	struct dentry *dir;
	if ((rc = vfs_lookup_at(AT_FDCWD, path, 0, &dir)))
		goto out;
	if (!S_ISDIR(dir->inode->mode)) {
		rc = -ENOTDIR;
	} else {
		struct super_block *sb = sb_create_type(type, mode, &rc);
		if (sb && source)
			sb->source = mount_source(source);
		if (sb)
			rc = vfs_mount_at(dir, sb);
	}
	dput(dir);
out:
	if (path)
		putname(path);
	kfree(opts);
	return rc;
}
