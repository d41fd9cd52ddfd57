/* The kernel's virtual address layout. */
#ifndef KEVLAR_LAYOUT_H
#define KEVLAR_LAYOUT_H

#include <kevlar/types.h>

/* All physical memory is mapped here (like Linux's page_offset_base). */
#define DIRECT_MAP_BASE  0xffff888000000000UL
#define DIRECT_MAP_SIZE  (1UL << 46)           /* 64 TiB */
/* Device memory mapped uncached by ioremap(). */
#define IOREMAP_BASE     0xffffc90000000000UL
#define IOREMAP_SIZE     (1UL << 40)
/* Kernel thread stacks, each with an unmapped guard page below it. */
#define KSTACK_BASE      0xffffc80000000000UL
#define KSTACK_SLOT_SIZE (32UL << 10)
#define KSTACK_SLOTS     65536UL
/* The kernel image: linked at KERNEL_VBASE + its physical load address. */
#define KERNEL_VBASE     0xffffffff80000000UL

#ifndef KEVLAR_HOST
static inline void *phys_to_virt(paddr_t pa)
{
	return (void *)(DIRECT_MAP_BASE + pa);
}

static inline paddr_t virt_to_phys(const void *va)
{
	vaddr_t v = (vaddr_t)va;
	if (v >= KERNEL_VBASE)
		return v - KERNEL_VBASE;
	return v - DIRECT_MAP_BASE;
}
#else
void *phys_to_virt(paddr_t pa);
paddr_t virt_to_phys(const void *va);
#endif

#endif
