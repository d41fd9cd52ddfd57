/*
 * execve: replace the calling task's program. Everything that can fail
 * happens first, while the old program is intact: the argument strings
 * are copied out of the old address space straight into the new stack,
 * and the new mm is complete (image, interpreter, stack, brk) before the
 * task lets go of the old one. After that nothing can fail: descriptors
 * marked close-on-exec close, the name changes, the new mm goes live and
 * the user registers are reset to the entry point.
 *
 * Scripts ("#!") are resolved first, up to EXEC_MAX_DEPTH interpreters
 * deep, each putting its words in front of argv as Linux does.
 */
#include <kevlar/cmdline.h>
#include <kevlar/mm.h>
#include <kevlar/random.h>
#include <kevlar/string.h>
#include <kevlar/task.h>
#include <kevlar/uaccess.h>
#include <kevlar/vfs.h>
#include <syscalls.h>
#include "exec_internal.h"

#define USER_RFLAGS 0x202   /* IF, and the reserved bit 1 */

static bool norandmaps;

static int set_norandmaps(const char *value)
{
	norandmaps = true;
	return value ? kparam_bool(value, &norandmaps) : 0;
}
KPARAM("norandmaps", set_norandmaps, "no address-space layout randomization");

/* What one exec holds while it runs. */
struct exec_state {
	struct exec_args args;
	const char *filename;       /* as the caller gave it (AT_EXECFN) */
	struct file *file;          /* the ELF image finally run */
	void *head;                 /* its first page */
	size_t head_len;
	/* interpreter and argument of each script level */
	char words[EXEC_MAX_DEPTH][2][SCRIPT_BUF_SIZE];
};

/* Opens path as an executable and reads its first page. */
static int open_exec(struct exec_state *st, const char *path)
{
	ssize_t n;
	int err = -ENOENT;   /* in case the open fails without saying why */

	st->file = vfs_open_kernel(path, O_RDONLY, &err);
	if (!st->file)
		return err;
	if ((err = file_check_exec(st->file)))
		return err;
	n = kernel_read(st->file, st->head, PAGE_SIZE, 0);
	if (n < 0)
		return (int)n;
	st->head_len = (size_t)n;
	return 0;
}

/* Follows "#!" lines until an executable that is not a script. */
static int resolve_scripts(struct exec_state *st)
{
	const char *path = st->filename;
	int err;

	for (unsigned depth = 0;; depth++) {
		char *interp, *arg;
		bool has_arg;

		if ((err = open_exec(st, path)))
			return err;
		if (st->head_len < 2 || memcmp(st->head, "#!", 2))
			return 0;
		if (depth == EXEC_MAX_DEPTH)
			return -ELOOP;
		interp = st->words[depth][0];
		arg = st->words[depth][1];
		if ((err = script_parse(st->head, st->head_len, interp, arg, &has_arg)))
			return err;
		if (!interp[0])
			return -ENOENT;
		if ((err = exec_args_script(&st->args, path, has_arg ? arg : NULL, interp)))
			return err;
		file_put(st->file);
		st->file = NULL;
		path = interp;
	}
}

/* Where the stack ends and mmap placement starts: randomized below the
 * top of user space, as Linux's randomize_stack_top and mmap_base do
 * (with less entropy). */
static void choose_layout(bool randomize, uptr_t *stack_top, uptr_t *mmap_base)
{
	u64 stack_rnd = randomize ? (random_u64() & 0xffff) << PAGE_SHIFT : 0;
	u64 mmap_rnd = randomize ? (random_u64() & 0x3ffff) << PAGE_SHIFT : 0;

	*stack_top = USER_TOP - stack_rnd;
	*mmap_base = *stack_top - (128UL << 20) - mmap_rnd;
}

/* Builds the complete new address space; on success *mmp holds it and
 * *entry, *sp say where the program starts. */
static int build_mm(struct exec_state *st, struct mm **mmp, uptr_t *entry, uptr_t *sp)
{
	bool randomize = !norandmaps;
	struct exec_image img;
	uptr_t stack_top, mmap_base;
	struct mm *mm;
	long r;
	int err;

	mm = mm_create();
	if (!mm)
		return -ENOMEM;
	choose_layout(randomize, &stack_top, &mmap_base);
	vm_set_mmap_base(mm, mmap_base);
	if ((err = exec_load_elf(mm, st->file, st->head, st->head_len, randomize, &img)))
		goto fail;
	r = vm_mmap(mm, stack_top - VM_STACK_SIZE, VM_STACK_SIZE,
		    PROT_READ | PROT_WRITE | (img.exec_stack ? PROT_EXEC : 0),
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE | MAP_GROWSDOWN,
		    NULL, 0);
	if (r < 0) {
		err = r == -EEXIST ? -ENOEXEC : (int)r;   /* the image is in the way */
		goto fail;
	}
	vm_set_brk_base(mm, ALIGN_UP(img.brk, PAGE_SIZE));
	if ((err = exec_build_stack(mm, &st->args, &img, st->filename, stack_top,
				    randomize, sp)))
		goto fail;
	vm_exec_record(mm, st->file, *sp);
	*entry = img.entry;
	*mmp = mm;
	return 0;
fail:
	mm_put(mm);
	return err;
}

