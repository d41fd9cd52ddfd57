/* Private to Ring 0: the saved state of an interrupted context. */
#ifndef KEVLAR_X86_TRAP_H
#define KEVLAR_X86_TRAP_H

#include <kevlar/trapframe.h>

_Static_assert(__builtin_offsetof(struct trap_frame, cs) == 0x90, "traps.S tests CS at 0x90");

#define TRAP_STUB_SIZE 16
extern const char trap_stubs_start[];

void gdt_init(void);
void idt_init(void);
void trap_dispatch(struct trap_frame *f);
/* Called by syscall.S with the user's registers saved in f. */
void syscall_dispatch_entry(struct trap_frame *f);

#endif
