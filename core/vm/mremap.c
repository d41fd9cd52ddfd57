/*
 * mremap: shrink in place, grow in place when the space above is free,
 * or (MREMAP_MAYMOVE) move the pages to a new range without copying
 * them: the page map entries move, the frames stay.
 */
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

/*
 * Moves [old, old + old_len) of v to [to, to + new_len) (new_len >=
 * old_len), which must be free. Returns 'to' or a negative errno.
 */
static long move_area(struct mm *mm, struct vma *v, uptr_t old, size_t old_len,
		      uptr_t to, size_t new_len)
{
	struct vma *nv;
	int err;

	nv = vma_alloc(to, to + new_len, v->prot, v->flags, v->file,
		       v->offset + (old - v->start));
	if (!nv)
		return -ENOMEM;
	if (mm->nr_vmas >= VM_MAX_MAP_COUNT || (err = move_pages(mm, old, to, old_len))) {
		vma_free(nv);
		return -ENOMEM;
	}
	if ((err = vma_unmap_range(mm, old, old + old_len))) {
		move_pages(mm, to, old, old_len);
		vma_free(nv);
		return err;
	}
	nv = vma_insert(mm, nv);
	if ((nv->flags & VMA_SHARED) && vma_is_anon(nv))
		vm_populate_shared_anon(mm, to + old_len, to + new_len);
	return (long)to;
}

/* The area holding all of [addr, addr + len), or -EFAULT. */
static struct vma *area_for(struct mm *mm, uptr_t addr, size_t len)
{
	struct vma *v = vma_lookup(mm, addr);

	if (!v || len > v->end - addr)
		return NULL;
	return v;
}

static long mremap_fixed(struct mm *mm, uptr_t old, size_t old_len,
			 size_t new_len, uptr_t to)
{
	struct vma *v;
	int err;

	if (to & ~PAGE_MASK)
		return -EINVAL;
	if (new_len > USER_TOP || to > USER_TOP - new_len)
		return -EINVAL;
	if (to < old + old_len && old < to + new_len)
		return -EINVAL;
	if (to < VM_MMAP_MIN_ADDR)
		return -EPERM;
	if ((err = vma_unmap_range(mm, to, to + new_len)))
		return err;
	if (old_len > new_len) {
		if ((err = vma_unmap_range(mm, old + new_len, old + old_len)))
			return err;
		old_len = new_len;
	}
	if (!(v = area_for(mm, old, old_len)))
		return -EFAULT;
	if ((err = vma_split_at(mm, old)) || (err = vma_split_at(mm, old + old_len)))
		return err;
	v = vma_lookup(mm, old);
	return move_area(mm, v, old, old_len, to, new_len);
}

long vm_mremap(struct mm *mm, uptr_t old, size_t old_len, size_t new_len,
	       int flags, uptr_t new_addr)
{
	struct vma *v;
	uptr_t grow_end;
	long to;
	int err;

	if (flags & ~(MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP))
		return -EINVAL;
	if ((flags & MREMAP_FIXED) && !(flags & MREMAP_MAYMOVE))
		return -EINVAL;
	/* MREMAP_DONTUNMAP (Linux 5.7) is not supported. */
	if (flags & MREMAP_DONTUNMAP)
		return -EINVAL;
	if (old & ~PAGE_MASK)
		return -EINVAL;
	if (old_len > USER_TOP || new_len > USER_TOP)
		return -EINVAL;
	old_len = page_align_up(old_len);
	new_len = page_align_up(new_len);
	/* old_len 0 duplicates a shared mapping on Linux; not supported. */
	if (!new_len || !old_len)
		return -EINVAL;
	if (old >= USER_TOP || old_len > USER_TOP - old)
		return -EFAULT;
	if (flags & MREMAP_FIXED)
		return mremap_fixed(mm, old, old_len, new_len, new_addr);

	if (new_len <= old_len) {
		if ((err = vma_unmap_range(mm, old + new_len, old + old_len)))
			return err;
		return (long)old;
	}
	if (!(v = area_for(mm, old, old_len)))
		return -EFAULT;

	grow_end = old + new_len;
	if (old + old_len == v->end && grow_end <= USER_TOP &&
	    vma_range_free(mm, v->end, grow_end)) {
		struct vma *next = vma_next(mm, v);
		if (!next || !(next->flags & VMA_GROWSDOWN) ||
		    grow_end + VM_STACK_GUARD_GAP <= next->start) {
			uptr_t was = v->end;
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
	}
	if (!(flags & MREMAP_MAYMOVE))
		return -ENOMEM;

	to = vm_place(mm, 0, new_len, 0);
	if (to < 0)
		return to;
	if ((err = vma_split_at(mm, old)) || (err = vma_split_at(mm, old + old_len)))
		return err;
	v = vma_lookup(mm, old);
	return move_area(mm, v, old, old_len, (uptr_t)to, new_len);
}
