/*
 * Taking and releasing spinlock_irq_t (declared in <kevlar/spinlock.h>),
 * the lock that keeps interrupts off while held, for data shared with
 * interrupt handlers. It saves and restores the interrupt flag inline, so
 * only Ring 0 and Core may include it; a service's locks leave interrupts
 * on (<kevlar/spinlock.h>), and ringcheck refuses this header to Ring 2.
 */
#ifndef KEVLAR_SPINLOCK_IRQ_H
#define KEVLAR_SPINLOCK_IRQ_H

#include <kevlar/irq.h>
#include <kevlar/spinlock.h>

/* Returns the interrupt state to hand back to spin_unlock_irqrestore(). */
static inline u64 spin_lock_irqsave(spinlock_irq_t *l)
{
	u64 flags = irq_save();
	spin_lock(&l->raw);
	return flags;
}

static inline void spin_unlock_irqrestore(spinlock_irq_t *l, u64 flags)
{
	spin_unlock(&l->raw);
	irq_restore(flags);
}

#endif
