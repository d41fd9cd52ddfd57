/*
 * tmpfs: the RAM filesystem, root of the tree and whatever `mount -t
 * tmpfs` makes. Its files, directories and data live in Core (the
 * fsstore interface: inodes, dentries, page cache); tmpfs holds nothing
 * of its own between calls. It is the policy: which names are valid,
 * which changes are allowed and what each refusal is called, the limits
 * of a mount. Every check is done here, in Linux's order, before the
 * one store call that commits the change; Core checks again what would
 * break its tree. A fault here costs the operation in progress (-EIO),
 * never a file: the restarted tmpfs finds everything where it was.
 */
#include <caps.h>
#include <services.h>
#include <ifc/filesystem.h>
#include <ifc/fsstore.h>
#include <abi/fcntl.h>
#include <abi/limits.h>
#include <abi/stat.h>
#include <ifc/ktest_svc.h>
#include <kevlar/errno.h>
#include <kevlar/string.h>

#define S_ISDIR(m) (((m) & S_IFMT) == S_IFDIR)
#define S_ISREG(m) (((m) & S_IFMT) == S_IFREG)

#define TMPFS_LINK_MAX      65000          /* links to one inode */
#define MAX_INODES    (1L << 20)     /* per mount */
#define MAX_FILE_SIZE (1ULL << 40)

static struct tmpfs_caps caps;

int tmpfs_init(const struct tmpfs_caps *c)
{
	caps = *c;
	return 0;
}

/* Linux's rules for a new name in a directory. */
static int check_name(const u8 *name, size_t len)
{
	if (len == 0)
		return -ENOENT;
	if (len > NAME_MAX)
		return -ENAMETOOLONG;
	for (size_t i = 0; i < len; i++)
		if (name[i] == '/' || name[i] == 0)
			return -EINVAL;
	if ((len == 1 && name[0] == '.') || (len == 2 && name[0] == '.' && name[1] == '.'))
		return -EEXIST;
	return 0;
}

/* The directory to change: it must be one. */
static int check_dir(u32 sb, u64 dir)
{
	long mode = fsstore_mode(caps.FsStore, sb, dir);
	if (mode < 0)
		return (int)mode;
	return S_ISDIR(mode) ? 0 : -ENOTDIR;
}

/* A name to add to 'dir': valid, free, room for one more inode. */
static int check_new(u32 sb, u64 dir, const u8 *name, size_t len)
{
	int rc = check_name(name, len);
	if (!rc)
		rc = check_dir(sb, dir);
	if (rc)
		return rc;
	long found = fsstore_lookup(caps.FsStore, sb, dir, name, len);
	if (found >= 0)
		return -EEXIST;
	if (found != -ENOENT)
		return (int)found;
	if (fsstore_inodes(caps.FsStore, sb) >= MAX_INODES)
		return -ENOSPC;
	return 0;
}

int tmpfs_filesystem_mount(void *inst, u32 sb)
{
	long root = fsstore_root(caps.FsStore, sb);
	return root < 0 ? (int)root : 0;
}

long tmpfs_filesystem_create(void *inst, u32 sb, u64 dir, const u8 *name, size_t len,
			     u32 mode, u32 rdev)
{
	int rc = check_new(sb, dir, name, len);
	if (rc)
		return rc;
	switch (mode & S_IFMT) {
	case S_IFREG: case S_IFIFO: case S_IFCHR: case S_IFBLK: case S_IFSOCK:
		break;
	case 0:
		mode |= S_IFREG;   /* mknod(2) with no type: a regular file */
		break;
	default:
		return -EINVAL;
	}
	ktest_svc_fault_if_asked(name, len);
	return fsstore_create(caps.FsStore, sb, dir, name, len, mode, rdev);
}

long tmpfs_filesystem_mkdir(void *inst, u32 sb, u64 dir, const u8 *name, size_t len, u32 mode)
{
	int rc = check_new(sb, dir, name, len);
	if (rc)
		return rc;
	if (fsstore_nlink(caps.FsStore, sb, dir) >= TMPFS_LINK_MAX)
		return -EMLINK;
	ktest_svc_fault_if_asked(name, len);
	return fsstore_create(caps.FsStore, sb, dir, name, len, S_IFDIR | (mode & 07777), 0);
}

long tmpfs_filesystem_symlink(void *inst, u32 sb, u64 dir, const u8 *name, size_t len,
			      const u8 *target, size_t tlen)
{
	if (tlen == 0)
		return -ENOENT;
	if (tlen >= PATH_MAX)
		return -ENAMETOOLONG;
	int rc = check_new(sb, dir, name, len);
	if (rc)
		return rc;
	ktest_svc_fault_if_asked(name, len);
	return fsstore_symlink(caps.FsStore, sb, dir, name, len, target, tlen);
}

int tmpfs_filesystem_link(void *inst, u32 sb, u64 ino, u64 dir, const u8 *name, size_t len)
{
	long mode = fsstore_mode(caps.FsStore, sb, ino);
	if (mode < 0)
		return (int)mode;
	if (S_ISDIR(mode))
		return -EPERM;
	int rc = check_name(name, len);
	if (!rc)
		rc = check_dir(sb, dir);
	if (rc)
		return rc;
	if (fsstore_lookup(caps.FsStore, sb, dir, name, len) >= 0)
		return -EEXIST;
	long nlink = fsstore_nlink(caps.FsStore, sb, ino);
	if (nlink == 0)
		return -ENOENT;
	if (nlink >= TMPFS_LINK_MAX)
		return -EMLINK;
	ktest_svc_fault_if_asked(name, len);
	return fsstore_link(caps.FsStore, sb, ino, dir, name, len);
}

