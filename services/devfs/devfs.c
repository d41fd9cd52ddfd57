/*
 * devfs: /dev. At mount it makes the device nodes (in Core's tree, like
 * every filesystem's files) and it is the driver of the memory devices:
 * null, zero, full, random and urandom. The terminals (tty, console) are
 * Core's. Like devtmpfs, it lets root add and remove names; Core's store
 * keeps such changes sound, so the checks here are the ones whose errno
 * Linux documents.
 */
#include <caps.h>
#include <services.h>
#include <ifc/entropy.h>
#include <ifc/chardev.h>
#include <ifc/filesystem.h>
#include <ifc/fsstore.h>
#include <abi/limits.h>
#include <abi/stat.h>
#include <abi/major.h>
#include <kevlar/errno.h>
#include <kevlar/string.h>

#define S_ISDIR(m) (((m) & S_IFMT) == S_IFDIR)
#define S_ISREG(m) (((m) & S_IFMT) == S_IFREG)

static struct devfs_caps caps;

static const struct node {
	const char *name;
	u32 mode;
	u32 major, minor;
} nodes[] = {
	{ "null",    S_IFCHR | 0666, MEM_MAJOR, 3 },
	{ "zero",    S_IFCHR | 0666, MEM_MAJOR, 5 },
	{ "full",    S_IFCHR | 0666, MEM_MAJOR, 7 },
	{ "random",  S_IFCHR | 0666, MEM_MAJOR, 8 },
	{ "urandom", S_IFCHR | 0666, MEM_MAJOR, 9 },
	{ "tty",     S_IFCHR | 0666, TTYAUX_MAJOR, 0 },
	{ "console", S_IFCHR | 0600, TTYAUX_MAJOR, 1 },
};

/* Linux's dev_t encoding. */
static u32 make_dev(u32 major, u32 minor)
{
	return (minor & 0xff) | (major << 8) | ((minor & ~0xffu) << 12);
}

int devfs_init(const struct devfs_caps *c)
{
	caps = *c;
	return 0;
}

/* Makes the device nodes that are missing: after a restart, none are. */
int devfs_filesystem_mount(void *inst, u32 sb)
{
	long root = fsstore_root(caps.FsStore, sb);
	if (root < 0)
		return (int)root;
	for (unsigned i = 0; i < ARRAY_SIZE(nodes); i++) {
		const struct node *n = &nodes[i];
		size_t len = strlen(n->name);
		if (fsstore_lookup(caps.FsStore, sb, (u64)root, (const u8 *)n->name, len) >= 0)
			continue;
		long ino = fsstore_create(caps.FsStore, sb, (u64)root, (const u8 *)n->name, len,
					  n->mode, make_dev(n->major, n->minor));
		if (ino < 0)
			return (int)ino;
	}
	return 0;
}

static int check_name(const u8 *name, size_t len)
{
	if (len == 0)
		return -ENOENT;
	return len > NAME_MAX ? -ENAMETOOLONG : 0;
}

long devfs_filesystem_create(void *inst, u32 sb, u64 dir, const u8 *name, size_t len,
			     u32 mode, u32 rdev)
{
	int rc = check_name(name, len);
	if (rc)
		return rc;
	if (!(mode & S_IFMT))
		mode |= S_IFREG;
	if (S_ISDIR(mode))
		return -EINVAL;
	return fsstore_create(caps.FsStore, sb, dir, name, len, mode, rdev);
}

long devfs_filesystem_mkdir(void *inst, u32 sb, u64 dir, const u8 *name, size_t len, u32 mode)
{
	int rc = check_name(name, len);
	return rc ? rc : fsstore_create(caps.FsStore, sb, dir, name, len, S_IFDIR | (mode & 07777), 0);
}

long devfs_filesystem_symlink(void *inst, u32 sb, u64 dir, const u8 *name, size_t len,
			      const u8 *target, size_t tlen)
{
	int rc = check_name(name, len);
	if (!rc && tlen >= PATH_MAX)
		rc = -ENAMETOOLONG;
	return rc ? rc : fsstore_symlink(caps.FsStore, sb, dir, name, len, target, tlen);
}

