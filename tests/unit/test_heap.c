/*
 * The kernel heap (platform/mm/heap.c) over the real frame allocator.
 *
 * kernel_zone is set up once per process over a 4 MiB aligned host
 * buffer; on the host a pointer is its own physical address, so
 * kpage_alloc() hands out pieces of that buffer. Tests compare against
 * the statistics at their start, so they also pass when run unforked.
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <kevlar/mm.h>
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

#define ZONE_PAGES      16384                      /* 64 MiB */
#define MAX_BLOCK_BYTES (PAGE_SIZE << FRAME_MAX_ORDER)
#define LARGE_HEADER    16
#define NCLASSES        14

static void heap_zone_setup(void)
{
	host_heap_init();
}

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

static struct heap_stats stats(void)
{
	struct heap_stats st;

	heap_get_stats(&st);
	return st;
}

/* Every page the zone manages is either free or held by the heap. */
static void assert_pages_accounted(void)
{
	struct heap_stats st = stats();

	ck_assert_uint_eq(frame_free_pages() + st.pages, frame_total_pages());
}

static u8 pattern(u64 tag, size_t i)
{
	return (u8)(tag >> ((i & 7) * 8)) ^ (u8)(i >> 3);
}

static void fill(void *p, size_t n, u64 tag)
{
	u8 *b = p;

	for (size_t i = 0; i < n; i++)
		b[i] = pattern(tag, i);
}

static void verify(const void *p, size_t n, u64 tag)
{
	const u8 *b = p;

	for (size_t i = 0; i < n; i++)
		if (b[i] != pattern(tag, i))
			ck_abort_msg("object %p overwritten at byte %zu", p, i);
}

static void assert_aligned(const void *p)
{
	REQUIRE(p != NULL);
	REQUIRE(((uintptr_t)p & 15) == 0);
}

START_TEST(zero_and_oversized_fail)
{
	struct heap_stats before = stats(), after;
	void *p;

	ck_assert_ptr_null(kmalloc(0));
	ck_assert_ptr_null(kzalloc(0));
	ck_assert_ptr_null(kmalloc(SIZE_MAX));
	ck_assert_ptr_null(kmalloc(SIZE_MAX - 8));
	ck_assert_ptr_null(kmalloc(SIZE_MAX - PAGE_SIZE));
	ck_assert_ptr_null(kmalloc(MAX_BLOCK_BYTES - LARGE_HEADER + 1));
	ck_assert_ptr_null(kmalloc(MAX_BLOCK_BYTES));
	after = stats();
	ck_assert_uint_eq(after.allocs, before.allocs);
	ck_assert_uint_eq(after.pages, before.pages);

	p = kmalloc(MAX_BLOCK_BYTES - LARGE_HEADER);
	assert_aligned(p);
	ck_assert_uint_eq(ksize(p), MAX_BLOCK_BYTES - LARGE_HEADER);
	kfree(p);
	kfree(NULL);
	ck_assert_uint_eq(ksize(NULL), 0);
	after = stats();
	ck_assert_uint_eq(after.frees, before.frees + 1);
	ck_assert_uint_eq(after.bytes_in_use, before.bytes_in_use);
}
END_TEST

START_TEST(ksize_is_the_class_size)
{
	static const size_t want[][2] = {
		{ 1, 16 }, { 16, 16 }, { 17, 32 }, { 33, 48 }, { 49, 64 },
		{ 65, 96 }, { 100, 128 }, { 129, 192 }, { 200, 256 },
		{ 257, 384 }, { 400, 512 }, { 513, 768 }, { 769, 1024 },
		{ 1025, 1344 }, { 1345, 2016 }, { 2016, 2016 },
		{ 2017, PAGE_SIZE - LARGE_HEADER },
		{ PAGE_SIZE - LARGE_HEADER, PAGE_SIZE - LARGE_HEADER },
		{ PAGE_SIZE - LARGE_HEADER + 1, 2 * PAGE_SIZE - LARGE_HEADER },
	};

	for (size_t i = 0; i < ARRAY_SIZE(want); i++) {
		void *p = kmalloc(want[i][0]);

		assert_aligned(p);
		ck_assert_msg(ksize(p) == want[i][1], "ksize(kmalloc(%zu)) = %zu",
			      want[i][0], ksize(p));
		kfree(p);
	}
}
END_TEST

