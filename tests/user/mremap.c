/* mremap: growing, shrinking and moving mappings; errors. */
#include "usertest.h"
#include <sys/mman.h>

#define PAGE 4096UL

static char *map(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	return p == MAP_FAILED ? NULL : p;
}

static int pattern_ok(const char *p, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (p[i] != (char)(i * 7))
			return 0;
	return 1;
}

int main(void)
{
	char *p = map(2 * PAGE);

	if (!check("mremap.setup_mapping", p != NULL, "a mapping"))
		return finish();
	for (size_t i = 0; i < 2 * PAGE; i++)
		p[i] = (char)(i * 7);

	char *q = mremap(p, 2 * PAGE, 8 * PAGE, MREMAP_MAYMOVE);
	CHECK("mremap.grow_maymove", q != MAP_FAILED);
	CHECK("mremap.grow_keeps_contents", q != MAP_FAILED && pattern_ok(q, 2 * PAGE));
	CHECK("mremap.grown_part_is_zero", q != MAP_FAILED && q[2 * PAGE] == 0 && q[8 * PAGE - 1] == 0);
	if (q == MAP_FAILED)
		return finish();
	q[8 * PAGE - 1] = 1;

	char *r = mremap(q, 8 * PAGE, PAGE, 0);
	CHECK("mremap.shrink_in_place", r == q);
	CHECK("mremap.shrink_keeps_contents", pattern_ok(q, PAGE));
	check_killed("mremap.shrunk_away_part_faults", in_child(touch_read, q + PAGE), 11);

	/* The first page of a two-page mapping cannot grow into the second. */
	char *two = map(2 * PAGE);
	check_err("mremap.no_room_without_maymove_enomem",
		  syscall(SYS_mremap, two, PAGE, 2 * PAGE, 0), ENOMEM);

	/* Moving to a chosen address. */
	char *target = map(4 * PAGE);
	char *moved = mremap(q, PAGE, PAGE, MREMAP_MAYMOVE | MREMAP_FIXED, target + PAGE);
	CHECK("mremap.fixed_moves_to_target", moved == target + PAGE);
	CHECK("mremap.fixed_keeps_contents", moved == target + PAGE && pattern_ok(moved, PAGE));
	check_killed("mremap.old_address_unmapped_after_move", in_child(touch_read, q), 11);

	check_err("mremap.unaligned_einval", syscall(SYS_mremap, two + 1, PAGE, 2 * PAGE, MREMAP_MAYMOVE),
		  EINVAL);
	check_err("mremap.fixed_without_maymove_einval",
		  syscall(SYS_mremap, two, PAGE, PAGE, MREMAP_FIXED, target), EINVAL);
	check_err("mremap.new_length_zero_einval",
		  syscall(SYS_mremap, two, PAGE, 0, MREMAP_MAYMOVE), EINVAL);
	check_err("mremap.unmapped_efault",
		  syscall(SYS_mremap, q, PAGE, 2 * PAGE, MREMAP_MAYMOVE), EFAULT);
	check_err("mremap.unmapped_shrink_efault", syscall(SYS_mremap, q, 2 * PAGE, PAGE, 0), EFAULT);
	check_err("mremap.unmapped_same_size_efault", syscall(SYS_mremap, q, PAGE, PAGE, 0), EFAULT);
	check_err("mremap.bad_flags_einval", syscall(SYS_mremap, two, PAGE, PAGE, 8), EINVAL);
	check_err("mremap.dontunmap_without_maymove_einval",
		  syscall(SYS_mremap, two, PAGE, PAGE, MREMAP_DONTUNMAP, 0), EINVAL);
	check_err("mremap.dontunmap_resize_einval",
		  syscall(SYS_mremap, two, PAGE, 2 * PAGE, MREMAP_MAYMOVE | MREMAP_DONTUNMAP, 0), EINVAL);
	check_err("mremap.fixed_unaligned_target_einval",
		  syscall(SYS_mremap, two, PAGE, PAGE, MREMAP_MAYMOVE | MREMAP_FIXED, target + 1), EINVAL);
	check_err("mremap.fixed_overlap_einval",
		  syscall(SYS_mremap, two, 2 * PAGE, 2 * PAGE, MREMAP_MAYMOVE | MREMAP_FIXED, two + PAGE),
		  EINVAL);
	check_err("mremap.old_size_zero_private_einval",
		  syscall(SYS_mremap, two, 0, PAGE, MREMAP_MAYMOVE), EINVAL);

	/* A failed fixed move leaves the target alone. */
	target[0] = 5;
	check_err("mremap.fixed_from_unmapped_efault",
		  syscall(SYS_mremap, q, PAGE, 2 * PAGE, MREMAP_MAYMOVE | MREMAP_FIXED, target), EFAULT);
	CHECK("mremap.failed_fixed_keeps_target", target[0] == 5);

	/* Growing or moving across a hole is -EFAULT, and changes nothing. */
	char *holed = map(3 * PAGE);
	holed[0] = 9;
	munmap(holed + PAGE, PAGE);
	check_err("mremap.grow_across_hole_efault",
		  syscall(SYS_mremap, holed, 3 * PAGE, 4 * PAGE, MREMAP_MAYMOVE), EFAULT);
	check_err("mremap.fixed_across_hole_efault",
		  syscall(SYS_mremap, holed, 3 * PAGE, 4 * PAGE, MREMAP_MAYMOVE | MREMAP_FIXED, target),
		  EFAULT);
	CHECK("mremap.failed_move_keeps_source", holed[0] == 9);
	CHECK("mremap.shrink_across_hole",
	      syscall(SYS_mremap, holed, 3 * PAGE, PAGE, 0) == (long)holed);
	check_killed("mremap.shrink_across_hole_unmaps_tail", in_child(touch_read, holed + 2 * PAGE), 11);

	/* Growing in place where the space above is free. */
	char *g = map(4 * PAGE);
	munmap(g + PAGE, 3 * PAGE);
	g[0] = 3;
	CHECK("mremap.grow_in_place", syscall(SYS_mremap, g, PAGE, 3 * PAGE, 0) == (long)g);
	CHECK("mremap.grow_in_place_keeps_contents", g[0] == 3 && g[3 * PAGE - 1] == 0);

	/* old_size 0 on a shared mapping maps the same pages again. */
	char *sh = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	sh[PAGE] = 11;
	check_err("mremap.old_size_zero_needs_maymove", syscall(SYS_mremap, sh, 0, 2 * PAGE, 0), ENOMEM);
	char *dup = (char *)syscall(SYS_mremap, sh, 0, 2 * PAGE, MREMAP_MAYMOVE);
	CHECK("mremap.old_size_zero_shared_duplicates", dup != MAP_FAILED && dup != sh);
	if (dup != MAP_FAILED && dup != sh) {
		CHECK("mremap.duplicate_sees_contents", dup[PAGE] == 11);
		dup[0] = 12;
		CHECK("mremap.duplicate_shares_writes", sh[0] == 12);
		CHECK("mremap.duplicate_keeps_original", sh[PAGE] == 11);
	}

	/* MREMAP_DONTUNMAP: private pages move, the old range stays, empty. */
	char *d = map(PAGE);
	d[0] = 21;
	char *dm = (char *)syscall(SYS_mremap, d, PAGE, PAGE, MREMAP_MAYMOVE | MREMAP_DONTUNMAP, 0);
	CHECK("mremap.dontunmap_moves", dm != MAP_FAILED && dm != d);
	if (dm != MAP_FAILED && dm != d) {
		CHECK("mremap.dontunmap_moves_contents", dm[0] == 21);
		CHECK("mremap.dontunmap_old_range_reads_zero", d[0] == 0);
	}
	char *ds = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ds[0] = 31;
	char *dsm = (char *)syscall(SYS_mremap, ds, PAGE, PAGE, MREMAP_MAYMOVE | MREMAP_DONTUNMAP, 0);
	CHECK("mremap.dontunmap_shared", dsm != MAP_FAILED && dsm != ds);
	if (dsm != MAP_FAILED && dsm != ds)
		CHECK("mremap.dontunmap_shared_old_sees_same", ds[0] == 31 && dsm[0] == 31);
	return finish();
}
