/*
 * The buddy frame allocator (platform/mm/frame.c).
 *
 * Zones either have metadata only (the allocator never touches the memory
 * it manages, so any pfn range works, pfn 0 included) or are backed by a
 * host buffer whose addresses are its "physical" addresses, so that blocks
 * can be filled with patterns.
 */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <kevlar/mm.h>
#include <kevlar/spinlock.h>
#include <kevlar/irq.h>

#include "host.h"
#include "suites.h"

/*
 * ck_assert() reports every check that passes to the runner, which is far
 * too slow inside loops over every frame or word; this only reports
 * failures.
 */
#define REQUIRE(cond)                                                       \
	do {                                                                \
		if (!(cond))                                                \
			ck_abort_msg("%s:%d: failed: %s", __FILE__, __LINE__, \
				     #cond);                                \
	} while (0)

#define MAX_BLOCK_PAGES (1UL << FRAME_MAX_ORDER)
#define MAX_BLOCK_BYTES (PAGE_SIZE << FRAME_MAX_ORDER)

struct tzone {
	struct frame_zone z;
	struct frame *meta;
	void *mem;
};

struct zone_snap {
	u64 free_pages;
	u64 free_blocks[FRAME_MAX_ORDER + 1];
};

static u64 rng_state;

static void rng_seed(u64 seed)
{
	rng_state = seed * 0x9e3779b97f4a7c15ULL + 1;
}

static u64 rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static void shuffle(size_t *v, size_t n)
{
	for (size_t i = n; i > 1; i--) {
		size_t j = rng() % i;
		size_t t = v[i - 1];

		v[i - 1] = v[j];
		v[j] = t;
	}
}

/* A zone with metadata only: its "memory" is never touched. */
static void tz_meta(struct tzone *t, pfn_t base, u64 npages)
{
	t->meta = calloc(npages ? npages : 1, sizeof(*t->meta));
	ck_assert_ptr_nonnull(t->meta);
	t->mem = NULL;
	zone_init(&t->z, base, npages, t->meta);
}

/*
 * A zone over a host buffer: 'skew' pages past a 4 MiB boundary, so
 * skew == 0 gives a zone made of whole maximal blocks. Nothing is free yet.
 */
static void tz_backed(struct tzone *t, u64 npages, u64 skew)
{
	size_t bytes = ALIGN_UP((npages + skew) * PAGE_SIZE, MAX_BLOCK_BYTES);

	t->mem = aligned_alloc(MAX_BLOCK_BYTES, bytes);
	ck_assert_ptr_nonnull(t->mem);
	t->meta = calloc(npages, sizeof(*t->meta));
	ck_assert_ptr_nonnull(t->meta);
	zone_init(&t->z, ((uintptr_t)t->mem >> PAGE_SHIFT) + skew, npages,
		  t->meta);
}

static void tz_free(struct tzone *t)
{
	free(t->meta);
	free(t->mem);
}

static struct zone_snap snap(const struct frame_zone *z)
{
	struct zone_snap s;

	s.free_pages = z->free_pages;
	for (unsigned k = 0; k <= FRAME_MAX_ORDER; k++)
		s.free_blocks[k] = z->free_blocks[k];
	return s;
}

static void assert_snap_eq(const struct zone_snap *a, const struct zone_snap *b)
{
	ck_assert_uint_eq(a->free_pages, b->free_pages);
	for (unsigned k = 0; k <= FRAME_MAX_ORDER; k++)
		ck_assert_msg(a->free_blocks[k] == b->free_blocks[k],
			      "order %u: %llu free blocks, expected %llu", k,
			      (unsigned long long)a->free_blocks[k],
			      (unsigned long long)b->free_blocks[k]);
}

/* Checks the blocks on list 'k'; marks their frames in 'seen'. */
static u64 check_list(const struct frame_zone *z, unsigned k, u8 *seen)
{
	u64 count = 0;
	u32 prev = FRAME_NONE;

	for (u32 i = z->free_head[k]; i != FRAME_NONE; i = z->frames[i].next) {
		const struct frame *f = &z->frames[i];
		pfn_t pfn = z->base_pfn + i;
		pfn_t buddy = pfn ^ (1ULL << k);

		REQUIRE(i < z->npages);
		REQUIRE(f->prev == prev);
		REQUIRE(f->flags == FRAME_FREE_HEAD);
		REQUIRE(f->order == k);
		REQUIRE(f->refcount == 0);
		REQUIRE((pfn & ((1ULL << k) - 1)) == 0);
		REQUIRE(i + (1ULL << k) <= z->npages);
		REQUIRE(pfn != 0);
		for (u64 j = i; j < i + (1ULL << k); j++) {
			REQUIRE(!seen[j]);
			seen[j] = 1;
			if (j != i)
				REQUIRE(z->frames[j].flags == 0);
		}
		/* Fully coalesced: the buddy is not a free block of order k. */
		if (k < FRAME_MAX_ORDER && buddy >= z->base_pfn &&
		    buddy - z->base_pfn < z->npages) {
			const struct frame *b = &z->frames[buddy - z->base_pfn];

			REQUIRE(!(b->flags == FRAME_FREE_HEAD && b->order == k));
		}
		prev = i;
		count++;
		REQUIRE(count <= z->npages);
	}
	return count;
}

/* Walks every free list and checks the buddy invariants. */
static void check_zone(const struct frame_zone *z)
{
	u8 *seen = calloc(z->npages ? z->npages : 1, 1);
	u64 pages = 0;

	ck_assert_ptr_nonnull(seen);
	ck_assert(!spin_is_locked(&z->lock.raw));
	for (unsigned k = 0; k <= FRAME_MAX_ORDER; k++) {
		u64 n = check_list(z, k, seen);

		ck_assert_uint_eq(n, z->free_blocks[k]);
		pages += n << k;
	}
	ck_assert_uint_eq(pages, z->free_pages);
	for (u64 i = 0; i < z->npages; i++)
		if (!seen[i])
			REQUIRE(!(z->frames[i].flags & FRAME_FREE_HEAD));
	free(seen);
}

static pfn_t pa_pfn(paddr_t pa)
{
	return pa >> PAGE_SHIFT;
}

START_TEST(init_reserves_everything)
{
	struct tzone t;

	tz_meta(&t, 100, 64);
	for (u64 i = 0; i < 64; i++)
		ck_assert_uint_eq(t.meta[i].flags, FRAME_RESERVED);
	ck_assert_uint_eq(t.z.free_pages, 0);
	ck_assert_uint_eq(t.z.managed_pages, 0);
	for (unsigned k = 0; k <= FRAME_MAX_ORDER; k++)
		ck_assert_uint_eq(t.z.free_head[k], FRAME_NONE);
	ck_assert_uint_eq(zone_alloc(&t.z, 0), PADDR_NONE);
	check_zone(&t.z);
	tz_free(&t);
}
END_TEST

START_TEST(aligned_range_is_maximal_blocks)
{
	struct tzone t;

	tz_meta(&t, 0, 8192);
	zone_add_free(&t.z, 2048, 4096);
	ck_assert_uint_eq(t.z.free_pages, 4096);
	ck_assert_uint_eq(t.z.managed_pages, 4096);
	ck_assert_uint_eq(t.z.free_blocks[FRAME_MAX_ORDER], 4);
	for (unsigned k = 0; k < FRAME_MAX_ORDER; k++)
		ck_assert_uint_eq(t.z.free_blocks[k], 0);
	check_zone(&t.z);
	tz_free(&t);
}
END_TEST

START_TEST(unaligned_range_is_split)
{
	struct tzone t;
	/* [3, 1029): 3 | 4-7 | 8-15 | ... | 512-1023 | 1024-1027 | 1028 */
	static const u64 want[FRAME_MAX_ORDER + 1] = {
		2, 0, 2, 1, 1, 1, 1, 1, 1, 1, 0,
	};

	tz_meta(&t, 0, 4096);
	zone_add_free(&t.z, 3, 1026);
	ck_assert_uint_eq(t.z.free_pages, 1026);
	for (unsigned k = 0; k <= FRAME_MAX_ORDER; k++)
		ck_assert_uint_eq(t.z.free_blocks[k], want[k]);
	check_zone(&t.z);
	tz_free(&t);
}
END_TEST

/* Alignment is relative to the absolute pfn, not to the zone's base. */
START_TEST(alignment_follows_absolute_pfn)
{
	struct tzone t;

	tz_meta(&t, 5, 3000);
	zone_add_free(&t.z, 0, 1ULL << 40);
	ck_assert_uint_eq(t.z.free_pages, 3000);
	check_zone(&t.z);
	for (unsigned k = 0; k <= FRAME_MAX_ORDER; k++) {
		paddr_t pa = zone_alloc(&t.z, k);

		ck_assert_uint_ne(pa, PADDR_NONE);
		ck_assert_uint_eq(pa & ((PAGE_SIZE << k) - 1), 0);
		ck_assert_uint_ge(pa_pfn(pa), 5);
		ck_assert_uint_le(pa_pfn(pa) + (1ULL << k), 3005);
	}
	check_zone(&t.z);
	tz_free(&t);
}
END_TEST

START_TEST(frame_zero_never_allocated)
{
	struct tzone t;
	paddr_t pa;
	u64 n = 0;

	tz_meta(&t, 0, 16);
	zone_add_free(&t.z, 0, 16);
	ck_assert_uint_eq(t.z.free_pages, 15);
	ck_assert_uint_eq(t.z.managed_pages, 15);
	ck_assert_uint_eq(t.meta[0].flags, FRAME_RESERVED);
	check_zone(&t.z);
	zone_add_free(&t.z, 0, 1);
	ck_assert_uint_eq(t.z.free_pages, 15);
	ck_assert_uint_eq(zone_alloc(&t.z, 4), PADDR_NONE);
	while ((pa = zone_alloc(&t.z, 0)) != PADDR_NONE) {
		ck_assert_uint_ne(pa_pfn(pa), 0);
		n++;
	}
	ck_assert_uint_eq(n, 15);
	ck_assert_uint_eq(t.z.free_pages, 0);
	tz_free(&t);
}
END_TEST

START_TEST(ranges_are_clipped_to_the_zone)
{
	struct tzone t;

	tz_meta(&t, 1000, 100);
	zone_add_free(&t.z, 0, 10);             /* wholly below */
	zone_add_free(&t.z, 1100, 50);          /* wholly above */
	zone_add_free(&t.z, 5000, UINT64_MAX);  /* above, count overflows */
	zone_add_free(&t.z, 1010, 0);           /* empty */
	ck_assert_uint_eq(t.z.free_pages, 0);
	zone_add_free(&t.z, 990, 20);           /* straddles the base */
	ck_assert_uint_eq(t.z.free_pages, 10);
	zone_add_free(&t.z, 1090, UINT64_MAX);  /* straddles the end */
	ck_assert_uint_eq(t.z.free_pages, 20);
	zone_add_free(&t.z, 0, UINT64_MAX);     /* everything */
	ck_assert_uint_eq(t.z.free_pages, 100);
	ck_assert_uint_eq(t.z.managed_pages, 100);
	check_zone(&t.z);
	tz_free(&t);
}
END_TEST

/* Adjacent and overlapping ranges merge; nothing is counted twice. */
START_TEST(overlapping_ranges_merge)
{
	struct tzone t;
	paddr_t held;

	tz_meta(&t, 0, 2048);
	zone_add_free(&t.z, 1024, 512);
	zone_add_free(&t.z, 1536, 512);
	ck_assert_uint_eq(t.z.free_blocks[FRAME_MAX_ORDER], 1);
	zone_add_free(&t.z, 1000, 1048);
	ck_assert_uint_eq(t.z.free_pages, 1048);
	ck_assert_uint_eq(t.z.managed_pages, 1048);
	check_zone(&t.z);

	held = zone_alloc(&t.z, 0);
	ck_assert_uint_ne(held, PADDR_NONE);
	zone_add_free(&t.z, 0, 2048);   /* must not free 'held' */
	ck_assert_uint_eq(t.z.free_pages, 2046);
	ck_assert_uint_eq(t.z.managed_pages, 2047);
	ck_assert_uint_eq(zone_frame(&t.z, held)->flags, FRAME_ALLOCATED);
	zone_free(&t.z, held, 0);
	ck_assert_uint_eq(t.z.free_pages, 2047);
	check_zone(&t.z);
	tz_free(&t);
}
END_TEST

START_TEST(split_and_coalesce)
{
	struct tzone t;
	struct zone_snap before;
	paddr_t pa;

	tz_meta(&t, 1024, 1024);
	zone_add_free(&t.z, 1024, 1024);
	before = snap(&t.z);
	pa = zone_alloc(&t.z, 0);
	ck_assert_uint_eq(pa, 1024ULL << PAGE_SHIFT);
	for (unsigned k = 0; k < FRAME_MAX_ORDER; k++)
		ck_assert_uint_eq(t.z.free_blocks[k], 1);
	ck_assert_uint_eq(t.z.free_blocks[FRAME_MAX_ORDER], 0);
	ck_assert_uint_eq(t.z.free_pages, 1023);
	check_zone(&t.z);
	zone_free(&t.z, pa, 0);
	{
		struct zone_snap after = snap(&t.z);

		assert_snap_eq(&after, &before);
	}
	check_zone(&t.z);
	tz_free(&t);
}
END_TEST

START_TEST(metadata_tracks_ownership)
{
	struct tzone t;
	paddr_t pa;
	struct frame *f;

	tz_meta(&t, 0, 64);
	zone_add_free(&t.z, 0, 64);
	pa = zone_alloc(&t.z, 2);
	f = zone_frame(&t.z, pa);
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(f->flags, FRAME_ALLOCATED);
	ck_assert_uint_eq(f->order, 2);
	ck_assert_uint_eq(f->refcount, 1);
	ck_assert_ptr_eq(zone_frame(&t.z, pa + 123), f);
	ck_assert_ptr_eq(zone_frame(&t.z, pa + PAGE_SIZE), f + 1);
	ck_assert_uint_eq(f[1].flags, 0);
	zone_free(&t.z, pa, 2);
	ck_assert_uint_eq(f->refcount, 0);
	ck_assert(!(f->flags & FRAME_ALLOCATED));
	ck_assert_ptr_null(zone_frame(&t.z, 64ULL << PAGE_SHIFT));
	ck_assert_ptr_nonnull(zone_frame(&t.z, 0));
	tz_free(&t);
}
END_TEST

START_TEST(order_too_large_fails)
{
	struct tzone t;

	tz_meta(&t, 0, 4096);
	zone_add_free(&t.z, 0, 4096);
	ck_assert_uint_eq(zone_alloc(&t.z, FRAME_MAX_ORDER + 1), PADDR_NONE);
	ck_assert_uint_eq(zone_alloc(&t.z, 1000), PADDR_NONE);
	ck_assert_uint_ne(zone_alloc(&t.z, FRAME_MAX_ORDER), PADDR_NONE);
	tz_free(&t);
}
END_TEST

/* Free pages that are fragmented cannot satisfy a large order. */
START_TEST(fragmentation_limits_large_orders)
{
	struct tzone t;
	paddr_t pa[1024];

	tz_meta(&t, 1024, 1024);
	zone_add_free(&t.z, 1024, 1024);
	for (unsigned i = 0; i < 1024; i++)
		pa[i] = zone_alloc(&t.z, 0);
	for (unsigned i = 0; i < 1024; i += 2)
		zone_free(&t.z, pa[i], 0);
	ck_assert_uint_eq(t.z.free_pages, 512);
	ck_assert_uint_eq(t.z.free_blocks[0], 512);
	ck_assert_uint_eq(zone_alloc(&t.z, 1), PADDR_NONE);
	check_zone(&t.z);
	for (unsigned i = 1; i < 1024; i += 2)
		zone_free(&t.z, pa[i], 0);
	ck_assert_uint_eq(t.z.free_blocks[FRAME_MAX_ORDER], 1);
	check_zone(&t.z);
	tz_free(&t);
}
END_TEST

struct block {
	paddr_t pa;
	unsigned order;
};

static void fill_block(const struct block *b, u64 tag)
{
	u64 *w = (u64 *)(uintptr_t)b->pa;
	size_t n = (PAGE_SIZE << b->order) / sizeof(u64);

	for (size_t i = 0; i < n; i++)
		w[i] = tag ^ (i * 0x100000001b3ULL);
}

static void verify_block(const struct block *b, u64 tag)
{
	const u64 *w = (const u64 *)(uintptr_t)b->pa;
	size_t n = (PAGE_SIZE << b->order) / sizeof(u64);

	for (size_t i = 0; i < n; i++)
		if (w[i] != (tag ^ (i * 0x100000001b3ULL)))
			ck_abort_msg("block %#llx overwritten at word %zu",
				     (unsigned long long)b->pa, i);
}

/*
 * Allocates random orders until the zone is exhausted, fills every block,
 * checks nothing overlapped, then frees in a random order: the zone must
 * return exactly to its initial maximal blocks.
 */
static void exhaust_and_coalesce(u64 npages, u64 skew, u64 seed)
{
	struct tzone t;
	struct zone_snap before, after;
	struct block *b = calloc(npages, sizeof(*b));
	size_t *order = calloc(npages, sizeof(*order));
	size_t n = 0;
	u64 pages = 0;

	ck_assert_ptr_nonnull(b);
	ck_assert_ptr_nonnull(order);
	rng_seed(seed);
	tz_backed(&t, npages, skew);
	zone_add_free(&t.z, 0, UINT64_MAX);
	before = snap(&t.z);
	ck_assert_uint_eq(before.free_pages, npages);
	for (;;) {
		unsigned k = rng() % (FRAME_MAX_ORDER + 1);
		paddr_t pa = zone_alloc(&t.z, k);

		while (pa == PADDR_NONE && k > 0)
			pa = zone_alloc(&t.z, --k);
		if (pa == PADDR_NONE)
			break;
		ck_assert_uint_eq(pa & ((PAGE_SIZE << k) - 1), 0);
		b[n].pa = pa;
		b[n].order = k;
		fill_block(&b[n], seed + n);
		pages += 1ULL << k;
		n++;
	}
	ck_assert_uint_eq(pages, npages);
	ck_assert_uint_eq(t.z.free_pages, 0);
	for (size_t i = 0; i < n; i++) {
		verify_block(&b[i], seed + i);
		order[i] = i;
	}
	shuffle(order, n);
	for (size_t i = 0; i < n; i++)
		zone_free(&t.z, b[order[i]].pa, b[order[i]].order);
	after = snap(&t.z);
	assert_snap_eq(&after, &before);
	check_zone(&t.z);
	tz_free(&t);
	free(b);
	free(order);
}

START_TEST(exhaust_fill_free_random)
{
	exhaust_and_coalesce(4096, 0, (u64)_i + 1);
}
END_TEST

START_TEST(exhaust_fill_free_unaligned_zone)
{
	exhaust_and_coalesce(3001, 7, (u64)_i + 100);
}
END_TEST

/* Freeing all single pages in a random order rebuilds the large blocks. */
START_TEST(coalesce_from_single_pages)
{
	struct tzone t;
	struct zone_snap before, after;
	size_t n = 2048 + 5;
	paddr_t *pa = calloc(n, sizeof(*pa));
	size_t *idx = calloc(n, sizeof(*idx));

	rng_seed((u64)_i + 7);
	tz_meta(&t, 1019, n);
	zone_add_free(&t.z, 0, UINT64_MAX);
	before = snap(&t.z);
	for (size_t i = 0; i < n; i++) {
		pa[i] = zone_alloc(&t.z, 0);
		ck_assert_uint_ne(pa[i], PADDR_NONE);
		idx[i] = i;
	}
	ck_assert_uint_eq(zone_alloc(&t.z, 0), PADDR_NONE);
	shuffle(idx, n);
	for (size_t i = 0; i < n; i++)
		zone_free(&t.z, pa[idx[i]], 0);
	after = snap(&t.z);
	assert_snap_eq(&after, &before);
	check_zone(&t.z);
	tz_free(&t);
	free(pa);
	free(idx);
}
END_TEST

/* Expects zone_free(pa, order) to panic naming pa, and the zone to survive. */
static void expect_free_panic(struct tzone *t, paddr_t pa, unsigned order,
			      const char *why)
{
	char hex[32];

	snprintf(hex, sizeof(hex), "%#llx", (unsigned long long)pa);
	ck_assert_msg(HOST_PANICS(zone_free(&t->z, pa, order)),
		      "zone_free(%s, %u) did not panic", hex, order);
	ck_assert_msg(strstr(host_panic_message(), hex),
		      "panic message lacks %s: %s", hex, host_panic_message());
	ck_assert_msg(strstr(host_panic_message(), why),
		      "panic message lacks '%s': %s", why, host_panic_message());
	ck_assert(irq_enabled());
	check_zone(&t->z);
}

START_TEST(bad_frees_panic)
{
	struct tzone t;
	paddr_t a, b, c;
	u64 base = 4096;

	tz_meta(&t, base, 4096);
	zone_add_free(&t.z, base + 16, 4096 - 16);
	a = zone_alloc(&t.z, 1);
	b = zone_alloc(&t.z, 0);
	c = zone_alloc(&t.z, 0);
	ck_assert_uint_ne(c, PADDR_NONE);
	zone_free(&t.z, c, 0);

	expect_free_panic(&t, (base - 1) << PAGE_SHIFT, 0, "outside");
	expect_free_panic(&t, (base + 4096) << PAGE_SHIFT, 0, "outside");
	expect_free_panic(&t, 0, 0, "outside");
	expect_free_panic(&t, a + 8, 1, "not page aligned");
	expect_free_panic(&t, b + 0x800, 0, "not page aligned");
	expect_free_panic(&t, a + PAGE_SIZE, 0, "not the head");
	expect_free_panic(&t, a, 0, "wrong order");
	expect_free_panic(&t, a, 2, "wrong order");
	expect_free_panic(&t, b, 1, "wrong order");
	expect_free_panic(&t, a, FRAME_MAX_ORDER + 1, "order");
	expect_free_panic(&t, c, 0, "double free");
	expect_free_panic(&t, base << PAGE_SHIFT, 0, "reserved");

	/* Everything still works, and a real double free is caught. */
	zone_free(&t.z, a, 1);
	zone_free(&t.z, b, 0);
	expect_free_panic(&t, b, 0, "");
	expect_free_panic(&t, a, 1, "");
	ck_assert_uint_eq(t.z.free_pages, 4096 - 16);
	ck_assert_uint_ne(zone_alloc(&t.z, FRAME_MAX_ORDER), PADDR_NONE);
	tz_free(&t);
}
END_TEST

/* A frame freed into a larger block is no longer a block head. */
START_TEST(double_free_after_merge_panics)
{
	struct tzone t;
	paddr_t a, b;

	tz_meta(&t, 0, 4);
	zone_add_free(&t.z, 2, 2);
	a = zone_alloc(&t.z, 0);
	b = zone_alloc(&t.z, 0);
	zone_free(&t.z, a, 0);
	zone_free(&t.z, b, 0);
	ck_assert_uint_eq(t.z.free_blocks[1], 1);
	expect_free_panic(&t, a, 0, "");
	expect_free_panic(&t, b, 0, "");
	tz_free(&t);
}
END_TEST

/* Page state in the shadow model. */
#define SH_FREE  (-1)

struct stress {
	struct tzone t;
	int *owner;             /* per page: SH_FREE or the live block */
	struct block *live;
	u64 *tag;
	size_t nlive;
	u64 free_pages;
};

/* True if the shadow has a free, naturally aligned run of 2^k pages. */
static bool shadow_has_run(const struct stress *s, unsigned k)
{
	u64 n = s->t.z.npages;
	pfn_t base = s->t.z.base_pfn;
	pfn_t first = ALIGN_UP(base, 1ULL << k);

	for (pfn_t p = first; p + (1ULL << k) <= base + n; p += 1ULL << k) {
		bool all = true;

		for (u64 j = 0; j < (1ULL << k) && all; j++)
			all = s->owner[p - base + j] == SH_FREE;
		if (all)
			return true;
	}
	return false;
}

static void stress_alloc(struct stress *s, unsigned k)
{
	paddr_t pa = zone_alloc(&s->t.z, k);
	pfn_t first;

	if (pa == PADDR_NONE) {
		if (shadow_has_run(s, k))
			ck_abort_msg("order %u failed with an aligned free run",
				     k);
		return;
	}
	REQUIRE((pa & ((PAGE_SIZE << k) - 1)) == 0);
	first = pa_pfn(pa) - s->t.z.base_pfn;
	REQUIRE(first + (1ULL << k) <= s->t.z.npages);
	for (u64 j = 0; j < (1ULL << k); j++) {
		REQUIRE(s->owner[first + j] == SH_FREE);
		s->owner[first + j] = (int)s->nlive;
	}
	s->live[s->nlive].pa = pa;
	s->live[s->nlive].order = k;
	s->tag[s->nlive] = rng();
	fill_block(&s->live[s->nlive], s->tag[s->nlive]);
	s->nlive++;
	s->free_pages -= 1ULL << k;
}

/* Frees live block i; the last live block moves into its slot. */
static void stress_free(struct stress *s, size_t i)
{
	struct block b = s->live[i];
	pfn_t first = pa_pfn(b.pa) - s->t.z.base_pfn;
	size_t last = s->nlive - 1;

	verify_block(&b, s->tag[i]);
	zone_free(&s->t.z, b.pa, b.order);
	for (u64 j = 0; j < (1ULL << b.order); j++)
		s->owner[first + j] = SH_FREE;
	s->free_pages += 1ULL << b.order;
	if (i != last) {
		pfn_t lf = pa_pfn(s->live[last].pa) - s->t.z.base_pfn;

		s->live[i] = s->live[last];
		s->tag[i] = s->tag[last];
		for (u64 j = 0; j < (1ULL << s->live[i].order); j++)
			s->owner[lf + j] = (int)i;
	}
	s->nlive--;
}

/* Small orders are the common case; big ones still happen. */
static unsigned stress_order(void)
{
	u64 r = rng() % 100;

	if (r < 60)
		return 0;
	if (r < 90)
		return 1 + rng() % 3;
	return 4 + rng() % (FRAME_MAX_ORDER - 3);
}

START_TEST(random_stress_against_shadow)
{
	struct stress s;
	struct zone_snap before, after;
	u64 npages = 4096 + 3 * 1024 + 77;

	rng_seed((u64)_i + 1000);
	tz_backed(&s.t, npages, 3);
	zone_add_free(&s.t.z, 0, UINT64_MAX);
	before = snap(&s.t.z);
	s.owner = malloc(npages * sizeof(*s.owner));
	s.live = calloc(npages, sizeof(*s.live));
	s.tag = calloc(npages, sizeof(*s.tag));
	for (u64 i = 0; i < npages; i++)
		s.owner[i] = SH_FREE;
	s.nlive = 0;
	s.free_pages = npages;
	for (int op = 0; op < 6000; op++) {
		if (s.nlive && rng() % 100 < 45)
			stress_free(&s, rng() % s.nlive);
		else
			stress_alloc(&s, stress_order());
		REQUIRE(s.t.z.free_pages == s.free_pages);
		if (op % 500 == 0)
			check_zone(&s.t.z);
	}
	while (s.nlive)
		stress_free(&s, rng() % s.nlive);
	after = snap(&s.t.z);
	assert_snap_eq(&after, &before);
	check_zone(&s.t.z);
	tz_free(&s.t);
	free(s.owner);
	free(s.live);
	free(s.tag);
}
END_TEST

/* Holders share a block; the last put frees all of it, merged with its
 * buddies. */
START_TEST(refcounts_free_with_the_last_holder)
{
	struct tzone t;
	paddr_t a, b;

	tz_meta(&t, 0, 16);
	zone_add_free(&t.z, 0, 16);
	a = zone_alloc(&t.z, 2);
	b = zone_alloc(&t.z, 0);
	ck_assert_uint_eq(zone_frame_refcount(&t.z, a), 1);
	zone_frame_get(&t.z, a);
	zone_frame_get(&t.z, a);
	ck_assert_uint_eq(zone_frame_refcount(&t.z, a), 3);
	ck_assert_uint_eq(zone_frame(&t.z, a)->refcount, 3);
	zone_frame_put(&t.z, a);
	zone_frame_put(&t.z, a);
	ck_assert_uint_eq(zone_frame_refcount(&t.z, a), 1);
	ck_assert_uint_eq(t.z.free_pages, 15 - 4 - 1);
	zone_frame_put(&t.z, a);
	ck_assert_uint_eq(zone_frame_refcount(&t.z, a), 0);
	ck_assert_uint_eq(t.z.free_pages, 15 - 1);
	zone_frame_put(&t.z, b);
	ck_assert_uint_eq(t.z.free_pages, 15);
	check_zone(&t.z);
	ck_assert_uint_eq(zone_frame_refcount(&t.z, b), 0);
	tz_free(&t);
}
END_TEST

/* A count only an allocated block's head has; anything else panics and
 * leaves the zone as it was. */
START_TEST(refcount_misuse_panics)
{
	struct tzone t;
	paddr_t a, b;

	tz_meta(&t, 0, 16);
	zone_add_free(&t.z, 4, 12);
	a = zone_alloc(&t.z, 1);
	b = zone_alloc(&t.z, 0);
	zone_frame_put(&t.z, b);
	ck_assert(HOST_PANICS(zone_frame_put(&t.z, b)));
	ck_assert_msg(strstr(host_panic_message(), "frame_put"), "%s", host_panic_message());
	ck_assert(HOST_PANICS(zone_frame_get(&t.z, b)));
	ck_assert(HOST_PANICS(zone_frame_get(&t.z, a + PAGE_SIZE)));
	ck_assert(HOST_PANICS(zone_frame_put(&t.z, a + 8)));
	ck_assert(HOST_PANICS(zone_frame_get(&t.z, 1 << PAGE_SHIFT)));   /* reserved */
	ck_assert(HOST_PANICS(zone_frame_get(&t.z, (u64)64 << PAGE_SHIFT)));   /* outside */
	ck_assert(irq_enabled());
	ck_assert_uint_eq(zone_frame_refcount(&t.z, a), 1);
	zone_frame_put(&t.z, a);
	ck_assert_uint_eq(t.z.free_pages, 12);
	check_zone(&t.z);
	tz_free(&t);
}
END_TEST

/* The global wrappers, on a kernel_zone borrowed for the test. */
START_TEST(kernel_zone_wrappers)
{
	struct frame_zone saved = kernel_zone;
	struct tzone t;
	void *p;
	paddr_t pa;

	tz_backed(&t, 1024, 0);
	kernel_zone = t.z;
	zone_add_free(&kernel_zone, 0, UINT64_MAX);
	ck_assert_uint_eq(frame_total_pages(), 1024);
	ck_assert_uint_eq(frame_free_pages(), 1024);

	pa = frame_alloc(3);
	ck_assert_uint_ne(pa, PADDR_NONE);
	ck_assert_uint_eq(frame_free_pages(), 1024 - 8);
	p = kpage_alloc(2);
	ck_assert_ptr_nonnull(p);
	ck_assert_uint_eq((uintptr_t)p & ((PAGE_SIZE << 2) - 1), 0);
	memset(p, 0x5a, PAGE_SIZE << 2);
	ck_assert_ptr_null(kpage_alloc(FRAME_MAX_ORDER));
	ck_assert_uint_eq(frame_alloc(FRAME_MAX_ORDER + 1), PADDR_NONE);
	ck_assert(HOST_PANICS(kpage_free(p, 1)));
	kpage_free(p, 2);
	kpage_free(NULL, 0);
	frame_get(pa);
	ck_assert_uint_eq(frame_refcount(pa), 2);
	frame_put(pa);
	ck_assert_uint_eq(frame_free_pages(), 1024 - 8);
	frame_free(pa, 3);
	ck_assert(HOST_PANICS(frame_free(pa, 3)));
	ck_assert(HOST_PANICS(frame_put(pa)));
	ck_assert_uint_eq(frame_free_pages(), 1024);
	ck_assert_uint_eq(frame_total_pages(), 1024);
	ck_assert_uint_eq(kernel_zone.free_blocks[FRAME_MAX_ORDER], 1);
	ck_assert(irq_enabled());

	kernel_zone = saved;
	tz_free(&t);
}
END_TEST

Suite *frame_suite(void)
{
	Suite *s = suite_create("frame");
	TCase *tc = tcase_create("zone");
	TCase *stress = tcase_create("stress");
	TCase *bad = tcase_create("misuse");

	tcase_add_test(tc, init_reserves_everything);
	tcase_add_test(tc, aligned_range_is_maximal_blocks);
	tcase_add_test(tc, unaligned_range_is_split);
	tcase_add_test(tc, alignment_follows_absolute_pfn);
	tcase_add_test(tc, frame_zero_never_allocated);
	tcase_add_test(tc, ranges_are_clipped_to_the_zone);
	tcase_add_test(tc, overlapping_ranges_merge);
	tcase_add_test(tc, split_and_coalesce);
	tcase_add_test(tc, metadata_tracks_ownership);
	tcase_add_test(tc, order_too_large_fails);
	tcase_add_test(tc, fragmentation_limits_large_orders);
	tcase_add_test(tc, refcounts_free_with_the_last_holder);
	tcase_add_test(tc, kernel_zone_wrappers);
	suite_add_tcase(s, tc);

	tcase_add_loop_test(stress, exhaust_fill_free_random, 0, 4);
	tcase_add_loop_test(stress, exhaust_fill_free_unaligned_zone, 0, 4);
	tcase_add_loop_test(stress, coalesce_from_single_pages, 0, 3);
	tcase_add_loop_test(stress, random_stress_against_shadow, 0, 3);
	tcase_set_timeout(stress, 60);
	suite_add_tcase(s, stress);

	tcase_add_test(bad, bad_frees_panic);
	tcase_add_test(bad, double_free_after_merge_panics);
	tcase_add_test(bad, refcount_misuse_panics);
	suite_add_tcase(s, bad);
	return s;
}
