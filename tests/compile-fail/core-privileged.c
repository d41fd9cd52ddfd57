/*
 * Must not build: Core code halts the CPU and writes an I/O port through
 * pasted inline assembly that ring lint cannot see. Ring 1 may touch the
 * interrupt flag and nothing else privileged, so the object check of
 * ring1.o refuses both instructions; idling and port I/O are Ring 0 calls
 * (cpu_idle(), idl/platform.idl). With -DCONTROL the same statement only
 * saves, clears and restores the interrupt flag, which Ring 1 may do.
 */
#include <kevlar/types.h>

#define PASTE(a, b) a##b
#define HIDDEN_ASM PASTE(__as, m__) PASTE(__vol, atile__)

void compile_fail_core_privileged(void)
{
#ifdef CONTROL
	u64 flags;

	HIDDEN_ASM("pushfq; popq %0; cli" : "=r"(flags) : : "memory");
	HIDDEN_ASM("pushq %0; popfq" : : "r"(flags) : "memory", "cc");
#else
	HIDDEN_ASM("hlt" : : : "memory");
	HIDDEN_ASM("outb %%al, $0x80" : : "a"((u8)0) : "memory");
#endif
}
