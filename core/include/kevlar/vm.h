/*
 * Virtual memory, Core's policy half: address spaces as lists of areas
 * (VMAs), demand paging, copy-on-write, and the calls that change them.
 * Ring 0's <kevlar/mmu.h> does the page tables; Core decides what goes in
 * them and owns the frames (struct frame refcounts, frame_get/frame_put).
 */
#ifndef KEVLAR_VM_H
#define KEVLAR_VM_H

#include <kevlar/mmu.h>
#include <kevlar/types.h>

struct mm;
struct file;

/* An empty user address space; NULL if out of memory. */
struct mm *mm_create(void);
/* A copy-on-write copy of 'parent' for fork; NULL if out of memory. */
struct mm *mm_fork(struct mm *parent);
/* Drops a reference; the last one unmaps everything and frees it. */
void mm_put(struct mm *mm);
struct mm *mm_get(struct mm *mm);
mmu_space_t mm_space(const struct mm *mm);

/*
 * A page fault at 'addr' with the CPU's error code. Returns 0 if the page
 * is now mapped (demand zero, file page, copy-on-write), -EFAULT if the
 * access is not allowed (no VMA, or the rights forbid it).
 */
int vm_fault_hook(struct mm *mm, uptr_t addr, u64 error);

/* Linux mmap/munmap/mprotect/mremap/brk semantics; results as the system
 * calls return them (an address, or a negative errno). */
long vm_mmap(struct mm *mm, uptr_t addr, size_t len, int prot, int flags,
	     struct file *file, u64 offset);
int vm_munmap(struct mm *mm, uptr_t addr, size_t len);
int vm_mprotect(struct mm *mm, uptr_t addr, size_t len, int prot);
long vm_mremap(struct mm *mm, uptr_t old_addr, size_t old_len, size_t new_len,
	       int flags, uptr_t new_addr);
long vm_brk(struct mm *mm, uptr_t new_brk);
/* Where brk starts (just above the loaded image), set by exec. */
void vm_set_brk_base(struct mm *mm, uptr_t base);

/* Frame reference counts, for pages mapped more than once. */
void frame_get(paddr_t pa);
/* Drops a reference; frees the frame when it was the last. */
void frame_put(paddr_t pa);

#endif
