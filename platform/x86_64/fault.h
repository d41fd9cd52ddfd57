/* Private to Ring 0: what happens between an exception and a panic. */
#ifndef KEVLAR_X86_FAULT_H
#define KEVLAR_X86_FAULT_H

#include <kevlar/compiler.h>
#include "trap.h"

/*
 * Gives the kernel a chance to recover from an exception before it is
 * fatal. Returns true if 'f' was rewritten to resume somewhere safe.
 */
bool fault_fixup(struct trap_frame *f);

/* Start of a fatal report: interrupts off, console taken, and a second
 * fault during the report goes straight to reset. */
void panic_begin(void);
/* End of a fatal report: the final line, then reset. */
__noreturn void panic_end(const char *why);
void trap_report(const struct trap_frame *f);

#endif
