/* The platform as a whole: what Ring 0 tells Core about the machine. */
#ifndef KEVLAR_PLATFORM_H
#define KEVLAR_PLATFORM_H

#include <kevlar/compiler.h>
#include <kevlar/types.h>

/* CPUs running the kernel. */
unsigned cpus_online(void);
/* RAM the memory map calls usable, in bytes. */
u64 memory_usable_bytes(void);
/* The CPU's features as user space's AT_HWCAP gives them: CPUID leaf 1
 * EDX, as Linux's ELF_HWCAP on x86. */
u64 cpu_hwcap(void);

/* Core's entry point, called once the platform is up, interrupts on.
 * When it returns the machine powers off. */
void core_main(void);

/*
 * Core's handlers for what Ring 0 catches. Ring 0 calls them; Core
 * implements them (the IDL's core_entry interface).
 */
struct trap_frame;
/* A system call: number in rax, arguments in rdi rsi rdx r10 r8 r9;
 * the result goes back in rax. */
void core_syscall(struct trap_frame *f);
/* A page fault on a user address (from user mode, or from a user copy).
 * Returns 0 if Core mapped the page and the access can be retried. */
int core_page_fault(uptr_t addr, u64 error);
/* An exception in user mode that nothing fixed: Core signals the task. */
void core_user_fault(struct trap_frame *f);
/* Every timer tick, in interrupt context. */
void core_timer_tick(void);
/* Just before returning to user mode (reschedule, deliver signals). */
void core_return_to_user(struct trap_frame *f);
/* The first thing a new thread runs, and what runs if a kernel thread's
 * function returns. */
void core_thread_started(void);
__noreturn void core_thread_exit(void);

/*
 * An oops (fortress, balanced): Ring 0 caught a fault in Core during a
 * system call. core_oops_begin() says whether the running task is a user
 * process that may die for it: if so it marks the task, fills in 'who'
 * and returns NULL; if not, it returns why (and the kernel panics).
 * core_oops_exit() then ends that task as if killed by SIGSEGV; it runs
 * at the top of the task's kernel stack, the faulting call abandoned,
 * interrupts on.
 */
struct oops_task {
	int pid;
	char comm[16];
};
const char *core_oops_begin(struct oops_task *who);
__noreturn void core_oops_exit(void);

/* The crash= boot option's deliberate fault, if one was asked for. */
void crash_inject(void);

#endif
