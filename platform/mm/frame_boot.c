/*
 * Handing the boot memory map to the frame allocator. Usable RAM becomes
 * free frames, except what is already in use: the first MiB (firmware
 * data, and the real-mode trampoline later), the kernel image, the
 * Multiboot2 information, the boot modules (the initramfs) and the frame
 * metadata array itself. Memory above 4 GiB is added only once the
 * kernel's own page tables map it (frame_boot_add_high()).
 */
#include <kevlar/boot.h>
#include <kevlar/layout.h>
#include <kevlar/mm.h>
#include <kevlar/panic.h>
#include <kevlar/printk.h>
#include <kevlar/string.h>

#define LOW_LIMIT   (1UL << 20)
#define EARLY_LIMIT (4UL << 30)     /* what the boot page tables map */
#define MAX_HOLES   (BOOT_MAX_MODULES + 4)


struct span {
	paddr_t lo, hi;
};

static struct span holes[MAX_HOLES];
static unsigned nholes;

static void hole_add(paddr_t lo, paddr_t hi)
{
	if (hi <= lo || nholes == MAX_HOLES)
		return;
	holes[nholes++] = (struct span){ ALIGN_DOWN(lo, PAGE_SIZE), ALIGN_UP(hi, PAGE_SIZE) };
}

/* The first hole overlapping [lo, hi), or NULL. */
static const struct span *hole_overlapping(paddr_t lo, paddr_t hi)
{
	for (unsigned i = 0; i < nholes; i++)
		if (holes[i].lo < hi && lo < holes[i].hi)
			return &holes[i];
	return NULL;
}

/* Adds [lo, hi) minus the holes as free frames. */
static void add_free(paddr_t lo, paddr_t hi)
{
	while (lo < hi) {
		const struct span *h = hole_overlapping(lo, hi);
		if (!h) {
			zone_add_free(&kernel_zone, lo >> PAGE_SHIFT, (hi - lo) >> PAGE_SHIFT);
			return;
		}
		if (h->lo > lo)
			add_free(lo, h->lo);
		lo = h->hi;
	}
}

/* A page-aligned span of 'size' bytes of usable RAM below 'limit' that
 * misses every hole, or PADDR_NONE. */
static paddr_t find_span(const struct boot_info *bi, u64 size, paddr_t limit)
{
	for (u32 i = 0; i < bi->nmem; i++) {
		const struct mem_range *r = &bi->mem[i];
		if (r->type != MEM_USABLE)
			continue;
		paddr_t lo = MAX(r->base, LOW_LIMIT);
		paddr_t hi = MIN(r->base + r->len, limit);
		while (lo + size <= hi) {
			const struct span *h = hole_overlapping(lo, lo + size);
			if (!h)
				return lo;
			lo = h->hi;
		}
	}
	return PADDR_NONE;
}

static void add_usable(const struct boot_info *bi, paddr_t from, paddr_t to)
{
	pfn_t end_pfn = kernel_zone.base_pfn + kernel_zone.npages;

	for (u32 i = 0; i < bi->nmem; i++) {
		const struct mem_range *r = &bi->mem[i];
		if (r->type != MEM_USABLE)
			continue;
		paddr_t lo = MAX(r->base, from);
		paddr_t hi = MIN(MIN(r->base + r->len, to), end_pfn << PAGE_SHIFT);
		if (lo < hi)
			add_free(lo, hi);
	}
}

void frame_boot_init(const struct boot_info *bi, paddr_t kernel_start, paddr_t kernel_end)
{
	paddr_t top = 0;

	for (u32 i = 0; i < bi->nmem; i++)
		if (bi->mem[i].type == MEM_USABLE)
			top = MAX(top, bi->mem[i].base + bi->mem[i].len);
	u64 npages = top >> PAGE_SHIFT;
	if (npages > 0xffffffffUL) {
		printk("mm: only the first 16 TiB of RAM is used\n");
		npages = 0xffffffffUL;
	}

	hole_add(0, LOW_LIMIT);
	hole_add(kernel_start, kernel_end);
	hole_add(bi->info_start, bi->info_end);
	for (u32 i = 0; i < bi->nmods; i++)
		hole_add(bi->mods[i].start, bi->mods[i].end);

	u64 meta_size = ALIGN_UP(npages * sizeof(struct frame), PAGE_SIZE);
	paddr_t meta = find_span(bi, meta_size, EARLY_LIMIT);
	if (meta == PADDR_NONE)
		kpanic("mm: no room below 4 GiB for %lu bytes of frame metadata", meta_size);
	hole_add(meta, meta + meta_size);

	zone_init(&kernel_zone, 0, npages, phys_to_virt(meta));
	add_usable(bi, 0, EARLY_LIMIT);
}

void frame_boot_add_high(const struct boot_info *bi)
{
	add_usable(bi, EARLY_LIMIT, ~0UL);
	printk("mm: %lu MiB usable, %lu MiB free\n",
	       (frame_total_pages() * PAGE_SIZE) >> 20, (frame_free_pages() * PAGE_SIZE) >> 20);
}
