/*
 * The physical frame allocator: a binary buddy over one zone.
 *
 * Free blocks sit on one doubly linked list per order. The links are
 * indexes into the zone's struct frame array, so the allocator never
 * touches the memory it hands out. Block alignment is relative to the
 * absolute pfn: a block of order k starts at a pfn that is a multiple of
 * 2^k, so the buddy of a block is always "pfn ^ (1 << k)".
 *
 * Frame states:
 *   FRAME_RESERVED   never added as free memory (pfn 0 always stays here)
 *   FRAME_FREE_HEAD  first frame of a free block, on free_head[order]
 *   FRAME_ALLOCATED  first frame of an allocated block; refcount is its
 *                    holders (1 after zone_alloc, frame_get adds one,
 *                    frame_put drops one and frees the block at 0)
 *   no flags         any other frame inside a free or allocated block
 */
#include <kevlar/types.h>
#include <kevlar/layout.h>
#include <kevlar/mm.h>
#include <kevlar/panic.h>
#include <kevlar/spinlock.h>
#include <kevlar/spinlock_irq.h>

struct frame_zone kernel_zone = {
	.free_head = { [0 ... FRAME_MAX_ORDER] = FRAME_NONE },
	.lock = SPINLOCK_IRQ_INIT,
};

/* Pushes the block headed by frames[idx] on the free list for 'order'. */
static void free_list_push(struct frame_zone *z, u32 idx, unsigned order)
{
	struct frame *f = &z->frames[idx];
	u32 head = z->free_head[order];

	f->flags = FRAME_FREE_HEAD;
	f->order = (u8)order;
	f->refcount = 0;
	f->prev = FRAME_NONE;
	f->next = head;
	if (head != FRAME_NONE)
		z->frames[head].prev = idx;
	z->free_head[order] = idx;
	z->free_blocks[order]++;
}

/*
 * Unlinks a free block from its list in O(1). The frame loses its head
 * flag: it is about to be allocated or merged into a larger block.
 */
static void free_list_remove(struct frame_zone *z, u32 idx)
{
	struct frame *f = &z->frames[idx];
	unsigned order = f->order;

	if (f->prev != FRAME_NONE)
		z->frames[f->prev].next = f->next;
	else
		z->free_head[order] = f->next;
	if (f->next != FRAME_NONE)
		z->frames[f->next].prev = f->prev;
	f->next = FRAME_NONE;
	f->prev = FRAME_NONE;
	f->flags = 0;
	f->order = 0;
	z->free_blocks[order]--;
}

/*
 * Returns the zone index of the buddy of the block at 'idx' of 'order' if
 * that buddy is a free block of the same order, else FRAME_NONE. Only then
 * may the two merge.
 */
static u32 free_buddy(struct frame_zone *z, u32 idx, unsigned order)
{
	pfn_t pfn = z->base_pfn + idx;
	pfn_t buddy = pfn ^ ((pfn_t)1 << order);
	struct frame *b;

	if (buddy < z->base_pfn || buddy - z->base_pfn >= z->npages)
		return FRAME_NONE;
	b = &z->frames[buddy - z->base_pfn];
	if (b->flags != FRAME_FREE_HEAD || b->order != order)
		return FRAME_NONE;
	return (u32)(buddy - z->base_pfn);
}

/*
 * Returns a block of 2^order frames at 'idx' to the free lists, merging it
 * with its buddies for as long as they are free, so that free memory is
 * always held in the largest blocks its alignment allows.
 */
static void free_block(struct frame_zone *z, u32 idx, unsigned order)
{
	z->free_pages += (u64)1 << order;
	while (order < FRAME_MAX_ORDER) {
		u32 buddy = free_buddy(z, idx, order);

		if (buddy == FRAME_NONE)
			break;
		free_list_remove(z, buddy);
		if (buddy < idx)
			idx = buddy;
		order++;
	}
	free_list_push(z, idx, order);
}

void zone_init(struct frame_zone *z, pfn_t base_pfn, u64 npages,
	       struct frame *meta)
{
	KASSERT(npages < FRAME_NONE);
	z->base_pfn = base_pfn;
	z->npages = npages;
	z->frames = meta;
	for (u64 i = 0; i < npages; i++) {
		meta[i].next = FRAME_NONE;
		meta[i].prev = FRAME_NONE;
		meta[i].refcount = 0;
		meta[i].order = 0;
		meta[i].flags = FRAME_RESERVED;
		meta[i].reserved = 0;
	}
	for (unsigned k = 0; k <= FRAME_MAX_ORDER; k++) {
		z->free_head[k] = FRAME_NONE;
		z->free_blocks[k] = 0;
	}
	z->free_pages = 0;
	z->managed_pages = 0;
	z->lock = (spinlock_irq_t)SPINLOCK_IRQ_INIT;
}

