/*
 * Virtual memory, Core's policy half: address spaces as lists of areas
 * (VMAs), demand paging, copy-on-write, and the calls that change them.
 * Ring 0's <kevlar/mmu.h> does the page tables; Core decides what goes in
 * them and holds references on the frames it maps (Ring 0 keeps the
 * counts in struct frame: frame_get/frame_put in <kevlar/mm.h>).
 *
 * An mm is used by one task at a time (a vfork parent sleeps while its
 * child uses the mm): nothing here locks against a second CPU or a
 * second thread in the same mm yet.
 */
#ifndef KEVLAR_VM_H
#define KEVLAR_VM_H

#include <abi/mman.h>
#include <kevlar/mmu.h>
#include <kevlar/types.h>

struct mm;
struct file;

/* Below this no mapping is placed or allowed (Linux's mmap_min_addr). */
#define VM_MMAP_MIN_ADDR 0x10000UL
/* The most areas one address space may have (vm.max_map_count). */
#define VM_MAX_MAP_COUNT 65530
/* The user stack exec makes (RLIMIT_STACK's default). */
#define VM_STACK_SIZE    (8UL << 20)

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
 * is now mapped (demand zero, file page, copy-on-write), -EFAULT if no
 * VMA covers it, -EACCES if the VMA's rights forbid the access, -ENOMEM if
 * memory ran out.
 */
int vm_fault_hook(struct mm *mm, uptr_t addr, u64 error);

/* Linux mmap/munmap/mprotect/mremap/brk semantics; results as the system
 * calls return them (an address, or a negative errno). 'file' is NULL
 * for MAP_ANONYMOUS; the mapping takes its own reference. vm_mmap
 * treats the file as open for reading and writing; the mmap system call
 * says with vm_mmap_file how it was opened (VM_FILE_*), which decides
 * -EACCES and whether a shared mapping may ever be writable. */
long vm_mmap(struct mm *mm, uptr_t addr, size_t len, int prot, int flags,
	     struct file *file, u64 offset);
#define VM_FILE_READ  0x1   /* open for reading */
#define VM_FILE_WRITE 0x2   /* open for writing */
#define VM_FILE_MMAP  0x4   /* has pages to map (file_get_page works) */
long vm_mmap_file(struct mm *mm, uptr_t addr, size_t len, int prot, int flags,
		  struct file *file, u64 offset, unsigned file_access);
int vm_munmap(struct mm *mm, uptr_t addr, size_t len);
int vm_mprotect(struct mm *mm, uptr_t addr, size_t len, int prot);
long vm_mremap(struct mm *mm, uptr_t old_addr, size_t old_len, size_t new_len,
	       int flags, uptr_t new_addr);
long vm_brk(struct mm *mm, uptr_t new_brk);
/* msync (nothing to write back: the page cache is the file) and madvise
 * (MADV_DONTNEED/MADV_FREE drop private pages; other hints are taken). */
int vm_msync(struct mm *mm, uptr_t addr, size_t len, int flags);
int vm_madvise(struct mm *mm, uptr_t addr, size_t len, int advice);
/* Where brk starts (just above the loaded image), set by exec. */
void vm_set_brk_base(struct mm *mm, uptr_t base);
/* Where top-down placement of mmap starts (below the stack), set by
 * exec; mm_create's default is USER_TOP - 128 MiB. */
void vm_set_mmap_base(struct mm *mm, uptr_t base);
/* Where mmap would place a mapping of len bytes with this hint (no
 * MAP_FIXED): a page-aligned address, or -ENOMEM. */
long vm_get_unmapped_area(struct mm *mm, uptr_t hint, size_t len);

/*
 * The frame behind user page 'va' of mm, faulted in for a kernel access
 * that ignores the area's rights (exec writing a new stack and zeroing
 * bss in an mm that is not active yet); 'write' breaks copy-on-write
 * first. The frame stays valid while the page stays mapped. 0, -EFAULT
 * (no area) or -ENOMEM.
 */
int vm_access_page(struct mm *mm, uptr_t va, bool write, paddr_t *pa);

/* What an address space costs: its size and its resident pages by kind
 * (private anonymous, file-backed, shared anonymous), and an estimate of
 * its page tables. For the OOM killer's choice and report. */
struct vm_usage {
	u64 total_pages;
	u64 anon_pages, file_pages, shmem_pages;
	u64 pgtable_pages;
};
void vm_usage(struct mm *mm, struct vm_usage *u);

/*
 * Exec (core/exec/). exec_kernel runs 'path' in the current task, which
 * may be a kernel thread (kinit starting /init): argv and envp are kernel
 * arrays ending in NULL. It builds the new address space completely
 * before touching the task; on failure it returns a negative errno and
 * the task is as it was. On success it does not return: the task is a
 * user task (task->kernel false) and leaves for user mode at the
 * program's entry point through thread_enter_user().
 */
/*
 * Exec's record of the new program, for /proc: its file (referenced) and,
 * read from the initial stack at sp, where its argument and environment
 * strings lie. The mm is the new one, not active yet.
 */
void vm_exec_record(struct mm *mm, struct file *exe, uptr_t sp);

int exec_kernel(const char *path, char *const argv[], char *const envp[]);

/* The longest argument or environment string execve takes, and so the
 * longest /proc reads back as one (Linux's uapi/linux/binfmts.h: 32
 * pages). */
#define MAX_ARG_STRLEN (32 * PAGE_SIZE)

#endif
