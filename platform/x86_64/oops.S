/*
 * The stack switch of an oops: the dying task leaves the system call it
 * faulted in and starts again at the top of its kernel stack, just below
 * its saved user registers, in oops_finish().
 */
	.text
	.code64

/* Where an oops's rewritten trap frame returns to; rsp is the top. */
	.globl oops_entry
	.type oops_entry, @function
oops_entry:
	andq $-16, %rsp
	xorl %ebp, %ebp             /* the backtrace ends here */
	call oops_finish
	ud2
	.size oops_entry, . - oops_entry

/* void oops_resume(u64 stack) -- never returns */
	.globl oops_resume
	.type oops_resume, @function
oops_resume:
	cli
	movq %rdi, %rsp
	jmp oops_entry
	.size oops_resume, . - oops_resume