/*
 * Returns the largest order of a naturally aligned block that starts at
 * 'pfn' and ends at or before 'end'.
 */
static unsigned max_block_order(pfn_t pfn, pfn_t end)
{
	unsigned order = 0;

	while (order < FRAME_MAX_ORDER) {
		pfn_t size = (pfn_t)2 << order;

		if (pfn & (size - 1) || end - pfn < size)
			break;
		order++;
	}
	return order;
}

/*
 * Frees the reserved zone indexes [idx, end) as maximal naturally aligned
 * blocks. Every frame in the range must still be reserved.
 */
static void add_reserved_run(struct frame_zone *z, u32 idx, u32 end)
{
	while (idx < end) {
		pfn_t pfn = z->base_pfn + idx;
		unsigned order = max_block_order(pfn, z->base_pfn + end);
		u32 n = (u32)1 << order;

		for (u32 i = idx; i < idx + n; i++)
			z->frames[i].flags = 0;
		z->managed_pages += n;
		free_block(z, idx, order);
		idx += n;
	}
}

/*
 * Frames that are already free or allocated are left alone, so ranges that
 * overlap earlier ones are harmless. Frame 0 is never added.
 */
void zone_add_free(struct frame_zone *z, pfn_t pfn, u64 count)
{
	pfn_t zone_end = z->base_pfn + z->npages;
	pfn_t start = MAX(pfn, z->base_pfn);
	pfn_t end;
	u32 i, stop;
	u64 flags;

	if (pfn >= zone_end)
		return;
	end = count > zone_end - pfn ? zone_end : pfn + count;
	if (start == 0)
		start = 1;
	if (end <= start)
		return;
	i = (u32)(start - z->base_pfn);
	stop = (u32)(end - z->base_pfn);
	flags = spin_lock_irqsave(&z->lock);
	while (i < stop) {
		u32 run = i;

		while (run < stop && z->frames[run].flags == FRAME_RESERVED)
			run++;
		add_reserved_run(z, i, run);
		while (run < stop && z->frames[run].flags != FRAME_RESERVED)
			run++;
		i = run;
	}
	spin_unlock_irqrestore(&z->lock, flags);
}

/*
 * Takes the smallest free block of at least 'order' and splits it down,
 * putting each unused upper half back on its list. The result is naturally
 * aligned because every block on the lists is.
 */
paddr_t zone_alloc(struct frame_zone *z, unsigned order)
{
	unsigned k = order;
	u64 flags;
	u32 idx;

	if (order > FRAME_MAX_ORDER)
		return PADDR_NONE;
	flags = spin_lock_irqsave(&z->lock);
	while (k <= FRAME_MAX_ORDER && z->free_head[k] == FRAME_NONE)
		k++;
	if (k > FRAME_MAX_ORDER) {
		spin_unlock_irqrestore(&z->lock, flags);
		return PADDR_NONE;
	}
	idx = z->free_head[k];
	free_list_remove(z, idx);
	while (k > order) {
		k--;
		free_list_push(z, idx + ((u32)1 << k), k);
	}
	z->frames[idx].flags = FRAME_ALLOCATED;
	z->frames[idx].order = (u8)order;
	z->frames[idx].refcount = 1;
	z->free_pages -= (u64)1 << order;
	spin_unlock_irqrestore(&z->lock, flags);
	return (z->base_pfn + idx) << PAGE_SHIFT;
}

/*
 * Returns why freeing (pa, order) is wrong, or NULL if pa heads an
 * allocated block of exactly that order. Called with the zone locked.
 */
static const char *bad_free_reason(struct frame_zone *z, paddr_t pa,
				   unsigned order)
{
	struct frame *f;

	if (pa & (PAGE_SIZE - 1))
		return "address not page aligned";
	f = zone_frame(z, pa);
	if (!f)
		return "address outside the zone";
	if (order > FRAME_MAX_ORDER)
		return "order too large";
	if (f->flags & FRAME_FREE_HEAD)
		return "double free";
	if (f->flags & FRAME_RESERVED)
		return "frame is reserved";
	if (!(f->flags & FRAME_ALLOCATED))
		return "not the head of an allocated block";
	if (f->order != order)
		return "wrong order";
	return NULL;
}

/*
 * Every misuse is caught before the lists are touched, and the lock is
 * dropped before kpanic() so that the panic path can still use the zone.
 */
