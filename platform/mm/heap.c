/*
 * The kernel heap.
 *
 * Small requests come from slabs: one page from kpage_alloc(0) per slab,
 * holding a struct slab header at page offset 0 and equal objects of one
 * size class after it. No object starts at offset 0, so kfree() finds the
 * header by rounding the pointer down to its page.
 *
 * Requests larger than the biggest class take a buddy block of their own,
 * with a struct large_hdr at the block start and the object 16 bytes in.
 *
 * kfree() tells the two apart by the magic at the start of the page, after
 * checking with the frame allocator that the page heads an allocated
 * block (order 0 for a slab). It never reads memory the zone does not
 * cover, so a wild pointer is reported instead of faulting.
 *
 * Locking: one spinlock_irq_t for all slabs and the statistics. The frame
 * allocator's lock nests inside it.
 */
#include <kevlar/types.h>
#include <kevlar/layout.h>
#include <kevlar/mm.h>
#include <kevlar/panic.h>
#include <kevlar/spinlock.h>
#include <kevlar/spinlock_irq.h>
#include <kevlar/string.h>

#define SLAB_MAGIC      0x51ab51abu  /* live slab page */
#define SLAB_DEAD       0x51abdeadu  /* slab page given back to the zone */
#define LARGE_MAGIC     0x1a29e0bbu  /* live large block */
#define LARGE_DEAD      0x1a29deadu  /* large block given back to the zone */

#define HEAP_ALIGN      16
#define SLAB_MAP_WORDS  4            /* bitmap of up to 256 objects */

struct slab {
	u32 magic;
	u8 cls;                 /* index into class_size[] */
	u8 pad;
	u16 nfree;
	u16 free;               /* page offset of the first free object, or 0 */
	u16 pad2[3];
	struct slab *next;      /* the class's list of partly used slabs */
	struct slab *prev;
	u64 used[SLAB_MAP_WORDS];  /* bit i set: object i is allocated */
};

struct large_hdr {
	u32 magic;
	u32 order;
	u64 size;               /* what the caller asked for */
};

#define SLAB_OBJ_START  ((unsigned)ALIGN_UP(sizeof(struct slab), HEAP_ALIGN))
#define SLAB_BAD_INDEX  (~0u)
#define LARGE_OFFSET    ALIGN_UP(sizeof(struct large_hdr), HEAP_ALIGN)
#define LARGE_MAX       ((PAGE_SIZE << FRAME_MAX_ORDER) - LARGE_OFFSET)

/*
 * Multiples of 16 (so every object is 16-byte aligned), chosen so that the
 * larger classes fill the page after the header exactly: 1344 fits three,
 * 2016 fits two. Anything above 2016 bytes is a large block.
 */
static const u16 class_size[] = {
	16, 32, 48, 64, 96, 128, 192, 256, 384, 512, 768, 1024, 1344, 2016,
};
#define NCLASSES   ARRAY_SIZE(class_size)
#define SLAB_MAX   class_size[NCLASSES - 1]

_Static_assert(SLAB_OBJ_START == 64, "slab header grew");
_Static_assert((PAGE_SIZE - SLAB_OBJ_START) / 16 <= SLAB_MAP_WORDS * 64,
	       "slab bitmap too small for the 16-byte class");

struct slab_class {
	struct slab *partial;   /* slabs with free and used objects */
	struct slab *spare;     /* at most one empty slab kept for reuse */
};

static struct {
	spinlock_irq_t lock;
	struct slab_class cls[NCLASSES];
	struct heap_stats stats;
} heap = { .lock = SPINLOCK_IRQ_INIT };

/* Where a live allocation was found by heap_lookup(). */
struct heap_obj {
	struct slab *slab;      /* NULL for a large block */
	unsigned idx;           /* object index in the slab */
	struct large_hdr *large;
};

static unsigned slab_nobjs(unsigned cls)
{
	return (unsigned)(PAGE_SIZE - SLAB_OBJ_START) / class_size[cls];
}

