/*
 * mremap, with Linux's checks in Linux's order (mm/mremap.c): the
 * arguments first, then the area at the old address, and only then
 * anything that changes the address space, so a call that fails has
 * unmapped nothing.
 *
 * Shrinking and growing happen in place where the space above is free;
 * a move (MREMAP_MAYMOVE, MREMAP_FIXED, MREMAP_DONTUNMAP) hands the page
 * map entries to the new range without copying the pages. An old_size
 * of 0 on a shared mapping maps its pages a second time; the old range
 * stays, as it does with MREMAP_DONTUNMAP.
 */
#include <kevlar/mm.h>
#include <kevlar/panic.h>
#include "vm_internal.h"

/* Moves the pages of [from, from + len) to [to, to + len). On failure
 * (no memory for the page map) everything is moved back. */
static int move_pages(struct mm *mm, uptr_t from, uptr_t to, size_t len)
{
	uptr_t va = from;
	paddr_t pa;

	while (pagemap_next(mm, &va, from + len, &pa)) {
		if (pagemap_insert(mm, to + (va - from), pa)) {
			/* Undo: everything below va went to the new range. */
			uptr_t back = to;
			while (pagemap_next(mm, &back, to + (va - from), &pa)) {
				pagemap_remove(mm, back);
				BUG_ON(pagemap_insert(mm, from + (back - to), pa));
				back += PAGE_SIZE;
			}
			return -ENOMEM;
		}
		/* The insert counted the page again; the remove uncounts it. */
		pagemap_remove(mm, va);
		mmu_unmap(mm->space, va);
		va += PAGE_SIZE;
	}
	return 0;
}

/* Maps the pages of [from, from + len) at [to, to + len) as well: both
 * ranges hold a reference to each frame (shared memory seen twice). */
static int share_pages(struct mm *mm, uptr_t from, uptr_t to, size_t len)
{
	uptr_t va = from;
	paddr_t pa;

	while (pagemap_next(mm, &va, from + len, &pa)) {
		frame_get(pa);
		if (pagemap_insert(mm, to + (va - from), pa)) {
			frame_put(pa);
			pagemap_release(mm, to, to + len);
			return -ENOMEM;
		}
		va += PAGE_SIZE;
	}
	return 0;
}

/*
 * Gives [to, to + new_len) (free) the pages of [old, old + old_len) of v,
 * which holds them all. With keep_old the old range stays mapped: shared
 * anonymous pages are then seen from both, any other page moves and the
 * old range faults in anew (zeroes, or the file's pages), as Linux's
 * MREMAP_DONTUNMAP. Returns 'to' or a negative errno.
 */
static long move_area(struct mm *mm, struct vma *v, uptr_t old, size_t old_len,
		      uptr_t to, size_t new_len, bool keep_old)
{
	bool shared_anon = (v->flags & VMA_SHARED) && vma_is_anon(v);
	size_t have = old_len;
	struct vma *nv;
	int err;

	if (!have && shared_anon)
		have = new_len < v->end - old ? new_len : v->end - old;
	if (mm->nr_vmas + 2 >= VM_MAX_MAP_COUNT)
		return -ENOMEM;
	if (!keep_old && ((err = vma_split_at(mm, old)) ||
			  (err = vma_split_at(mm, old + old_len))))
		return err;
	v = vma_lookup(mm, old);
	nv = vma_alloc(to, to + new_len, v->prot, v->flags, v->file,
		       v->offset + (old - v->start));
	if (!nv)
		return -ENOMEM;
	if (keep_old && shared_anon)
		err = share_pages(mm, old, to, have);
	else
		err = move_pages(mm, old, to, have);
	if (err) {
		vma_free(nv);
		return err;
	}
	if (!keep_old && (err = vma_unmap_range(mm, old, old + old_len))) {
		move_pages(mm, to, old, old_len);
		vma_free(nv);
		return err;
	}
	nv = vma_insert(mm, nv);
	if (shared_anon)
		vm_populate_shared_anon(mm, to + have, to + new_len);
	return (long)to;
}

/* Grows v (old + old_len == v->end) in place to end at old + new_len
 * if the space above is free. -ENOMEM if it is not. */
