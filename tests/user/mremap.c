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
	return finish();
}
