/*
 * Private to Ring 0: the general-register half of struct trap_frame, as
 * the entry stubs push it (rax first, so r15 ends up lowest) and as
 * trap_return pops it. Include from assembly only.
 */
#ifndef KEVLAR_X86_TRAPFRAME_ASM_H
#define KEVLAR_X86_TRAPFRAME_ASM_H

.macro PUSH_GPRS
	pushq %rax
	pushq %rbx
	pushq %rcx
	pushq %rdx
	pushq %rsi
	pushq %rdi
	pushq %rbp
	pushq %r8
	pushq %r9
	pushq %r10
	pushq %r11
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
.endm

#endif
