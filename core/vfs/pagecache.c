/*
 * The page cache: a regular file's data, in frames Core owns. For tmpfs
 * it is the only copy, so it lives as long as the inode, whatever happens
 * to the service. Pages are allocated on first write (holes read as
 * zeros); the cache holds one reference on each frame and mappings hold
 * their own (frame_get/frame_put), so a truncated page stays valid for
 * whoever still maps it.
 *
 * An inode's pages are a flat array indexed by page number, grown on
 * demand; a write far past the end of the data asks for a big array and
 * may fail with -ENOSPC.
 *
 * A tmpfs mount's size= limit is counted here, in pages the cache holds
 * (sb->pages against sb->max_pages): a page past it is -ENOSPC, and a
 * page that finds no free frame asks the OOM killer first, as Linux's
 * shmem does, since tmpfs pages cannot be reclaimed.
 */
#include <kevlar/errno.h>
#include <kevlar/layout.h>
#include <kevlar/mm.h>
#include <kevlar/string.h>
#include <kevlar/task.h>
#include <kevlar/uaccess.h>
#include <kevlar/vm.h>
#include "vfs_internal.h"

static const u8 zero_page[PAGE_SIZE];

int uio_to(struct uio *u, size_t off, const void *src, size_t n)
{
	if (u->kbuf) {
		memcpy((u8 *)u->kbuf + off, src, n);
		return 0;
	}
	return copy_to_user(u->ubuf + off, src, n);
}

int uio_from(struct uio *u, size_t off, void *dst, size_t n)
{
	if (u->kbuf) {
		memcpy(dst, (const u8 *)u->kbuf + off, n);
		return 0;
	}
	return copy_from_user(dst, u->ubuf + off, n);
}

int uio_zero(struct uio *u, size_t off, size_t n)
{
	if (u->kbuf) {
		memset((u8 *)u->kbuf + off, 0, n);
		return 0;
	}
	return clear_user(u->ubuf + off, n);
}

static int grow(struct inode *inode, u64 index)
{
	u64 cap = inode->pages_cap ? inode->pages_cap : 4;
	while (cap <= index) {
		if (cap > (1ULL << 28))
			return -ENOSPC;
		cap *= 2;
	}
	paddr_t *pages = kzalloc(cap * sizeof(paddr_t));
	if (!pages)
		return -ENOSPC;
	if (inode->pages) {
		memcpy(pages, inode->pages, inode->pages_cap * sizeof(paddr_t));
		kfree(inode->pages);
	}
	inode->pages = pages;
	inode->pages_cap = cap;
	return 0;
}

int pagecache_fill(struct inode *inode, u64 index, paddr_t *out)
{
	struct super_block *sb = inode->sb;
	paddr_t pa;

	if (index < inode->pages_cap && inode->pages[index] != PADDR_NONE) {
		*out = inode->pages[index];
		return 0;
	}
	if (sb->max_pages && sb->pages >= sb->max_pages)
		return -ENOSPC;
	if (index >= inode->pages_cap && grow(inode, index))
		return -ENOSPC;
	while ((pa = frame_alloc(0)) == PADDR_NONE)
		if (oom_kill())
			return -ENOMEM;
	/* The OOM killer may have slept: another writer may have filled it. */
	if (inode->pages[index] != PADDR_NONE) {
		frame_free(pa, 0);
		*out = inode->pages[index];
		return 0;
	}
	memset(phys_to_virt(pa), 0, PAGE_SIZE);
	inode->pages[index] = pa;
	inode->nr_pages++;
	sb->pages++;
	*out = pa;
	return 0;
}

paddr_t pagecache_page(struct inode *inode, u64 index, bool alloc)
{
	paddr_t pa;

	if (index < inode->pages_cap && inode->pages[index] != PADDR_NONE)
		return inode->pages[index];
	if (!alloc || pagecache_fill(inode, index, &pa))
		return PADDR_NONE;
	return pa;
}

void pagecache_truncate(struct inode *inode, u64 size)
{
	u64 first = (size + PAGE_SIZE - 1) / PAGE_SIZE;

	for (u64 i = first; i < inode->pages_cap; i++) {
		if (inode->pages[i] != PADDR_NONE) {
			frame_put(inode->pages[i]);
			inode->pages[i] = PADDR_NONE;
			inode->nr_pages--;
			inode->sb->pages--;
		}
	}
	u64 tail = size % PAGE_SIZE;
	if (tail && size / PAGE_SIZE < inode->pages_cap) {
		paddr_t pa = inode->pages[size / PAGE_SIZE];
		if (pa != PADDR_NONE)
			memset((u8 *)phys_to_virt(pa) + tail, 0, PAGE_SIZE - tail);
	}
}

/* Zeroes [from, to) of page 'index' if it has a frame. */
static void zero_part(struct inode *inode, u64 index, size_t from, size_t to)
{
	if (index < inode->pages_cap && inode->pages[index] != PADDR_NONE)
		memset((u8 *)phys_to_virt(inode->pages[index]) + from, 0, to - from);
}

void pagecache_punch(struct inode *inode, u64 start, u64 end)
{
	u64 first = (start + PAGE_SIZE - 1) / PAGE_SIZE, last = end / PAGE_SIZE;

	if (first > last) {   /* inside one page */
		zero_part(inode, start / PAGE_SIZE, start % PAGE_SIZE, end % PAGE_SIZE);
		return;
	}
	if (start % PAGE_SIZE)
		zero_part(inode, start / PAGE_SIZE, start % PAGE_SIZE, PAGE_SIZE);
	if (end % PAGE_SIZE)
		zero_part(inode, last, 0, end % PAGE_SIZE);
	for (u64 i = first; i < last && i < inode->pages_cap; i++) {
		if (inode->pages[i] != PADDR_NONE) {
			frame_put(inode->pages[i]);
			inode->pages[i] = PADDR_NONE;
			inode->nr_pages--;
			inode->sb->pages--;
		}
	}
}

ssize_t pagecache_read(struct inode *inode, struct uio *u, u64 pos)
{
	if (pos >= inode->size)
		return 0;
	size_t n = u->len;
	if (n > inode->size - pos)
		n = inode->size - pos;
	size_t done = 0;
	while (done < n) {
		u64 at = pos + done;
		size_t off = at % PAGE_SIZE;
		size_t chunk = MIN(PAGE_SIZE - off, n - done);
		paddr_t pa = pagecache_page(inode, at / PAGE_SIZE, false);
		const u8 *src = pa == PADDR_NONE ? zero_page : (const u8 *)phys_to_virt(pa) + off;
		if (uio_to(u, done, src, chunk))
			return done ? (ssize_t)done : -EFAULT;
		done += chunk;
	}
	return (ssize_t)done;
}

ssize_t pagecache_write(struct inode *inode, struct uio *u, u64 pos)
{
	size_t done = 0;
	while (done < u->len) {
		u64 at = pos + done;
		size_t off = at % PAGE_SIZE;
		size_t chunk = MIN(PAGE_SIZE - off, u->len - done);
		paddr_t pa;
		int err = pagecache_fill(inode, at / PAGE_SIZE, &pa);
		if (err)
			return done ? (ssize_t)done : err;
		if (uio_from(u, done, (u8 *)phys_to_virt(pa) + off, chunk))
			return done ? (ssize_t)done : -EFAULT;
		done += chunk;
	}
	return (ssize_t)done;
}
