/*
 * The new program's initial stack, laid out as Linux's create_elf_tables
 * does (from the top down):
 *
 *	an empty word, the executable's name (AT_EXECFN), the environment
 *	strings, the argument strings, padding to 16 bytes (less a random
 *	amount), "x86_64" (AT_PLATFORM), 16 random bytes (AT_RANDOM), padding,
 *	the auxiliary vector, envp[] with its NULL, argv[] with its NULL,
 *	argc   <- the stack pointer, 16-byte aligned as the x86_64 ABI wants
 *
 * The mm is not active yet: every byte goes through vm_access_page() and
 * the direct map.
 */
#include <abi/auxvec.h>
#include <kevlar/layout.h>
#include <kevlar/platform.h>
#include <kevlar/random.h>
#include <kevlar/string.h>
#include <kevlar/task.h>
#include "exec_internal.h"

#define AUXV_MAX 24
#define EXEC_PLATFORM "x86_64"

/*
 * AT_HWCAP2 on x86 has two bits: ring-3 MWAIT and FSGSBASE, each set only
 * when the kernel has switched the feature on for user space. Kevlar
 * switches on neither.
 */
#define X86_HWCAP2 0

/*
 * AT_MINSIGSTKSZ: the largest signal frame, computed as Linux's
 * init_sigframe_size() does for a CPU whose state is saved with FXSAVE
 * (Kevlar does not use XSAVE): struct rt_sigframe (440 bytes) plus
 * alignment padding (15), the FXSAVE area (512) with room for the legacy
 * i387 frame (112) and the XSAVE alignment allowance (63), rounded up to
 * 16 bytes.
 */
#define RT_SIGFRAME_SIZE   440
#define SIGFRAME_FPU_SIZE  (512 + 112)
#define X86_MINSIGSTKSZ    ALIGN_UP(RT_SIGFRAME_SIZE + 15 + SIGFRAME_FPU_SIZE + 63, 16)

/* Writes to user addresses of an inactive mm, a page at a time. */
struct stack_writer {
	struct mm *mm;
	uptr_t page_va;    /* the page 'page' maps, or 1 for none */
	u8 *page;
};

static int sw_at(struct stack_writer *w, uptr_t va, u8 **p)
{
	if ((va & PAGE_MASK) != w->page_va) {
		paddr_t pa;
		int err = vm_access_page(w->mm, va & PAGE_MASK, true, &pa);
		if (err)
			return err;
		w->page = phys_to_virt(pa);
		w->page_va = va & PAGE_MASK;
	}
	*p = w->page + (va & ~PAGE_MASK);
	return 0;
}

static int sw_write(struct stack_writer *w, uptr_t va, const void *src, size_t n)
{
	const u8 *s = src;

	while (n) {
		size_t chunk = MIN(n, PAGE_SIZE - (va & ~PAGE_MASK));
		u8 *p;
		int err = sw_at(w, va, &p);
		if (err)
			return err;
		memcpy(p, s, chunk);
		va += chunk;
		s += chunk;
		n -= chunk;
	}
	return 0;
}

static int sw_word(struct stack_writer *w, uptr_t va, u64 v)
{
	return sw_write(w, va, &v, sizeof(v));
}

/* Length of the string we wrote at va. */
static long sw_strlen(struct stack_writer *w, uptr_t va)
{
	long n = 0;

	for (;; n++, va++) {
		u8 *p;
		int err = sw_at(w, va, &p);
		if (err)
			return err;
		if (!*p)
			return n;
	}
}

/* Pushes a string below *p; -E2BIG once the strings would go below floor. */
static int push_string(struct stack_writer *w, uptr_t *p, uptr_t floor,
		       const char *s, size_t len)
{
	if (*p < floor || *p - floor < len + 1)
		return -E2BIG;
	*p -= len + 1;
	return sw_write(w, *p, s, len + 1);
}

static int push_strings(struct stack_writer *w, struct exec_args *a, const char *execfn,
			uptr_t top, uptr_t *p, uptr_t *execfn_at)
{
	u64 argc = exec_argc(a);
	/* Linux's bprm_stack_limits: pointers count against the limit too. */
	uptr_t floor = top - EXEC_ARG_MAX + (MAX(a->argc, 1) + a->envc) * sizeof(u64);
	int err;

	*p = top - sizeof(u64);
	if ((err = sw_word(w, *p, 0)))
		return err;
	if ((err = push_string(w, p, floor, execfn, strlen(execfn))))
		return err;
	*execfn_at = *p;
	for (u64 i = a->envc; i-- > 0;) {
		const char *s;
		long len = exec_arg_string(a, true, i, &s);
		if (len < 0)
			return (int)len;
		if ((err = push_string(w, p, floor, s, (size_t)len)))
			return err;
	}
	for (u64 i = argc; i-- > 0;) {
		const char *s;
		long len = exec_arg_string(a, false, i, &s);
		if (len < 0)
			return (int)len;
		if ((err = push_string(w, p, floor, s, (size_t)len)))
			return err;
	}
	return 0;
}

