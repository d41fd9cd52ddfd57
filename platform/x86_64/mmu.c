/*
 * User page tables. Every address space has its own PML4 whose upper 256
 * entries are copied from the kernel's, which paging_init() filled in
 * and which never change afterwards, so the kernel half is shared.
 */
#include <kevlar/errno.h>
#include <kevlar/layout.h>
#include <kevlar/mm.h>
#include <kevlar/mmu.h>
#include <kevlar/paging.h>
#include <kevlar/string.h>
#include "cpu.h"

#define ENTRIES 512
#define KERNEL_HALF 256

static u64 *table(paddr_t pa)
{
	return phys_to_virt(pa & PTE_ADDR_MASK);
}

mmu_space_t mmu_create(void)
{
	paddr_t root = frame_alloc(0);
	if (root == PADDR_NONE)
		return 0;
	u64 *t = table(root);
	memset(t, 0, PAGE_SIZE / 2);
	memcpy(t + KERNEL_HALF, table(kernel_pml4()) + KERNEL_HALF, PAGE_SIZE / 2);
	return root;
}

static void free_level(paddr_t pa, int level)
{
	u64 *t = table(pa);
	int n = level == 3 ? KERNEL_HALF : ENTRIES;

	if (level > 0) {
		for (int i = 0; i < n; i++)
			if (t[i] & PTE_PRESENT)
				free_level(t[i] & PTE_ADDR_MASK, level - 1);
	}
	frame_free(pa, 0);
}

void mmu_destroy(mmu_space_t space)
{
	if (space)
		free_level(space, 3);
}

/* The PTE for va, creating intermediate tables if 'create'. */
static u64 *walk(mmu_space_t space, uptr_t va, bool create)
{
	u64 *t = table(space);

	for (int level = 3; level > 0; level--) {
		u64 *e = &t[(va >> (12 + 9 * level)) & 511];
		if (!(*e & PTE_PRESENT)) {
			if (!create)
				return NULL;
			paddr_t pa = frame_alloc(0);
			if (pa == PADDR_NONE)
				return NULL;
			memset(phys_to_virt(pa), 0, PAGE_SIZE);
			*e = pa | PTE_PRESENT | PTE_WRITE | PTE_USER;
		}
		t = table(*e);
	}
	return &t[(va >> 12) & 511];
}

static u64 pte_bits(u32 rights)
{
	u64 bits = PTE_PRESENT | PTE_USER;
	if (rights & MMU_WRITE)
		bits |= PTE_WRITE;
	if (!(rights & MMU_EXEC))
		bits |= PTE_NX;
	return bits;
}

static bool user_page(uptr_t va)
{
	return !(va & (PAGE_SIZE - 1)) && va < USER_TOP;
}

int mmu_map(mmu_space_t space, uptr_t va, paddr_t pa, u32 rights)
{
	if (!user_page(va) || (pa & (PAGE_SIZE - 1)))
		return -EINVAL;
	u64 *pte = walk(space, va, true);
	if (!pte)
		return -ENOMEM;
	bool was = *pte & PTE_PRESENT;
	*pte = pa | pte_bits(rights);
	if (was && space == mmu_current())
		invlpg(va);
	return 0;
}

paddr_t mmu_unmap(mmu_space_t space, uptr_t va)
{
	if (!user_page(va))
		return PADDR_NONE;
	u64 *pte = walk(space, va, false);
	if (!pte || !(*pte & PTE_PRESENT))
		return PADDR_NONE;
	paddr_t pa = *pte & PTE_ADDR_MASK;
	*pte = 0;
	if (space == mmu_current())
		invlpg(va);
	return pa;
}

paddr_t mmu_lookup(mmu_space_t space, uptr_t va, u32 *rights)
{
	u64 *pte = user_page(va & PAGE_MASK) ? walk(space, va & PAGE_MASK, false) : NULL;
	if (!pte || !(*pte & PTE_PRESENT))
		return PADDR_NONE;
	if (rights)
		*rights = MMU_READ | (*pte & PTE_WRITE ? MMU_WRITE : 0) |
			  (*pte & PTE_NX ? 0 : MMU_EXEC);
	return *pte & PTE_ADDR_MASK;
}

int mmu_protect(mmu_space_t space, uptr_t va, u32 rights)
{
	u64 *pte = user_page(va) ? walk(space, va, false) : NULL;
	if (!pte || !(*pte & PTE_PRESENT))
		return -ENOENT;
	*pte = (*pte & PTE_ADDR_MASK) | pte_bits(rights);
	if (space == mmu_current())
		invlpg(va);
	return 0;
}

void mmu_activate(mmu_space_t space)
{
	paddr_t root = space ? space : kernel_pml4();
	if (read_cr3() != root)
		write_cr3(root);
}

mmu_space_t mmu_current(void)
{
	return read_cr3() & PTE_ADDR_MASK;
}

void mmu_flush(uptr_t va)
{
	invlpg(va);
}
