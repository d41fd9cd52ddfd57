/*
 * Bringing the tree up at boot: the root tmpfs, the boot archive
 * unpacked into it by the initramfs service, devfs on /dev, procfs on
 * /proc.
 */
#include <services.h>
#include <ifc/unpacker.h>
#include <kevlar/boot.h>
#include <kevlar/errno.h>
#include <kevlar/layout.h>
#include <kevlar/printk.h>
#include <kevlar/string.h>
#include "vfs_internal.h"

#define INITRAMFS_NAME "initramfs"

/* Asks the unpacker for one entry after another until the archive ends. */
static void unpack(const struct boot_module *m)
{
	const u8 *archive = phys_to_virt(m->start);
	size_t len = (size_t)(m->end - m->start);
	u64 off = 0;

	printk("initramfs: unpacking module '%s' (%zu bytes)\n", m->name, len);
	for (;;) {
		long next = unpacker_unpack(archive, len, off);
		if (next == 0)
			return;
		if (next == -EIO) {
			printk("initramfs: the unpacker failed at offset %lu; keeping what was unpacked\n",
			       off);
			return;
		}
		if (next < 0)
			return;   /* malformed: the service said where and why */
		if ((u64)next <= off || (u64)next > len) {
			printk("initramfs: the unpacker went from offset %lu to %ld; stopping\n",
			       off, next);
			return;
		}
		off = (u64)next;
	}
}

static void unpack_modules(void)
{
	bool named = false;

	for (u32 i = 0; i < boot_info.nmods; i++)
		named |= !strcmp(boot_info.mods[i].name, INITRAMFS_NAME);
	for (u32 i = 0; i < boot_info.nmods; i++)
		if (!named || !strcmp(boot_info.mods[i].name, INITRAMFS_NAME))
			unpack(&boot_info.mods[i]);
	if (!boot_info.nmods)
		printk("initramfs: no boot module: the root filesystem is empty\n");
}

/* Mounts a filesystem of 'type' on 'path' (made if missing). */
static void mount_boot(const char *path, const char *type, u32 mode)
{
	struct dentry *dir;
	int rc = vfs_mkdirat(AT_FDCWD, path, mode);
	if (rc && rc != -EEXIST)
		goto fail;
	if ((rc = vfs_lookup_at(AT_FDCWD, path, 0, &dir)))
		goto fail;
	struct super_block *sb = sb_create_type(type, mode, &rc);
	if (sb)
		rc = vfs_mount_at(dir, sb);
	dput(dir);
	if (!rc)
		return;
fail:
	printk("vfs: cannot mount %s on %s (error %d)\n", type, path, rc);
}

void vfs_init(void)
{
	int rc;

	pipe_sb = sb_create("pipefs", NO_SVC, 0);
	struct super_block *root = sb_create_type("tmpfs", 0755, &rc);
	if (!pipe_sb || !root) {
		printk("vfs: no memory for the root filesystem\n");
		return;
	}
	rc = fs_call_mount(root);
	if (rc)
		printk("vfs: tmpfs failed to set up the root (error %d)\n", rc);
	vfs_set_root(root->root);
	rootfs_allow(true);
	unpack_modules();
	rootfs_allow(false);
	mount_boot("/dev", "devtmpfs", 0755);
	mount_boot("/proc", "proc", 0555);
	printk("vfs: root tmpfs, devfs on /dev, procfs on /proc\n");
}