/* All sizes live at once: aligned, big enough, and disjoint. */
START_TEST(every_size_up_to_8192)
{
	enum { N = 8192 };
	struct heap_stats before = stats(), mid, after;
	void **p = calloc(N + 1, sizeof(*p));
	size_t *order = calloc(N + 1, sizeof(*order));
	u64 bytes = 0;

	rng_seed(42);
	for (size_t n = 1; n <= N; n++) {
		p[n] = kmalloc(n);
		assert_aligned(p[n]);
		REQUIRE(ksize(p[n]) >= n);
		fill(p[n], ksize(p[n]), n * 0x9e3779b97f4a7c15ULL);
		bytes += ksize(p[n]);
		order[n] = n;
	}
	mid = stats();
	ck_assert_uint_eq(mid.bytes_in_use - before.bytes_in_use, bytes);
	ck_assert_uint_eq(mid.allocs - before.allocs, N);
	assert_pages_accounted();
	for (size_t n = 1; n <= N; n++)
		verify(p[n], ksize(p[n]), n * 0x9e3779b97f4a7c15ULL);
	for (size_t i = N; i > 1; i--) {
		size_t j = 1 + rng() % i, t = order[i];

		order[i] = order[j];
		order[j] = t;
	}
	for (size_t i = 1; i <= N; i++)
		kfree(p[order[i]]);
	after = stats();
	ck_assert_uint_eq(after.bytes_in_use, before.bytes_in_use);
	ck_assert_uint_eq(after.frees - before.frees, N);
	ck_assert_uint_le(after.pages, NCLASSES);
	assert_pages_accounted();
	free(p);
	free(order);
}
END_TEST

START_TEST(large_allocations)
{
	static const size_t sizes[] = {
		2049, 4097, 65536, 100000, 1 << 20, 3 << 20,
		MAX_BLOCK_BYTES - LARGE_HEADER,
	};
	struct heap_stats before = stats();
	void *p[ARRAY_SIZE(sizes)];
	u64 pages = 0;

	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
		p[i] = kmalloc(sizes[i]);
		assert_aligned(p[i]);
		ck_assert_uint_ge(ksize(p[i]), sizes[i]);
		ck_assert_uint_lt(ksize(p[i]), 2 * sizes[i] + PAGE_SIZE);
		pages += (ksize(p[i]) + LARGE_HEADER) / PAGE_SIZE;
		fill(p[i], ksize(p[i]), i + 1);
	}
	ck_assert_uint_eq(stats().pages - before.pages, pages);
	assert_pages_accounted();
	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
		verify(p[i], ksize(p[i]), i + 1);
		kfree(p[i]);
	}
	ck_assert_uint_eq(stats().pages, before.pages);
	ck_assert_uint_eq(stats().bytes_in_use, before.bytes_in_use);
	assert_pages_accounted();
}
END_TEST

START_TEST(kzalloc_zeroes)
{
	static const size_t sizes[] = { 1, 40, 200, 2016, 3000, 10000 };

	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
		size_t n = sizes[i];
		u8 *p = kmalloc(n);

		memset(p, 0xab, ksize(p));
		kfree(p);
		p = kzalloc(n);
		assert_aligned(p);
		for (size_t j = 0; j < n; j++)
			REQUIRE(p[j] == 0);
		kfree(p);
	}
}
END_TEST

/* Emptied slabs go back to the frame allocator, but for one spare. */
START_TEST(empty_slabs_are_returned)
{
	enum { N = 63 * 10 + 1 };       /* 64-byte objects: 63 a page */
	struct heap_stats before = stats(), mid, after;
	void *p[N];

	for (int i = 0; i < N; i++) {
		p[i] = kmalloc(64);
		assert_aligned(p[i]);
	}
	mid = stats();
	ck_assert_uint_ge(mid.pages - before.pages, 10);
	ck_assert_uint_le(mid.pages - before.pages, 11);
	assert_pages_accounted();
	for (int i = 0; i < N; i++)
		kfree(p[i]);
	after = stats();
	ck_assert_uint_le(after.pages, before.pages + 1);
	assert_pages_accounted();
}
END_TEST

/* A class emptied and reused at a slab boundary does not churn pages. */
START_TEST(spare_slab_is_reused)
{
	struct heap_stats a, b;
	void *p = kmalloc(90);

	a = stats();
	kfree(p);
	b = stats();
	ck_assert_uint_eq(a.pages, b.pages);
	p = kmalloc(90);
	ck_assert_uint_eq(stats().pages, b.pages);
	kfree(p);
}
END_TEST

