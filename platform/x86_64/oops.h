/* Private to Ring 0: the oops path (oops.c) and what it needs. */
#ifndef KEVLAR_X86_OOPS_H
#define KEVLAR_X86_OOPS_H

#include <kevlar/compiler.h>
#include "trap.h"

/* A fault in Core during a system call (fortress, balanced): reports it
 * and rewrites 'f' so that the task ends instead of the kernel. False if
 * the fault must stay fatal. */
bool oops_trap(struct trap_frame *f);
/* kpanic() called from Core at 'caller': reports it and ends the task;
 * returns only if the panic must go on. */
void oops_panic(const char *msg, u64 caller);
/* Oopses since boot, for the taint line of later reports. */
unsigned oops_count(void);

/* True while an interrupt handler runs (trap.c). */
bool in_interrupt(void);
/* Forgets every preempt_disable() of a task that died holding them
 * (preempt.c). */
void preempt_reset(void);

#endif
