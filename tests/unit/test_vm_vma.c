/*
 * The areas of an address space (core/vm/vma.c, placement.c, mmap.c,
 * brk.c, mremap.c): where mappings go, how munmap, mprotect and mremap
 * split and merge areas, brk's Linux semantics, and the errors.
 */
#include "suites.h"
#include "test_vm.h"

#define MB (1UL << 20)

START_TEST(mmap_places_top_down_below_base)
{
	struct mm *mm = t_mm();
	long a = t_mmap_anon(mm, 0, 3 * PAGE_SIZE, RW, PRIV);
	long b = t_mmap_anon(mm, 0, PAGE_SIZE, RW, PRIV);

	ck_assert_int_eq(a, (long)(VM_DEFAULT_MMAP_BASE - 3 * PAGE_SIZE));
	ck_assert_int_eq(b, a - (long)PAGE_SIZE);
	/* Same rights, adjacent: one area. */
	ck_assert_uint_eq(t_nvmas(mm), 1);
	t_check_vmas(mm);
	mm_put(mm);
}
END_TEST

START_TEST(mmap_hint_used_when_free)
{
	struct mm *mm = t_mm();
	long a = t_mmap_anon(mm, 0x10000000, PAGE_SIZE, RW, PRIV);
	long b = t_mmap_anon(mm, 0x10000000, PAGE_SIZE, RW, PRIV);
	long c = t_mmap_anon(mm, 0x20000123, PAGE_SIZE, RW, PRIV);
	long d = t_mmap_anon(mm, 0x1000, PAGE_SIZE, RW, PRIV);

	ck_assert_int_eq(a, 0x10000000);
	ck_assert_int_ne(b, 0x10000000);            /* taken: placed elsewhere */
	ck_assert_int_eq(b, (long)(VM_DEFAULT_MMAP_BASE - PAGE_SIZE));
	ck_assert_int_eq(c, 0x20001000);            /* rounded up */
	ck_assert_int_ne(d, 0x1000);                /* below mmap_min_addr */
	mm_put(mm);
}
END_TEST

START_TEST(mmap_fixed_replaces_and_splits)
{
	struct mm *mm = t_mm();
	uptr_t base = 0x40000000;
	paddr_t old;

	ck_assert_int_eq(t_mmap_anon(mm, base, 4 * PAGE_SIZE, RW, PRIV | MAP_FIXED), (long)base);
	t_poke(mm, base + PAGE_SIZE, 0x11);
	t_poke(mm, base + 2 * PAGE_SIZE, 0x22);
	old = pagemap_lookup(mm, base + PAGE_SIZE);
	ck_assert_int_eq(t_mmap_anon(mm, base + PAGE_SIZE, PAGE_SIZE, PROT_READ,
				     PRIV | MAP_FIXED), (long)(base + PAGE_SIZE));
	ck_assert_uint_eq(t_nvmas(mm), 3);
	ck_assert_uint_eq(t_vma(mm, 1)->prot, PROT_READ);
	/* The old page is gone (freed), the new one reads zero. */
	ck_assert(t_frame_free(old));
	ck_assert_uint_eq(t_byte(mm, base + PAGE_SIZE), 0);
	ck_assert_uint_eq(t_byte(mm, base + 2 * PAGE_SIZE), 0x22);
	t_check_vmas(mm);
	mm_put(mm);
}
END_TEST

START_TEST(mmap_fixed_noreplace)
{
	struct mm *mm = t_mm();
	uptr_t base = 0x40000000;

	ck_assert_int_eq(t_mmap_anon(mm, base, 2 * PAGE_SIZE, RW, PRIV | MAP_FIXED_NOREPLACE),
			 (long)base);
	ck_assert_int_eq(t_mmap_anon(mm, base + PAGE_SIZE, 2 * PAGE_SIZE, RW,
				     PRIV | MAP_FIXED_NOREPLACE), -EEXIST);
	ck_assert_int_eq(t_mmap_anon(mm, base - PAGE_SIZE, 2 * PAGE_SIZE, RW,
				     PRIV | MAP_FIXED_NOREPLACE), -EEXIST);
	ck_assert_int_eq(t_mmap_anon(mm, base + 2 * PAGE_SIZE, PAGE_SIZE, RW,
				     PRIV | MAP_FIXED_NOREPLACE), (long)(base + 2 * PAGE_SIZE));
	ck_assert_uint_eq(t_nvmas(mm), 1);
	mm_put(mm);
}
END_TEST