START_TEST(irq_state_is_preserved)
{
	void *p, *q;

	ck_assert(irq_enabled());
	p = kmalloc(100);
	q = kmalloc(50000);
	ck_assert(irq_enabled());
	irq_disable();
	kfree(p);
	kfree(q);
	p = kzalloc(8);
	ck_assert(!irq_enabled());
	irq_enable();
	kfree(p);
	ck_assert(irq_enabled());
}
END_TEST

/* With every frame taken, allocations that need a page return NULL. */
START_TEST(exhaustion_returns_null)
{
	struct heap_stats before = stats();
	u64 npages = frame_free_pages();
	void **pages = calloc(npages + 1, sizeof(*pages));
	void **objs = calloc(70000, sizeof(*objs));
	size_t np = 0, no = 0;

	while ((pages[np] = kpage_alloc(0)))
		np++;
	ck_assert_uint_eq(np, npages);
	ck_assert_uint_eq(frame_free_pages(), 0);
	ck_assert_ptr_null(kmalloc(2017));
	ck_assert_ptr_null(kmalloc(1 << 20));
	/* Small objects run out once the existing slabs are full. */
	while (no < 70000 && (objs[no] = kmalloc(48)))
		no++;
	ck_assert_uint_lt(no, 70000);
	while (np)
		kpage_free(pages[--np], 0);
	while (no)
		kfree(objs[--no]);
	ck_assert_uint_eq(stats().bytes_in_use, before.bytes_in_use);
	ck_assert_ptr_nonnull(objs[0] = kmalloc(1 << 20));
	kfree(objs[0]);
	assert_pages_accounted();
	free(pages);
	free(objs);
}
END_TEST

struct live {
	u8 *p;
	size_t size;
	u64 tag;
};

static size_t stress_size(void)
{
	u64 r = rng() % 100;

	if (r < 70)
		return 1 + rng() % 256;
	if (r < 92)
		return 257 + rng() % (2048 - 256);
	return 2049 + rng() % 30000;
}

START_TEST(random_stress_against_shadow)
{
	enum { MAXLIVE = 3000, OPS = 30000 };
	struct heap_stats before = stats(), after;
	struct live *l = calloc(MAXLIVE, sizeof(*l));
	size_t n = 0;
	u64 bytes = 0;

	rng_seed((u64)_i + 5);
	for (int op = 0; op < OPS; op++) {
		if (n == MAXLIVE || (n && rng() % 100 < 48)) {
			size_t i = rng() % n;

			verify(l[i].p, l[i].size, l[i].tag);
			bytes -= ksize(l[i].p);
			kfree(l[i].p);
			l[i] = l[--n];
		} else {
			struct live *e = &l[n++];

			e->size = stress_size();
			e->tag = rng();
			e->p = kmalloc(e->size);
			assert_aligned(e->p);
			REQUIRE(ksize(e->p) >= e->size);
			bytes += ksize(e->p);
			fill(e->p, e->size, e->tag);
		}
		if (op % 5000 == 0) {
			for (size_t i = 0; i < n; i++)
				verify(l[i].p, l[i].size, l[i].tag);
			ck_assert_uint_eq(stats().bytes_in_use -
					  before.bytes_in_use, bytes);
			assert_pages_accounted();
		}
	}
	while (n) {
		n--;
		verify(l[n].p, l[n].size, l[n].tag);
		kfree(l[n].p);
	}
	after = stats();
	ck_assert_uint_eq(after.bytes_in_use, before.bytes_in_use);
	ck_assert_uint_eq(after.allocs - before.allocs,
			  after.frees - before.frees);
	ck_assert_uint_le(after.pages, NCLASSES);
	assert_pages_accounted();
	free(l);
}
END_TEST

/*
 * Expects kfree(p) to panic with 'why' in the message, and the heap to
 * stay usable afterwards (its lock released, interrupts restored).
 */
static void expect_kfree_panic(void *p, const char *why)
{
	void *q;

	ck_assert_msg(HOST_PANICS(kfree(p)), "kfree(%p) did not panic", p);
	ck_assert_msg(strstr(host_panic_message(), "kfree("),
		      "unexpected panic: %s", host_panic_message());
	ck_assert_msg(strstr(host_panic_message(), why),
		      "panic lacks '%s': %s", why, host_panic_message());
	ck_assert(irq_enabled());
	q = kmalloc(24);
	ck_assert_ptr_nonnull(q);
	kfree(q);
}

