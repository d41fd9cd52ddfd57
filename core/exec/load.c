/*
 * Mapping an ELF image: each PT_LOAD segment as a private file mapping,
 * its bss as zeros (the rest of the last file page cleared, whole pages
 * above it anonymous), at a load bias for position-independent images;
 * then the PT_INTERP interpreter, placed like an mmap.
 */
#include <kevlar/layout.h>
#include <kevlar/mm.h>
#include <kevlar/random.h>
#include <kevlar/string.h>
#include <kevlar/vfs.h>
#include "exec_internal.h"


static int elf_prot(u32 pflags)
{
	return (pflags & PF_R ? PROT_READ : 0) | (pflags & PF_W ? PROT_WRITE : 0) |
	       (pflags & PF_X ? PROT_EXEC : 0);
}

/* Clears from 'from' to the end of its page (bss sharing the last page
 * of file data). */
static int pad_zero(struct mm *mm, uptr_t from)
{
	size_t off = from & ~PAGE_MASK;
	paddr_t pa;
	int err;

	if (!off)
		return 0;
	if ((err = vm_access_page(mm, from, true, &pa)))
		return err;
	memset((u8 *)phys_to_virt(pa) + off, 0, PAGE_SIZE - off);
	return 0;
}

/* Linux's elf_load(): the bss pages are read-write whatever the segment
 * says (plus execute if it is executable). */
static int load_segment(struct mm *mm, struct file *f, const struct elf64_phdr *ph,
			u64 bias)
{
	int prot = elf_prot(ph->p_flags);
	uptr_t start = bias + ph->p_vaddr;
	uptr_t page = start & PAGE_MASK;
	uptr_t file_end = start + ph->p_filesz;
	uptr_t mem_end = page_align_up(start + ph->p_memsz);
	uptr_t zero_from = page;
	long r;

	if (ph->p_filesz) {
		r = vm_mmap(mm, page, page_align_up(file_end) - page, prot,
			    MAP_PRIVATE | MAP_FIXED, f, ph->p_offset - (start - page));
		if (r < 0)
			return (int)r;
		if (ph->p_memsz > ph->p_filesz && (r = pad_zero(mm, file_end)))
			return (int)r;
		zero_from = page_align_up(file_end);
	}
	if (ph->p_memsz > ph->p_filesz && mem_end > zero_from) {
		r = vm_mmap(mm, zero_from, mem_end - zero_from,
			    PROT_READ | PROT_WRITE | (prot & PROT_EXEC),
			    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, NULL, 0);
		if (r < 0)
			return (int)r;
	}
	return 0;
}

static int load_segments(struct mm *mm, struct file *f, const void *phdrs,
			 const struct elf_info *info, u64 bias)
{
	struct elf64_phdr ph;
	int err;

	for (unsigned i = 0; i < info->phnum; i++) {
		elf_phdr(phdrs, i, &ph);
		if (ph.p_type == PT_LOAD && ph.p_memsz &&
		    (err = load_segment(mm, f, &ph, bias)))
			return err;
	}
	return 0;
}

/*
 * The load bias of an image: 0 for ET_EXEC; for ET_DYN, 'base' (if not
 * 0) or a free range that mmap placement picks, aligned to the largest
 * segment alignment.
 */
static long image_bias(struct mm *mm, const struct elf_info *info, uptr_t base)
{
	u64 span = info->hi - info->lo;
	u64 align = info->align;

	if (info->type == ET_EXEC)
		return 0;
	if (!base) {
		long at = vm_get_unmapped_area(mm, 0, span + align - PAGE_SIZE);
		if (at < 0)
			return at;
		base = (uptr_t)at;
	}
	base = ALIGN_UP(base, align);
	if (base > USER_TOP || span > USER_TOP - base)
		return -ENOMEM;
	return (long)(base - info->lo);
}

int exec_read_phdrs(struct file *f, const void *head, size_t head_len,
		    const struct elf_info *info, const void **out)
{
	size_t size = (size_t)info->phnum * sizeof(struct elf64_phdr);
	void *buf;
	ssize_t n;

	if (info->phoff + size <= head_len) {
		*out = (const u8 *)head + info->phoff;
		return 0;
	}
	buf = kmalloc(size);
	if (!buf)
		return -ENOMEM;
	n = kernel_read(f, buf, size, info->phoff);
	if (n != (ssize_t)size) {
		kfree(buf);
		return n < 0 ? (int)n : -ENOEXEC;
	}
	*out = buf;
	return 0;
}

