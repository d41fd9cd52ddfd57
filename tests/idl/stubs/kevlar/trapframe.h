/* Test stub of <kevlar/trapframe.h>. */
#ifndef KEVLAR_TRAPFRAME_H
#define KEVLAR_TRAPFRAME_H
#include <kevlar/types.h>
struct trap_frame {
	u64 r15, r14, r13, r12, r11, r10, r9, r8;
	u64 rbp, rdi, rsi, rdx, rcx, rbx, rax;
	u64 vector, error;
	u64 rip, cs, rflags, rsp, ss;
};
#endif