/* Writes n pointers to consecutive strings starting at *str, then NULL. */
static int write_vector(struct stack_writer *w, uptr_t at, u64 n, uptr_t *str)
{
	int err;

	for (u64 i = 0; i < n; i++) {
		long len = sw_strlen(w, *str);
		if (len < 0)
			return (int)len;
		if ((err = sw_word(w, at + i * sizeof(u64), *str)))
			return err;
		*str += (uptr_t)len + 1;
	}
	return sw_word(w, at + n * sizeof(u64), 0);
}

static unsigned build_auxv(u64 *v, const struct exec_image *img, uptr_t random_at,
			   uptr_t platform_at, uptr_t execfn_at)
{
	unsigned n = 0;
	/* Linux's order (create_elf_tables): the architecture's entries
	 * first. Exec honours no set-user-ID bit, so the program runs with
	 * the caller's ids, and is "secure" when they were mixed already. */
	const struct cred *c = &current_task()->cred;
#define AUX(type, val) do { v[n++] = (type); v[n++] = (val); } while (0)
	AUX(AT_MINSIGSTKSZ, X86_MINSIGSTKSZ);
	AUX(AT_HWCAP, cpu_hwcap());
	AUX(AT_PAGESZ, PAGE_SIZE);
	AUX(AT_CLKTCK, 100);
	AUX(AT_PHDR, img->phdr);
	AUX(AT_PHENT, sizeof(struct elf64_phdr));
	AUX(AT_PHNUM, img->phnum);
	AUX(AT_BASE, img->base);
	AUX(AT_FLAGS, 0);
	AUX(AT_ENTRY, img->prog_entry);
	AUX(AT_UID, c->uid);
	AUX(AT_EUID, c->euid);
	AUX(AT_GID, c->gid);
	AUX(AT_EGID, c->egid);
	AUX(AT_SECURE, cred_exec_secure());
	AUX(AT_RANDOM, random_at);
	AUX(AT_HWCAP2, X86_HWCAP2);
	AUX(AT_EXECFN, execfn_at);
	AUX(AT_PLATFORM, platform_at);
	AUX(AT_NULL, 0);
#undef AUX
	return n;
}

int exec_build_stack(struct mm *mm, struct exec_args *a, const struct exec_image *img,
		     const char *execfn, uptr_t top, bool randomize, uptr_t *sp_out)
{
	struct stack_writer w = { .mm = mm, .page_va = 1 };
	u64 auxv[2 * AUXV_MAX];
	u64 rnd[2] = { random_u64(), random_u64() };
	u64 argc = exec_argc(a);
	uptr_t strings, execfn_at, platform_at, random_at, sp, str;
	unsigned nauxv;
	u64 words;
	int err;

	if ((err = push_strings(&w, a, execfn, top, &strings, &execfn_at)))
		return err;
	sp = strings;
	if (randomize)
		sp -= random_u64() % 8192;   /* arch_align_stack */
	sp &= ~15UL;
	sp -= sizeof(EXEC_PLATFORM);
	platform_at = sp;
	if ((err = sw_write(&w, sp, EXEC_PLATFORM, sizeof(EXEC_PLATFORM))))
		return err;
	sp -= sizeof(rnd);
	random_at = sp;
	if ((err = sw_write(&w, sp, rnd, sizeof(rnd))))
		return err;

	nauxv = build_auxv(auxv, img, random_at, platform_at, execfn_at);
	words = 1 + (argc + 1) + (a->envc + 1) + nauxv;
	sp = (sp - words * sizeof(u64)) & ~15UL;

	if ((err = sw_word(&w, sp, argc)))
		return err;
	str = strings;
	if ((err = write_vector(&w, sp + 8, argc, &str)))
		return err;
	if ((err = write_vector(&w, sp + 8 + (argc + 1) * 8, a->envc, &str)))
		return err;
	if ((err = sw_write(&w, sp + 8 + (argc + 1 + a->envc + 1) * 8, auxv,
			    nauxv * sizeof(u64))))
		return err;
	*sp_out = sp;
	return 0;
}
