/*
 * The kernel's page tables, built once at boot to replace the boot tables:
 *  - the direct map: every RAM range of the memory map, read-write, NX,
 *    with 2 MiB pages where alignment allows;
 *  - the kernel image with 4 KiB pages and per-section rights (W^X): text
 *    read-execute, rodata and the symbol table read-only, data read-write;
 *    the guard page below the boot stack is left unmapped;
 *  - a device window filled by ioremap(), uncached and NX.
 * Upper-half top-level entries are created here and never change, so later
 * address spaces can share them by copying.
 */
#include <kevlar/boot.h>
#include <kevlar/layout.h>
#include <kevlar/mm.h>
#include <kevlar/paging.h>
#include <kevlar/panic.h>
#include <kevlar/printk.h>
#include <kevlar/spinlock.h>
#include <kevlar/string.h>
#include "cpu.h"

#define SIZE_2M (1UL << 21)

extern const char _text[], _etext[], _rodata[], _erodata[], _data[], _edata[];
extern const char _ksyms[], _kernel_end[];
extern const char kernel_stack_guard[];

static paddr_t pml4_pa;
static vaddr_t ioremap_next = IOREMAP_BASE;
static spinlock_t ioremap_lock = SPINLOCK_INIT;

static u64 *table_va(u64 entry)
{
	return phys_to_virt(entry & PTE_ADDR_MASK);
}

static u64 *new_table(void)
{
	paddr_t pa = frame_alloc(0);
	if (pa == PADDR_NONE)
		kpanic("paging: out of memory for page tables");
	u64 *t = phys_to_virt(pa);
	memset(t, 0, PAGE_SIZE);
	return t;
}

/* The entry for 'va' at 'level' (3 = PML4 .. 0 = PT), creating tables on
 * the way down. Never splits an existing huge page. */
static u64 *walk_create(vaddr_t va, int level)
{
	u64 *table = phys_to_virt(pml4_pa);

	for (int l = 3; l > level; l--) {
		u64 *e = &table[(va >> (12 + 9 * l)) & 511];
		if (!(*e & PTE_PRESENT)) {
			u64 *t = new_table();
			*e = virt_to_phys(t) | PTE_PRESENT | PTE_WRITE;
		}
		if (*e & PTE_HUGE)
			kpanic("paging: %p already mapped by a huge page", (void *)va);
		table = table_va(*e);
	}
	return &table[(va >> (12 + 9 * level)) & 511];
}

static void map_range(vaddr_t va, paddr_t pa, u64 len, u64 flags, bool allow_huge)
{
	u64 end = va + len;

	while (va < end) {
		if (allow_huge && !(va & (SIZE_2M - 1)) && !(pa & (SIZE_2M - 1)) &&
		    end - va >= SIZE_2M) {
			*walk_create(va, 1) = pa | flags | PTE_HUGE;
			va += SIZE_2M;
			pa += SIZE_2M;
		} else {
			*walk_create(va, 0) = pa | flags;
			va += PAGE_SIZE;
			pa += PAGE_SIZE;
		}
	}
}

static bool is_ram(u32 type)
{
	return type == MEM_USABLE || type == MEM_ACPI_RECLAIM || type == MEM_ACPI_NVS;
}

static const struct boot_info *mapped_ranges;

bool direct_map_contains(paddr_t pa, size_t len)
{
	const struct boot_info *bi = mapped_ranges;

	if (!bi)
		return pa + len <= (4UL << 30);   /* the boot tables map 4 GiB */
	for (u32 i = 0; i < bi->nmem; i++) {
		const struct mem_range *r = &bi->mem[i];
		paddr_t lo = ALIGN_DOWN(r->base, PAGE_SIZE);
		paddr_t hi = ALIGN_UP(r->base + r->len, PAGE_SIZE);
		if (is_ram(r->type) && pa >= lo && pa + len <= hi)
			return true;
	}
	return false;
}

static void map_kernel_section(const char *start, const char *end, u64 flags)
{
	map_range((vaddr_t)start, virt_to_phys(start), (u64)(end - start), flags, false);
}

