/* Random numbers for the kernel's own use (capability nonces, AT_RANDOM). */
#ifndef KEVLAR_RANDOM_H
#define KEVLAR_RANDOM_H

#include <kevlar/types.h>

/* 64 random bits from RDSEED or RDRAND; where the CPU has neither, a mix
 * of TSC readings (unpredictable enough to stop forgery by guessing, not
 * fit for cryptography). */
u64 random_u64(void);
/* Which source random_u64() uses: "rdseed", "rdrand" or "tsc". */
const char *random_source(void);

#endif
