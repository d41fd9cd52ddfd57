/*
 * msync and madvise. Kevlar's page cache is the file (every filesystem
 * keeps its data in it), so msync has nothing to write back: it checks
 * its arguments and that the range is mapped, as Linux does. madvise
 * acts on MADV_DONTNEED and MADV_FREE (private pages are dropped: the
 * next touch sees zeros or the file again) and accepts the hints that
 * need nothing done.
 */
#include <abi/mman.h>
#include "vm_internal.h"

/* Is every page of [start, end) in some area? */
static bool range_mapped(struct mm *mm, uptr_t start, uptr_t end)
{
	struct vma *v = vma_find(mm, start);

	for (uptr_t at = start; at < end; at = v->end, v = vma_next(mm, v))
		if (!v || v->start > at)
			return false;
	return true;
}

int vm_msync(struct mm *mm, uptr_t start, size_t len, int flags)
{
	uptr_t end;

	if (flags & ~(MS_ASYNC | MS_INVALIDATE | MS_SYNC))
		return -EINVAL;
	if (start & ~PAGE_MASK)
		return -EINVAL;
	if ((flags & MS_ASYNC) && (flags & MS_SYNC))
		return -EINVAL;
	end = start + page_align_up(len);
	if (end < start || (len && end == start))
		return -ENOMEM;
	if (end == start)
		return 0;
	return end <= USER_TOP && range_mapped(mm, start, end) ? 0 : -ENOMEM;
}

/* Linux's madvise_behavior_valid(): every advice it knows. */
static bool advice_known(int advice)
{
	return (advice >= 0 && advice <= 4) || (advice >= 8 && advice <= 23) ||
	       advice == 100 || advice == 101;
}

/* Drops the private pages of [start, end) in v; shared ones only leave
 * the page tables (their frames hold the shared data). */
static void drop_pages(struct mm *mm, struct vma *v, uptr_t start, uptr_t end)
{
	uptr_t va = start;
	paddr_t pa;

	if (!(v->flags & VMA_SHARED)) {
		pagemap_release(mm, start, end);
		return;
	}
	while (pagemap_next(mm, &va, end, &pa)) {
		mmu_unmap(mm->space, va);
		va += PAGE_SIZE;
	}
}

int vm_madvise(struct mm *mm, uptr_t start, size_t len, int advice)
{
	uptr_t end;
	struct vma *v;
	bool hole = false;

	if (!advice_known(advice))
		return -EINVAL;
	if (start & ~PAGE_MASK)
		return -EINVAL;
	end = start + page_align_up(len);
	if ((len && end == start) || end < start)
		return -EINVAL;
	if (end == start)
		return 0;
	if (end > USER_TOP)
		return -ENOMEM;
	v = vma_find(mm, start);
	for (uptr_t at = start; at < end; at = v->end, v = vma_next(mm, v)) {
		if (!v || v->start >= end)
			return -ENOMEM;
		if (v->start > at)
			hole = true;
		if (advice == MADV_DONTNEED || advice == MADV_FREE)
			drop_pages(mm, v, MAX(v->start, start), MIN(v->end, end));
		else if (advice == MADV_REMOVE && !(v->flags & VMA_SHARED))
			return -EINVAL;
	}
	return hole ? -ENOMEM : 0;
}
