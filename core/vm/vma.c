/*
 * Areas: the sorted list of an mm's VMAs, and the splitting, merging and
 * removing that mmap, munmap, mprotect, mremap and brk are made of.
 * Areas never overlap; adjacent compatible ones are merged, so a heap
 * grown a page at a time by brk stays one area.
 */
#include <kevlar/mm.h>
#include <kevlar/panic.h>
#include "vm_internal.h"

static struct vma *vma_of(struct list *n)
{
	return list_entry(n, struct vma, node);
}

struct vma *vma_next(struct mm *mm, struct vma *v)
{
	return v->node.next == &mm->vmas ? NULL : vma_of(v->node.next);
}

struct vma *vma_prev(struct mm *mm, struct vma *v)
{
	return v->node.prev == &mm->vmas ? NULL : vma_of(v->node.prev);
}

struct vma *vma_find(struct mm *mm, uptr_t addr)
{
	struct vma *c = mm->cache;

	if (c && c->start <= addr && addr < c->end)
		return c;
	/* A walk in address order (/proc/<pid>/maps) asks for the area
	 * after the last one: the next in the list, if it ends above addr. */
	if (c && addr >= c->end && c->node.next != &mm->vmas) {
		struct vma *n = vma_of(c->node.next);
		if (n->end > addr) {
			mm->cache = n;
			return n;
		}
	}
	list_for_each(pos, &mm->vmas) {
		struct vma *v = vma_of(pos);
		if (v->end > addr) {
			mm->cache = v;
			return v;
		}
	}
	return NULL;
}

struct vma *vma_lookup(struct mm *mm, uptr_t addr)
{
	struct vma *v = vma_find(mm, addr);

	return v && v->start <= addr ? v : NULL;
}

bool vma_range_free(struct mm *mm, uptr_t start, uptr_t end)
{
	struct vma *v = vma_find(mm, start);

	return !v || v->start >= end;
}

struct vma *vma_alloc(uptr_t start, uptr_t end, u32 prot, u32 flags,
		      struct file *file, u64 offset)
{
	struct vma *v = kzalloc(sizeof(*v));

	if (!v)
		return NULL;
	list_init(&v->node);
	v->start = start;
	v->end = end;
	v->prot = prot;
	v->flags = flags;
	v->file = file ? vm_file_get(file) : NULL;
	v->offset = file ? offset : 0;
	return v;
}

void vma_free(struct vma *v)
{
	if (v->file)
		vm_file_put(v->file);
	kfree(v);
}

static void vma_unlink(struct mm *mm, struct vma *v)
{
	if (mm->cache == v)
		mm->cache = NULL;
	list_del(&v->node);
	mm->nr_vmas--;
}

/* Can 'hi' (directly above 'lo') be folded into 'lo'? */
static bool mergeable(const struct vma *lo, const struct vma *hi)
{
	if (lo->end != hi->start || lo->prot != hi->prot ||
	    lo->flags != hi->flags || lo->file != hi->file)
		return false;
	return !lo->file || lo->offset + (lo->end - lo->start) == hi->offset;
}

struct vma *vma_merge_around(struct mm *mm, struct vma *v)
{
	struct vma *next = vma_next(mm, v);
	struct vma *prev = vma_prev(mm, v);

	if (next && mergeable(v, next)) {
		v->end = next->end;
		vma_unlink(mm, next);
		vma_free(next);
	}
	if (prev && mergeable(prev, v)) {
		prev->end = v->end;
		vma_unlink(mm, v);
		vma_free(v);
		v = prev;
	}
	return v;
}

struct vma *vma_insert(struct mm *mm, struct vma *v)
{
	struct list *before = &mm->vmas;   /* insert before this node */

	list_for_each(pos, &mm->vmas) {
		struct vma *o = vma_of(pos);
		if (o->start >= v->end) {
			before = pos;
			break;
		}
		BUG_ON(o->end > v->start);   /* overlap: the caller's bug */
	}
	list_add_tail(before, &v->node);
	mm->nr_vmas++;
	return vma_merge_around(mm, v);
}

struct vma *vma_split(struct mm *mm, struct vma *v, uptr_t addr)
{
	struct vma *hi;

	BUG_ON(addr <= v->start || addr >= v->end || (addr & ~PAGE_MASK));
	if (mm->nr_vmas >= VM_MAX_MAP_COUNT)
		return NULL;
	hi = vma_alloc(addr, v->end, v->prot, v->flags, v->file,
		       v->offset + (addr - v->start));
	if (!hi)
		return NULL;
	v->end = addr;
	list_add(&v->node, &hi->node);
	mm->nr_vmas++;
	return hi;
}

int vma_split_at(struct mm *mm, uptr_t addr)
{
	struct vma *v = vma_lookup(mm, addr);

	if (!v || v->start == addr)
		return 0;
	return vma_split(mm, v, addr) ? 0 : -ENOMEM;
}

int vma_unmap_range(struct mm *mm, uptr_t start, uptr_t end)
{
	struct vma *v;
	int err;

	if (start >= end)
		return 0;
	/* Splitting is invisible to the user, so a failure between the
	 * two splits leaves a consistent (if more fragmented) mm. */
	if ((err = vma_split_at(mm, start)) || (err = vma_split_at(mm, end)))
		return err;
	v = vma_find(mm, start);
	while (v && v->start < end) {
		struct vma *next = vma_next(mm, v);
		vma_unlink(mm, v);
		vma_free(v);
		v = next;
	}
	pagemap_release(mm, start, end);
	return 0;
}
