/*
 * Address spaces: creation, references and teardown. The page tables
 * come from Ring 0 (mmu_create); the areas and the page map are Core's.
 */
#include <kevlar/mm.h>
#include <kevlar/panic.h>
#include "vm_internal.h"

struct mm *mm_create(void)
{
	struct mm *mm = kzalloc(sizeof(*mm));

	if (!mm)
		return NULL;
	mm->space = mmu_create();
	if (!mm->space) {
		kfree(mm);
		return NULL;
	}
	mm->refcount = 1;
	list_init(&mm->vmas);
	mm->mmap_base = VM_DEFAULT_MMAP_BASE;
	return mm;
}

struct mm *mm_get(struct mm *mm)
{
	__atomic_fetch_add(&mm->refcount, 1, __ATOMIC_RELAXED);
	return mm;
}

mmu_space_t mm_space(const struct mm *mm)
{
	return mm->space;
}

/*
 * The page tables must not be freed while the CPU still walks them: a
 * task that exits puts its mm while it is still the active one, so the
 * kernel's own tables take over first.
 */
static void mm_destroy(struct mm *mm)
{
	list_for_each_safe(pos, tmp, &mm->vmas) {
		struct vma *v = list_entry(pos, struct vma, node);
		list_del(&v->node);
		vma_free(v);
	}
	mm->nr_vmas = 0;
	mm->cache = NULL;
	vm_exec_info_copy(mm, NULL);
	if (mmu_current() == mm->space)
		mmu_activate(0);
	pagemap_destroy(mm);
	mmu_destroy(mm->space);
	kfree(mm);
}

void mm_put(struct mm *mm)
{
	int old;

	if (!mm)
		return;
	old = __atomic_fetch_sub(&mm->refcount, 1, __ATOMIC_ACQ_REL);
	BUG_ON(old <= 0);
	if (old == 1)
		mm_destroy(mm);
}

void vm_set_brk_base(struct mm *mm, uptr_t base)
{
	mm->brk_base = mm->brk = base;
}

void vm_set_mmap_base(struct mm *mm, uptr_t base)
{
	mm->mmap_base = base & PAGE_MASK;
}
