/*
 * A process's memory as /proc shows it: its areas (maps), its size and
 * resident set, where exec put its arguments and environment (exec_info.c
 * keeps that), and its bytes (cmdline, environ).
 */
#include <ifc/procinfo.h>
#include <kevlar/errno.h>
#include <kevlar/layout.h>
#include <kevlar/mm.h>
#include <kevlar/procinfo.h>
#include <kevlar/string.h>
#include <kevlar/vfs.h>
#include "vm_internal.h"

#define VMA_INFO_SHARED 0x100   /* procinfo.vma_flags: a shared mapping */
#define VMA_INFO_STACK  0x200   /* procinfo.vma_flags: a grows-down stack */

/* The address space of process pid, or NULL (none, or a kernel thread). */
static struct mm *mm_of(int pid, int *err)
{
	struct task *t = procinfo_task(pid);

	*err = t ? 0 : -ESRCH;
	return t ? t->mm : NULL;
}

long procinfo_vm_bytes_impl(int pid)
{
	int err;
	struct mm *mm = mm_of(pid, &err);
	u64 bytes = 0;

	if (err)
		return err;
	if (mm)
		list_for_each(pos, &mm->vmas) {
			struct vma *v = list_entry(pos, struct vma, node);
			bytes += v->end - v->start;
		}
	return (long)bytes;
}

long procinfo_rss_pages_impl(int pid)
{
	int err;
	struct mm *mm = mm_of(pid, &err);
	return err ? err : mm ? (long)mm->resident : 0;
}

long procinfo_mm_addr_impl(int pid, int which)
{
	int err;
	struct mm *mm = mm_of(pid, &err);

	if (err || !mm)
		return err;
	switch (which) {
	case 0: return (long)mm->arg_start;
	case 1: return (long)mm->arg_end;
	case 2: return (long)mm->env_start;
	case 3: return (long)mm->env_end;
	case 4: return (long)mm->brk_base;
	case 5: return (long)mm->brk;
	case 6: return (long)mm->start_stack;
	default: return -EINVAL;
	}
}

ssize_t procinfo_read_mem_impl(int pid, u64 addr, u8 *buf, size_t len)
{
	int err;
	struct mm *mm = mm_of(pid, &err);

	if (err)
		return err;
	if (!mm || addr >= USER_TOP)
		return 0;
	return (ssize_t)vm_read_mm(mm, addr, buf, MIN(len, USER_TOP - addr));
}

long procinfo_vma_find_impl(int pid, u64 addr)
{
	int err;
	struct mm *mm = mm_of(pid, &err);

	if (err)
		return err;
	struct vma *v = mm && addr < USER_TOP ? vma_find(mm, addr) : NULL;
	return v ? (long)v->start : -ENOENT;
}

/* The area of pid's that starts at 'start', or NULL with *err. */
static struct vma *area(int pid, u64 start, int *err)
{
	struct mm *mm = mm_of(pid, err);
	struct vma *v = mm && start < USER_TOP ? vma_lookup(mm, start) : NULL;

	if (!*err && (!v || v->start != start)) {
		*err = -ENOENT;
		v = NULL;
	}
	return v;
}

long procinfo_vma_end_impl(int pid, u64 start)
{
	int err;
	struct vma *v = area(pid, start, &err);
	return v ? (long)v->end : err;
}

long procinfo_vma_flags_impl(int pid, u64 start)
{
	int err;
	struct vma *v = area(pid, start, &err);
	if (!v)
		return err;
	return (long)(v->prot | (v->flags & VMA_SHARED ? VMA_INFO_SHARED : 0) |
		      (v->flags & VMA_GROWSDOWN ? VMA_INFO_STACK : 0));
}

long procinfo_vma_offset_impl(int pid, u64 start)
{
	int err;
	struct vma *v = area(pid, start, &err);
	return v ? (long)(v->file ? v->offset : 0) : err;
}

long procinfo_vma_dev_impl(int pid, u64 start)
{
	int err;
	struct vma *v = area(pid, start, &err);
	u32 dev = 0;
	u64 ino = 0;

	if (!v)
		return err;
	if (v->file)
		file_identity(v->file, &dev, &ino);
	return dev;
}

long procinfo_vma_ino_impl(int pid, u64 start)
{
	int err;
	struct vma *v = area(pid, start, &err);
	u32 dev = 0;
	u64 ino = 0;

	if (!v)
		return err;
	if (v->file)
		file_identity(v->file, &dev, &ino);
	return (long)ino;
}

/* Copies a NUL-terminated kernel string into an IDL buffer (no NUL): the
 * string's whole length. */
static int give(const char *s, u8 *buf, size_t len)
{
	size_t n = strlen(s);
	memcpy(buf, s, MIN(n, len));
	return (int)n;
}

int procinfo_vma_path_impl(int pid, u64 start, u8 *buf, size_t len)
{
	int err;
	struct vma *v = area(pid, start, &err);

	if (!v)
		return err;
	if (!v->file)
		return 0;
	char *path = kmalloc(PATH_MAX);
	if (!path)
		return -ENOMEM;
	err = file_path(v->file, path, PATH_MAX);
	if (err >= 0)
		err = give(path, buf, len);
	kfree(path);
	return err;
}

int procinfo_exe_path_impl(int pid, u8 *buf, size_t len)
{
	int err;
	struct mm *mm = mm_of(pid, &err);

	if (err)
		return err;
	if (!mm || !mm->exe)
		return -ENOENT;
	char *path = kmalloc(PATH_MAX);
	if (!path)
		return -ENOMEM;
	err = file_path(mm->exe, path, PATH_MAX);
	if (err >= 0)
		err = give(path, buf, len);
	kfree(path);
	return err;
}

long procinfo_mem_pages_impl(int which)
{
	switch (which) {
	case 0: return (long)frame_total_pages();
	case 1: return (long)frame_free_pages();
	case 2: return (long)vfs_cached_pages();
	case 3: return (long)vm_resident_pages();
	default: return -EINVAL;
	}
}