/* The inode 'name' names in 'dir', and its mode. */
static long find(u32 sb, u64 dir, const u8 *name, size_t len, long *mode)
{
	*mode = 0;
	int rc = check_dir(sb, dir);
	if (rc)
		return rc;
	long ino = fsstore_lookup(caps.FsStore, sb, dir, name, len);
	if (ino < 0)
		return ino;
	*mode = fsstore_mode(caps.FsStore, sb, (u64)ino);
	return *mode < 0 ? *mode : ino;
}

int tmpfs_filesystem_unlink(void *inst, u32 sb, u64 dir, const u8 *name, size_t len)
{
	long mode;
	long ino = find(sb, dir, name, len, &mode);
	if (ino < 0)
		return (int)ino;
	if (S_ISDIR(mode))
		return -EISDIR;
	ktest_svc_fault_if_asked(name, len);
	return fsstore_unlink(caps.FsStore, sb, dir, name, len);
}

int tmpfs_filesystem_rmdir(void *inst, u32 sb, u64 dir, const u8 *name, size_t len)
{
	long mode;
	long ino = find(sb, dir, name, len, &mode);
	if (ino < 0)
		return (int)ino;
	if (!S_ISDIR(mode))
		return -ENOTDIR;
	if (fsstore_entries(caps.FsStore, sb, (u64)ino) != 0)
		return -ENOTEMPTY;
	ktest_svc_fault_if_asked(name, len);
	return fsstore_unlink(caps.FsStore, sb, dir, name, len);
}

/* Is directory 'a' the same as 'dir' or above it? (rename into itself) */
static bool is_ancestor(u32 sb, u64 a, u64 dir)
{
	u64 root = (u64)fsstore_root(caps.FsStore, sb);
	for (unsigned depth = 0; depth < 4096; depth++) {
		if (dir == a)
			return true;
		if (dir == root)
			return false;
		long up = fsstore_lookup(caps.FsStore, sb, dir, (const u8 *)"..", 2);
		if (up < 0)
			return false;
		dir = (u64)up;
	}
	return true;   /* deeper than any path: refuse */
}

int tmpfs_filesystem_rename(void *inst, u32 sb, u64 odir, const u8 *oname, size_t olen,
			    u64 ndir, const u8 *nname, size_t nlen, u32 flags)
{
	long smode, dmode = 0;

	if (flags & ~(RENAME_NOREPLACE | RENAME_EXCHANGE | RENAME_WHITEOUT))
		return -EINVAL;
	if ((flags & RENAME_EXCHANGE) && (flags & (RENAME_NOREPLACE | RENAME_WHITEOUT)))
		return -EINVAL;
	if (flags & RENAME_WHITEOUT)
		return -EINVAL;   /* no overlay filesystem to need them */
	long src = find(sb, odir, oname, olen, &smode);
	if (src < 0)
		return (int)src;
	int rc = check_name(nname, nlen);
	if (!rc)
		rc = check_dir(sb, ndir);
	if (rc)
		return rc == -EEXIST ? -EBUSY : rc;
	long dst = fsstore_lookup(caps.FsStore, sb, ndir, nname, nlen);
	if (dst >= 0) {
		dmode = fsstore_mode(caps.FsStore, sb, (u64)dst);
		if (dmode < 0)
			return (int)dmode;
	} else if (dst != -ENOENT) {
		return (int)dst;
	}
	if (dst == src)
		return 0;   /* two names of one file: nothing to do */
	if (flags & RENAME_EXCHANGE) {
		if (dst < 0)
			return -ENOENT;
		if (S_ISDIR(dmode) && is_ancestor(sb, (u64)dst, odir))
			return -EINVAL;
	} else if (dst >= 0) {
		if (flags & RENAME_NOREPLACE)
			return -EEXIST;
		if (S_ISDIR(smode) && !S_ISDIR(dmode))
			return -ENOTDIR;
		if (!S_ISDIR(smode) && S_ISDIR(dmode))
			return -EISDIR;
		if (S_ISDIR(dmode) && fsstore_entries(caps.FsStore, sb, (u64)dst) != 0)
			return -ENOTEMPTY;
	}
	if (S_ISDIR(smode) && is_ancestor(sb, (u64)src, ndir))
		return -EINVAL;
	if (S_ISDIR(smode) && ndir != odir && dst < 0 &&
	    fsstore_nlink(caps.FsStore, sb, ndir) >= TMPFS_LINK_MAX)
		return -EMLINK;
	ktest_svc_fault_if_asked(nname, nlen);
	return fsstore_rename(caps.FsStore, sb, odir, oname, olen, ndir, nname, nlen, flags);
}

int tmpfs_filesystem_setsize(void *inst, u32 sb, u64 ino, u64 size)
{
	long mode = fsstore_mode(caps.FsStore, sb, ino);
	if (mode < 0)
		return (int)mode;
	if (S_ISDIR(mode))
		return -EISDIR;
	if (!S_ISREG(mode))
		return -EINVAL;
	if (size > MAX_FILE_SIZE)
		return -EFBIG;
	return fsstore_set_size(caps.FsStore, sb, ino, size);
}

int tmpfs_filesystem_setmode(void *inst, u32 sb, u64 ino, u32 mode)
{
	return fsstore_set_mode(caps.FsStore, sb, ino, mode & 07777);
}