START_TEST(mmap_errors)
{
	struct mm *mm = t_mm();
	struct file *f = host_file_create("x", 1);

	ck_assert_int_eq(t_mmap_anon(mm, 0, 0, RW, PRIV), -EINVAL);
	ck_assert_int_eq(t_mmap_anon(mm, 0, PAGE_SIZE, RW, 0), -EINVAL);          /* no type */
	ck_assert_int_eq(t_mmap_anon(mm, 0, PAGE_SIZE, RW, 0xf), -EINVAL);
	ck_assert_int_eq(vm_mmap(mm, 0, PAGE_SIZE, RW, PRIV, f, 100), -EINVAL);    /* offset */
	ck_assert_int_eq(t_mmap_anon(mm, 0x40000010, PAGE_SIZE, RW, PRIV | MAP_FIXED), -EINVAL);
	ck_assert_int_eq(t_mmap_anon(mm, USER_TOP - PAGE_SIZE, 2 * PAGE_SIZE, RW,
				     PRIV | MAP_FIXED), -ENOMEM);
	ck_assert_int_eq(t_mmap_anon(mm, 0x1000, PAGE_SIZE, RW, PRIV | MAP_FIXED), -EPERM);
	ck_assert_int_eq(t_mmap_anon(mm, 0, (size_t)-1, RW, PRIV), -ENOMEM);      /* wraps */
	ck_assert_int_eq(t_mmap_anon(mm, 0, USER_TOP, RW, PRIV), -ENOMEM);
	ck_assert_int_eq(vm_mmap(mm, 0, PAGE_SIZE, RW, PRIV, NULL, 0), -EBADF);
	ck_assert_int_eq(vm_mmap(mm, 0, 2 * PAGE_SIZE, RW, PRIV, f, (u64)-PAGE_SIZE),
			 -EOVERFLOW);
	/* A shared writable mapping needs a file open for writing. */
	ck_assert_int_eq(vm_mmap_file(mm, 0, PAGE_SIZE, RW, MAP_SHARED, f, 0,
				      VM_FILE_READ | VM_FILE_MMAP), -EACCES);
	ck_assert_int_eq(vm_mmap_file(mm, 0, PAGE_SIZE, PROT_READ, MAP_SHARED, f, 0,
				      VM_FILE_WRITE | VM_FILE_MMAP), -EACCES);
	ck_assert_int_eq(vm_mmap_file(mm, 0, PAGE_SIZE, PROT_READ, PRIV, f, 0,
				      VM_FILE_READ), -ENODEV);
	ck_assert_int_eq(vm_mmap_file(mm, 0, PAGE_SIZE, PROT_READ, MAP_SHARED_VALIDATE | MAP_SYNC,
				      f, 0, VM_FILE_READ | VM_FILE_MMAP), -EOPNOTSUPP);
	ck_assert_uint_eq(t_nvmas(mm), 0);
	ck_assert_int_eq(host_file_refs(f), 1);
	mm_put(mm);
	host_file_destroy(f);
}
END_TEST

