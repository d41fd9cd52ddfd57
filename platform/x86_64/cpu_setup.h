/* Private to Ring 0: per-CPU set-up and what the assembly calls into. */
#ifndef KEVLAR_X86_CPU_SETUP_H
#define KEVLAR_X86_CPU_SETUP_H

#include <kevlar/types.h>

/* uaccess.S opens SMAP's window only when the CPU enforces it. */
extern bool smap_enabled;

void percpu_init(void);
/* SMEP, SMAP and the SYSCALL MSRs. */
void cpu_features_init(void);
/* switch.S: a new thread's first steps, and a kernel thread's return. */
void thread_started(void);
void thread_exit_hook(void);

#endif
