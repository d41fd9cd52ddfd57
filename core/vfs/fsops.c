/*
 * Core's side of the filesystem interface: every change to a mounted
 * filesystem's tree goes to the service that provides it, through the
 * generated shim (a recovery point in fortress and balanced: a fault
 * there is -EIO here). Callers hold references on the dentries and
 * inodes they pass, so a service cannot free them under the caller.
 */
#include <services.h>
#include <ifc/filesystem.h>
#include <ifc/synthfs.h>
#include <kevlar/errno.h>
#include <kevlar/mm.h>
#include <kevlar/string.h>
#include <kevlar/svc.h>
#include "vfs_internal.h"

static bool provided(const struct super_block *sb, struct filesystem_ref *ref)
{
	if (sb->svc == NO_SVC)
		return false;
	*ref = (struct filesystem_ref){ .svc = sb->svc, .inst = NULL };
	return true;
}

/*
 * The filesystems mount(2) knows are the services the IDL registers by
 * name (`provides filesystem "tmpfs";`): gen/<p>/registry.c's
 * filesystem_by_name. A provider that also provides synthfs makes its
 * tree as it is read; nothing can be created in it, so its root is
 * read-only for everyone.
 */
#define SYNTHETIC_ROOT_MODE 0555

static bool provides_synthfs(u16 svc)
{
	const struct svc_desc *d = &svc_table[svc];

	for (unsigned i = 0; i < d->nprovides; i++)
		if (d->provides[i].ifc == IFC_synthfs)
			return true;
	return false;
}

const char *fs_type_name(unsigned index)
{
	return index < FILESYSTEM_BY_NAME_COUNT ? filesystem_by_name[index].name : NULL;
}

struct super_block *sb_create_type(const char *type, u32 root_mode, int *err)
{
	for (unsigned i = 0; i < FILESYSTEM_BY_NAME_COUNT; i++) {
		const struct svc_by_name *fs = &filesystem_by_name[i];
		if (strcmp(fs->name, type))
			continue;
		bool synthetic = provides_synthfs(fs->svc);
		struct super_block *sb = sb_create(fs->name, fs->svc,
						   synthetic ? SYNTHETIC_ROOT_MODE : root_mode);
		if (!sb) {
			*err = -ENOMEM;
		} else if (synthetic) {
			sb->synthetic = true;
			sb->root->inode->node = 1;
		} else {
			/* Linux's tmpfs defaults: half of RAM, as many inodes
			 * as that is pages. */
			sb->max_pages = sb->max_inodes = frame_total_pages() / 2;
		}
		return sb;
	}
	*err = -ENODEV;
	return NULL;
}

int fs_call_mount(struct super_block *sb)
{
	struct filesystem_ref ref;
	if (!provided(sb, &ref))
		return 0;
	return filesystem_mount(&ref, sb->id);
}

long fs_call_create(struct dentry *dir, const char *name, size_t len, u32 mode, u32 rdev)
{
	struct super_block *sb = dir->inode->sb;
	struct filesystem_ref ref;
	if (!provided(sb, &ref))
		return -EPERM;
	return filesystem_create(&ref, sb->id, dir->inode->ino, (const u8 *)name, len, mode, rdev);
}

long fs_call_mkdir(struct dentry *dir, const char *name, size_t len, u32 mode)
{
	struct super_block *sb = dir->inode->sb;
	struct filesystem_ref ref;
	if (!provided(sb, &ref))
		return -EPERM;
	return filesystem_mkdir(&ref, sb->id, dir->inode->ino, (const u8 *)name, len, mode);
}

long fs_call_symlink(struct dentry *dir, const char *name, size_t len,
		     const char *target, size_t tlen)
{
	struct super_block *sb = dir->inode->sb;
	struct filesystem_ref ref;
	if (!provided(sb, &ref))
		return -EPERM;
	return filesystem_symlink(&ref, sb->id, dir->inode->ino, (const u8 *)name, len,
				  (const u8 *)target, tlen);
}

int fs_call_link(struct inode *inode, struct dentry *dir, const char *name, size_t len)
{
	struct super_block *sb = dir->inode->sb;
	struct filesystem_ref ref;
	if (!provided(sb, &ref))
		return -EPERM;
	return filesystem_link(&ref, sb->id, inode->ino, dir->inode->ino, (const u8 *)name, len);
}

int fs_call_unlink(struct dentry *dir, const char *name, size_t len)
{
	struct super_block *sb = dir->inode->sb;
	struct filesystem_ref ref;
	if (!provided(sb, &ref))
		return -EPERM;
	return filesystem_unlink(&ref, sb->id, dir->inode->ino, (const u8 *)name, len);
}

int fs_call_rmdir(struct dentry *dir, const char *name, size_t len)
{
	struct super_block *sb = dir->inode->sb;
	struct filesystem_ref ref;
	if (!provided(sb, &ref))
		return -EPERM;
	return filesystem_rmdir(&ref, sb->id, dir->inode->ino, (const u8 *)name, len);
}

int fs_call_rename(struct dentry *odir, const char *oname, size_t olen,
		   struct dentry *ndir, const char *nname, size_t nlen, u32 flags)
{
	struct super_block *sb = odir->inode->sb;
	struct filesystem_ref ref;
	if (!provided(sb, &ref))
		return -EPERM;
	return filesystem_rename(&ref, sb->id, odir->inode->ino, (const u8 *)oname, olen,
				 ndir->inode->ino, (const u8 *)nname, nlen, flags);
}

int fs_call_setsize(struct inode *inode, u64 size)
{
	struct filesystem_ref ref;
	if (!provided(inode->sb, &ref))
		return -EPERM;
	return filesystem_setsize(&ref, inode->sb->id, inode->ino, size);
}

int fs_call_setmode(struct inode *inode, u32 mode)
{
	struct filesystem_ref ref;
	if (!provided(inode->sb, &ref))
		return -EPERM;
	return filesystem_setmode(&ref, inode->sb->id, inode->ino, mode);
}