START_TEST(munmap_splits_and_frees)
{
	struct mm *mm = t_mm();
	uptr_t base = 0x40000000;
	paddr_t mid;

	t_mmap_anon(mm, base, 5 * PAGE_SIZE, RW, PRIV | MAP_FIXED);
	for (int i = 0; i < 5; i++)
		t_poke(mm, base + i * PAGE_SIZE, (u8)(i + 1));
	mid = pagemap_lookup(mm, base + 2 * PAGE_SIZE);
	ck_assert_int_eq(vm_munmap(mm, base + 2 * PAGE_SIZE, PAGE_SIZE), 0);
	ck_assert_uint_eq(t_nvmas(mm), 2);
	ck_assert(t_frame_free(mid));
	ck_assert_int_eq(t_access(mm, base + 2 * PAGE_SIZE, false, false), -EFAULT);
	/* Edges: the first page and the last, with an unaligned length. */
	ck_assert_int_eq(vm_munmap(mm, base, 100), 0);
	ck_assert_int_eq(vm_munmap(mm, base + 4 * PAGE_SIZE, PAGE_SIZE), 0);
	ck_assert_uint_eq(t_nvmas(mm), 2);
	ck_assert_uint_eq(t_vma(mm, 0)->start, base + PAGE_SIZE);
	ck_assert_uint_eq(t_vma(mm, 1)->end, base + 4 * PAGE_SIZE);
	ck_assert_uint_eq(t_byte(mm, base + PAGE_SIZE), 2);
	ck_assert_uint_eq(t_byte(mm, base + 3 * PAGE_SIZE), 4);
	ck_assert_uint_eq(mm->resident, 2);
	/* Across a hole, and nothing mapped at all: fine. */
	ck_assert_int_eq(vm_munmap(mm, base, 8 * PAGE_SIZE), 0);
	ck_assert_int_eq(vm_munmap(mm, base, 8 * PAGE_SIZE), 0);
	ck_assert_uint_eq(t_nvmas(mm), 0);
	ck_assert_uint_eq(mm->resident, 0);
	ck_assert_uint_eq(host_mmu_mapped(mm_space(mm)), 0);
	mm_put(mm);
}
END_TEST

START_TEST(munmap_errors)
{
	struct mm *mm = t_mm();

	ck_assert_int_eq(vm_munmap(mm, 0x40000001, PAGE_SIZE), -EINVAL);
	ck_assert_int_eq(vm_munmap(mm, 0x40000000, 0), -EINVAL);
	ck_assert_int_eq(vm_munmap(mm, USER_TOP + PAGE_SIZE, PAGE_SIZE), -EINVAL);
	ck_assert_int_eq(vm_munmap(mm, USER_TOP - PAGE_SIZE, 2 * PAGE_SIZE), -EINVAL);
	mm_put(mm);
}
END_TEST

START_TEST(mprotect_splits_and_merges)
{
	struct mm *mm = t_mm();
	uptr_t base = 0x40000000;
	u32 rights;

	t_mmap_anon(mm, base, 3 * PAGE_SIZE, RW, PRIV | MAP_FIXED);
	t_poke(mm, base + PAGE_SIZE, 7);
	ck_assert_int_eq(vm_mprotect(mm, base + PAGE_SIZE, PAGE_SIZE, PROT_READ), 0);
	ck_assert_uint_eq(t_nvmas(mm), 3);
	/* The mapped page lost its write right at once. */
	mmu_lookup(mm_space(mm), base + PAGE_SIZE, &rights);
	ck_assert_uint_eq(rights & MMU_WRITE, 0);
	ck_assert_int_eq(t_access(mm, base + PAGE_SIZE, true, false), -EACCES);
	ck_assert_uint_eq(t_byte(mm, base + PAGE_SIZE), 7);
	ck_assert_int_eq(t_access(mm, base, false, true), -EACCES);     /* not PROT_EXEC */
	ck_assert_int_eq(vm_mprotect(mm, base + PAGE_SIZE, PAGE_SIZE, RW), 0);
	ck_assert_uint_eq(t_nvmas(mm), 1);
	ck_assert_int_eq(t_write(mm, base + PAGE_SIZE, "x", 1), 0);
	t_check_vmas(mm);
	mm_put(mm);
}
END_TEST