/* Returns the smallest class holding 'size' bytes; size <= SLAB_MAX. */
static unsigned size_to_class(size_t size)
{
	unsigned c = 0;

	while (class_size[c] < size)
		c++;
	return c;
}

/* Returns the smallest order whose block holds 'size' after the header. */
static unsigned size_to_order(size_t size)
{
	unsigned order = 0;

	while ((PAGE_SIZE << order) - LARGE_OFFSET < size)
		order++;
	return order;
}

static void *slab_obj(struct slab *s, unsigned off)
{
	return (u8 *)s + off;
}

/*
 * Returns the index of the object of class 'cls' at page offset 'off', or
 * SLAB_BAD_INDEX if no object starts there.
 */
static unsigned slab_index(unsigned cls, unsigned off)
{
	unsigned size = class_size[cls];
	unsigned idx;

	if (off < SLAB_OBJ_START || (off - SLAB_OBJ_START) % size)
		return SLAB_BAD_INDEX;
	idx = (off - SLAB_OBJ_START) / size;
	return idx < slab_nobjs(cls) ? idx : SLAB_BAD_INDEX;
}

static bool slab_used(const struct slab *s, unsigned idx)
{
	return s->used[idx / 64] & (1ULL << (idx % 64));
}

static void slab_mark(struct slab *s, unsigned idx, bool used)
{
	if (used)
		s->used[idx / 64] |= 1ULL << (idx % 64);
	else
		s->used[idx / 64] &= ~(1ULL << (idx % 64));
}

static void partial_push(struct slab_class *sc, struct slab *s)
{
	s->prev = NULL;
	s->next = sc->partial;
	if (sc->partial)
		sc->partial->prev = s;
	sc->partial = s;
}

static void partial_remove(struct slab_class *sc, struct slab *s)
{
	if (s->prev)
		s->prev->next = s->next;
	else
		sc->partial = s->next;
	if (s->next)
		s->next->prev = s->prev;
	s->next = NULL;
	s->prev = NULL;
}

/*
 * Returns a fresh page laid out as an empty slab of class 'cls' with every
 * object on its free list, or NULL when the frame allocator is out of
 * memory. Called with the heap locked.
 */
static struct slab *slab_create(unsigned cls)
{
	struct slab *s = kpage_alloc(0);
	unsigned n = slab_nobjs(cls);
	unsigned size = class_size[cls];

	if (!s)
		return NULL;
	memset(s, 0, sizeof(*s));
	s->magic = SLAB_MAGIC;
	s->cls = (u8)cls;
	s->nfree = (u16)n;
	s->free = SLAB_OBJ_START;
	for (unsigned i = 0; i < n; i++) {
		unsigned off = SLAB_OBJ_START + i * size;
		u16 next = i + 1 < n ? (u16)(off + size) : 0;

		*(u16 *)slab_obj(s, off) = next;
	}
	heap.stats.pages++;
	return s;
}

/*
 * Disposes of a slab that just became empty: it becomes the class's spare
 * if there is none, so a class hovering around a slab boundary does not
 * thrash the frame allocator; otherwise its page goes back.
 */
static void slab_retire(struct slab_class *sc, struct slab *s)
{
	if (!sc->spare) {
		sc->spare = s;
		return;
	}
	s->magic = SLAB_DEAD;
	heap.stats.pages--;
	kpage_free(s, 0);
}

/*
 * Takes one object from a slab of class 'cls', creating the slab if the
 * class has none with room. NULL when out of memory. A corrupted free list
 * is a kpanic(). Called with the heap locked.
 */
