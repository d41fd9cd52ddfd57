/*
 * The registers of an interrupted context, as the entry code saves them:
 * for a system call, an exception or an interrupt, from user or kernel
 * mode. Core reads system-call arguments from here and writes results.
 */
#ifndef KEVLAR_TRAPFRAME_H
#define KEVLAR_TRAPFRAME_H

#include <kevlar/types.h>

struct trap_frame {
	u64 r15, r14, r13, r12, r11, r10, r9, r8;
	u64 rbp, rdi, rsi, rdx, rcx, rbx, rax;
	u64 vector, error;              /* a system call's error: its number */
	u64 rip, cs, rflags, rsp, ss;   /* pushed by the CPU */
};

/* The vector number the SYSCALL entry stores. */
#define VEC_SYSCALL 0x100

static inline bool trap_from_user(const struct trap_frame *f)
{
	return (f->cs & 3) == 3;
}

#endif
