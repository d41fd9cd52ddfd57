/*
 * fork's copy of an address space. Nothing is copied: the child gets the
 * same areas and the same frames, each with one more reference. A
 * private page's frame is then shared, so vma_page_rights() no longer
 * lets either side write it; the parent's writable entries are
 * downgraded here, the child's page tables start empty and fill in on
 * faults. The first write on either side copies (fault.c).
 */
#include <kevlar/mm.h>
#include "vm_internal.h"

static int fork_pages(struct mm *parent, struct mm *child, struct vma *v)
{
	uptr_t va = v->start;
	paddr_t pa;

	while (pagemap_next(parent, &va, v->end, &pa)) {
		frame_get(pa);
		if (pagemap_insert(child, va, pa)) {
			frame_put(pa);
			return -ENOMEM;
		}
		if (!(v->flags & VMA_SHARED)) {
			u32 rights = vma_page_rights(v, pa);
			if (rights)
				mmu_protect(parent->space, va, rights);  /* -ENOENT: not mapped */
		}
		va += PAGE_SIZE;
	}
	return 0;
}

struct mm *mm_fork(struct mm *parent)
{
	struct mm *child = mm_create();

	if (!child)
		return NULL;
	child->brk_base = parent->brk_base;
	child->brk = parent->brk;
	child->mmap_base = parent->mmap_base;
	vm_exec_info_copy(child, parent);
	list_for_each(pos, &parent->vmas) {
		struct vma *v = list_entry(pos, struct vma, node);
		struct vma *nv = vma_alloc(v->start, v->end, v->prot, v->flags,
					   v->file, v->offset);
		if (!nv)
			goto fail;
		list_add_tail(&child->vmas, &nv->node);
		child->nr_vmas++;
	}
	list_for_each(pos, &parent->vmas) {
		if (fork_pages(parent, child, list_entry(pos, struct vma, node)))
			goto fail;
	}
	return child;

fail:
	mm_put(child);
	return NULL;
}
