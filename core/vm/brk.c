/*
 * brk: the heap, an anonymous read-write area from brk_base (just above
 * the loaded image) to the page above the current break. As on Linux,
 * the call returns the break after the call: the old one if the request
 * was refused (below the base, into another mapping, out of memory).
 */
#include "vm_internal.h"

long vm_brk(struct mm *mm, uptr_t brk)
{
	uptr_t newbrk, oldbrk;
	struct vma *next, *v;

	if (brk < mm->brk_base || brk > USER_TOP)
		return (long)mm->brk;
	newbrk = page_align_up(brk);
	oldbrk = page_align_up(mm->brk);
	if (newbrk == oldbrk) {
		mm->brk = brk;
		return (long)brk;
	}
	if (brk < mm->brk) {
		if (vma_unmap_range(mm, newbrk, oldbrk))
			return (long)mm->brk;
		mm->brk = brk;
		return (long)brk;
	}
	/* Keep a page free below the next mapping, as Linux does. */
	next = vma_find(mm, oldbrk);
	if (next && newbrk + PAGE_SIZE > vma_start_gap(next))
		return (long)mm->brk;
	if (mm->nr_vmas >= VM_MAX_MAP_COUNT || !vm_enough_memory((newbrk - oldbrk) >> PAGE_SHIFT))
		return (long)mm->brk;
	v = vma_alloc(oldbrk, newbrk, PROT_READ | PROT_WRITE, VMA_MAYWRITE, NULL, 0);
	if (!v)
		return (long)mm->brk;
	vma_insert(mm, v);
	mm->brk = brk;
	return (long)brk;
}
