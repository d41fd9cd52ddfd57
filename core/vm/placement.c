/*
 * Where new mappings go, as Linux places them on x86_64: a usable hint
 * first; then top-down from mmap_base (below the stack) to
 * VM_MMAP_MIN_ADDR; then bottom-up from a third of the address space.
 * A grows-down area (a stack) keeps VM_STACK_GUARD_GAP free below it.
 */
#include "vm_internal.h"

#define MAP_32BIT_LOW  0x40000000UL
#define MAP_32BIT_HIGH 0x80000000UL

uptr_t vma_start_gap(const struct vma *v)
{
	if (!(v->flags & VMA_GROWSDOWN))
		return v->start;
	return v->start > VM_STACK_GUARD_GAP ? v->start - VM_STACK_GUARD_GAP : 0;
}

long vm_find_gap_topdown(struct mm *mm, uptr_t low, uptr_t high, size_t len)
{
	uptr_t above = high;   /* the bottom of what lies above the gap */

	for (struct list *pos = mm->vmas.prev;; pos = pos->prev) {
		uptr_t below = pos == &mm->vmas ? 0 : list_entry(pos, struct vma, node)->end;
		uptr_t lo = MAX(below, low);
		uptr_t hi = MIN(above, high);

		if (hi > lo && hi - lo >= len)
			return (long)(hi - len);
		if (pos == &mm->vmas || below <= low)
			break;
		above = MIN(above, vma_start_gap(list_entry(pos, struct vma, node)));
	}
	return -ENOMEM;
}

long vm_find_gap_bottomup(struct mm *mm, uptr_t low, uptr_t high, size_t len)
{
	uptr_t below = low;   /* the top of what lies below the gap */

	list_for_each(pos, &mm->vmas) {
		struct vma *v = list_entry(pos, struct vma, node);
		uptr_t hi = MIN(vma_start_gap(v), high);

		if (hi > below && hi - below >= len)
			return (long)below;
		below = MAX(below, v->end);
		if (below >= high)
			return -ENOMEM;
	}
	return high > below && high - below >= len ? (long)below : -ENOMEM;
}

/* Is [addr, addr + len) free, guard gaps included? */
static bool hint_fits(struct mm *mm, uptr_t addr, size_t len)
{
	struct vma *next = vma_find(mm, addr);

	return !next || addr + len <= vma_start_gap(next);
}

long vm_place(struct mm *mm, uptr_t hint, size_t len, int flags)
{
	long at;

	if (len == 0 || len > USER_TOP - VM_MMAP_MIN_ADDR)
		return -ENOMEM;
	if (flags & MAP_32BIT)
		return vm_find_gap_bottomup(mm, MAP_32BIT_LOW, MAP_32BIT_HIGH, len);
	if (hint && hint <= USER_TOP) {
		hint = page_align_up(hint);
		if (hint >= VM_MMAP_MIN_ADDR && hint <= USER_TOP - len &&
		    hint_fits(mm, hint, len))
			return (long)hint;
	}
	at = vm_find_gap_topdown(mm, VM_MMAP_MIN_ADDR, mm->mmap_base, len);
	if (at >= 0)
		return at;
	return vm_find_gap_bottomup(mm, VM_UNMAPPED_BASE, USER_TOP, len);
}

long vm_get_unmapped_area(struct mm *mm, uptr_t hint, size_t len)
{
	if (len > USER_TOP)
		return -ENOMEM;
	return vm_place(mm, hint, page_align_up(len), 0);
}
