/*
 * The SYSCALL entry. The CPU arrives here in kernel mode with the user
 * rip in rcx, rflags in r11, interrupts masked and the user's stack. We
 * switch to the thread's kernel stack (kept in the per-CPU area), save a
 * struct trap_frame exactly like an interrupt would, and let Core handle
 * it; the return goes out through trap_return (iretq), which is slower
 * than SYSRET but has none of its non-canonical-address pitfalls.
 */
#include <kevlar/asm.h>
#include "trapframe_asm.h"

#define PERCPU_KSTACK   0
#define PERCPU_USER_RSP 8

	.text
	.code64
	.globl syscall_entry
	.type syscall_entry, @function
syscall_entry:
	swapgs
	movq %rsp, %gs:PERCPU_USER_RSP
	movq %gs:PERCPU_KSTACK, %rsp
	pushq $(GDT_UDATA | 3)            /* ss */
	pushq %gs:PERCPU_USER_RSP         /* rsp */
	pushq %r11                        /* rflags */
	pushq $(GDT_UCODE | 3)            /* cs */
	pushq %rcx                        /* rip */
	pushq %rax                        /* error: the call's number, for restarts */
	pushq $0x100                      /* vector: VEC_SYSCALL */
	PUSH_GPRS
	movq %rsp, %rdi
	xorl %ebp, %ebp
	cld
	sti
	call syscall_dispatch_entry
	cli
	jmp trap_return
	.size syscall_entry, . - syscall_entry
