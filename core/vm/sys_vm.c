/*
 * The memory system calls: mmap, munmap, mprotect, mremap, brk, msync
 * and madvise on the calling task's address space. Arguments arrive as the generated
 * dispatcher narrows them (gen/<profile>/syscalls.c).
 */
#include <kevlar/task.h>
#include <kevlar/vfs.h>
#include <syscalls.h>
#include "vm_internal.h"

static struct mm *current_mm(void)
{
	return current_task()->mm;
}

/* How f was opened, for vm_mmap_file. */
static unsigned file_access(struct file *f)
{
	int mode = file_flags(f) & O_ACCMODE;
	unsigned access = file_is_regular(f) ? VM_FILE_MMAP : 0;

	if (mode == O_RDONLY || mode == O_RDWR)
		access |= VM_FILE_READ;
	if (mode == O_WRONLY || mode == O_RDWR)
		access |= VM_FILE_WRITE;
	return access;
}

long sys_mmap(uptr_t addr, size_t length, int prot, int flags, int fd, s64 offset)
{
	struct mm *mm = current_mm();
	struct file *f = NULL;
	long r;

	if ((u64)offset & ~PAGE_MASK)
		return -EINVAL;
	if (!mm)
		return -ENOMEM;
	if (!(flags & MAP_ANONYMOUS) && !(f = fd_get(fd)))
		return -EBADF;
	r = vm_mmap_file(mm, addr, length, prot, flags, f, (u64)offset,
			 f ? file_access(f) : 0);
	if (f)
		file_put(f);
	return r;
}

int sys_munmap(uptr_t addr, size_t length)
{
	struct mm *mm = current_mm();

	return mm ? vm_munmap(mm, addr, length) : -EINVAL;
}

int sys_mprotect(uptr_t addr, size_t length, int prot)
{
	struct mm *mm = current_mm();

	return mm ? vm_mprotect(mm, addr, length, prot) : -ENOMEM;
}

long sys_mremap(uptr_t old_addr, size_t old_size, size_t new_size, int flags,
		uptr_t new_addr)
{
	struct mm *mm = current_mm();

	return mm ? vm_mremap(mm, old_addr, old_size, new_size, flags, new_addr) : -EFAULT;
}

long sys_brk(uptr_t addr)
{
	struct mm *mm = current_mm();

	return mm ? vm_brk(mm, addr) : 0;
}

int sys_msync(uptr_t addr, size_t length, int flags)
{
	struct mm *mm = current_mm();

	return mm ? vm_msync(mm, addr, length, flags) : -ENOMEM;
}

int sys_madvise(uptr_t addr, size_t length, int advice)
{
	struct mm *mm = current_mm();

	return mm ? vm_madvise(mm, addr, length, advice) : -ENOMEM;
}
