/*
 * mmap, munmap and mprotect, with Linux's checks in Linux's order. A
 * MAP_FIXED mapping replaces whatever was there; a shared anonymous
 * mapping gets its frames at once, so that fork shares them.
 */
#include "vm_internal.h"

/* What MAP_SHARED_VALIDATE accepts for a file (Linux's LEGACY_MAP_MASK;
 * MAP_SYNC needs DAX, which no Kevlar file has). */
#define MAP_VALIDATE_MASK (MAP_SHARED | MAP_PRIVATE | MAP_FIXED | MAP_ANONYMOUS | \
			   MAP_DENYWRITE | MAP_EXECUTABLE | MAP_GROWSDOWN |     \
			   MAP_LOCKED | MAP_NORESERVE | MAP_POPULATE |          \
			   MAP_NONBLOCK | MAP_STACK | MAP_HUGETLB | MAP_32BIT | \
			   ((unsigned)MAP_HUGE_MASK << MAP_HUGE_SHIFT) | MAP_UNINITIALIZED)

#define PROT_RWX (PROT_READ | PROT_WRITE | PROT_EXEC)
#define S64_MAX 0x7fffffffffffffffLL

static void populate(struct mm *mm, uptr_t start, uptr_t end)
{
	for (uptr_t va = start; va < end; va += PAGE_SIZE) {
		paddr_t pa;
		if (vm_access_page(mm, va, false, &pa))
			break;
	}
}

/* Where a new mapping goes: checked MAP_FIXED, or placed. */
static long mmap_address(struct mm *mm, uptr_t addr, size_t len, int flags)
{
	if (!(flags & MAP_FIXED))
		return vm_place(mm, addr, len, flags);
	if (addr & ~PAGE_MASK)
		return -EINVAL;
	if (len > USER_TOP || addr > USER_TOP - len)
		return -ENOMEM;
	if (addr < VM_MMAP_MIN_ADDR)
		return -EPERM;
	if ((flags & MAP_FIXED_NOREPLACE) && !vma_range_free(mm, addr, addr + len))
		return -EEXIST;
	return (long)addr;
}

/* Linux's do_mmap() checks for a file mapping, in its order: the range
 * must fit in a file (MAX_LFS_FILESIZE), then the open mode. */
static int check_file(int flags, int prot, unsigned access, bool shared,
		      u64 offset, size_t len)
{
	if (len > (u64)S64_MAX || offset > (u64)S64_MAX - len)
		return -EOVERFLOW;
	if (shared && (prot & PROT_WRITE) && !(access & VM_FILE_WRITE))
		return -EACCES;
	if (!(access & VM_FILE_READ))
		return -EACCES;
	if (!(access & VM_FILE_MMAP))
		return -ENODEV;
	if (flags & MAP_GROWSDOWN)
		return -EINVAL;
	return 0;
}

long vm_mmap_file(struct mm *mm, uptr_t addr, size_t len, int prot, int flags,
		  struct file *file, u64 offset, unsigned access)
{
	bool shared;
	u32 vflags = 0;
	struct vma *v;
	long at;
	int err;

	if (!len)
		return -EINVAL;
	switch (flags & MAP_TYPE) {
	case MAP_SHARED_VALIDATE:
		if (!(flags & MAP_ANONYMOUS) && (flags & ~MAP_VALIDATE_MASK))
			return -EOPNOTSUPP;
		/* fall through */
	case MAP_SHARED:
		shared = true;
		break;
	case MAP_PRIVATE:
		shared = false;
		break;
	default:
		return -EINVAL;
	}
	if (offset & ~PAGE_MASK)
		return -EINVAL;
	if (flags & MAP_FIXED_NOREPLACE)
		flags |= MAP_FIXED;
	if (flags & MAP_ANONYMOUS)
		file = NULL;
	else if (!file)
		return -EBADF;
	len = page_align_up(len);
	if (!len)
		return -ENOMEM;
	if ((offset >> PAGE_SHIFT) + (len >> PAGE_SHIFT) < (offset >> PAGE_SHIFT))
		return -EOVERFLOW;
	if (mm->nr_vmas >= VM_MAX_MAP_COUNT)
		return -ENOMEM;
	at = mmap_address(mm, addr, len, flags);
	if (at < 0)
		return at;
	if (file && (err = check_file(flags, prot, access, shared, offset, len)))
		return err;
	if (!file && shared && (flags & MAP_GROWSDOWN))
		return -EINVAL;
	if (!(flags & MAP_NORESERVE) && (shared ? !file : (prot & PROT_WRITE)) &&
	    !vm_enough_memory(len >> PAGE_SHIFT))
		return -ENOMEM;

