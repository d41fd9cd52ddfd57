/*
 * ELF64 for exec: the file layout (the System V gABI and /usr/include/
 * elf.h give the values) and the check that an executable's headers are
 * sound before anything is mapped. Private to core/exec (and its tests).
 */
#ifndef KEVLAR_CORE_EXEC_ELF_H
#define KEVLAR_CORE_EXEC_ELF_H

#include <abi/elf.h>
#include <kevlar/types.h>

struct elf64_ehdr {
	u8 e_ident[EI_NIDENT];
	u16 e_type;
	u16 e_machine;
	u32 e_version;
	u64 e_entry;
	u64 e_phoff;
	u64 e_shoff;
	u32 e_flags;
	u16 e_ehsize;
	u16 e_phentsize;
	u16 e_phnum;
	u16 e_shentsize;
	u16 e_shnum;
	u16 e_shstrndx;
};

struct elf64_phdr {
	u32 p_type;
	u32 p_flags;
	u64 p_offset;
	u64 p_vaddr;
	u64 p_paddr;
	u64 p_filesz;
	u64 p_memsz;
	u64 p_align;
};

_Static_assert(sizeof(struct elf64_ehdr) == 64, "Elf64_Ehdr");
_Static_assert(sizeof(struct elf64_phdr) == 56, "Elf64_Phdr");
_Static_assert(__builtin_offsetof(struct elf64_ehdr, e_phoff) == 32, "e_phoff");
_Static_assert(__builtin_offsetof(struct elf64_ehdr, e_phnum) == 56, "e_phnum");
_Static_assert(__builtin_offsetof(struct elf64_phdr, p_filesz) == 32, "p_filesz");

/* Largest program-header table Linux accepts (fs/binfmt_elf.c). */
#define ELF_MAX_PHDRS_SIZE 65536
/* Longest PT_INTERP path (PATH_MAX, with its NUL). */
#define ELF_MAX_INTERP 4096
/* Largest span of the PT_LOAD segments of one image: anything bigger is
 * not a program but an attack on the loader. */
#define ELF_MAX_SPAN (1UL << 40)

/* What exec needs to know about a checked ELF image. Addresses are the
 * file's own (before any load bias). */
struct elf_info {
	u16 type;             /* ET_EXEC or ET_DYN */
	u64 entry;
	u64 phoff;            /* where the program headers are in the file */
	u16 phnum;
	u64 lo, hi;           /* page-aligned span of the PT_LOAD segments */
	u64 brk;              /* the end of the highest segment, unaligned */
	u64 phdr_vaddr;       /* where the headers appear in memory; 0 if not */
	u64 align;            /* the largest PT_LOAD p_align (>= PAGE_SIZE) */
	bool has_interp;
	u64 interp_offset;    /* the PT_INTERP string, in the file */
	u64 interp_size;      /* with its NUL */
	bool exec_stack;      /* PT_GNU_STACK asks for PF_X */
};

/*
 * Checks the ELF header in the first 'len' bytes of a file of file_size
 * bytes and fills in type, entry, phoff and phnum. 0 or -ENOEXEC.
 */
int elf_check_ehdr(const void *hdr, size_t len, u64 file_size, struct elf_info *out);
/*
 * Checks the program headers (info->phnum of them at 'phdrs', which
 * need not be aligned) against the header elf_check_ehdr() accepted, and
 * fills in the rest of 'info'. 0 or -ENOEXEC.
 */
int elf_check_phdrs(const void *phdrs, u64 file_size, struct elf_info *info);
/*
 * Both, for an image whose program headers lie within the first len
 * bytes (exec reads them separately when they do not). 0 or -ENOEXEC.
 */
int elf_check(const void *hdr, size_t len, u64 file_size, struct elf_info *out);
/* Program header i of a table elf_check_phdrs() accepted. */
void elf_phdr(const void *phdrs, unsigned i, struct elf64_phdr *ph);

/* #! scripts: the first line's interpreter and its optional argument. */
#define SCRIPT_BUF_SIZE 256   /* Linux's BINPRM_BUF_SIZE */
/*
 * Parses the first 'len' bytes of a file that starts with "#!" as Linux's
 * binfmt_script does: the interpreter is the first word after "#!"
 * (spaces and tabs skipped), the argument everything after it up to the
 * end of the line with outer blanks trimmed (inner ones kept). interp and
 * arg receive NUL-terminated copies (SCRIPT_BUF_SIZE bytes each); *arg is
 * "" if there is none and *has_arg says which. 0, or -ENOEXEC (not "#!",
 * no interpreter, or a line too long to hold it whole).
 */
int script_parse(const char *buf, size_t len, char *interp, char *arg, bool *has_arg);

#endif