START_TEST(mprotect_none_keeps_contents)
{
	struct mm *mm = t_mm();
	uptr_t base = 0x40000000;

	t_mmap_anon(mm, base, 2 * PAGE_SIZE, RW, PRIV | MAP_FIXED);
	t_write(mm, base, "hello", 6);
	ck_assert_int_eq(vm_mprotect(mm, base, 2 * PAGE_SIZE, PROT_NONE), 0);
	ck_assert_int_eq(t_access(mm, base, false, false), -EACCES);
	ck_assert_uint_eq(host_mmu_mapped(mm_space(mm)), 0);
	ck_assert_uint_eq(mm->resident, 1);
	ck_assert_int_eq(vm_mprotect(mm, base, PAGE_SIZE, PROT_READ), 0);
	char buf[6];
	ck_assert_int_eq(t_read(mm, base, buf, 6), 0);
	ck_assert_str_eq(buf, "hello");
	mm_put(mm);
}
END_TEST

START_TEST(mprotect_errors)
{
	struct mm *mm = t_mm();
	uptr_t base = 0x40000000;
	struct file *f = host_file_create("data", 4);

	t_mmap_anon(mm, base, PAGE_SIZE, RW, PRIV | MAP_FIXED);
	t_mmap_anon(mm, base + 2 * PAGE_SIZE, PAGE_SIZE, RW, PRIV | MAP_FIXED);
	ck_assert_int_eq(vm_mprotect(mm, base + 1, PAGE_SIZE, PROT_READ), -EINVAL);
	ck_assert_int_eq(vm_mprotect(mm, base, PAGE_SIZE, 0x100), -EINVAL);
	ck_assert_int_eq(vm_mprotect(mm, base, 0, PROT_READ), 0);
	/* A hole: -ENOMEM and nothing changed. */
	ck_assert_int_eq(vm_mprotect(mm, base, 3 * PAGE_SIZE, PROT_READ), -ENOMEM);
	ck_assert_uint_eq(t_vma(mm, 0)->prot, RW);
	ck_assert_int_eq(vm_mprotect(mm, base + PAGE_SIZE, PAGE_SIZE, PROT_READ), -ENOMEM);
	ck_assert_int_eq(vm_mprotect(mm, 0x70000000, PAGE_SIZE, PROT_READ), -ENOMEM);
	/* A shared mapping of a file not open for writing never gets it. */
	long m = vm_mmap_file(mm, 0, PAGE_SIZE, PROT_READ, MAP_SHARED, f, 0,
			      VM_FILE_READ | VM_FILE_MMAP);
	ck_assert_int_gt(m, 0);
	ck_assert_int_eq(vm_mprotect(mm, (uptr_t)m, PAGE_SIZE, RW), -EACCES);
	/* A private one may. */
	m = vm_mmap_file(mm, 0, PAGE_SIZE, PROT_READ, PRIV, f, 0, VM_FILE_READ | VM_FILE_MMAP);
	ck_assert_int_eq(vm_mprotect(mm, (uptr_t)m, PAGE_SIZE, RW), 0);
	mm_put(mm);
	host_file_destroy(f);
}
END_TEST

START_TEST(mprotect_growsdown)
{
	struct mm *mm = t_mm();
	uptr_t top = VM_DEFAULT_MMAP_BASE;

	ck_assert_int_eq(t_mmap_anon(mm, top - 4 * PAGE_SIZE, 4 * PAGE_SIZE, RW,
				     PRIV | MAP_FIXED | MAP_GROWSDOWN), (long)(top - 4 * PAGE_SIZE));
	ck_assert_int_eq(vm_mprotect(mm, top - PAGE_SIZE, PAGE_SIZE,
				     RW | PROT_EXEC | PROT_GROWSDOWN), 0);
	ck_assert_uint_eq(t_nvmas(mm), 1);
	ck_assert_uint_eq(t_vma(mm, 0)->prot, RW | PROT_EXEC);
	/* Placement keeps the guard gap below a stack. */
	ck_assert_int_eq(t_mmap_anon(mm, top - 5 * PAGE_SIZE, PAGE_SIZE, RW, PRIV),
			 (long)(top - 4 * PAGE_SIZE - VM_STACK_GUARD_GAP - PAGE_SIZE));
	mm_put(mm);
}
END_TEST

