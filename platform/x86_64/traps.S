/*
 * Interrupt and exception entry. Every vector has a stub that pushes an
 * error code (a zero where the CPU pushes none) and the vector number,
 * then joins trap_common, which saves the general registers as a
 * struct trap_frame and calls trap_dispatch(frame).
 */
#include <kevlar/asm.h>
#include "trapframe_asm.h"

	.text
	.code64

trap_common:
	PUSH_GPRS
	/* From user mode: switch to the kernel's GS base. */
	testb $3, 0x90(%rsp)
	jz 1f
	swapgs
1:	movq %rsp, %rdi
	cld
	call trap_dispatch
	.globl trap_return
trap_return:
	testb $3, 0x90(%rsp)
	jz 2f
	swapgs
2:	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %r11
	popq %r10
	popq %r9
	popq %r8
	popq %rbp
	popq %rdi
	popq %rsi
	popq %rdx
	popq %rcx
	popq %rbx
	popq %rax
	addq $16, %rsp
	iretq

/* Vectors where the CPU pushes an error code. */
#define HAS_ERR(v) ((v) == 8 || ((v) >= 10 && (v) <= 14) || (v) == 17 || (v) == 21 || (v) == 29 || (v) == 30)

	.balign 16
	.globl trap_stubs_start
trap_stubs_start:
vector = 0
	.rept 256
	.balign 16
	.if HAS_ERR(vector)
	.else
	pushq $0
	.endif
	pushq $vector
	jmp trap_common
vector = vector + 1
	.endr
