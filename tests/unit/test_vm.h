/*
 * Shared by the VM suites (test_vm_*.c): an mm on host memory and a
 * simulated CPU that reads and writes user addresses through the host
 * page tables, faulting into vm_fault_hook() as the MMU would.
 */
#ifndef KEVLAR_TEST_VM_H
#define KEVLAR_TEST_VM_H

#include <check.h>
#include <string.h>

#include <kevlar/layout.h>
#include <kevlar/mm.h>

#include "host.h"
#include "host_vm.h"
#include "vm_internal.h"

#define REQUIRE(cond)                                                       \
	do {                                                                \
		if (!(cond))                                                \
			ck_abort_msg("%s:%d: failed: %s", __FILE__, __LINE__, \
				     #cond);                                \
	} while (0)

/* A fault the simulated MMU could not resolve. */
#define T_STILL_FAULTS (-1000)

static inline struct mm *t_mm(void)
{
	struct mm *mm;

	host_heap_init();
	mm = mm_create();
	ck_assert_ptr_nonnull(mm);
	return mm;
}

/* Accesses one byte as user code would: a fault if the page is absent or
 * lacks the right, then the retry. Returns the frame, or the error. */
static inline long t_access(struct mm *mm, uptr_t va, bool write, bool exec)
{
	u32 need = MMU_READ | (write ? MMU_WRITE : 0) | (exec ? MMU_EXEC : 0);

	for (int tries = 0; tries < 2; tries++) {
		u32 rights = 0;
		paddr_t pa = mmu_lookup(mm_space(mm), va, &rights);
		u64 error = PF_USER | (write ? PF_WRITE : 0) | (exec ? PF_INSTR : 0);
		int err;

		if (pa != PADDR_NONE && (rights & need) == need)
			return (long)pa;
		if (tries)
			break;
		if (pa != PADDR_NONE)
			error |= PF_PROT;
		err = vm_fault_hook(mm, va, error);
		if (err)
			return err;
	}
	return T_STILL_FAULTS;
}

static inline int t_write(struct mm *mm, uptr_t va, const void *src, size_t n)
{
	const u8 *s = src;

	for (size_t i = 0; i < n; i++) {
		long pa = t_access(mm, va + i, true, false);
		if (pa < 0)
			return (int)pa;
		((u8 *)phys_to_virt((paddr_t)pa))[(va + i) & ~PAGE_MASK] = s[i];
	}
	return 0;
}

static inline int t_read(struct mm *mm, uptr_t va, void *dst, size_t n)
{
	u8 *d = dst;

	for (size_t i = 0; i < n; i++) {
		long pa = t_access(mm, va + i, false, false);
		if (pa < 0)
			return (int)pa;
		d[i] = ((u8 *)phys_to_virt((paddr_t)pa))[(va + i) & ~PAGE_MASK];
	}
	return 0;
}

static inline u8 t_byte(struct mm *mm, uptr_t va)
{
	u8 b = 0xee;

	REQUIRE(t_read(mm, va, &b, 1) == 0);
	return b;
}

static inline void t_poke(struct mm *mm, uptr_t va, u8 b)
{
	REQUIRE(t_write(mm, va, &b, 1) == 0);
}

static inline unsigned t_nvmas(struct mm *mm)
{
	unsigned n = 0;

	list_for_each(pos, &mm->vmas)
		n++;
	REQUIRE(n == mm->nr_vmas);
	return n;
}

/* Area i in address order. */
static inline struct vma *t_vma(struct mm *mm, unsigned i)
{
	list_for_each(pos, &mm->vmas) {
		if (i-- == 0)
			return list_entry(pos, struct vma, node);
	}
	return NULL;
}

/* Checks the list is sorted, disjoint and page aligned. */
static inline void t_check_vmas(struct mm *mm)
{
	uptr_t prev_end = 0;

	list_for_each(pos, &mm->vmas) {
		struct vma *v = list_entry(pos, struct vma, node);
		REQUIRE(v->start < v->end);
		REQUIRE(!(v->start & ~PAGE_MASK) && !(v->end & ~PAGE_MASK));
		REQUIRE(v->start >= prev_end);
		REQUIRE(v->end <= USER_TOP);
		prev_end = v->end;
	}
}

static inline bool t_frame_free(paddr_t pa)
{
	return !(zone_frame(&kernel_zone, pa)->flags & FRAME_ALLOCATED);
}

static inline long t_mmap_anon(struct mm *mm, uptr_t addr, size_t len, int prot, int flags)
{
	return vm_mmap(mm, addr, len, prot, flags | MAP_ANONYMOUS, NULL, 0);
}

#define RW (PROT_READ | PROT_WRITE)
#define PRIV (MAP_PRIVATE)

#endif