static void *slab_alloc(unsigned cls, u64 irqflags)
{
	struct slab_class *sc = &heap.cls[cls];
	struct slab *s = sc->partial;
	unsigned off, idx;

	if (!s) {
		s = sc->spare ? sc->spare : slab_create(cls);
		sc->spare = NULL;
		if (!s)
			return NULL;
		partial_push(sc, s);
	}
	off = s->free;
	idx = slab_index(cls, off);
	if (idx == SLAB_BAD_INDEX || slab_used(s, idx)) {
		spin_unlock_irqrestore(&heap.lock, irqflags);
		kpanic("kmalloc: slab %p free list corrupted (offset %#x)",
		       (void *)s, off);
	}
	s->free = *(u16 *)slab_obj(s, off);
	s->nfree--;
	slab_mark(s, idx, true);
	if (!s->nfree)
		partial_remove(sc, s);
	return slab_obj(s, off);
}

/* Puts object 'idx' back on its slab; the slab may go back to the zone. */
static void slab_free(struct slab *s, unsigned idx)
{
	struct slab_class *sc = &heap.cls[s->cls];
	unsigned off = SLAB_OBJ_START + idx * class_size[s->cls];
	bool was_full = s->nfree == 0;

	slab_mark(s, idx, false);
	*(u16 *)slab_obj(s, off) = s->free;
	s->free = (u16)off;
	s->nfree++;
	if (s->nfree == slab_nobjs(s->cls)) {
		if (!was_full)
			partial_remove(sc, s);
		slab_retire(sc, s);
	} else if (was_full) {
		partial_push(sc, s);
	}
}

/* Returns a block of its own for 'size' bytes, or NULL. */
static void *large_alloc(size_t size)
{
	unsigned order = size_to_order(size);
	struct large_hdr *h = kpage_alloc(order);
	u64 flags;

	if (!h)
		return NULL;
	h->magic = LARGE_MAGIC;
	h->order = order;
	h->size = size;
	flags = spin_lock_irqsave(&heap.lock);
	heap.stats.pages += 1ULL << order;
	heap.stats.bytes_in_use += (PAGE_SIZE << order) - LARGE_OFFSET;
	heap.stats.allocs++;
	spin_unlock_irqrestore(&heap.lock, flags);
	return (u8 *)h + LARGE_OFFSET;
}

/*
 * kmalloc(0) returns NULL, as does a request above the largest buddy block
 * less its header. The result is 16-byte aligned.
 */
void *kmalloc(size_t size)
{
	unsigned cls;
	u64 flags;
	void *p;

	if (size == 0 || size > LARGE_MAX)
		return NULL;
	if (size > SLAB_MAX)
		return large_alloc(size);
	cls = size_to_class(size);
	flags = spin_lock_irqsave(&heap.lock);
	p = slab_alloc(cls, flags);
	if (p) {
		heap.stats.bytes_in_use += class_size[cls];
		heap.stats.allocs++;
	}
	spin_unlock_irqrestore(&heap.lock, flags);
	return p;
}

/* As kmalloc(), with the first 'size' bytes zeroed. */
void *kzalloc(size_t size)
{
	void *p = kmalloc(size);

	if (p)
		memset(p, 0, size);
	return p;
}

/* Checks a pointer that the page header says is in a slab. */
static const char *slab_lookup(struct slab *s, const void *p,
			       struct heap_obj *o)
{
	unsigned off = (unsigned)((vaddr_t)p - (vaddr_t)s);
	unsigned idx;

	if (s->cls >= NCLASSES)
		return "slab header corrupted";
	idx = slab_index(s->cls, off);
	if (idx == SLAB_BAD_INDEX)
		return "not at an object boundary";
	if (!slab_used(s, idx))
		return "double free (object is not allocated)";
	o->slab = s;
	o->idx = idx;
	o->large = NULL;
	return NULL;
}

/* Checks a pointer that the page header says is in a large block. */
static const char *large_lookup(struct large_hdr *h, const struct frame *f,
				const void *p, struct heap_obj *o)
{
	if ((const u8 *)p != (u8 *)h + LARGE_OFFSET)
		return "not at the start of a large block";
	if (h->order != f->order || h->size > (PAGE_SIZE << h->order) -
	    LARGE_OFFSET)
		return "large block header corrupted";
	o->slab = NULL;
	o->large = h;
	return NULL;
}