START_TEST(merge_needs_same_everything)
{
	struct mm *mm = t_mm();
	struct file *f = host_file_create("abc", 3);
	uptr_t base = 0x40000000;

	t_mmap_anon(mm, base, PAGE_SIZE, RW, PRIV | MAP_FIXED);
	t_mmap_anon(mm, base + PAGE_SIZE, PAGE_SIZE, PROT_READ, PRIV | MAP_FIXED);
	t_mmap_anon(mm, base + 2 * PAGE_SIZE, PAGE_SIZE, PROT_READ, MAP_SHARED | MAP_FIXED);
	ck_assert_uint_eq(t_nvmas(mm), 3);
	/* File areas merge only where the offsets continue. */
	vm_mmap(mm, base + 4 * PAGE_SIZE, PAGE_SIZE, PROT_READ, PRIV | MAP_FIXED, f, 0);
	vm_mmap(mm, base + 5 * PAGE_SIZE, PAGE_SIZE, PROT_READ, PRIV | MAP_FIXED, f, 2 * PAGE_SIZE);
	ck_assert_uint_eq(t_nvmas(mm), 5);
	vm_mmap(mm, base + 5 * PAGE_SIZE, PAGE_SIZE, PROT_READ, PRIV | MAP_FIXED, f, PAGE_SIZE);
	ck_assert_uint_eq(t_nvmas(mm), 4);
	ck_assert_int_eq(host_file_refs(f), 2);
	mm_put(mm);
	ck_assert_int_eq(host_file_refs(f), 1);
	host_file_destroy(f);
}
END_TEST

START_TEST(brk_linux_semantics)
{
	struct mm *mm = t_mm();
	uptr_t base = 0x600000;

	vm_set_brk_base(mm, base);
	ck_assert_int_eq(vm_brk(mm, 0), (long)base);
	ck_assert_int_eq(vm_brk(mm, base - 1), (long)base);
	ck_assert_int_eq(vm_brk(mm, base + 10), (long)(base + 10));
	ck_assert_uint_eq(t_nvmas(mm), 1);
	t_poke(mm, base + 5, 9);
	ck_assert_int_eq(vm_brk(mm, base + 3 * PAGE_SIZE + 1), (long)(base + 3 * PAGE_SIZE + 1));
	ck_assert_uint_eq(t_nvmas(mm), 1);                /* grown in place */
	ck_assert_uint_eq(t_vma(mm, 0)->end, base + 4 * PAGE_SIZE);
	t_poke(mm, base + 3 * PAGE_SIZE, 3);
	ck_assert_int_eq(vm_brk(mm, base + PAGE_SIZE), (long)(base + PAGE_SIZE));
	ck_assert_uint_eq(t_vma(mm, 0)->end, base + PAGE_SIZE);
	ck_assert_uint_eq(mm->resident, 1);
	ck_assert_uint_eq(t_byte(mm, base + 5), 9);
	/* Regrown pages are zero again. */
	ck_assert_int_eq(vm_brk(mm, base + 4 * PAGE_SIZE), (long)(base + 4 * PAGE_SIZE));
	ck_assert_uint_eq(t_byte(mm, base + 3 * PAGE_SIZE), 0);
	/* A mapping in the way: refused, the break stays. */
	t_mmap_anon(mm, base + 8 * PAGE_SIZE, PAGE_SIZE, RW, PRIV | MAP_FIXED);
	ck_assert_int_eq(vm_brk(mm, base + 8 * PAGE_SIZE), (long)(base + 4 * PAGE_SIZE));
	ck_assert_int_eq(vm_brk(mm, base + 7 * PAGE_SIZE), (long)(base + 7 * PAGE_SIZE));
	ck_assert_int_eq(vm_brk(mm, USER_TOP + PAGE_SIZE), (long)(base + 7 * PAGE_SIZE));
	/* Back to the base: no heap left. */
	ck_assert_int_eq(vm_brk(mm, base), (long)base);
	ck_assert_uint_eq(t_nvmas(mm), 1);
	mm_put(mm);
}
END_TEST

