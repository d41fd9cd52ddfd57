/*
 * What an address space costs, as the OOM killer weighs it and reports
 * it: its size and its resident pages by kind.
 */
#include "vm_internal.h"

void vm_usage(struct mm *mm, struct vm_usage *u)
{
	*u = (struct vm_usage){ 0 };
	list_for_each(pos, &mm->vmas) {
		struct vma *v = list_entry(pos, struct vma, node);
		uptr_t va = v->start;
		paddr_t pa;
		u64 pages = 0;

		u->total_pages += (v->end - v->start) >> PAGE_SHIFT;
		while (pagemap_next(mm, &va, v->end, &pa)) {
			pages++;
			va += PAGE_SIZE;
		}
		if (!vma_is_anon(v))
			u->file_pages += pages;    /* copies of file pages too */
		else if (v->flags & VMA_SHARED)
			u->shmem_pages += pages;
		else
			u->anon_pages += pages;
	}
	/* One page-table page maps 512 pages; the upper levels are few. */
	u->pgtable_pages = (mm->resident + 511) / 512 + 1;
}