static long grow_in_place(struct mm *mm, struct vma *v, uptr_t old,
			  size_t old_len, size_t new_len)
{
	uptr_t grow_end = old + new_len;
	struct vma *next;
	uptr_t was;

	if (old + old_len != v->end || grow_end > USER_TOP ||
	    !vma_range_free(mm, v->end, grow_end))
		return -ENOMEM;
	next = vma_next(mm, v);
	if (next && (next->flags & VMA_GROWSDOWN) &&
	    grow_end + VM_STACK_GUARD_GAP > next->start)
		return -ENOMEM;
	was = v->end;
	v->end = grow_end;
	if ((v->flags & VMA_SHARED) && vma_is_anon(v) &&
	    vm_populate_shared_anon(mm, was, grow_end)) {
		pagemap_release(mm, was, grow_end);
		v->end = was;
		return -ENOMEM;
	}
	vma_merge_around(mm, v);
	return (long)old;
}

/* The checks Linux makes before it looks at the address space. */
static int check_args(uptr_t old, size_t old_len, size_t new_len, int flags,
		      uptr_t new_addr)
{
	if (flags & ~(MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP))
		return -EINVAL;
	if (old & ~PAGE_MASK)
		return -EINVAL;
	if (!new_len || new_len > USER_TOP)
		return -EINVAL;
	if (!(flags & (MREMAP_FIXED | MREMAP_DONTUNMAP)))
		return 0;
	/* A new address is implied: it must make sense. */
	if (new_addr > USER_TOP - new_len || (new_addr & ~PAGE_MASK))
		return -EINVAL;
	if (!(flags & MREMAP_MAYMOVE))
		return -EINVAL;
	if ((flags & MREMAP_DONTUNMAP) && old_len != new_len)
		return -EINVAL;
	if (new_addr < old + old_len && old < new_addr + new_len)
		return -EINVAL;
	return 0;
}

long vm_mremap(struct mm *mm, uptr_t old, size_t old_len, size_t new_len,
	       int flags, uptr_t new_addr)
{
	bool to_new = flags & (MREMAP_FIXED | MREMAP_DONTUNMAP);
	struct vma *v;
	long to;
	int err;

	/* Lengths beyond user space cannot lie in one area: -EFAULT below. */
	if (old_len > USER_TOP)
		old_len = USER_TOP + PAGE_SIZE;
	old_len = page_align_up(old_len);
	new_len = new_len > USER_TOP ? USER_TOP + PAGE_SIZE : page_align_up(new_len);
	if ((err = check_args(old, old_len, new_len, flags, new_addr)))
		return err;
	if (!(v = vma_lookup(mm, old)))
		return -EFAULT;
	if (to_new || new_len > old_len) {
		/* A private mapping "duplicated" would be a new, unrelated one. */
		if (!old_len && !(v->flags & VMA_SHARED))
			return -EINVAL;
		/* The moved or grown range must lie in one area. */
		if (old_len > v->end - old)
			return -EFAULT;
	}

	if (!to_new) {
		if (new_len <= old_len) {
			if ((err = vma_unmap_range(mm, old + new_len, old + old_len)))
				return err;
			return (long)old;
		}
		if (old_len && (to = grow_in_place(mm, v, old, old_len, new_len)) >= 0)
			return to;
		if (!(flags & MREMAP_MAYMOVE))
			return -ENOMEM;
		if ((to = vm_place(mm, 0, new_len, 0)) < 0)
			return to;
		return move_area(mm, v, old, old_len, (uptr_t)to, new_len, !old_len);
	}

	if (flags & MREMAP_FIXED) {
		if (new_addr < VM_MMAP_MIN_ADDR)
			return -EPERM;
		if ((err = vma_unmap_range(mm, new_addr, new_addr + new_len)))
			return err;
		if (!(v = vma_lookup(mm, old)))
			return -EFAULT;
		to = (long)new_addr;
	} else if ((to = vm_place(mm, new_addr, new_len, 0)) < 0) {
		return to;
	}
	if (old_len > new_len) {
		if ((err = vma_unmap_range(mm, old + new_len, old + old_len)))
			return err;
		old_len = new_len;
		v = vma_lookup(mm, old);
	}
	return move_area(mm, v, old, old_len, (uptr_t)to, new_len,
			 !old_len || (flags & MREMAP_DONTUNMAP));
}
