/* The names of the CPU's exception vectors, as every fault report gives
 * them. */
#ifndef KEVLAR_EXCEPTION_H
#define KEVLAR_EXCEPTION_H

#include <kevlar/types.h>

/* "#PF page fault" for 14; "reserved exception" for a vector the CPU
 * does not define or one of 32 and above (trap.c). */
const char *exception_name(u64 vector);

#endif
