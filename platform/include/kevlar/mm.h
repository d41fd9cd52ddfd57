/*
 * Physical frames and the kernel heap.
 *
 * Frames come from a buddy allocator over one zone that spans all usable
 * RAM. Every frame has a struct frame (its metadata lives in an array, never
 * inside the free frames themselves), so the allocator never writes to the
 * memory it manages and a stray write into a free frame cannot corrupt it.
 */
#ifndef KEVLAR_MM_H
#define KEVLAR_MM_H

#include <kevlar/types.h>
#include <kevlar/spinlock.h>

#define FRAME_MAX_ORDER 10            /* largest block: 2^10 pages = 4 MiB */
#define FRAME_NONE      0xffffffffu   /* end of a free list */
#define PADDR_NONE      ((paddr_t)0)  /* frame 0 is never allocatable */

/* Frame flags. */
#define FRAME_RESERVED  0x01   /* not RAM, or owned by the boot image */
#define FRAME_FREE_HEAD 0x02   /* first frame of a free block of 'order' */
#define FRAME_ALLOCATED 0x04   /* first frame of an allocated block */

struct frame {
	u32 next;       /* free list links, as indexes into the zone */
	u32 prev;
	u32 refcount;   /* users of an allocated block (1 after alloc) */
	u8 order;       /* order of the block this frame heads */
	u8 flags;
	u16 reserved;
};

struct frame_zone {
	pfn_t base_pfn;                         /* pfn of frames[0] */
	u64 npages;                             /* length of frames[] */
	struct frame *frames;
	u32 free_head[FRAME_MAX_ORDER + 1];     /* FRAME_NONE when empty */
	u64 free_blocks[FRAME_MAX_ORDER + 1];
	u64 free_pages;
	u64 managed_pages;                      /* pages ever added as free */
	spinlock_irq_t lock;
};

/*
 * Sets up a zone over [base_pfn, base_pfn + npages) with every frame
 * reserved. 'meta' must hold npages entries. npages < 2^32.
 */
void zone_init(struct frame_zone *z, pfn_t base_pfn, u64 npages, struct frame *meta);
/* Adds [pfn, pfn + count) as free memory; clipped to the zone. */
void zone_add_free(struct frame_zone *z, pfn_t pfn, u64 count);
/* Returns the physical address of 2^order contiguous, naturally aligned
 * frames, or PADDR_NONE. */
paddr_t zone_alloc(struct frame_zone *z, unsigned order);
/* Frees a block from zone_alloc(). A bad address, wrong order or double
 * free is a kpanic() with the address in the message. */
void zone_free(struct frame_zone *z, paddr_t pa, unsigned order);
/* Metadata for the frame holding pa, or NULL if outside the zone. */
struct frame *zone_frame(struct frame_zone *z, paddr_t pa);
/*
 * Reference counts of allocated blocks (pa heads one): a block may have
 * several holders (a page shared after fork, a page cache page that is
 * also mapped). zone_alloc() hands a block out with one reference; get
 * adds one; put drops one and frees the block with the last. A get or
 * put of anything but an allocated block's head is a kpanic().
 * zone_frame_refcount() is 0 for a frame that is not allocated.
 */
void zone_frame_get(struct frame_zone *z, paddr_t pa);
void zone_frame_put(struct frame_zone *z, paddr_t pa);
u32 zone_frame_refcount(struct frame_zone *z, paddr_t pa);

/* The kernel's one zone, set up from the boot memory map. */
extern struct frame_zone kernel_zone;
struct boot_info;
void frame_boot_init(const struct boot_info *bi, paddr_t kernel_start, paddr_t kernel_end);
/* Adds RAM above 4 GiB, once the kernel page tables map it. */
void frame_boot_add_high(const struct boot_info *bi);
paddr_t frame_alloc(unsigned order);
void frame_free(paddr_t pa, unsigned order);
/* The zone_frame_ reference counts, on the kernel's zone. frame_free()
 * frees whatever the count; a block with several holders goes back with
 * frame_put() from each. */
void frame_get(paddr_t pa);
void frame_put(paddr_t pa);
u32 frame_refcount(paddr_t pa);
u64 frame_free_pages(void);
u64 frame_total_pages(void);

/* Whole pages, mapped in the direct map. NULL on failure. */
void *kpage_alloc(unsigned order);
void kpage_free(void *p, unsigned order);

/*
 * The kernel heap: size classes from 16 to 2016 bytes carved from single
 * pages, larger requests rounded up to whole buddy blocks. Results are
 * 16-byte aligned. kmalloc(0) returns NULL, as does a request larger than
 * the biggest buddy block less its 16-byte header. kfree(NULL) does
 * nothing; freeing a pointer the heap did not hand out, or freeing twice,
 * is a kpanic().
 */
void *kmalloc(size_t size);
void *kzalloc(size_t size);
void kfree(void *p);
/* Usable size of an allocation (at least what was asked for); 0 for NULL. */
size_t ksize(const void *p);

struct heap_stats {
	u64 bytes_in_use;    /* sum of ksize() of live allocations */
	u64 pages;           /* pages the heap holds from the frame allocator */
	u64 allocs;
	u64 frees;
};
void heap_get_stats(struct heap_stats *st);

#endif
