/* brk: growing and shrinking the heap, and what the memory holds. */
#include "usertest.h"

#define PAGE 4096UL

static uintptr_t sys_brk(uintptr_t to)
{
	return (uintptr_t)syscall(SYS_brk, to);
}

int main(void)
{
	uintptr_t start = sys_brk(0);
	uintptr_t grown = start + (1UL << 20);
	uintptr_t page_after = (start + PAGE - 1) & ~(PAGE - 1);

	CHECK("brk.query_returns_break", start != 0 && sys_brk(0) == start);
	CHECK("brk.grow_1mib", sys_brk(grown) == grown);
	CHECK("brk.query_after_grow", sys_brk(0) == grown);

	volatile char *heap = (volatile char *)start;
	int zero = 1;
	for (uintptr_t off = 0; off < (1UL << 20); off += PAGE / 2)
		if (heap[off])
			zero = 0;
	CHECK("brk.new_memory_is_zero", zero);
	heap[0] = 1;
	heap[(1UL << 20) - 1] = 2;
	heap[512 * 1024] = 0x55;
	CHECK("brk.new_memory_is_writable", heap[0] == 1 && heap[(1UL << 20) - 1] == 2);

	CHECK("brk.shrink_back", sys_brk(start) == start);
	int st = in_child(touch_read, (void *)(page_after + 16 * PAGE));
	check_killed("brk.freed_memory_faults", st, 11);

	CHECK("brk.grow_again", sys_brk(grown) == grown);
	CHECK("brk.regrown_memory_is_zero", heap[512 * 1024] == 0);
	sys_brk(start);

	CHECK("brk.below_start_refused", sys_brk(0x1000) == start);
	return finish();
}
