/*
 * Page faults and fork (core/vm/fault.c, fork.c, pagemap.c, page_fill.c):
 * demand-zero pages, file pages from the page cache, copy-on-write, what
 * a fault may not do, and that every frame comes back when the mm goes.
 */
#include "suites.h"
#include "test_vm.h"

#define BASE 0x40000000UL

START_TEST(demand_zero)
{
	struct mm *mm = t_mm();
	u8 page[PAGE_SIZE];

	t_mmap_anon(mm, BASE, 2 * PAGE_SIZE, RW, PRIV | MAP_FIXED);
	memset(page, 0x5a, sizeof(page));
	ck_assert_int_eq(t_write(mm, BASE, page, 64), 0);
	vm_munmap(mm, BASE, 2 * PAGE_SIZE);
	/* A recycled frame must not show the old bytes. */
	t_mmap_anon(mm, BASE, 2 * PAGE_SIZE, RW, PRIV | MAP_FIXED);
	ck_assert_int_eq(t_read(mm, BASE + PAGE_SIZE, page, PAGE_SIZE), 0);
	ck_assert_int_eq(t_read(mm, BASE, page, PAGE_SIZE), 0);
	for (size_t i = 0; i < PAGE_SIZE; i++)
		REQUIRE(page[i] == 0);
	ck_assert_uint_eq(mm->resident, 2);
	mm_put(mm);
}
END_TEST

START_TEST(refused_faults)
{
	struct mm *mm = t_mm();

	t_mmap_anon(mm, BASE, PAGE_SIZE, PROT_READ, PRIV | MAP_FIXED);
	t_mmap_anon(mm, BASE + PAGE_SIZE, PAGE_SIZE, PROT_NONE, PRIV | MAP_FIXED);
	t_mmap_anon(mm, BASE + 2 * PAGE_SIZE, PAGE_SIZE, PROT_EXEC, PRIV | MAP_FIXED);
	ck_assert_int_eq(vm_fault_hook(mm, BASE - 1, PF_USER), -EFAULT);
	ck_assert_int_eq(vm_fault_hook(mm, BASE + 3 * PAGE_SIZE, PF_USER), -EFAULT);
	ck_assert_int_eq(vm_fault_hook(mm, BASE, PF_USER | PF_WRITE), -EACCES);
	ck_assert_int_eq(vm_fault_hook(mm, BASE, PF_USER | PF_INSTR), -EACCES);
	ck_assert_int_eq(vm_fault_hook(mm, BASE + PAGE_SIZE, PF_USER), -EACCES);
	ck_assert_int_eq(vm_fault_hook(mm, BASE, PF_USER | PF_RSVD | PF_PROT), -EFAULT);
	ck_assert_int_eq(vm_fault_hook(mm, USER_TOP, PF_USER), -EFAULT);
	ck_assert_int_eq(vm_fault_hook(mm, 0xffff888000000000UL, 0), -EFAULT);
	/* Allowed: read of read-only, fetch and read of execute-only. */
	ck_assert_int_eq(vm_fault_hook(mm, BASE, PF_USER), 0);
	ck_assert_int_eq(t_access(mm, BASE + 2 * PAGE_SIZE, false, true) > 0, 1);
	ck_assert_int_eq(t_access(mm, BASE + 2 * PAGE_SIZE, false, false) > 0, 1);
	ck_assert_uint_eq(mm->resident, 2);
	mm_put(mm);
}
END_TEST