/* Opens, checks and maps the interpreter at a placed address; its bias
 * (AT_BASE) and entry are returned. */
static int load_interp(struct mm *mm, const char *path, u64 *base, u64 *entry)
{
	struct elf_info info;
	const void *phdrs = NULL;
	struct file *f;
	void *head;
	ssize_t n;
	long bias;
	int err;

	f = vfs_open_kernel(path, O_RDONLY, &err);
	if (!f)
		return err;
	head = kpage_alloc(0);
	if (!head) {
		err = -ENOMEM;
		goto out_file;
	}
	if ((err = file_check_exec(f)))
		goto out_head;
	n = kernel_read(f, head, PAGE_SIZE, 0);
	if (n < 0) {
		err = (int)n;
		goto out_head;
	}
	err = -ELIBBAD;
	if (elf_check_ehdr(head, (size_t)n, file_size(f), &info))
		goto out_head;
	if ((err = exec_read_phdrs(f, head, (size_t)n, &info, &phdrs)))
		goto out_head;
	err = -ELIBBAD;
	if (elf_check_phdrs(phdrs, file_size(f), &info) || info.has_interp)
		goto out_phdrs;
	bias = image_bias(mm, &info, 0);
	if (bias < 0) {
		err = (int)bias;
		goto out_phdrs;
	}
	if ((err = load_segments(mm, f, phdrs, &info, (u64)bias)))
		goto out_phdrs;
	*base = (u64)bias;
	*entry = (u64)bias + info.entry;
out_phdrs:
	if (phdrs != (const u8 *)head + info.phoff)
		kfree((void *)phdrs);
out_head:
	kpage_free(head, 0);
out_file:
	file_put(f);
	return err;
}

/* The PT_INTERP path, NUL-terminated within its segment, as Linux wants. */
static int read_interp_path(struct file *f, const struct elf_info *info, char **out)
{
	char *path = kmalloc(info->interp_size);
	ssize_t n;

	if (!path)
		return -ENOMEM;
	n = kernel_read(f, path, info->interp_size, info->interp_offset);
	if (n != (ssize_t)info->interp_size || path[info->interp_size - 1]) {
		kfree(path);
		return n < 0 ? (int)n : -ENOEXEC;
	}
	*out = path;
	return 0;
}

int exec_load_elf(struct mm *mm, struct file *f, const void *head, size_t head_len,
		  bool randomize, struct exec_image *img)
{
	struct elf_info info;
	const void *phdrs = NULL;
	char *interp = NULL;
	uptr_t base = EXEC_DYN_BASE;
	long bias;
	int err;

	if ((err = elf_check_ehdr(head, head_len, file_size(f), &info)))
		return err;
	if ((err = exec_read_phdrs(f, head, head_len, &info, &phdrs)))
		return err;
	if ((err = elf_check_phdrs(phdrs, file_size(f), &info)))
		goto out;
	if (info.has_interp && (err = read_interp_path(f, &info, &interp)))
		goto out;
	if (randomize)
		base += (random_u64() & 0xffff) << PAGE_SHIFT;
	bias = image_bias(mm, &info, base);
	if (bias < 0) {
		err = (int)bias;
		goto out;
	}
	if ((err = load_segments(mm, f, phdrs, &info, (u64)bias)))
		goto out;

	memset(img, 0, sizeof(*img));
	img->prog_entry = img->entry = (u64)bias + info.entry;
	img->phdr = (u64)bias + info.phdr_vaddr;
	img->phnum = info.phnum;
	img->brk = (u64)bias + info.brk;
	img->exec_stack = info.exec_stack;
	if (interp)
		err = load_interp(mm, interp, &img->base, &img->entry);
out:
	kfree(interp);
	if (phdrs && phdrs != (const u8 *)head + info.phoff)
		kfree((void *)phdrs);
	return err;
}