void zone_free(struct frame_zone *z, paddr_t pa, unsigned order)
{
	u64 flags = spin_lock_irqsave(&z->lock);
	const char *why = bad_free_reason(z, pa, order);
	struct frame *f;

	if (why) {
		spin_unlock_irqrestore(&z->lock, flags);
		kpanic("zone_free(%#llx, order %u): %s",
		       (unsigned long long)pa, order, why);
	}
	f = zone_frame(z, pa);
	f->refcount = 0;
	f->flags = 0;
	f->order = 0;
	free_block(z, (u32)((pa >> PAGE_SHIFT) - z->base_pfn), order);
	spin_unlock_irqrestore(&z->lock, flags);
}

/* Needs no lock: the metadata array never moves once the zone is set up. */
struct frame *zone_frame(struct frame_zone *z, paddr_t pa)
{
	pfn_t pfn = pa >> PAGE_SHIFT;

	if (!z->frames || pfn < z->base_pfn || pfn - z->base_pfn >= z->npages)
		return NULL;
	return &z->frames[pfn - z->base_pfn];
}

/*
 * The head of an allocated block and its metadata, or why not. Called
 * with the zone locked.
 */
static const char *bad_ref_reason(struct frame_zone *z, paddr_t pa, struct frame **out)
{
	struct frame *f = (pa & (PAGE_SIZE - 1)) ? NULL : zone_frame(z, pa);

	if (!f)
		return "not a frame of the zone";
	if (!(f->flags & FRAME_ALLOCATED) || f->refcount == 0)
		return "not an allocated block";
	*out = f;
	return NULL;
}

void zone_frame_get(struct frame_zone *z, paddr_t pa)
{
	u64 flags = spin_lock_irqsave(&z->lock);
	struct frame *f;
	const char *why = bad_ref_reason(z, pa, &f);

	if (!why && f->refcount == ~0u)
		why = "reference count overflow";
	if (why) {
		spin_unlock_irqrestore(&z->lock, flags);
		kpanic("frame_get(%#llx): %s", (unsigned long long)pa, why);
	}
	f->refcount++;
	spin_unlock_irqrestore(&z->lock, flags);
}

/* The last reference frees the block within the same hold of the lock,
 * so no frame_get() can find it between the count reaching 0 and the
 * free. */
void zone_frame_put(struct frame_zone *z, paddr_t pa)
{
	u64 flags = spin_lock_irqsave(&z->lock);
	struct frame *f;
	const char *why = bad_ref_reason(z, pa, &f);

	if (why) {
		spin_unlock_irqrestore(&z->lock, flags);
		kpanic("frame_put(%#llx): %s", (unsigned long long)pa, why);
	}
	if (--f->refcount == 0) {
		unsigned order = f->order;

		f->flags = 0;
		f->order = 0;
		free_block(z, (u32)((pa >> PAGE_SHIFT) - z->base_pfn), order);
	}
	spin_unlock_irqrestore(&z->lock, flags);
}

u32 zone_frame_refcount(struct frame_zone *z, paddr_t pa)
{
	u64 flags = spin_lock_irqsave(&z->lock);
	struct frame *f = zone_frame(z, pa);
	u32 n = f && (f->flags & FRAME_ALLOCATED) ? f->refcount : 0;

	spin_unlock_irqrestore(&z->lock, flags);
	return n;
}

paddr_t frame_alloc(unsigned order)
{
	return zone_alloc(&kernel_zone, order);
}

void frame_get(paddr_t pa)
{
	zone_frame_get(&kernel_zone, pa);
}

void frame_put(paddr_t pa)
{
	zone_frame_put(&kernel_zone, pa);
}

u32 frame_refcount(paddr_t pa)
{
	return zone_frame_refcount(&kernel_zone, pa);
}

void frame_free(paddr_t pa, unsigned order)
{
	zone_free(&kernel_zone, pa, order);
}

/* A snapshot: other CPUs may change it as soon as the lock is dropped. */
u64 frame_free_pages(void)
{
	u64 flags = spin_lock_irqsave(&kernel_zone.lock);
	u64 n = kernel_zone.free_pages;

	spin_unlock_irqrestore(&kernel_zone.lock, flags);
	return n;
}

/* All pages ever handed to the allocator, free or not. */
u64 frame_total_pages(void)
{
	u64 flags = spin_lock_irqsave(&kernel_zone.lock);
	u64 n = kernel_zone.managed_pages;

	spin_unlock_irqrestore(&kernel_zone.lock, flags);
	return n;
}

/* The block comes back mapped in the direct map, or NULL when out of memory. */
void *kpage_alloc(unsigned order)
{
	paddr_t pa = frame_alloc(order);

	return pa == PADDR_NONE ? NULL : phys_to_virt(pa);
}

/* Takes a pointer from kpage_alloc(); NULL is ignored like kfree(NULL). */
void kpage_free(void *p, unsigned order)
{
	if (p)
		frame_free(virt_to_phys(p), order);
}
