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

#include <kevlar/mmu.h>
#include <kevlar/types.h>

struct mm;
struct file;

/* mmap/mprotect/mremap arguments: the Linux x86_64 values
 * (asm-generic/mman-common.h, asm-generic/mman.h, asm/mman.h,
 * linux/mman.h). */
#define PROT_NONE      0x0
#define PROT_READ      0x1
#define PROT_WRITE     0x2
#define PROT_EXEC      0x4
#define PROT_SEM       0x8
#define PROT_GROWSDOWN 0x01000000
#define PROT_GROWSUP   0x02000000

#define MAP_SHARED          0x01
#define MAP_PRIVATE         0x02
#define MAP_SHARED_VALIDATE 0x03
#define MAP_TYPE            0x0f
#define MAP_FIXED           0x10
#define MAP_ANONYMOUS       0x20
#define MAP_32BIT           0x40
#define MAP_GROWSDOWN       0x0100
#define MAP_DENYWRITE       0x0800
#define MAP_EXECUTABLE      0x1000
#define MAP_LOCKED          0x2000
#define MAP_NORESERVE       0x4000
#define MAP_POPULATE        0x008000
#define MAP_NONBLOCK        0x010000
#define MAP_STACK           0x020000
#define MAP_HUGETLB         0x040000
#define MAP_SYNC            0x080000
#define MAP_FIXED_NOREPLACE 0x100000

#define MREMAP_MAYMOVE   1
#define MREMAP_FIXED     2
#define MREMAP_DONTUNMAP 4

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

#endif
