/*
 * Threads, the Ring 0 half: a kernel stack, the saved kernel stack pointer
 * for switching, the address space and the user TLS base. Core's tasks
 * embed one; Ring 0 switches between them and enters user mode.
 */
#ifndef KEVLAR_THREAD_H
#define KEVLAR_THREAD_H

#include <kevlar/mmu.h>
#include <kevlar/trapframe.h>
#include <kevlar/types.h>

#define THREAD_STACK_ORDER 2                       /* 16 KiB */
#define THREAD_STACK_SIZE  (PAGE_SIZE << THREAD_STACK_ORDER)

/* The x87/SSE register image FXSAVE writes. */
#define THREAD_FPU_SIZE 512

struct thread {
	u8 fpu[THREAD_FPU_SIZE] __attribute__((aligned(16)));  /* user FPU/SSE state */
	u64 saved_rsp;        /* while switched out */
	void *stack;          /* THREAD_STACK_SIZE bytes, guard page below */
	mmu_space_t space;    /* 0: the kernel's (kernel threads) */
	u64 fs_base;          /* user TLS (arch_prctl ARCH_SET_FS) */
	void *owner;          /* Core's task */
};

/* Allocates the stack. Returns 0 or -ENOMEM. */
int thread_create(struct thread *t, void *owner);
void thread_destroy(struct thread *t);

/* Prepares t to run fn(arg) in kernel mode when first switched to; if fn
 * returns, thread_exit_hook() is called. */
void thread_start_kernel(struct thread *t, void (*fn)(void *), void *arg);
/* Prepares t to enter user mode at 'entry' with stack pointer 'sp' (and
 * every other register zero) when first switched to. */
void thread_start_user(struct thread *t, uptr_t entry, uptr_t sp);
/* Prepares t to return to user mode with the registers in 'regs' (as a
 * forked child: the caller sets regs->rax = 0 first). The running
 * thread's FPU/SSE state is copied to t. */
void thread_start_fork(struct thread *t, const struct trap_frame *regs);

/* Leaves kernel mode for good: the running thread t returns to user mode
 * with the registers in thread_user_regs(t) (exec wrote them). For a
 * kernel thread becoming a user process, like kinit starting /init. */
__noreturn void thread_enter_user(struct thread *t);

/* The user registers saved on t's kernel stack on entry from user mode. */
struct trap_frame *thread_user_regs(struct thread *t);

/* Switches from 'prev' (the running thread) to 'next'. Returns when prev
 * is switched back to. Call with interrupts off. */
void thread_switch(struct thread *prev, struct thread *next);
/* The thread running on this CPU. */
struct thread *thread_current(void);
/* Adopts the boot stack as 'boot's thread (once, at boot). */
void thread_adopt_boot(struct thread *boot, void *owner);

void thread_set_fs_base(struct thread *t, u64 base);
/* Gives the running thread t a fresh FPU/SSE state (execve). */
void thread_fpu_reset(struct thread *t);
/* Copies t's user FPU/SSE state (THREAD_FPU_SIZE bytes, FXSAVE's
 * layout) to buf, or loads it from buf (reserved MXCSR bits cleared, so
 * that no image can make the load fault): signal frames. */
void thread_fpu_save(struct thread *t, void *buf);
void thread_fpu_load(struct thread *t, const void *buf);

#endif
