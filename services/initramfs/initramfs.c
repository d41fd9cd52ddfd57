/*
 * initramfs: unpacks the boot archive (cpio "newc") into the root
 * filesystem, one entry per call (the unpacker interface), through
 * Core's rootfs interface. Directories, regular files (hard links too),
 * and symlinks are made; device nodes, fifos and sockets are counted and
 * skipped (devfs has the devices). An entry whose name is absolute or
 * climbs out with ".." is refused; a malformed archive stops the unpack
 * where it goes wrong, with a message that says where and why, and what
 * came before it stays.
 *
 * Between calls it remembers only what one unpack needs: the counts for
 * its summary and the first name of each hard-linked file.
 */
#include <caps.h>
#include <services.h>
#include <ifc/rootfs.h>
#include <ifc/svcmem.h>
#include <ifc/unpacker.h>
#include <abi/limits.h>
#include <abi/stat.h>
#include <kevlar/errno.h>
#include <kevlar/printk.h>
#include <kevlar/string.h>
#include "cpio.h"

static struct initramfs_caps caps;

static struct {
	u32 entries, dirs, files, symlinks, links, skipped, refused, failed;
	u64 bytes;
} stats;

/* The first name of a file with several (nlink > 1), by inode. */
struct link {
	struct link *next;
	u32 ino, devmajor, devminor;
	size_t len;
	char path[];
};
static struct link *links;

int initramfs_init(const struct initramfs_caps *c)
{
	caps = *c;
	return 0;
}

static void forget_links(void)
{
	while (links) {
		struct link *next = links->next;
		svcmem_free(caps.Heap, links);
		links = next;
	}
}

static void refuse(const struct cpio_entry *e, const char *why)
{
	printk("initramfs: entry '%.*s' at offset %zu: %s; skipped\n",
	       (int)MIN(e->namelen, 200), e->name, e->offset, why);
	stats.refused++;
}

static struct link *find_link(const struct cpio_entry *e)
{
	for (struct link *l = links; l; l = l->next)
		if (l->ino == e->ino && l->devmajor == e->devmajor && l->devminor == e->devminor)
			return l;
	return NULL;
}

static void remember_link(const struct cpio_entry *e, const char *path, size_t len)
{
	struct link *l = svcmem_alloc(caps.Heap, sizeof(*l) + len);
	if (!l)
		return;   /* later names become copies instead of links */
	l->ino = e->ino;
	l->devmajor = e->devmajor;
	l->devminor = e->devminor;
	l->len = len;
	memcpy(l->path, path, len);
	l->next = links;
	links = l;
}

static int extract_file(const struct cpio_entry *e, const char *path, size_t len, u32 perm)
{
	int rc;

	if (e->nlink >= 2) {
		struct link *l = find_link(e);
		if (l) {
			rootfs_remove(caps.RootPopulate, (const u8 *)path, len);
			rc = rootfs_link(caps.RootPopulate, (const u8 *)l->path, l->len,
					 (const u8 *)path, len);
			if (!rc && e->size)
				rc = rootfs_file(caps.RootPopulate, (const u8 *)path, len, perm,
						 e->data, e->size);
			if (!rc) {
				stats.links++;
				stats.bytes += e->size;
			}
			return rc;
		}
		remember_link(e, path, len);
	}
	rc = rootfs_remove(caps.RootPopulate, (const u8 *)path, len);
	if (rc && rc != -ENOENT)
		return rc;
	rc = rootfs_file(caps.RootPopulate, (const u8 *)path, len, perm, e->data, e->size);
	if (!rc) {
		stats.files++;
		stats.bytes += e->size;
	}
	return rc;
}

static void extract(const struct cpio_entry *e)
{
	const char *path;
	size_t len;
	u32 perm = e->mode & 07777;
	int rc = 0;

	stats.entries++;
	const char *why;
	if (!cpio_clean_name(e->name, e->namelen, &path, &len, &why)) {
		refuse(e, why);
		return;
	}
	if (len == 0) {
		if ((e->mode & S_IFMT) != S_IFDIR)
			refuse(e, "the root can only be a directory");
		return;
	}
	switch (e->mode & S_IFMT) {
	case S_IFDIR:
		rc = rootfs_mkdir(caps.RootPopulate, (const u8 *)path, len, perm);
		if (!rc)
			stats.dirs++;
		break;
	case S_IFREG:
		rc = extract_file(e, path, len, perm);
		break;
	case S_IFLNK:
		if (e->size == 0 || e->size >= PATH_MAX) {
			refuse(e, e->size ? "symlink target too long" : "empty symlink target");
			return;
		}
		rootfs_remove(caps.RootPopulate, (const u8 *)path, len);
		rc = rootfs_symlink(caps.RootPopulate, (const u8 *)path, len, e->data, e->size);
		if (!rc)
			stats.symlinks++;
		break;
	case S_IFCHR: case S_IFBLK: case S_IFIFO: case S_IFSOCK:
		stats.skipped++;
		return;
	default:
		refuse(e, "unknown file type");
		return;
	}
	if (rc) {
		printk("initramfs: %.*s: cannot create it (error %d)\n", (int)MIN(len, 200), path, rc);
		stats.failed++;
	}
}

static void summary(void)
{
	printk("initramfs: %u entries: %u directories, %u files (%lu bytes), %u symlinks, "
	       "%u hard links; %u device nodes, fifos or sockets skipped; %u refused, %u failed\n",
	       stats.entries, stats.dirs, stats.files, stats.bytes, stats.symlinks, stats.links,
	       stats.skipped, stats.refused, stats.failed);
}

long initramfs_unpacker_unpack(const u8 *archive, size_t len, u64 offset)
{
	struct cpio_entry e;
	const char *why;

	if (offset == 0) {
		forget_links();
		memset(&stats, 0, sizeof(stats));
	}
	long next = cpio_next(archive, len, (size_t)offset, &e, &why);
	if (next < 0) {
		printk("initramfs: malformed archive at offset %lu: %s; keeping the %u entries before it\n",
		       offset, why, stats.entries);
		summary();
		forget_links();
		return next;
	}
	if (e.trailer) {
		size_t more = cpio_skip_padding(archive, len, (size_t)next);
		if (more < len)
			return (long)more;   /* another archive follows */
		summary();
		forget_links();
		return 0;
	}
	extract(&e);
	return next;
}
