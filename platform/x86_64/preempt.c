/* The preemption count. One CPU today; it becomes per-CPU with SMP. */
#include <kevlar/spinlock.h>
#include "oops.h"

static unsigned preempt_depth;

void preempt_disable(void)
{
	__atomic_add_fetch(&preempt_depth, 1, __ATOMIC_RELAXED);
	barrier();
}

void preempt_enable(void)
{
	barrier();
	__atomic_sub_fetch(&preempt_depth, 1, __ATOMIC_RELAXED);
}

unsigned preempt_count(void)
{
	return __atomic_load_n(&preempt_depth, __ATOMIC_RELAXED);
}

void preempt_reset(void)
{
	__atomic_store_n(&preempt_depth, 0, __ATOMIC_RELAXED);
}
