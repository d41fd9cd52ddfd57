/*
 * Threads: kernel stacks, switching, and the way into user mode. The
 * per-CPU area (reached through GS) holds the running thread's kernel
 * stack top, which the SYSCALL entry loads, and a scratch slot for the
 * user stack pointer.
 */
#include <kevlar/asm.h>
#include <kevlar/errno.h>
#include <kevlar/mm.h>
#include <kevlar/paging.h>
#include <kevlar/platform.h>
#include <kevlar/string.h>
#include <kevlar/thread.h>
#include "cpu.h"
#include "cpu_setup.h"
#include "gdt.h"

struct percpu {
	u64 kstack;           /* syscall.S: PERCPU_KSTACK */
	u64 user_rsp;         /* syscall.S: PERCPU_USER_RSP */
	struct thread *current;
};

_Static_assert(__builtin_offsetof(struct percpu, kstack) == 0, "syscall.S");
_Static_assert(__builtin_offsetof(struct percpu, user_rsp) == 8, "syscall.S");

static struct percpu boot_cpu;

void context_switch(u64 *save_rsp, u64 new_rsp);
void thread_first_run_kernel(void);
void thread_first_run_user(void);

/* Called on a new thread's first run, before anything else. */
void thread_started(void)
{
	core_thread_started();
}

void thread_exit_hook(void)
{
	core_thread_exit();
}

void percpu_init(void)
{
	wrmsr(MSR_GS_BASE, (u64)&boot_cpu);
	wrmsr(MSR_KERNEL_GS_BASE, 0);
}

static u64 stack_top(const struct thread *t)
{
	return (u64)t->stack + THREAD_STACK_SIZE;
}

static void fpu_save(struct thread *t)
{
	__asm__ __volatile__("fxsave64 %0" : "=m"(*(u8 (*)[THREAD_FPU_SIZE])t->fpu));
}

static void fpu_restore(const struct thread *t)
{
	__asm__ __volatile__("fxrstor64 %0" : : "m"(*(const u8 (*)[THREAD_FPU_SIZE])t->fpu));
}

/* The state after FNINIT, with every SSE exception masked (as Linux). */
static void fpu_default(struct thread *t)
{
	memset(t->fpu, 0, sizeof(t->fpu));
	t->fpu[0] = 0x7f;         /* FCW = 0x037f */
	t->fpu[1] = 0x03;
	t->fpu[24] = 0x80;        /* MXCSR = 0x1f80 */
	t->fpu[25] = 0x1f;
}

void thread_fpu_reset(struct thread *t)
{
	fpu_default(t);
	if (t == boot_cpu.current)
		fpu_restore(t);
}

/* The MXCSR bits this CPU accepts (FXSAVE's MXCSR_MASK; 0 means the
 * architectural default 0xffbf). */
static u32 mxcsr_mask(void)
{
	static u32 mask;
	if (!mask) {
		u8 buf[THREAD_FPU_SIZE] __attribute__((aligned(16)));
		memset(buf, 0, sizeof(buf));
		__asm__ __volatile__("fxsave64 %0" : "=m"(buf));
		memcpy(&mask, buf + 28, sizeof(mask));
		if (!mask)
			mask = 0xffbf;
	}
	return mask;
}

void thread_fpu_save(struct thread *t, void *buf)
{
	if (t == boot_cpu.current)
		fpu_save(t);
	memcpy(buf, t->fpu, THREAD_FPU_SIZE);
}

void thread_fpu_load(struct thread *t, const void *buf)
{
	u32 mxcsr;

	memcpy(t->fpu, buf, THREAD_FPU_SIZE);
	/* Reserved MXCSR bits would make FXRSTOR fault: drop them. */
	memcpy(&mxcsr, t->fpu + 24, sizeof(mxcsr));
	mxcsr &= mxcsr_mask();
	memcpy(t->fpu + 24, &mxcsr, sizeof(mxcsr));
	if (t == boot_cpu.current)
		fpu_restore(t);
}

int thread_create(struct thread *t, void *owner)
{
	memset(t, 0, sizeof(*t));
	fpu_default(t);
	t->stack = kstack_alloc(THREAD_STACK_SIZE);
	if (!t->stack)
		return -ENOMEM;
	t->owner = owner;
	return 0;
}

void thread_destroy(struct thread *t)
{
	if (t->stack)
		kstack_free(t->stack, THREAD_STACK_SIZE);
	t->stack = NULL;
}

/* Builds the frame context_switch pops: six registers, then 'entry'. */
static void push_switch_frame(struct thread *t, u64 top, u64 entry, u64 r12, u64 r13)
{
	u64 *sp = (u64 *)top;
	*--sp = entry;
	*--sp = 0;      /* rbp */
	*--sp = 0;      /* rbx */
	*--sp = r12;
	*--sp = r13;
	*--sp = 0;      /* r14 */
	*--sp = 0;      /* r15 */
	t->saved_rsp = (u64)sp;
}

void thread_start_kernel(struct thread *t, void (*fn)(void *), void *arg)
{
	push_switch_frame(t, stack_top(t), (u64)thread_first_run_kernel, (u64)fn, (u64)arg);
}

struct trap_frame *thread_user_regs(struct thread *t)
{
	return (struct trap_frame *)(stack_top(t) - sizeof(struct trap_frame));
}

void thread_start_fork(struct thread *t, const struct trap_frame *regs)
{
	struct trap_frame *f = thread_user_regs(t);
	if (boot_cpu.current)
		fpu_save(t);   /* the parent's state, as it is now */
	*f = *regs;
	f->cs = GDT_UCODE | 3;
	f->ss = GDT_UDATA | 3;
	push_switch_frame(t, (u64)f, (u64)thread_first_run_user, 0, 0);
}

void thread_start_user(struct thread *t, uptr_t entry, uptr_t sp)
{
	struct trap_frame f;

	fpu_default(t);
	memset(&f, 0, sizeof(f));
	f.rip = entry;
	f.rsp = sp;
	f.rflags = 0x202;    /* IF */
	thread_start_fork(t, &f);
}

struct thread *thread_current(void)
{
	return boot_cpu.current;
}

void thread_adopt_boot(struct thread *boot, void *owner)
{
	extern char kernel_stack[];

	memset(boot, 0, sizeof(*boot));
	fpu_default(boot);
	boot->stack = kernel_stack;
	boot->owner = owner;
	boot_cpu.current = boot;
	boot_cpu.kstack = stack_top(boot);
}

void thread_set_fs_base(struct thread *t, u64 base)
{
	t->fs_base = base;
	if (t == boot_cpu.current)
		wrmsr(MSR_FS_BASE, base);
}

void thread_switch(struct thread *prev, struct thread *next)
{
	if (prev == next)
		return;
	boot_cpu.kstack = stack_top(next);
	tss_set_kernel_stack(stack_top(next));
	mmu_activate(next->space);
	if (prev->fs_base != next->fs_base)
		wrmsr(MSR_FS_BASE, next->fs_base);
	fpu_save(prev);
	fpu_restore(next);
	boot_cpu.current = next;
	context_switch(&prev->saved_rsp, next->saved_rsp);
}

__noreturn void thread_enter_user_frame(struct trap_frame *f);

void thread_enter_user(struct thread *t)
{
	struct trap_frame *f = thread_user_regs(t);

	f->cs = GDT_UCODE | 3;
	f->ss = GDT_UDATA | 3;
	f->rflags = (f->rflags & ~0x3000UL) | 0x202;   /* IF on, IOPL 0 */
	thread_enter_user_frame(f);
}