START_TEST(foreign_pointers_panic)
{
	int local;
	void *host = malloc(64);
	u8 *raw = kpage_alloc(0);
	u8 *freed = kpage_alloc(0);

	expect_kfree_panic(&local, "not a heap pointer");
	expect_kfree_panic(host, "not a heap pointer");
	memset(raw, 0, PAGE_SIZE);
	expect_kfree_panic(raw + 64, "not a heap pointer");
	memset(freed, 0, PAGE_SIZE);
	kpage_free(freed, 0);
	expect_kfree_panic(freed + 64, "not a heap pointer");
	ck_assert(HOST_PANICS(ksize(raw + 64)));
	kpage_free(raw, 0);
	free(host);
}
END_TEST

START_TEST(slab_misuse_panics)
{
	u8 *p = kmalloc(64);
	u8 *page = (u8 *)((uintptr_t)p & ~(PAGE_SIZE - 1));
	struct heap_stats st;

	expect_kfree_panic(p + 1, "object boundary");
	expect_kfree_panic(p + 16, "object boundary");
	expect_kfree_panic(p + 63, "object boundary");
	expect_kfree_panic(page, "object boundary");
	expect_kfree_panic(page + 32, "object boundary");
	expect_kfree_panic(page + PAGE_SIZE - 16, "object boundary");
	ck_assert_uint_eq(ksize(p), 64);
	kfree(p);
	st = stats();
	ck_assert(HOST_PANICS(kfree(p)));
	ck_assert(HOST_PANICS(ksize(p)));
	ck_assert_uint_eq(stats().frees, st.frees);
	ck_assert_uint_eq(stats().bytes_in_use, st.bytes_in_use);
	expect_kfree_panic(p, "double free");
}
END_TEST

/* Objects whose slab page already went back to the zone. */
START_TEST(double_free_after_slab_release_panics)
{
	void *p[6];

	for (int i = 0; i < 6; i++)
		p[i] = kmalloc(2000);   /* two to a slab */
	for (int i = 0; i < 6; i++)
		kfree(p[i]);
	for (int i = 0; i < 6; i++)
		expect_kfree_panic(p[i], "double free");
	assert_pages_accounted();
}
END_TEST

START_TEST(large_misuse_panics)
{
	u8 *p = kmalloc(10000);
	struct heap_stats st;

	expect_kfree_panic(p + 16, "not at the start");
	expect_kfree_panic(p - LARGE_HEADER, "not at the start");
	expect_kfree_panic(p + 8, "not at the start");
	memcpy(p + PAGE_SIZE - LARGE_HEADER, p - LARGE_HEADER, LARGE_HEADER);
	expect_kfree_panic(p + PAGE_SIZE, "inside a multi-page block");
	expect_kfree_panic(p + 2 * PAGE_SIZE + 48, "inside a multi-page block");
	kfree(p);
	st = stats();
	ck_assert(HOST_PANICS(kfree(p)));
	ck_assert_uint_eq(stats().frees, st.frees);
	ck_assert_uint_eq(stats().pages, st.pages);
	expect_kfree_panic(p, "double free");
	assert_pages_accounted();
}
END_TEST

Suite *heap_suite(void)
{
	Suite *s = suite_create("heap");
	TCase *tc = tcase_create("alloc");
	TCase *bad = tcase_create("misuse");

	tcase_add_checked_fixture(tc, heap_zone_setup, NULL);
	tcase_add_test(tc, zero_and_oversized_fail);
	tcase_add_test(tc, ksize_is_the_class_size);
	tcase_add_test(tc, every_size_up_to_8192);
	tcase_add_test(tc, large_allocations);
	tcase_add_test(tc, kzalloc_zeroes);
	tcase_add_test(tc, empty_slabs_are_returned);
	tcase_add_test(tc, spare_slab_is_reused);
	tcase_add_test(tc, irq_state_is_preserved);
	tcase_add_test(tc, exhaustion_returns_null);
	tcase_add_loop_test(tc, random_stress_against_shadow, 0, 3);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);

	tcase_add_checked_fixture(bad, heap_zone_setup, NULL);
	tcase_add_test(bad, foreign_pointers_panic);
	tcase_add_test(bad, slab_misuse_panics);
	tcase_add_test(bad, double_free_after_slab_release_panics);
	tcase_add_test(bad, large_misuse_panics);
	suite_add_tcase(s, bad);
	return s;
}
