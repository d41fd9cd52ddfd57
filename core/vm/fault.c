/*
 * Page faults: demand-zero anonymous pages, file pages from the page
 * cache, copy-on-write. The rights a page gets in the page tables follow
 * from its area and its frame: a private page is writable only while
 * this mm holds the frame's only reference, so every write to a shared
 * frame faults here and gets a copy first.
 */
#include <kevlar/mm.h>
#include "vm_internal.h"

u32 vma_page_rights(const struct vma *v, paddr_t pa)
{
	u32 rights = MMU_READ;

	if (!(v->prot & (PROT_READ | PROT_WRITE | PROT_EXEC)))
		return 0;
	if (v->prot & PROT_EXEC)
		rights |= MMU_EXEC;
	if ((v->prot & PROT_WRITE) &&
	    ((v->flags & VMA_SHARED) || frame_refcount(pa) == 1))
		rights |= MMU_WRITE;
	return rights;
}

/* Is the access the error code describes allowed by v's protection?
 * x86 pages are always readable, so any right allows a read. */
static bool access_allowed(const struct vma *v, u64 error)
{
	if (error & PF_WRITE)
		return v->prot & PROT_WRITE;
	if (error & PF_INSTR)
		return v->prot & PROT_EXEC;
	return v->prot & (PROT_READ | PROT_WRITE | PROT_EXEC);
}

/* A first frame for va of v: zeroed, or the file's page (copied now if
 * a private page is about to be written). */
static int page_first(struct vma *v, uptr_t va, bool write, paddr_t *out)
{
	paddr_t pa;

	if (vma_is_anon(v)) {
		pa = frame_alloc_zeroed();
	} else {
		u64 index = (v->offset + (va - v->start)) >> PAGE_SHIFT;
		paddr_t cached;
		int err = vm_file_page(v->file, index, &cached);

		if (err)
			return err;
		if (!write || (v->flags & VMA_SHARED)) {
			*out = cached;
			return 0;
		}
		pa = frame_alloc_copy(cached);
		frame_put(cached);
	}
	if (pa == PADDR_NONE)
		return -ENOMEM;
	*out = pa;
	return 0;
}

/* Makes sure va has a frame (a private one if 'write' on a private area)
 * and returns it. A frame that changes is unmapped from the page tables;
 * the caller maps the new one. */
static int page_obtain(struct mm *mm, struct vma *v, uptr_t va, bool write,
		       paddr_t *out)
{
	paddr_t pa = pagemap_lookup(mm, va);
	int err;

	if (pa == PADDR_NONE) {
		if ((err = page_first(v, va, write, &pa)))
			return err;
		if ((err = pagemap_insert(mm, va, pa))) {
			frame_put(pa);
			return err;
		}
	} else if (write && !(v->flags & VMA_SHARED) && frame_refcount(pa) > 1) {
		paddr_t copy = frame_alloc_copy(pa);

		if (copy == PADDR_NONE)
			return -ENOMEM;
		pagemap_replace(mm, va, copy);
		mmu_unmap(mm->space, va);
		frame_put(pa);
		pa = copy;
	}
	*out = pa;
	return 0;
}

static int map_page(struct mm *mm, struct vma *v, uptr_t va, paddr_t pa)
{
	u32 rights = vma_page_rights(v, pa);

	if (!rights) {
		mmu_unmap(mm->space, va);
		return 0;
	}
	return mmu_map(mm->space, va, pa, rights);
}

int vm_fault_hook(struct mm *mm, uptr_t addr, u64 error)
{
	uptr_t va = addr & PAGE_MASK;
	struct vma *v;
	paddr_t pa;
	int err;

	if (addr >= USER_TOP || (error & PF_RSVD))
		return -EFAULT;
	v = vma_lookup(mm, addr);
	if (!v)
		return -EFAULT;
	if (!access_allowed(v, error))
		return -EACCES;
	if ((err = page_obtain(mm, v, va, error & PF_WRITE, &pa)))
		return err;
	return map_page(mm, v, va, pa);
}

int vm_access_page(struct mm *mm, uptr_t va, bool write, paddr_t *pa)
{
	struct vma *v;
	int err;

	va &= PAGE_MASK;
	v = va < USER_TOP ? vma_lookup(mm, va) : NULL;
	if (!v)
		return -EFAULT;
	if ((err = page_obtain(mm, v, va, write, pa)))
		return err;
	return map_page(mm, v, va, *pa);
}

void vma_reprotect(struct mm *mm, struct vma *v, uptr_t start, uptr_t end)
{
	uptr_t va = start;
	paddr_t pa;

	while (pagemap_next(mm, &va, end, &pa)) {
		u32 rights = vma_page_rights(v, pa);

		if (rights)
			mmu_protect(mm->space, va, rights);  /* -ENOENT: not yet mapped */
		else
			mmu_unmap(mm->space, va);
		va += PAGE_SIZE;
	}
}

int vm_populate_shared_anon(struct mm *mm, uptr_t start, uptr_t end)
{
	for (uptr_t va = start; va < end; va += PAGE_SIZE) {
		paddr_t pa;

		if (pagemap_lookup(mm, va) != PADDR_NONE)
			continue;
		pa = frame_alloc_zeroed();
		if (pa == PADDR_NONE)
			return -ENOMEM;
		if (pagemap_insert(mm, va, pa)) {
			frame_put(pa);
			return -ENOMEM;
		}
	}
	return 0;
}