void paging_init(const struct boot_info *bi)
{
	const u64 kflags = PTE_PRESENT | PTE_GLOBAL;

	pml4_pa = virt_to_phys(new_table());

	for (u32 i = 0; i < bi->nmem; i++) {
		const struct mem_range *r = &bi->mem[i];
		if (!is_ram(r->type))
			continue;
		paddr_t lo = ALIGN_DOWN(r->base, PAGE_SIZE);
		paddr_t hi = ALIGN_UP(r->base + r->len, PAGE_SIZE);
		map_range(DIRECT_MAP_BASE + lo, lo, hi - lo,
			  kflags | PTE_WRITE | PTE_NX, true);
	}

	map_kernel_section(_text, _etext, kflags);
	map_kernel_section(_rodata, _erodata, kflags | PTE_NX);
	map_kernel_section(_data, _edata, kflags | PTE_WRITE | PTE_NX);
	map_kernel_section(_ksyms, _kernel_end, kflags | PTE_NX);
	/* An overflow of the boot stack now faults instead of corrupting. */
	*walk_create((vaddr_t)kernel_stack_guard, 0) = 0;

	/* The device window's and the stacks' top-level entries exist before
	 * any address space copies the kernel half. */
	walk_create(IOREMAP_BASE, 2);
	walk_create(KSTACK_BASE, 2);

	write_cr4(read_cr4() | CR4_PGE);
	write_cr3(pml4_pa);
	mapped_ranges = bi;
}

paddr_t kernel_pml4(void)
{
	return pml4_pa;
}

void __iomem *ioremap(paddr_t pa, size_t size)
{
	paddr_t base = ALIGN_DOWN(pa, PAGE_SIZE);
	u64 len = ALIGN_UP(pa + size, PAGE_SIZE) - base;
	vaddr_t va;

	spin_lock(&ioremap_lock);
	if (ioremap_next + len > IOREMAP_BASE + IOREMAP_SIZE) {
		spin_unlock(&ioremap_lock);
		return NULL;
	}
	va = ioremap_next;
	ioremap_next += len + PAGE_SIZE;   /* an unmapped page between */
	map_range(va, base, len, PTE_PRESENT | PTE_WRITE | PTE_NX | PTE_PCD | PTE_PWT |
		  PTE_GLOBAL, false);
	spin_unlock(&ioremap_lock);
	return (void __iomem *)(va + (pa - base));
}

u64 kernel_pte_lookup(vaddr_t va, u64 *page_size)
{
	u64 *table = phys_to_virt(pml4_pa);

	for (int l = 3; l >= 0; l--) {
		u64 e = table[(va >> (12 + 9 * l)) & 511];
		if (!(e & PTE_PRESENT))
			return 0;
		if (l == 0 || (e & PTE_HUGE)) {
			if (page_size)
				*page_size = 1UL << (12 + 9 * l);
			return e;
		}
		table = table_va(e);
	}
	return 0;
}

static u64 kstack_used[KSTACK_SLOTS / 64];
static spinlock_t kstack_lock = SPINLOCK_INIT;

static long kstack_slot_take(void)
{
	long slot = -1;

	spin_lock(&kstack_lock);
	for (unsigned long w = 0; w < ARRAY_SIZE(kstack_used) && slot < 0; w++) {
		if (kstack_used[w] != ~0UL) {
			int bit = __builtin_ctzl(~kstack_used[w]);
			kstack_used[w] |= 1UL << bit;
			slot = (long)(w * 64 + (unsigned long)bit);
		}
	}
	spin_unlock(&kstack_lock);
	return slot;
}

static void kstack_slot_give(unsigned long slot)
{
	spin_lock(&kstack_lock);
	kstack_used[slot / 64] &= ~(1UL << (slot % 64));
	spin_unlock(&kstack_lock);
}

void kstack_free(void *stack, size_t size)
{
	vaddr_t va = (vaddr_t)stack;

	for (vaddr_t p = va; p < va + size; p += PAGE_SIZE) {
		u64 *pte = walk_create(p, 0);
		if (*pte & PTE_PRESENT)
			frame_free(*pte & PTE_ADDR_MASK, 0);
		*pte = 0;
		invlpg(p);
	}
	kstack_slot_give((va - KSTACK_BASE) / KSTACK_SLOT_SIZE);
}

void *kstack_alloc(size_t size)
{
	size = ALIGN_UP(size, PAGE_SIZE);
	if (size > KSTACK_SLOT_SIZE / 2)
		return NULL;
	long slot = kstack_slot_take();
	if (slot < 0)
		return NULL;
	/* The stack is the top of the slot; the rest below is the guard. */
	vaddr_t va = KSTACK_BASE + (u64)slot * KSTACK_SLOT_SIZE + KSTACK_SLOT_SIZE - size;
	for (vaddr_t p = va; p < va + size; p += PAGE_SIZE) {
		paddr_t pa = frame_alloc(0);
		if (pa == PADDR_NONE) {
			kstack_free((void *)va, (size_t)(p - va));
			return NULL;
		}
		*walk_create(p, 0) = pa | PTE_PRESENT | PTE_WRITE | PTE_NX | PTE_GLOBAL;
	}
	return (void *)va;
}