START_TEST(mremap_shrink_and_grow_in_place)
{
	struct mm *mm = t_mm();
	uptr_t base = 0x40000000;

	t_mmap_anon(mm, base, 4 * PAGE_SIZE, RW, PRIV | MAP_FIXED);
	t_poke(mm, base, 1);
	t_poke(mm, base + 3 * PAGE_SIZE, 4);
	ck_assert_int_eq(vm_mremap(mm, base, 4 * PAGE_SIZE, 2 * PAGE_SIZE, 0, 0), (long)base);
	ck_assert_uint_eq(t_vma(mm, 0)->end, base + 2 * PAGE_SIZE);
	ck_assert_uint_eq(mm->resident, 1);
	ck_assert_int_eq(vm_mremap(mm, base, 2 * PAGE_SIZE, 6 * PAGE_SIZE, 0, 0), (long)base);
	ck_assert_uint_eq(t_nvmas(mm), 1);
	ck_assert_uint_eq(t_vma(mm, 0)->end, base + 6 * PAGE_SIZE);
	ck_assert_uint_eq(t_byte(mm, base), 1);
	ck_assert_uint_eq(t_byte(mm, base + 3 * PAGE_SIZE), 0);
	/* Blocked above, no MAYMOVE: -ENOMEM. */
	t_mmap_anon(mm, base + 7 * PAGE_SIZE, PAGE_SIZE, PROT_READ, PRIV | MAP_FIXED);
	ck_assert_int_eq(vm_mremap(mm, base, 6 * PAGE_SIZE, 8 * PAGE_SIZE, 0, 0), -ENOMEM);
	mm_put(mm);
}
END_TEST

START_TEST(mremap_moves_pages)
{
	struct mm *mm = t_mm();
	uptr_t base = 0x40000000;
	paddr_t p0, p2;
	long to;

	t_mmap_anon(mm, base, 3 * PAGE_SIZE, RW, PRIV | MAP_FIXED);
	t_mmap_anon(mm, base + 3 * PAGE_SIZE, PAGE_SIZE, PROT_READ, PRIV | MAP_FIXED);
	t_poke(mm, base, 0xa0);
	t_poke(mm, base + 2 * PAGE_SIZE + 7, 0xa2);
	p0 = pagemap_lookup(mm, base);
	p2 = pagemap_lookup(mm, base + 2 * PAGE_SIZE);
	to = vm_mremap(mm, base, 3 * PAGE_SIZE, 5 * PAGE_SIZE, MREMAP_MAYMOVE, 0);
	ck_assert_int_gt(to, 0);
	ck_assert_int_ne(to, (long)base);
	/* The frames moved; nothing was copied or leaked. */
	ck_assert_uint_eq(pagemap_lookup(mm, (uptr_t)to), p0);
	ck_assert_uint_eq(pagemap_lookup(mm, (uptr_t)to + 2 * PAGE_SIZE), p2);
	ck_assert_uint_eq(t_byte(mm, (uptr_t)to), 0xa0);
	ck_assert_uint_eq(t_byte(mm, (uptr_t)to + 2 * PAGE_SIZE + 7), 0xa2);
	ck_assert_uint_eq(t_byte(mm, (uptr_t)to + 4 * PAGE_SIZE), 0);
	ck_assert_int_eq(t_access(mm, base, false, false), -EFAULT);
	ck_assert_uint_eq(mm->resident, 3);
	t_check_vmas(mm);
	/* MREMAP_FIXED onto an existing mapping replaces it. */
	uptr_t dst = 0x50000000;
	t_mmap_anon(mm, dst, PAGE_SIZE, RW, PRIV | MAP_FIXED);
	t_poke(mm, dst, 0x55);
	ck_assert_int_eq(vm_mremap(mm, (uptr_t)to, 5 * PAGE_SIZE, 2 * PAGE_SIZE,
				   MREMAP_MAYMOVE | MREMAP_FIXED, dst), (long)dst);
	ck_assert_uint_eq(t_byte(mm, dst), 0xa0);
	ck_assert_uint_eq(mm->resident, 1);
	mm_put(mm);
}
END_TEST

