/*
 * User address spaces: Ring 0 owns the page tables, Core decides what is
 * mapped. An address space is named by the physical address of its top
 * table; its upper (kernel) half is shared with every other one. Ring 0
 * never frees or takes references on the frames it maps: that is Core's
 * bookkeeping (frame_get/frame_put).
 */
#ifndef KEVLAR_MMU_H
#define KEVLAR_MMU_H

#include <kevlar/types.h>

/* The first address user space may not use (the top of the lower half,
 * minus one guard page, as on Linux). */
#define USER_TOP 0x00007ffffffff000UL

/* Rights of a user mapping. */
#define MMU_READ  0x1u
#define MMU_WRITE 0x2u
#define MMU_EXEC  0x4u

typedef paddr_t mmu_space_t;

/* A new, empty address space; 0 if out of memory. */
mmu_space_t mmu_create(void);
/* Frees the space's page-table pages (not the frames mapped in it). */
void mmu_destroy(mmu_space_t space);
/* Maps one page at user address va (page aligned, below USER_TOP).
 * Replaces any previous mapping. Returns 0 or -ENOMEM / -EINVAL. */
int mmu_map(mmu_space_t space, uptr_t va, paddr_t pa, u32 rights);
/* Unmaps one page; returns the frame that was mapped, or PADDR_NONE. */
paddr_t mmu_unmap(mmu_space_t space, uptr_t va);
/* The frame mapped at va and its rights; PADDR_NONE if none. */
paddr_t mmu_lookup(mmu_space_t space, uptr_t va, u32 *rights);
/* Changes the rights of a mapped page; -ENOENT if none is mapped. */
int mmu_protect(mmu_space_t space, uptr_t va, u32 rights);
/* Makes 'space' the current address space of this CPU. */
void mmu_activate(mmu_space_t space);
mmu_space_t mmu_current(void);
/* Drops stale translations of va in the current space. */
void mmu_flush(uptr_t va);

/* Is [p, p + n) entirely user address space? */
static inline bool access_ok(uptr_t p, size_t n)
{
	return p <= USER_TOP && n <= USER_TOP - p;
}

#endif
