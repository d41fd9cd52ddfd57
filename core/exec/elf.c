/*
 * Checking ELF64 executables before exec maps anything. A pure function
 * of the bytes and the file size, so the host tests can feed it every
 * malformed header they can think of. What is refused:
 *  - the header: bad magic, not 64-bit little-endian version 1, not an
 *    x86_64 executable or shared object, a program-header entry size other
 *    than Elf64_Phdr's, no program headers, a table over 64 KiB or past
 *    the end of the file;
 *  - the PT_LOAD segments: file bytes past the end of the file, p_filesz
 *    over p_memsz, p_offset and p_vaddr disagreeing modulo the page size,
 *    an alignment that is not a power of two, an address range that wraps,
 *    leaves user space or spans more than ELF_MAX_SPAN, segments out of
 *    order or overlapping, none at all;
 *  - more than one PT_INTERP, or one that is empty, too long or past the
 *    end of the file;
 *  - an entry point outside every PT_LOAD segment.
 * Segments may share a page (the later one wins it, as on Linux), but not
 * a byte.
 */
#include <kevlar/errno.h>
#include <kevlar/mmu.h>
#include <kevlar/string.h>
#include <kevlar/vm.h>
#include "elf.h"

static const u8 elf_magic[4] = { 0x7f, 'E', 'L', 'F' };

int elf_check_ehdr(const void *hdr, size_t len, u64 file_size, struct elf_info *out)
{
	struct elf64_ehdr eh;
	u64 table;

	if (len < sizeof(eh) || file_size < sizeof(eh) || len > file_size)
		return -ENOEXEC;
	memcpy(&eh, hdr, sizeof(eh));
	if (memcmp(eh.e_ident, elf_magic, sizeof(elf_magic)) ||
	    eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_ident[EI_DATA] != ELFDATA2LSB ||
	    eh.e_ident[EI_VERSION] != EV_CURRENT || eh.e_version != EV_CURRENT)
		return -ENOEXEC;
	if ((eh.e_type != ET_EXEC && eh.e_type != ET_DYN) || eh.e_machine != EM_X86_64)
		return -ENOEXEC;
	if (eh.e_phentsize != sizeof(struct elf64_phdr) || eh.e_phnum == 0)
		return -ENOEXEC;
	table = (u64)eh.e_phnum * sizeof(struct elf64_phdr);
	if (table > ELF_MAX_PHDRS_SIZE || eh.e_phoff > file_size ||
	    table > file_size - eh.e_phoff)
		return -ENOEXEC;
	memset(out, 0, sizeof(*out));
	out->type = eh.e_type;
	out->entry = eh.e_entry;
	out->phoff = eh.e_phoff;
	out->phnum = eh.e_phnum;
	return 0;
}

void elf_phdr(const void *phdrs, unsigned i, struct elf64_phdr *ph)
{
	memcpy(ph, (const u8 *)phdrs + (size_t)i * sizeof(*ph), sizeof(*ph));
}

static bool power_of_two(u64 x)
{
	return x && !(x & (x - 1));
}

/* One PT_LOAD segment: within the file, sane, above the previous one. */
static int check_load(const struct elf64_phdr *ph, u64 file_size,
		      u64 prev_end, bool first)
{
	if (ph->p_filesz > ph->p_memsz)
		return -ENOEXEC;
	if (ph->p_offset > file_size || ph->p_filesz > file_size - ph->p_offset)
		return -ENOEXEC;
	if ((ph->p_offset & (PAGE_SIZE - 1)) != (ph->p_vaddr & (PAGE_SIZE - 1)))
		return -ENOEXEC;
	if (ph->p_align > 1 && !power_of_two(ph->p_align))
		return -ENOEXEC;
	if (ph->p_vaddr >= USER_TOP || ph->p_memsz > USER_TOP - ph->p_vaddr)
		return -ENOEXEC;
	if (!first && ph->p_vaddr < prev_end)
		return -ENOEXEC;   /* out of order, or overlapping */
	return 0;
}

int elf_check_phdrs(const void *phdrs, u64 file_size, struct elf_info *info)
{
	struct elf64_phdr ph;
	u64 prev_end = 0, first_vaddr = 0;
	bool any_load = false, entry_ok = false;

	info->align = PAGE_SIZE;
	for (unsigned i = 0; i < info->phnum; i++) {
		elf_phdr(phdrs, i, &ph);
		switch (ph.p_type) {
		case PT_LOAD:
			if (ph.p_memsz == 0)
				break;
			if (check_load(&ph, file_size, prev_end, !any_load))
				return -ENOEXEC;
			if (!any_load)
				first_vaddr = ph.p_vaddr;
			any_load = true;
			prev_end = ph.p_vaddr + ph.p_memsz;
			if (ph.p_align > info->align)
				info->align = ph.p_align;
			if (info->entry >= ph.p_vaddr && info->entry < prev_end)
				entry_ok = true;
			if (ph.p_offset <= info->phoff &&
			    info->phoff - ph.p_offset < ph.p_filesz)
				info->phdr_vaddr = ph.p_vaddr + (info->phoff - ph.p_offset);
			break;
		case PT_INTERP:
			if (info->has_interp || ph.p_filesz < 2 ||
			    ph.p_filesz > ELF_MAX_INTERP || ph.p_offset > file_size ||
			    ph.p_filesz > file_size - ph.p_offset)
				return -ENOEXEC;
			info->has_interp = true;
			info->interp_offset = ph.p_offset;
			info->interp_size = ph.p_filesz;
			break;
		case PT_GNU_STACK:
			info->exec_stack = ph.p_flags & PF_X;
			break;
		default:
			break;
		}
	}
	if (!any_load || !entry_ok)
		return -ENOEXEC;
	info->lo = first_vaddr & PAGE_MASK;
	info->hi = (prev_end + PAGE_SIZE - 1) & PAGE_MASK;
	info->brk = prev_end;
	if (info->hi > USER_TOP || info->hi - info->lo > ELF_MAX_SPAN)
		return -ENOEXEC;
	if (info->type == ET_EXEC && info->lo < VM_MMAP_MIN_ADDR)
		return -ENOEXEC;
	return 0;
}

int elf_check(const void *hdr, size_t len, u64 file_size, struct elf_info *out)
{
	int err = elf_check_ehdr(hdr, len, file_size, out);

	if (err)
		return err;
	if (out->phoff + (u64)out->phnum * sizeof(struct elf64_phdr) > len)
		return -ENOEXEC;
	return elf_check_phdrs((const u8 *)hdr + out->phoff, file_size, out);
}
