/* The kernel's page tables: the direct map, the image, device mappings. */
#ifndef KEVLAR_PAGING_H
#define KEVLAR_PAGING_H

#include <kevlar/compiler.h>
#include <kevlar/types.h>

#define PTE_PRESENT  (1UL << 0)
#define PTE_WRITE    (1UL << 1)
#define PTE_USER     (1UL << 2)
#define PTE_PWT      (1UL << 3)
#define PTE_PCD      (1UL << 4)
#define PTE_ACCESSED (1UL << 5)
#define PTE_DIRTY    (1UL << 6)
#define PTE_HUGE     (1UL << 7)
#define PTE_GLOBAL   (1UL << 8)
#define PTE_NX       (1UL << 63)
#define PTE_ADDR_MASK 0x000ffffffffff000UL

struct boot_info;
/* Builds the kernel's own page tables and switches to them. */
void paging_init(const struct boot_info *bi);

/* Maps 'size' bytes of device memory at 'pa' uncached; NULL on failure. */
void __iomem *ioremap(paddr_t pa, size_t size);

/* True if [pa, pa + len) is RAM mapped in the direct map. */
bool direct_map_contains(paddr_t pa, size_t len);

/*
 * The leaf entry that maps 'va' in the kernel's tables (any level), and
 * its page size in bytes; 0 if 'va' is not mapped.
 */
u64 kernel_pte_lookup(vaddr_t va, u64 *page_size);

/*
 * A kernel stack of 'size' bytes (at most KSTACK_SLOT_SIZE / 2) in its own
 * slot, with unmapped memory below it so that an overflow faults. Returns
 * its lowest address, or NULL.
 */
void *kstack_alloc(size_t size);
void kstack_free(void *stack, size_t size);

/* Physical address of the kernel's top-level table. */
paddr_t kernel_pml4(void);

#endif
