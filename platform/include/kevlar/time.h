/* Time: a monotonic nanosecond clock from the TSC, and the periodic tick. */
#ifndef KEVLAR_TIME_H
#define KEVLAR_TIME_H

#include <kevlar/types.h>

#define HZ 100                    /* timer ticks per second */
#define NSEC_PER_SEC 1000000000UL

/* Nanoseconds since the clock was calibrated; 0 before that. Never goes
 * backwards. */
nsec_t clock_monotonic_ns(void);
/* Busy-waits at least 'us' microseconds. */
void udelay(u64 us);
/* Ticks of the periodic timer since it started. */
u64 timer_ticks(void);
/* TSC frequency found by calibration, in Hz. */
u64 tsc_frequency(void);
/* The raw time-stamp counter: cycles, for timing short stretches of code. */
u64 tsc_cycles(void);

/* Seconds since 1970 from the CMOS clock (assumed UTC, years 2000+). */
s64 rtc_read_epoch(void);

void tsc_calibrate(void);
void timer_init(void);

#endif