START_TEST(mremap_errors)
{
	struct mm *mm = t_mm();
	uptr_t base = 0x40000000;

	t_mmap_anon(mm, base, 2 * PAGE_SIZE, RW, PRIV | MAP_FIXED);
	ck_assert_int_eq(vm_mremap(mm, base, PAGE_SIZE, 2 * PAGE_SIZE, 8, 0), -EINVAL);
	ck_assert_int_eq(vm_mremap(mm, base, PAGE_SIZE, 2 * PAGE_SIZE, MREMAP_FIXED, 0x50000000),
			 -EINVAL);
	ck_assert_int_eq(vm_mremap(mm, base + 1, PAGE_SIZE, 2 * PAGE_SIZE, 0, 0), -EINVAL);
	ck_assert_int_eq(vm_mremap(mm, base, PAGE_SIZE, 0, 0, 0), -EINVAL);
	ck_assert_int_eq(vm_mremap(mm, 0x60000000, PAGE_SIZE, 2 * PAGE_SIZE, MREMAP_MAYMOVE, 0),
			 -EFAULT);
	ck_assert_int_eq(vm_mremap(mm, base, 3 * PAGE_SIZE, 4 * PAGE_SIZE, MREMAP_MAYMOVE, 0),
			 -EFAULT);   /* not all within one area */
	ck_assert_int_eq(vm_mremap(mm, base, PAGE_SIZE, 2 * PAGE_SIZE,
				   MREMAP_MAYMOVE | MREMAP_FIXED, base - PAGE_SIZE), -EINVAL);
	mm_put(mm);
}
END_TEST

START_TEST(placement_fills_gaps_and_falls_back)
{
	struct mm *mm = t_mm();
	uptr_t top = VM_DEFAULT_MMAP_BASE;

	t_mmap_anon(mm, top - 2 * PAGE_SIZE, PAGE_SIZE, RW, PRIV | MAP_FIXED);
	/* One-page hole at the top is used first, then below. */
	ck_assert_int_eq(t_mmap_anon(mm, 0, PAGE_SIZE, PROT_READ, PRIV), (long)(top - PAGE_SIZE));
	ck_assert_int_eq(t_mmap_anon(mm, 0, 2 * PAGE_SIZE, PROT_READ, PRIV),
			 (long)(top - 4 * PAGE_SIZE));
	/* Nothing fits below the base: bottom-up above a third. */
	vm_set_mmap_base(mm, VM_MMAP_MIN_ADDR + PAGE_SIZE);
	ck_assert_int_eq(t_mmap_anon(mm, 0, 2 * PAGE_SIZE, PROT_READ, PRIV),
			 (long)VM_UNMAPPED_BASE);
	ck_assert_int_eq(vm_get_unmapped_area(mm, 0, 1), (long)(VM_MMAP_MIN_ADDR));
	ck_assert_int_eq(t_mmap_anon(mm, 0, PAGE_SIZE, RW, PRIV | MAP_32BIT), 0x40000000);
	mm_put(mm);
}
END_TEST

START_TEST(map_count_limit)
{
	struct mm *mm = t_mm();
	uptr_t base = 0x100000000;

	/* Alternating rights never merge; downwards, each new area is
	 * found at the head of the list. */
	for (unsigned i = VM_MAX_MAP_COUNT; i-- > 0;)
		REQUIRE(t_mmap_anon(mm, base + i * PAGE_SIZE, PAGE_SIZE,
				    i % 2 ? PROT_READ : RW, PRIV | MAP_FIXED) > 0);
	ck_assert_int_eq(t_mmap_anon(mm, 0, PAGE_SIZE, RW, PRIV), -ENOMEM);
	mm_put(mm);
}
END_TEST

