/*
 * context_switch(u64 *save_rsp, u64 new_rsp): push the callee-saved
 * registers, save the stack pointer, load the other thread's, pop its
 * registers and return into it. A new thread's stack is built to look as
 * if it had called context_switch from thread_first_run.
 */
	.text
	.code64

	.globl context_switch
	.type context_switch, @function
context_switch:
	pushq %rbp
	pushq %rbx
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	movq %rsp, (%rdi)
	movq %rsi, %rsp
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %rbx
	popq %rbp
	ret
	.size context_switch, . - context_switch

/* A new kernel thread starts here: r12 = fn, r13 = arg. */
	.globl thread_first_run_kernel
thread_first_run_kernel:
	call thread_started
	movq %r13, %rdi
	call *%r12
	call thread_exit_hook
	ud2

/* A new user thread starts here: its stack holds a trap frame. */
	.globl thread_first_run_user
thread_first_run_user:
	call thread_started
	jmp trap_return

/* thread_enter_user_frame(struct trap_frame *f): leave the current
 * kernel stack for good and return to user mode with the registers in f
 * (which lies at the top of this thread's stack). */
	.globl thread_enter_user_frame
thread_enter_user_frame:
	cli
	movq %rdi, %rsp
	jmp trap_return
