/*
 * Private to core/vm: the address space, its areas and its page map.
 *
 * What an mm holds:
 *  - a sorted list of areas (struct vma) that say what may be mapped where
 *    and with which rights;
 *  - the page map: for every user page that has a frame, that frame, with
 *    one reference held by the mm. It is the truth about which frames
 *    belong to the address space; Ring 0's page tables are a cache of it,
 *    filled in on faults with rights derived from the area and the
 *    frame's reference count (a private page is writable only while the
 *    mm holds its only reference). A page of a PROT_NONE area keeps its
 *    frame here with no page-table entry at all.
 */
#ifndef KEVLAR_CORE_VM_INTERNAL_H
#define KEVLAR_CORE_VM_INTERNAL_H

#include <kevlar/errno.h>
#include <kevlar/list.h>
#include <kevlar/vm.h>

/* Page-fault error code bits (Intel SDM vol. 3, 4.7). */
#define PF_PROT  0x01   /* the page was present: a rights violation */
#define PF_WRITE 0x02
#define PF_USER  0x04
#define PF_RSVD  0x08
#define PF_INSTR 0x10

/* vma->flags */
#define VMA_SHARED    0x01   /* MAP_SHARED: writes reach the file/others */
#define VMA_GROWSDOWN 0x02   /* a stack (MAP_GROWSDOWN) */
#define VMA_MAYWRITE  0x04   /* PROT_WRITE may be granted (not for a
				shared mapping of a read-only file) */

/* Linux's stack_guard_gap: room kept free below a grows-down area. */
#define VM_STACK_GUARD_GAP (256UL << PAGE_SHIFT)
/* Where bottom-up placement starts if top-down finds nothing
 * (TASK_UNMAPPED_BASE). */
#define VM_UNMAPPED_BASE ALIGN_DOWN(USER_TOP / 3, PAGE_SIZE)
#define VM_DEFAULT_MMAP_BASE (USER_TOP - (128UL << 20))

struct vma {
	struct list node;      /* mm->vmas, sorted by start */
	uptr_t start, end;     /* [start, end), page aligned */
	u32 prot;              /* PROT_READ | PROT_WRITE | PROT_EXEC */
	u32 flags;             /* VMA_* */
	struct file *file;     /* NULL: anonymous; else a reference */
	u64 offset;            /* file offset of start, page aligned */
};

/* One level of the page map: 512 entries, a page. */
struct pagemap_node;

struct mm {
	int refcount;
	mmu_space_t space;
	struct list vmas;
	unsigned nr_vmas;
	struct vma *cache;          /* the last area found */
	struct pagemap_node *pagemap;
	u64 resident;               /* pages in the page map */
	uptr_t brk_base, brk;
	uptr_t mmap_base;
	/* What exec put in it, for /proc (exec_info.c). */
	struct file *exe;           /* the program's file, referenced */
	uptr_t arg_start, arg_end;  /* the argument strings */
	uptr_t env_start, env_end;  /* the environment strings */
	uptr_t start_stack;         /* the initial stack pointer */
};

/* page_fill.c */
/* A new zeroed page with one reference; PADDR_NONE if out of memory. */
paddr_t frame_alloc_zeroed(void);
/* A new page holding a copy of 'src'; PADDR_NONE if out of memory. */
paddr_t frame_alloc_copy(paddr_t src);

/* pagemap.c: va is page aligned and below USER_TOP. */
paddr_t pagemap_lookup(struct mm *mm, uptr_t va);
/* Records va -> pa (the caller's reference passes to the mm); replaces
 * nothing: va must be empty. 0 or -ENOMEM. */
int pagemap_insert(struct mm *mm, uptr_t va, paddr_t pa);
/* Replaces the frame at a populated va; returns the old one. */
paddr_t pagemap_replace(struct mm *mm, uptr_t va, paddr_t pa);
/* Forgets va; returns its frame (the reference passes to the caller) or
 * PADDR_NONE. */
paddr_t pagemap_remove(struct mm *mm, uptr_t va);
/* The first populated page at or above *va and below end: true with
 * *va and *pa set, or false. */