int devfs_filesystem_link(void *inst, u32 sb, u64 ino, u64 dir, const u8 *name, size_t len)
{
	int rc = check_name(name, len);
	return rc ? rc : fsstore_link(caps.FsStore, sb, ino, dir, name, len);
}

/* The mode of what 'name' names in 'dir', or a negative errno. */
static long mode_of(u32 sb, u64 dir, const u8 *name, size_t len, long *ino)
{
	*ino = fsstore_lookup(caps.FsStore, sb, dir, name, len);
	return *ino < 0 ? *ino : fsstore_mode(caps.FsStore, sb, (u64)*ino);
}

int devfs_filesystem_unlink(void *inst, u32 sb, u64 dir, const u8 *name, size_t len)
{
	long ino, mode = mode_of(sb, dir, name, len, &ino);
	if (mode < 0)
		return (int)mode;
	if (S_ISDIR(mode))
		return -EISDIR;
	return fsstore_unlink(caps.FsStore, sb, dir, name, len);
}

int devfs_filesystem_rmdir(void *inst, u32 sb, u64 dir, const u8 *name, size_t len)
{
	long ino, mode = mode_of(sb, dir, name, len, &ino);
	if (mode < 0)
		return (int)mode;
	if (!S_ISDIR(mode))
		return -ENOTDIR;
	return fsstore_unlink(caps.FsStore, sb, dir, name, len);
}

int devfs_filesystem_rename(void *inst, u32 sb, u64 odir, const u8 *oname, size_t olen,
			    u64 ndir, const u8 *nname, size_t nlen, u32 flags)
{
	int rc = check_name(nname, nlen);
	return rc ? rc : fsstore_rename(caps.FsStore, sb, odir, oname, olen, ndir, nname, nlen, flags);
}

int devfs_filesystem_setsize(void *inst, u32 sb, u64 ino, u64 size)
{
	return fsstore_set_size(caps.FsStore, sb, ino, size);
}

int devfs_filesystem_setmode(void *inst, u32 sb, u64 ino, u32 mode)
{
	return fsstore_set_mode(caps.FsStore, sb, ino, mode);
}

/* ---- the memory devices ---- */

ssize_t devfs_chardev_write_unread(void *inst, u32 major, u32 minor, size_t len)
{
	if (major != MEM_MAJOR)
		return -ENXIO;
	switch (minor) {
	case 3: case 5:
		return (ssize_t)len;   /* null, zero: swallowed unread */
	case 7:
		return -ENOSPC;        /* full */
	case 8: case 9:
		return -ENOSYS;        /* random: Linux reads what is written */
	default:
		return -ENXIO;
	}
}

ssize_t devfs_chardev_read_zeroes(void *inst, u32 major, u32 minor, size_t len)
{
	if (major != MEM_MAJOR)
		return -ENXIO;
	switch (minor) {
	case 3:
		return 0;              /* null: end of file */
	case 5: case 7:
		return (ssize_t)len;   /* zero, full */
	case 8: case 9:
		return -ENOSYS;        /* random */
	default:
		return -ENXIO;
	}
}

ssize_t devfs_chardev_read(void *inst, u32 major, u32 minor, u8 *buf, size_t len)
{
	if (major != MEM_MAJOR)
		return -ENXIO;
	switch (minor) {
	case 3:         /* null */
		return 0;
	case 5:         /* zero */
	case 7:         /* full */
		memset(buf, 0, len);
		return (ssize_t)len;
	case 8:         /* random */
	case 9: {       /* urandom */
		int rc = entropy_fill(caps.Entropy, buf, len);
		return rc < 0 ? rc : (ssize_t)len;
	}
	default:
		return -ENXIO;
	}
}

ssize_t devfs_chardev_write(void *inst, u32 major, u32 minor, const u8 *buf, size_t len)
{
	if (major != MEM_MAJOR)
		return -ENXIO;
	switch (minor) {
	case 3: case 5: case 8: case 9:
		return (ssize_t)len;   /* swallowed (random: nothing to mix into) */
	case 7:
		return -ENOSPC;
	default:
		return -ENXIO;
	}
}
