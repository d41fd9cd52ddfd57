/*
 * mount(2), for the filesystems that need no device: tmpfs (and devtmpfs,
 * another devfs), and remounts of them with new size limits. Bind
 * mounts, moves and propagation are not there: -EINVAL, as for an option
 * the filesystem does not know.
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

/* What tmpfs's options ask for; a limit of 0 is none. */
struct tmpfs_options {
	u32 mode;
	u64 max_pages, max_inodes;
	bool pages_given, inodes_given;
};

/* Linux's memparse: a number (decimal, 0x hex, 0 octal) and a suffix
 * k, m, g, t, p or e (either case) multiplying it by 2^10 each step.
 * *rest is left at what follows. -EINVAL if there is no number. */
static int parse_size(const char *s, u64 *out, const char **rest)
{
	static const char suffixes[] = "kmgtpe";
	unsigned base = 10;
	u64 v = 0;
	const char *p = s;

	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X') && p[2]) {
		base = 16;
		p += 2;
	} else if (p[0] == '0') {
		base = 8;
	}
	for (const char *start = p;; p++) {
		unsigned d;
		if (*p >= '0' && *p <= '9')
			d = (unsigned)(*p - '0');
		else if (base == 16 && *p >= 'a' && *p <= 'f')
			d = (unsigned)(*p - 'a' + 10);
		else if (base == 16 && *p >= 'A' && *p <= 'F')
			d = (unsigned)(*p - 'A' + 10);
		else if (p == start)
			return -EINVAL;
		else
			break;
		if (d >= base || v > (~0ULL - d) / base)
			return -EINVAL;
		v = v * base + d;
	}
	for (unsigned i = 0; i < sizeof(suffixes) - 1; i++) {
		if (*p == suffixes[i] || *p == suffixes[i] - 'a' + 'A') {
			unsigned shift = 10 * (i + 1);
			if (v > (~0ULL >> shift))
				return -EINVAL;
			v <<= shift;
			p++;
			break;
		}
	}
	*out = v;
	*rest = p;
	return 0;
}

/* size=: bytes (rounded up to pages) or a percentage of RAM. */
static int parse_size_option(const char *val, u64 *pages)
{
	const char *rest;
	u64 v;

	if (parse_size(val, &v, &rest))
		return -EINVAL;
	if (*rest == '%') {
		if (v > 100000)
			return -EINVAL;
		*pages = (v * frame_total_pages() + 99) / 100;
		rest++;
	} else {
		*pages = v / PAGE_SIZE + (v % PAGE_SIZE != 0);
	}
	return *rest ? -EINVAL : 0;
}

/* A plain count with memparse's suffixes (nr_blocks=, nr_inodes=). */
static int parse_count_option(const char *val, u64 *count)
{
	const char *rest;

	if (parse_size(val, count, &rest) || *rest)
		return -EINVAL;
	return 0;
}

/* tmpfs's options: mode, size, nr_blocks and nr_inodes are used, the
 * others are accepted and ignored. */
static int parse_options(char *opts, struct tmpfs_options *o)
{
	static const char *const known[] = {
		"uid", "gid", "huge", "mpol",
		"inode32", "inode64", "noswap", "quota", "usrquota", "grpquota",
	};
	char *p = opts;
	int rc = 0;

	while (p && *p && !rc) {
		char *end = strchr(p, ',');
		if (end)
			*end = 0;
		char *val = strchr(p, '=');
		if (val)
			*val++ = 0;
		bool sized = !strcmp(p, "size") || !strcmp(p, "nr_blocks");
		if ((!strcmp(p, "mode") || sized || !strcmp(p, "nr_inodes")) && (!val || !*val))
			return -EINVAL;
		if (!strcmp(p, "mode")) {
			u32 m = 0;
			for (char *c = val; *c; c++) {
				if (*c < '0' || *c > '7')
					return -EINVAL;
				m = m * 8 + (u32)(*c - '0');
			}
			o->mode = m & 07777;
		} else if (!strcmp(p, "size")) {
			rc = parse_size_option(val, &o->max_pages);
			o->pages_given = true;
		} else if (!strcmp(p, "nr_blocks")) {
			rc = parse_count_option(val, &o->max_pages);
			o->pages_given = true;
		} else if (!strcmp(p, "nr_inodes")) {
			rc = parse_count_option(val, &o->max_inodes);
			o->inodes_given = true;
		} else if (*p) {
			bool ok = false;
			for (unsigned i = 0; i < ARRAY_SIZE(known); i++)
				ok |= !strcmp(p, known[i]);
			if (!ok)
				return -EINVAL;
		}
		p = end ? end + 1 : NULL;
	}
	return rc;
}