/*
 * True if pa lies in an allocated buddy block but not in its first page:
 * such a page holds caller data, so whatever it starts with is no header.
 */
static bool inside_allocated_block(paddr_t pa)
{
	for (unsigned k = 1; k <= FRAME_MAX_ORDER; k++) {
		paddr_t head = ALIGN_DOWN(pa, PAGE_SIZE << k);
		struct frame *f = zone_frame(&kernel_zone, head);

		if (f && (f->flags & FRAME_ALLOCATED) && f->order >= k)
			return true;
	}
	return false;
}

/*
 * Finds the live allocation at p, or returns why p is not one. Only RAM
 * that the zone manages is read, so a wild pointer cannot fault here.
 * Called with the heap locked.
 */
static const char *heap_lookup(const void *p, struct heap_obj *o)
{
	u32 *page = (u32 *)ALIGN_DOWN((vaddr_t)p, PAGE_SIZE);
	struct frame *f = zone_frame(&kernel_zone, virt_to_phys(page));

	if (!f || (f->flags & FRAME_RESERVED))
		return "not a heap pointer";
	if (!(f->flags & FRAME_ALLOCATED)) {
		if (inside_allocated_block(virt_to_phys(page)))
			return "not a heap pointer (inside a multi-page block)";
		if (*page == SLAB_DEAD || *page == LARGE_DEAD)
			return "double free (memory already released)";
		return "not a heap pointer";
	}
	if (*page == SLAB_MAGIC && f->order == 0)
		return slab_lookup((struct slab *)page, p, o);
	if (*page == LARGE_MAGIC)
		return large_lookup((struct large_hdr *)page, f, p, o);
	if (*page == LARGE_DEAD)
		return "double free (large block already freed)";
	return "not a heap pointer";
}

static size_t obj_size(const struct heap_obj *o)
{
	if (o->slab)
		return class_size[o->slab->cls];
	return (PAGE_SIZE << o->large->order) - LARGE_OFFSET;
}

/* Frees a large block; the heap lock is dropped before the zone is called. */
static void large_free(struct large_hdr *h, u64 flags)
{
	unsigned order = h->order;

	h->magic = LARGE_DEAD;
	heap.stats.pages -= 1ULL << order;
	spin_unlock_irqrestore(&heap.lock, flags);
	kpage_free(h, order);
}

/*
 * Every check happens before anything is changed, and kpanic() runs with
 * the heap unlocked so the panic path may still allocate.
 */
void kfree(void *p)
{
	struct heap_obj o;
	const char *why;
	u64 flags;

	if (!p)
		return;
	flags = spin_lock_irqsave(&heap.lock);
	why = heap_lookup(p, &o);
	if (why) {
		spin_unlock_irqrestore(&heap.lock, flags);
		kpanic("kfree(%p): %s", p, why);
	}
	heap.stats.bytes_in_use -= obj_size(&o);
	heap.stats.frees++;
	if (o.large) {
		large_free(o.large, flags);
		return;
	}
	slab_free(o.slab, o.idx);
	spin_unlock_irqrestore(&heap.lock, flags);
}

/*
 * ksize(NULL) is 0. Any other pointer that kfree() would reject is a
 * kpanic() here as well.
 */
size_t ksize(const void *p)
{
	struct heap_obj o;
	const char *why;
	size_t n;
	u64 flags;

	if (!p)
		return 0;
	flags = spin_lock_irqsave(&heap.lock);
	why = heap_lookup(p, &o);
	if (why) {
		spin_unlock_irqrestore(&heap.lock, flags);
		kpanic("ksize(%p): %s", p, why);
	}
	n = obj_size(&o);
	spin_unlock_irqrestore(&heap.lock, flags);
	return n;
}

/* A consistent snapshot of the counters. */
void heap_get_stats(struct heap_stats *st)
{
	u64 flags = spin_lock_irqsave(&heap.lock);

	*st = heap.stats;
	spin_unlock_irqrestore(&heap.lock, flags);
}
