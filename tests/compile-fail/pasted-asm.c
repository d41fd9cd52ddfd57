/*
 * Must not build: a service turns interrupts off with inline assembly
 * whose keywords are pasted together, so that ring lint, which reads tokens
 * and expands no macros, never sees `asm` or `volatile`. The services rule disassembles
 * the service's object and refuses the `cli` it finds. With -DCONTROL the
 * same pasted statement holds only a `nop`, which any ring may run.
 */
#include <kevlar/types.h>

#define PASTE(a, b) a##b
#define HIDDEN_ASM PASTE(__as, m__) PASTE(__vol, atile__)

#ifdef CONTROL
#define INSN "nop"
#else
#define INSN "cli"
#endif

void compile_fail_pasted_asm(void)
{
	HIDDEN_ASM(INSN : : : "memory");
}