START_TEST(fork_copies_on_write)
{
	struct mm *parent = t_mm();
	struct mm *child;
	paddr_t shared_pa, child_pa;
	u32 rights;

	t_mmap_anon(parent, BASE, 2 * PAGE_SIZE, RW, PRIV | MAP_FIXED);
	t_poke(parent, BASE, 'A');
	shared_pa = pagemap_lookup(parent, BASE);
	child = mm_fork(parent);
	ck_assert_ptr_nonnull(child);
	ck_assert_uint_eq(t_nvmas(child), 1);
	ck_assert_uint_eq(frame_refcount(shared_pa), 2);
	/* The parent can no longer write the shared frame directly. */
	mmu_lookup(mm_space(parent), BASE, &rights);
	ck_assert_uint_eq(rights & MMU_WRITE, 0);
	ck_assert_uint_eq(host_mmu_mapped(mm_space(child)), 0);

	ck_assert_uint_eq(t_byte(child, BASE), 'A');
	ck_assert_uint_eq(mmu_lookup(mm_space(child), BASE, NULL), shared_pa);
	t_poke(child, BASE, 'B');
	child_pa = pagemap_lookup(child, BASE);
	ck_assert_uint_ne(child_pa, shared_pa);
	ck_assert_uint_eq(frame_refcount(shared_pa), 1);
	ck_assert_uint_eq(t_byte(parent, BASE), 'A');
	/* Sole owner again: the parent's write needs no copy. */
	t_poke(parent, BASE, 'C');
	ck_assert_uint_eq(pagemap_lookup(parent, BASE), shared_pa);
	ck_assert_uint_eq(t_byte(child, BASE), 'B');
	/* Untouched pages are each side's own demand-zero pages. */
	t_poke(child, BASE + PAGE_SIZE, 1);
	ck_assert_uint_eq(t_byte(parent, BASE + PAGE_SIZE), 0);

	mm_put(parent);
	ck_assert(t_frame_free(shared_pa));
	ck_assert_uint_eq(t_byte(child, BASE), 'B');
	mm_put(child);
	ck_assert(t_frame_free(child_pa));
	ck_assert_uint_eq(host_mmu_spaces(), 0);
}
END_TEST

START_TEST(fork_then_parent_exits)
{
	struct mm *parent = t_mm();
	struct mm *child;
	paddr_t pa;

	t_mmap_anon(parent, BASE, PAGE_SIZE, RW, PRIV | MAP_FIXED);
	t_poke(parent, BASE, 'P');
	pa = pagemap_lookup(parent, BASE);
	child = mm_fork(parent);
	mm_put(parent);
	t_poke(child, BASE, 'Q');
	ck_assert_uint_eq(pagemap_lookup(child, BASE), pa);
	mm_put(child);
	ck_assert(t_frame_free(pa));
}
END_TEST

START_TEST(shared_anon_stays_shared)
{
	struct mm *parent = t_mm();
	struct mm *child;
	long at = t_mmap_anon(parent, 0, 3 * PAGE_SIZE, RW, MAP_SHARED);

	ck_assert_int_gt(at, 0);
	ck_assert_uint_eq(parent->resident, 3);   /* populated at once */
	child = mm_fork(parent);
	t_poke(child, (uptr_t)at + PAGE_SIZE, 'S');
	ck_assert_uint_eq(t_byte(parent, (uptr_t)at + PAGE_SIZE), 'S');
	t_poke(parent, (uptr_t)at + 2 * PAGE_SIZE, 'T');
	ck_assert_uint_eq(t_byte(child, (uptr_t)at + 2 * PAGE_SIZE), 'T');
	ck_assert_uint_eq(pagemap_lookup(child, (uptr_t)at), pagemap_lookup(parent, (uptr_t)at));
	mm_put(child);
	mm_put(parent);
}
END_TEST

static char file_data[3 * PAGE_SIZE - 100];

static struct file *t_file(void)
{
	for (size_t i = 0; i < sizeof(file_data); i++)
		file_data[i] = (char)('a' + i % 26);
	return host_file_create(file_data, sizeof(file_data));
}

