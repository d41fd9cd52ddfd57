/* The platform as a whole: what Ring 0 tells Core about the machine. */
#ifndef KEVLAR_PLATFORM_H
#define KEVLAR_PLATFORM_H

#include <kevlar/compiler.h>
#include <kevlar/types.h>

/* CPUs running the kernel. */
unsigned cpus_online(void);
/* RAM the memory map calls usable, in bytes. */
u64 memory_usable_bytes(void);

/* Core's entry point, called once the platform is up, interrupts on.
 * When it returns the machine powers off. */
void core_main(void);

/* The crash= boot option's deliberate fault, if one was asked for. */
void crash_inject(void);

#endif
