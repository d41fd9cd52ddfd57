/* Private to core/exec: the pieces of an execve. */
#ifndef KEVLAR_CORE_EXEC_INTERNAL_H
#define KEVLAR_CORE_EXEC_INTERNAL_H

#include <kevlar/errno.h>
#include <kevlar/types.h>
#include <kevlar/vm.h>
#include "elf.h"

/* Linux's limits on what execve copies (include/uapi/linux/binfmts.h,
 * fs/exec.c): all strings and pointers within a quarter of the 8 MiB
 * stack, each string within MAX_ARG_STRLEN (<kevlar/vm.h>). */
#define EXEC_ARG_MAX     (VM_STACK_SIZE / 4)
#define EXEC_PATH_MAX    4096
/* Scripts whose interpreter is a script, like BINPRM_MAX_RECURSION. */
#define EXEC_MAX_DEPTH   4
/* argv entries a chain of scripts may put in front of the caller's. */
#define EXEC_MAX_PREFIX  (3 * EXEC_MAX_DEPTH + 1)
/* Where a PIE without an interpreter is loaded (ELF_ET_DYN_BASE). */
#define EXEC_DYN_BASE    0x555555554000UL

static inline uptr_t page_align_up(uptr_t x)
{
	return ALIGN_UP(x, PAGE_SIZE);
}

/* The new program's argument and environment strings. They come from
 * user memory (execve) or kernel arrays (exec_kernel); scripts put their
 * interpreter's words in front of argv. */
struct exec_args {
	bool from_kernel;
	uptr_t uargv, uenvp;
	char *const *kargv, *const *kenvp;
	u64 argc, envc;            /* entries in the caller's vectors */
	u64 skip;                  /* caller's argv entries dropped (argv[0]) */
	const char *prefix[EXEC_MAX_PREFIX];
	unsigned nprefix;          /* prefix[0..nprefix) come first */
	char *scratch;             /* MAX_ARG_STRLEN bytes for a user string */
};

/* What the loader tells the stack builder (the auxiliary vector). */
struct exec_image {
	u64 entry;        /* where user mode starts (the interpreter's entry) */
	u64 prog_entry;   /* AT_ENTRY */
	u64 phdr;         /* AT_PHDR */
	u64 phnum;        /* AT_PHNUM */
	u64 base;         /* AT_BASE: the interpreter's load address, or 0 */
	u64 brk;          /* end of the program's highest segment */
	bool exec_stack;
};

/* args.c */
/* Counts the caller's vectors; -E2BIG, -EFAULT. */
int exec_args_count(struct exec_args *a);
/* Total argv entries of the new program. */
u64 exec_argc(const struct exec_args *a);
/* A script's interpreter takes over: argv[0] goes, then 'script' (the
 * file that was run), 'arg' (if any) and 'interp' go in front. */
int exec_args_script(struct exec_args *a, const char *script, const char *arg,
		     const char *interp);

/* String i of the new argv (env false) or envp: its length, *s set. */
long exec_arg_string(struct exec_args *a, bool env, u64 i, const char **s);

/* stack.c */
/*
 * Writes the initial stack into mm below 'top': strings, AT_RANDOM bytes,
 * the platform string, then argc, argv, envp and the auxiliary vector.
 * Returns the user stack pointer (16-byte aligned, at argc) in *sp.
 */
int exec_build_stack(struct mm *mm, struct exec_args *a, const struct exec_image *img,
		     const char *execfn, uptr_t top, bool randomize, uptr_t *sp);

/* load.c */
/*
 * Maps the checked ELF image in f (its first head_len bytes at 'head')
 * into mm, with its interpreter if it names one. 'randomize' moves the
 * PIE base. 0, -ENOEXEC, -ELIBBAD (bad interpreter), -ENOMEM, or what
 * opening and reading the files gave.
 */
int exec_load_elf(struct mm *mm, struct file *f, const void *head, size_t head_len,
		  bool randomize, struct exec_image *img);
/* Reads the program headers that elf_check_ehdr() located; the caller
 * kfree()s *out if it differs from head. */
int exec_read_phdrs(struct file *f, const void *head, size_t head_len,
		    const struct elf_info *info, const void **out);

#endif
