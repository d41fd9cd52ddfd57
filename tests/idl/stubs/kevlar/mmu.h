/* Test stub of <kevlar/mmu.h>: access_ok() as the kernel has it. */
#ifndef KEVLAR_MMU_H
#define KEVLAR_MMU_H
#include <kevlar/types.h>
#define USER_TOP 0x00007ffffffff000UL
static inline bool access_ok(uptr_t p, size_t n)
{
	return p <= USER_TOP && n <= USER_TOP - p;
}
#endif