/*
 * New limits for a mounted tmpfs, as Linux's shmem_reconfigure: a limit
 * cannot be put on a mount that had none, nor below what is in use.
 */
static int apply_limits(struct super_block *sb, const struct tmpfs_options *o)
{
	if (o->pages_given && o->max_pages && (!sb->max_pages || o->max_pages < sb->pages))
		return -EINVAL;
	if (o->inodes_given && o->max_inodes &&
	    (!sb->max_inodes || o->max_inodes < sb->inodes))
		return -EINVAL;
	if (o->pages_given)
		sb->max_pages = o->max_pages;
	if (o->inodes_given)
		sb->max_inodes = o->max_inodes;
	return 0;
}

/* MS_REMOUNT: new options for the filesystem mounted at 'target' (its
 * root); the root's mode stays, as in Linux. */
static int remount(uptr_t target, char *opts)
{
	struct tmpfs_options o = { 0 };
	struct dentry *d;
	char *path;
	int rc;

	if (opts && (rc = parse_options(opts, &o)))
		return rc;
	if (!(path = getname(target, &rc)))
		return rc;
	rc = vfs_lookup_at(AT_FDCWD, path, 0, &d);
	putname(path);
	if (rc)
		return rc;
	if (d != d->inode->sb->root)
		rc = -EINVAL;
	else if (d->inode->sb->synthetic)
		rc = o.pages_given || o.inodes_given ? -EINVAL : 0;
	else
		rc = apply_limits(d->inode->sb, &o);
	dput(d);
	return rc;
}

/* A copy of mount(2)'s source, for /proc/mounts; NULL if it cannot be
 * read (it is only a name: the filesystems here need no device). */
static char *mount_source(uptr_t usource)
{
	char buf[64];
	long n = strncpy_from_user(buf, usource, sizeof(buf));
	return n > 0 ? d_name_copy(buf, (size_t)n) : NULL;
}

/* mount(2)'s data: the options string, in a page; NULL with *rc 0 if
 * there is none. */
static char *copy_options(uptr_t data, int *rc)
{
	char *opts;
	long n;

	*rc = 0;
	if (!data)
		return NULL;
	if (!(opts = kmalloc(PAGE_SIZE))) {
		*rc = -ENOMEM;
		return NULL;
	}
	n = strncpy_from_user(opts, data, PAGE_SIZE);
	if (n < 0) {
		*rc = n == -ENAMETOOLONG ? -EINVAL : (int)n;
		kfree(opts);
		return NULL;
	}
	return opts;
}

int sys_mount(uptr_t source, uptr_t target, uptr_t fstype, u64 flags, uptr_t data)
{
	char type[32], *opts = NULL, *path = NULL;
	struct tmpfs_options o = { .mode = 01777 };
	int rc;

	if ((flags & MS_MGC_MSK) == MS_MGC_VAL)
		flags &= ~(u64)MS_MGC_MSK;
	if (flags & MS_REMOUNT) {
		if (flags & ~(u64)(MS_ACCEPTED | MS_REMOUNT))
			return -EINVAL;
		opts = copy_options(data, &rc);
		if (!rc)
			rc = remount(target, opts);
		kfree(opts);
		return rc;
	}
	if (flags & ~(u64)MS_ACCEPTED)
		return -EINVAL;
	if (!fstype)
		return -EINVAL;
	long n = strncpy_from_user(type, fstype, sizeof(type));
	if (n < 0)
		return n == -ENAMETOOLONG ? -ENODEV : (int)n;
	opts = copy_options(data, &rc);
	if (rc || (opts && (rc = parse_options(opts, &o))))
		goto out;
	if (!(path = getname(target, &rc)))
		goto out;
	struct dentry *dir;
	if ((rc = vfs_lookup_at(AT_FDCWD, path, 0, &dir)))
		goto out;
	if (!S_ISDIR(dir->inode->mode)) {
		rc = -ENOTDIR;
	} else {
		struct super_block *sb = sb_create_type(type, o.mode, &rc);
		if (sb && source)
			sb->source = mount_source(source);
		if (sb && !sb->synthetic) {
			if (o.pages_given)
				sb->max_pages = o.max_pages;
			if (o.inodes_given)
				sb->max_inodes = o.max_inodes;
		}
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