START_TEST(file_private_copies_on_write)
{
	struct mm *mm = t_mm();
	struct file *f = t_file();
	long at = vm_mmap(mm, 0, 4 * PAGE_SIZE, RW, PRIV, f, PAGE_SIZE);
	paddr_t cached;
	u32 rights;

	ck_assert_int_gt(at, 0);
	ck_assert_uint_eq(t_byte(mm, (uptr_t)at), (u8)file_data[PAGE_SIZE]);
	cached = host_file_cached(f, 1);
	ck_assert_uint_eq(pagemap_lookup(mm, (uptr_t)at), cached);
	ck_assert_uint_eq(frame_refcount(cached), 2);       /* cache + mapping */
	mmu_lookup(mm_space(mm), (uptr_t)at, &rights);
	ck_assert_uint_eq(rights & MMU_WRITE, 0);
	t_poke(mm, (uptr_t)at + 3, '!');
	ck_assert_uint_ne(pagemap_lookup(mm, (uptr_t)at), cached);
	ck_assert_uint_eq(frame_refcount(cached), 1);
	ck_assert_uint_eq(((u8 *)phys_to_virt(cached))[3], (u8)file_data[PAGE_SIZE + 3]);
	ck_assert_uint_eq(t_byte(mm, (uptr_t)at + 4), (u8)file_data[PAGE_SIZE + 4]);
	/* A first write copies straight away; past the end reads zero. */
	t_poke(mm, (uptr_t)at + PAGE_SIZE, '?');
	ck_assert_uint_eq(host_file_cached(f, 2) != PADDR_NONE, 1);
	ck_assert_uint_eq(frame_refcount(host_file_cached(f, 2)), 1);
	ck_assert_uint_eq(t_byte(mm, (uptr_t)at + 2 * PAGE_SIZE - 1), 0);
	ck_assert_uint_eq(t_byte(mm, (uptr_t)at + 3 * PAGE_SIZE), 0);
	mm_put(mm);
	ck_assert_int_eq(host_file_refs(f), 1);
	ck_assert_uint_eq(frame_refcount(cached), 1);
	host_file_destroy(f);
}
END_TEST

START_TEST(file_shared_writes_the_cache)
{
	struct mm *mm = t_mm();
	struct file *f = t_file();
	long at = vm_mmap(mm, 0, PAGE_SIZE, RW, MAP_SHARED, f, 0);

	t_poke(mm, (uptr_t)at + 10, '#');
	ck_assert_uint_eq(pagemap_lookup(mm, (uptr_t)at), host_file_cached(f, 0));
	ck_assert_uint_eq(((u8 *)phys_to_virt(host_file_cached(f, 0)))[10], '#');
	mm_put(mm);
	host_file_destroy(f);
}
END_TEST

START_TEST(file_errors_reach_the_fault)
{
	struct mm *mm = t_mm();
	struct file *f = t_file();
	long at = vm_mmap(mm, 0, PAGE_SIZE, PROT_READ, PRIV, f, 0);

	host_file_fail = EIO;
	ck_assert_int_eq(vm_fault_hook(mm, (uptr_t)at, PF_USER), -EIO);
	ck_assert_uint_eq(mm->resident, 0);
	ck_assert_int_eq(vm_fault_hook(mm, (uptr_t)at, PF_USER), 0);
	mm_put(mm);
	host_file_destroy(f);
}
END_TEST

START_TEST(kernel_access_breaks_cow)
{
	struct mm *mm = t_mm();
	struct file *f = t_file();
	long at = vm_mmap(mm, 0, PAGE_SIZE, PROT_READ, PRIV, f, 0);
	paddr_t pa;

	ck_assert_int_eq(vm_access_page(mm, (uptr_t)at, false, &pa), 0);
	ck_assert_uint_eq(pa, host_file_cached(f, 0));
	ck_assert_int_eq(vm_access_page(mm, (uptr_t)at + 5, true, &pa), 0);
	ck_assert_uint_ne(pa, host_file_cached(f, 0));
	((u8 *)phys_to_virt(pa))[5] = 0;
	/* The page tables follow the new frame; the area stays read-only. */
	ck_assert_uint_eq(t_byte(mm, (uptr_t)at + 5), 0);
	ck_assert_int_eq(t_access(mm, (uptr_t)at, true, false), -EACCES);
	ck_assert_int_eq(vm_access_page(mm, 0x1000, false, &pa), -EFAULT);
	mm_put(mm);
	host_file_destroy(f);
}
END_TEST

