/* Symbolized stack traces from the kernel's embedded symbol table. */
#ifndef KEVLAR_BACKTRACE_H
#define KEVLAR_BACKTRACE_H

#include <kevlar/types.h>

/* Finds the function containing addr. Returns false if none does. */
bool ksym_lookup(u64 addr, const char **name, u64 *offset, u64 *size);
/* Prints "name+0xoff/0xsize" (or the bare address) with no newline. */
void ksym_print(u64 addr);
/* Walks the frame-pointer chain from (rip, rbp) and prints each frame. */
void backtrace_print(u64 rip, u64 rbp);
/* Backtrace of the caller. */
void backtrace_here(void);

#endif
