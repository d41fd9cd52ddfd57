/*
 * Exec's record of the program an address space runs, which /proc reads:
 * its file, and where its argument and environment strings and its first
 * stack pointer are. Copied by fork with the address space, dropped with
 * it. Also reading an address space that is not the active one, as
 * ptrace does: through the page map, a page at a time.
 */
#include <kevlar/layout.h>
#include <kevlar/string.h>
#include "vm_internal.h"

void vm_exec_info_copy(struct mm *mm, const struct mm *from)
{
	struct file *old = mm->exe;

	mm->exe = from && from->exe ? vm_file_get(from->exe) : NULL;
	mm->arg_start = from ? from->arg_start : 0;
	mm->arg_end = from ? from->arg_end : 0;
	mm->env_start = from ? from->env_start : 0;
	mm->env_end = from ? from->env_end : 0;
	mm->start_stack = from ? from->start_stack : 0;
	if (old)
		vm_file_put(old);
}

/* Copies n bytes at user address va of mm into buf: the count copied,
 * short where nothing is mapped. */
size_t vm_read_mm(struct mm *mm, uptr_t va, void *buf, size_t n)
{
	u8 *dst = buf;
	size_t done = 0;

	while (done < n && va < USER_TOP) {
		size_t chunk = MIN(n - done, PAGE_SIZE - (va & ~PAGE_MASK));
		paddr_t pa;
		if (vm_access_page(mm, va & PAGE_MASK, false, &pa))
			break;
		memcpy(dst + done, (u8 *)phys_to_virt(pa) + (va & ~PAGE_MASK), chunk);
		done += chunk;
		va += chunk;
	}
	return done;
}

static bool mm_word(struct mm *mm, uptr_t va, u64 *w)
{
	return vm_read_mm(mm, va, w, sizeof(*w)) == sizeof(*w);
}

/* The address just past the NUL of the string at va (at most 'max' on). */
static uptr_t string_end(struct mm *mm, uptr_t va, size_t max)
{
	char buf[64];
	size_t seen = 0;

	while (seen < max) {
		size_t n = vm_read_mm(mm, va + seen, buf, MIN(sizeof(buf), max - seen));
		if (!n)
			break;
		for (size_t i = 0; i < n; i++)
			if (!buf[i])
				return va + seen + i + 1;
		seen += n;
	}
	return va + seen;
}

/* The initial stack at sp: argc, argv[], NULL, envp[], NULL. */
void vm_exec_record(struct mm *mm, struct file *exe, uptr_t sp)
{
	u64 argc, p;

	vm_exec_info_copy(mm, NULL);
	mm->exe = exe ? vm_file_get(exe) : NULL;
	mm->start_stack = sp;
	if (!mm_word(mm, sp, &argc))
		return;
	uptr_t argv = sp + 8, envp = argv + (argc + 1) * 8;
	if (argc && mm_word(mm, argv, &p)) {
		mm->arg_start = p;
		if (mm_word(mm, argv + (argc - 1) * 8, &p))
			mm->arg_end = string_end(mm, p, MAX_ARG_STRLEN);
	}
	u64 envc = 0;
	while (mm_word(mm, envp + envc * 8, &p) && p)
		envc++;
	if (envc && mm_word(mm, envp, &p)) {
		mm->env_start = p;
		if (mm_word(mm, envp + (envc - 1) * 8, &p))
			mm->env_end = string_end(mm, p, MAX_ARG_STRLEN);
	}
	if (!argc)
		mm->arg_start = mm->arg_end = mm->env_start;
}