START_TEST(page_table_failure_is_enomem)
{
	struct mm *mm = t_mm();

	t_mmap_anon(mm, BASE, PAGE_SIZE, RW, PRIV | MAP_FIXED);
	host_mmu_fail_maps = 1;
	ck_assert_int_eq(vm_fault_hook(mm, BASE, PF_USER | PF_WRITE), -ENOMEM);
	ck_assert_int_eq(vm_fault_hook(mm, BASE, PF_USER | PF_WRITE), 0);
	ck_assert_uint_eq(mm->resident, 1);
	mm_put(mm);
}
END_TEST

START_TEST(pagemap_walks_sparse_space)
{
	struct mm *mm = t_mm();
	uptr_t far[] = { 0x10000, 0x40000000, 0x7f0000000000, USER_TOP - PAGE_SIZE };
	uptr_t va = 0;
	paddr_t pa;
	unsigned n = 0;

	for (unsigned i = 0; i < ARRAY_SIZE(far); i++) {
		t_mmap_anon(mm, far[i], PAGE_SIZE, RW, PRIV | MAP_FIXED);
		t_poke(mm, far[i], (u8)i);
	}
	while (pagemap_next(mm, &va, USER_TOP, &pa)) {
		ck_assert_uint_eq(va, far[n]);
		n++;
		va += PAGE_SIZE;
	}
	ck_assert_uint_eq(n, ARRAY_SIZE(far));
	vm_munmap(mm, 0, USER_TOP);
	ck_assert_ptr_null(mm->pagemap);   /* empty nodes are freed */
	mm_put(mm);
}
END_TEST

/* Many shared frames at once, counted in Ring 0's struct frame. */
START_TEST(frame_refcounts_many)
{
	enum { N = 3000 };
	static paddr_t pa[N];

	host_heap_init();
	for (int i = 0; i < N; i++) {
		pa[i] = frame_alloc(0);
		REQUIRE(pa[i] != PADDR_NONE);
		for (int k = 0; k < i % 3; k++)
			frame_get(pa[i]);
	}
	for (int i = 0; i < N; i++)
		REQUIRE(frame_refcount(pa[i]) == (u32)(1 + i % 3));
	for (int i = N; i-- > 0;) {
		for (int k = 0; k < i % 3; k++)
			frame_put(pa[i]);
		REQUIRE(frame_refcount(pa[i]) == 1);
		REQUIRE(!t_frame_free(pa[i]));
	}
	for (int i = 0; i < N; i++) {
		frame_put(pa[i]);
		REQUIRE(t_frame_free(pa[i]));
	}
}
END_TEST

START_TEST(frame_refcount_misuse_panics)
{
	paddr_t pa;

	host_heap_init();
	pa = frame_alloc(0);
	frame_get(pa);
	frame_put(pa);
	frame_put(pa);
	ck_assert(t_frame_free(pa));
	ck_assert(HOST_PANICS(frame_put(pa)));
}
END_TEST

Suite *vm_fault_suite(void)
{
	Suite *s = suite_create("vm_fault");
	TCase *tc = tcase_create("faults");

	tcase_add_test(tc, demand_zero);
	tcase_add_test(tc, refused_faults);
	tcase_add_test(tc, fork_copies_on_write);
	tcase_add_test(tc, fork_then_parent_exits);
	tcase_add_test(tc, shared_anon_stays_shared);
	tcase_add_test(tc, file_private_copies_on_write);
	tcase_add_test(tc, file_shared_writes_the_cache);
	tcase_add_test(tc, file_errors_reach_the_fault);
	tcase_add_test(tc, kernel_access_breaks_cow);
	tcase_add_test(tc, page_table_failure_is_enomem);
	tcase_add_test(tc, pagemap_walks_sparse_space);
	tcase_add_test(tc, frame_refcounts_many);
	tcase_add_test(tc, frame_refcount_misuse_panics);
	suite_add_tcase(s, tc);
	return s;
}
