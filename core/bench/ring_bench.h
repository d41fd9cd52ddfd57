/* bench=ring: the cost of a ring crossing, timed at boot. */
#ifndef KEVLAR_CORE_RING_BENCH_H
#define KEVLAR_CORE_RING_BENCH_H

/* If the command line says bench=ring: times the calls and prints the
 * result line (see ring_bench.c). Otherwise does nothing. */
void ring_bench_run(void);

#endif