START_TEST(msync_and_madvise)
{
	struct mm *mm = t_mm();
	uptr_t base = 0x40000000;
	long sh;

	t_mmap_anon(mm, base, 2 * PAGE_SIZE, RW, PRIV | MAP_FIXED);
	sh = t_mmap_anon(mm, 0, PAGE_SIZE, RW, MAP_SHARED);
	ck_assert_int_eq(vm_msync(mm, base, 2 * PAGE_SIZE, 4 /* MS_SYNC */), 0);
	ck_assert_int_eq(vm_msync(mm, base, 0, 0), 0);
	ck_assert_int_eq(vm_msync(mm, base + 1, PAGE_SIZE, 0), -EINVAL);
	ck_assert_int_eq(vm_msync(mm, base, PAGE_SIZE, 1 | 4), -EINVAL);
	ck_assert_int_eq(vm_msync(mm, base, PAGE_SIZE, 8), -EINVAL);
	ck_assert_int_eq(vm_msync(mm, base, 3 * PAGE_SIZE, 4), -ENOMEM);

	/* MADV_DONTNEED: private pages come back as zeros; shared keep data. */
	t_poke(mm, base, 1);
	t_poke(mm, (uptr_t)sh, 2);
	ck_assert_int_eq(vm_madvise(mm, base, PAGE_SIZE, 4), 0);
	ck_assert_int_eq(vm_madvise(mm, (uptr_t)sh, PAGE_SIZE, 4), 0);
	ck_assert_uint_eq(t_byte(mm, base), 0);
	ck_assert_uint_eq(t_byte(mm, (uptr_t)sh), 2);
	ck_assert_int_eq(vm_madvise(mm, base, PAGE_SIZE, 3 /* WILLNEED */), 0);
	ck_assert_int_eq(vm_madvise(mm, base, PAGE_SIZE, 7), -EINVAL);
	ck_assert_int_eq(vm_madvise(mm, base + 1, PAGE_SIZE, 4), -EINVAL);
	ck_assert_int_eq(vm_madvise(mm, base, 3 * PAGE_SIZE, 4), -ENOMEM);
	ck_assert_int_eq(vm_madvise(mm, 0x70000000, PAGE_SIZE, 0), -ENOMEM);
	ck_assert_int_eq(vm_madvise(mm, base, 0, 4), 0);
	mm_put(mm);
}
END_TEST

Suite *vm_vma_suite(void)
{
	Suite *s = suite_create("vm_vma");
	TCase *tc = tcase_create("areas");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, mmap_places_top_down_below_base);
	tcase_add_test(tc, mmap_hint_used_when_free);
	tcase_add_test(tc, mmap_fixed_replaces_and_splits);
	tcase_add_test(tc, mmap_fixed_noreplace);
	tcase_add_test(tc, mmap_errors);
	tcase_add_test(tc, munmap_splits_and_frees);
	tcase_add_test(tc, munmap_errors);
	tcase_add_test(tc, mprotect_splits_and_merges);
	tcase_add_test(tc, mprotect_none_keeps_contents);
	tcase_add_test(tc, mprotect_errors);
	tcase_add_test(tc, mprotect_growsdown);
	tcase_add_test(tc, merge_needs_same_everything);
	tcase_add_test(tc, brk_linux_semantics);
	tcase_add_test(tc, mremap_shrink_and_grow_in_place);
	tcase_add_test(tc, mremap_moves_pages);
	tcase_add_test(tc, mremap_errors);
	tcase_add_test(tc, placement_fills_gaps_and_falls_back);
	tcase_add_test(tc, map_count_limit);
	tcase_add_test(tc, msync_and_madvise);
	suite_add_tcase(s, tc);
	return s;
}