bool pagemap_next(struct mm *mm, uptr_t *va, uptr_t end, paddr_t *pa);
/* Removes every page in [start, end): unmaps it from the page tables and
 * drops the mm's reference. Frees page-map nodes left empty. */
void pagemap_release(struct mm *mm, uptr_t start, uptr_t end);
/* Drops every page's reference and frees all nodes, without touching
 * the page tables (the mm is going away with them). */
void pagemap_destroy(struct mm *mm);

/* exec_info.c: makes mm's exec record a copy of from's (file referenced
 * again), or empty with NULL; drops what mm had. */
void vm_exec_info_copy(struct mm *mm, const struct mm *from);
/* Copies n bytes at user address va of mm (active or not) into buf: the
 * count copied, short where nothing is mapped. */
size_t vm_read_mm(struct mm *mm, uptr_t va, void *buf, size_t n);

/* vma.c */
/* The first area with end > addr, or NULL (Linux's find_vma). */
struct vma *vma_find(struct mm *mm, uptr_t addr);
/* The area containing addr, or NULL. */
struct vma *vma_lookup(struct mm *mm, uptr_t addr);
struct vma *vma_next(struct mm *mm, struct vma *v);
struct vma *vma_prev(struct mm *mm, struct vma *v);
struct vma *vma_alloc(uptr_t start, uptr_t end, u32 prot, u32 flags,
		      struct file *file, u64 offset);
void vma_free(struct vma *v);
/* Links v into mm (it must not overlap anything) and merges it with
 * compatible neighbours; returns the area that now holds its range. */
struct vma *vma_insert(struct mm *mm, struct vma *v);
/* Splits v at addr (start < addr < end): v keeps [start, addr), the
 * returned new area [addr, end). NULL if out of memory. */
struct vma *vma_split(struct mm *mm, struct vma *v, uptr_t addr);
/* Merges v with its neighbours where they are compatible; returns the
 * area holding v's range. */
struct vma *vma_merge_around(struct mm *mm, struct vma *v);
/* Removes every area and page in [start, end). 0 or -ENOMEM (a split
 * failed; nothing was removed then). */
int vma_unmap_range(struct mm *mm, uptr_t start, uptr_t end);
/* Is [start, end) free of areas? */
bool vma_range_free(struct mm *mm, uptr_t start, uptr_t end);
/* Splits areas so that start and end are area boundaries. */
int vma_split_at(struct mm *mm, uptr_t addr);

/* placement.c */
/* Where v begins, for placement: its start less any stack guard gap. */
uptr_t vma_start_gap(const struct vma *v);
/* A free, page-aligned range of len bytes within [low, high), highest or
 * lowest first; -ENOMEM if there is none. */
long vm_find_gap_topdown(struct mm *mm, uptr_t low, uptr_t high, size_t len);
long vm_find_gap_bottomup(struct mm *mm, uptr_t low, uptr_t high, size_t len);
long vm_place(struct mm *mm, uptr_t hint, size_t len, int flags);

/* fault.c */
/* The page-table rights of a page of v backed by pa; 0 if the page must
 * stay unmapped (PROT_NONE). */
u32 vma_page_rights(const struct vma *v, paddr_t pa);
/* Rewrites the page-table entries of every populated page in [start, end)
 * of v after its rights changed. */
void vma_reprotect(struct mm *mm, struct vma *v, uptr_t start, uptr_t end);
/* Gives a shared anonymous range zeroed frames now, so that fork shares
 * them. 0 or -ENOMEM. */
int vm_populate_shared_anon(struct mm *mm, uptr_t start, uptr_t end);

/* overcommit.c: may a mapping of this many pages be promised? */
bool vm_enough_memory(u64 pages);

/* vm_file.c (the host tests provide their own): the VFS calls the VM
 * makes, in one place. */
struct file *vm_file_get(struct file *f);
void vm_file_put(struct file *f);
int vm_file_page(struct file *f, u64 index, paddr_t *pa);

static inline bool vma_is_anon(const struct vma *v)
{
	return !v->file;
}

static inline uptr_t page_align_up(uptr_t x)
{
	return (x + PAGE_SIZE - 1) & PAGE_MASK;
}

#endif
