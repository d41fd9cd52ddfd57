/* Core's clocks, for the rest of Core. */
#ifndef KEVLAR_CLOCK_H
#define KEVLAR_CLOCK_H

#include <kevlar/types.h>

/* CLOCK_REALTIME in nanoseconds since the epoch: what clock_gettime and
 * gettimeofday say, and what file times are stamped with, so that a file
 * made now is never newer than the clock. */
s64 clock_realtime_ns(void);

#endif