	if (shared)
		vflags |= VMA_SHARED;
	if (!shared || !file || (access & VM_FILE_WRITE))
		vflags |= VMA_MAYWRITE;
	if (flags & MAP_GROWSDOWN)
		vflags |= VMA_GROWSDOWN;
	v = vma_alloc((uptr_t)at, (uptr_t)at + len, prot & PROT_RWX, vflags, file,
		      file ? offset : 0);
	if (!v)
		return -ENOMEM;
	if ((flags & MAP_FIXED) && (err = vma_unmap_range(mm, at, at + len))) {
		vma_free(v);
		return err;
	}
	vma_insert(mm, v);
	if (shared && !file && vm_populate_shared_anon(mm, at, at + len)) {
		vma_unmap_range(mm, at, at + len);
		return -ENOMEM;
	}
	if (flags & MAP_POPULATE)
		populate(mm, at, at + len);
	return at;
}

long vm_mmap(struct mm *mm, uptr_t addr, size_t len, int prot, int flags,
	     struct file *file, u64 offset)
{
	return vm_mmap_file(mm, addr, len, prot, flags, file, offset,
			    VM_FILE_READ | VM_FILE_WRITE | VM_FILE_MMAP);
}

int vm_munmap(struct mm *mm, uptr_t addr, size_t len)
{
	if ((addr & ~PAGE_MASK) || addr > USER_TOP || len > USER_TOP - addr)
		return -EINVAL;
	len = page_align_up(len);
	if (!len)
		return -EINVAL;
	return vma_unmap_range(mm, addr, addr + len);
}

/*
 * Checks the whole range before changing anything: every byte mapped
 * (-ENOMEM), write allowed wherever it is asked for (-EACCES). Linux
 * changes the areas before a hole and then fails; here a failed mprotect
 * changes nothing.
 */
static int mprotect_check(struct mm *mm, uptr_t start, uptr_t end, int prot)
{
	struct vma *v = vma_find(mm, start);

	for (uptr_t at = start; at < end; at = v->end, v = vma_next(mm, v)) {
		if (!v || v->start > at)
			return -ENOMEM;
		if ((prot & PROT_WRITE) && !(v->flags & VMA_MAYWRITE))
			return -EACCES;
	}
	return 0;
}

int vm_mprotect(struct mm *mm, uptr_t start, size_t len, int prot)
{
	int grows = prot & (PROT_GROWSDOWN | PROT_GROWSUP);
	uptr_t end;
	struct vma *v;
	int err;

	if (start & ~PAGE_MASK)
		return -EINVAL;
	if (!len)
		return 0;
	len = page_align_up(len);
	end = start + len;
	if (!len || end <= start)
		return -ENOMEM;
	prot &= ~grows;
	if (grows == (PROT_GROWSDOWN | PROT_GROWSUP) || (grows & PROT_GROWSUP))
		return -EINVAL;
	if (prot & ~(PROT_RWX | PROT_SEM))
		return -EINVAL;
	if (end > USER_TOP)
		return -ENOMEM;
	v = vma_find(mm, start);
	if (!v || v->start >= end)
		return -ENOMEM;
	if (grows & PROT_GROWSDOWN) {
		if (!(v->flags & VMA_GROWSDOWN))
			return -EINVAL;
		start = v->start;
	}
	if ((err = mprotect_check(mm, start, end, prot)))
		return err;
	if ((err = vma_split_at(mm, start)) || (err = vma_split_at(mm, end)))
		return err;
	for (v = vma_find(mm, start); v && v->start < end; v = vma_next(mm, v)) {
		v->prot = prot & PROT_RWX;
		vma_reprotect(mm, v, v->start, v->end);
	}
	for (v = vma_find(mm, start); v && v->start < end; v = vma_next(mm, v))
		v = vma_merge_around(mm, v);
	return 0;
}
