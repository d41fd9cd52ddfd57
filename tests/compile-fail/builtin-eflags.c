/*
 * Must not build: a service writes RFLAGS through a compiler builtin, which
 * is no `asm` to ring lint but compiles to `popf`, and a `popf` can turn
 * interrupts off. The services rule's object check refuses it. With
 * -DCONTROL the flags are only computed, never written.
 */
#include <kevlar/types.h>

u64 compile_fail_builtin_eflags(u64 flags)
{
	flags &= ~(1UL << 9);
#ifndef CONTROL
	__builtin_ia32_writeeflags_u64(flags);
#endif
	return flags;
}
