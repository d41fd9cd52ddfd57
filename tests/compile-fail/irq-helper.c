/*
 * Must not build: a service calls Ring 0's inline helper irq_disable(),
 * which is a `cli` once inlined. Two checks refuse it: ringcheck, because
 * <kevlar/irq.h> is closed to Ring 2, and the object check, because the
 * service's code now clears the interrupt flag. With -DCONTROL it takes
 * the lock a service may take, which leaves interrupts on.
 */
#ifdef CONTROL
#include <kevlar/spinlock.h>

static spinlock_t lock = SPINLOCK_INIT;

void compile_fail_irq_helper(void)
{
	spin_lock(&lock);
	spin_unlock(&lock);
}
#else
#include <kevlar/irq.h>

void compile_fail_irq_helper(void)
{
	irq_disable();
}
#endif
