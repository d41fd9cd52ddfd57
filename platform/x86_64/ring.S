/*
 * ring_enter() and ring_resume(): the register half of containment.
 * ring_enter saves what the C calling convention says a callee keeps
 * (rbx, rbp, r12-r15), the caller's stack pointer and return address and
 * the flags, then lets ring_push() link the frame in and return 0.
 * ring_resume() restores them and "returns from ring_enter" a second time.
 */
	.text
	.code64

	.globl ring_enter
	.type ring_enter, @function
ring_enter:
	movq %rbx, 0x00(%rdi)
	movq %rbp, 0x08(%rdi)
	movq %r12, 0x10(%rdi)
	movq %r13, 0x18(%rdi)
	movq %r14, 0x20(%rdi)
	movq %r15, 0x28(%rdi)
	leaq 8(%rsp), %rax          /* the caller's rsp after we return */
	movq %rax, 0x30(%rdi)
	movq (%rsp), %rax           /* the return address */
	movq %rax, 0x38(%rdi)
	pushfq
	popq %rax
	movq %rax, 0x40(%rdi)
	jmp ring_push               /* (rf, svc) are still in rdi, esi */
	.size ring_enter, . - ring_enter

/* void ring_resume(struct ring_frame *rf, long value) -- never returns */
	.globl ring_resume
	.type ring_resume, @function
ring_resume:
	movq 0x00(%rdi), %rbx
	movq 0x08(%rdi), %rbp
	movq 0x10(%rdi), %r12
	movq 0x18(%rdi), %r13
	movq 0x20(%rdi), %r14
	movq 0x28(%rdi), %r15
	movq 0x30(%rdi), %rsp
	pushq 0x40(%rdi)
	movq %rsi, %rax
	movq 0x38(%rdi), %rdx
	popfq
	jmp *%rdx
	.size ring_resume, . - ring_resume
