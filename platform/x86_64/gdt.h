/* Private to Ring 0: descriptor tables. */
#ifndef KEVLAR_X86_GDT_H
#define KEVLAR_X86_GDT_H

#include <kevlar/types.h>

/* IST slots (1-based in the IDT gate). */
#define IST_DOUBLE_FAULT 1
#define IST_NMI          2
#define IST_MACHINE_CHECK 3
#define IST_COUNT        3

void tss_set_kernel_stack(u64 rsp0);
bool ist_stack_contains(u64 addr);

#endif