static const char *basename(const char *path)
{
	const char *slash = NULL;

	for (const char *p = path; *p; p++)
		if (*p == '/' && p[1])
			slash = p;
	return slash ? slash + 1 : path;
}

/* The point of no return: the task becomes the new program. */
static void commit(struct exec_state *st, struct mm *mm, uptr_t entry, uptr_t sp,
		   struct trap_frame *regs)
{
	struct task *t = current_task();
	struct mm *old = t->mm;
	const char *name = basename(st->filename);
	size_t n;

	if (t->files)
		files_close_on_exec(t->files);
	n = strnlen(name, sizeof(t->comm) - 1);
	memset(t->comm, 0, sizeof(t->comm));
	memcpy(t->comm, name, n);

	t->mm = mm;
	t->thread.space = mm_space(mm);
	mmu_activate(t->thread.space);
	t->kernel = false;
	mm_put(old);
	task_vfork_release(t);   /* a vfork parent has its mm back */
	thread_set_fs_base(&t->thread, 0);
	thread_fpu_reset(&t->thread);
	sighand_exec(t->sighand);
	memset(&t->altstack, 0, sizeof(t->altstack));
	t->execed = true;
	cred_exec_commit();

	u64 cs = regs->cs, ss = regs->ss, vector = regs->vector;
	memset(regs, 0, sizeof(*regs));
	regs->vector = vector;
	regs->error = (u64)-1;   /* nothing to restart */
	regs->rip = entry;
	regs->rsp = sp;
	regs->rflags = USER_RFLAGS;
	regs->cs = cs;
	regs->ss = ss;
}

/* The whole exec but the register reset: 0 with the task changed, or a
 * negative errno with the task untouched. */
static int exec_common(struct exec_state *st, struct trap_frame *regs)
{
	struct mm *mm = NULL;
	uptr_t entry = 0, sp = 0;
	int err = cred_exec_check();

	if (err)
		return err;
	st->head = kpage_alloc(0);
	st->args.scratch = st->args.from_kernel ? NULL : kpage_alloc(5);
	if (!st->head || (!st->args.from_kernel && !st->args.scratch)) {
		err = -ENOMEM;
		goto out;
	}
	_Static_assert((PAGE_SIZE << 5) == MAX_ARG_STRLEN, "scratch size");
	if ((err = exec_args_count(&st->args)))
		goto out;
	if ((err = resolve_scripts(st)))
		goto out;
	if ((err = build_mm(st, &mm, &entry, &sp)))
		goto out;
	commit(st, mm, entry, sp, regs);
out:
	if (st->file)
		file_put(st->file);
	kpage_free(st->head, 0);
	kpage_free(st->args.scratch, 5);
	return err;
}

int sys_execve(uptr_t upath, uptr_t uargv, uptr_t uenvp)
{
	struct exec_state *st = kzalloc(sizeof(*st));
	char *path = kmalloc(EXEC_PATH_MAX);
	long err;

	if (!st || !path) {
		err = -ENOMEM;
		goto out;
	}
	err = strncpy_from_user(path, upath, EXEC_PATH_MAX);
	if (err < 0)
		goto out;
	if (!path[0]) {
		err = -ENOENT;
		goto out;
	}
	st->filename = path;
	st->args.uargv = uargv;
	st->args.uenvp = uenvp;
	err = exec_common(st, thread_user_regs(&current_task()->thread));
out:
	kfree(path);
	kfree(st);
	return (int)err;
}

/*
 * Copies 'regs' into the trap frame at the top of this thread's kernel
 * stack and leaves for user mode. That frame overlaps the stack frames of
 * whoever called exec_kernel (kinit), which are abandoned; it may overlap
 * 'regs' too, hence memmove. This function's own frame lies below
 * exec_kernel's, which holds a whole trap frame, so it is below the
 * destination.
 */
static __attribute__((noinline)) __noreturn void enter_user(const struct trap_frame *regs)
{
	struct thread *th = &current_task()->thread;

	memmove(thread_user_regs(th), regs, sizeof(*regs));
	thread_enter_user(th);
}

int exec_kernel(const char *path, char *const argv[], char *const envp[])
{
	struct trap_frame regs;   /* keep first: see enter_user() */
	struct exec_state *st;
	int err;

	memset(&regs, 0, sizeof(regs));
	if (!path || !path[0])
		return -ENOENT;
	st = kzalloc(sizeof(*st));
	if (!st)
		return -ENOMEM;
	st->filename = path;
	st->args.from_kernel = true;
	st->args.kargv = argv;
	st->args.kenvp = envp;
	err = exec_common(st, &regs);
	kfree(st);
	if (err)
		return err;
	enter_user(&regs);
}
