/*
 * The kernel's three spin lock variants:
 *   spinlock_t       interrupts left alone (never taken from an IRQ handler)
 *   spinlock_irq_t   interrupts off while held (data shared with IRQ handlers),
 *                    taken with <kevlar/spinlock_irq.h>, which Ring 2 may not see
 *   spinlock_preempt_t  preemption off while held, interrupts on
 * A lock is released by the variant's own unlock; mixing them is a bug.
 * Nothing in this header touches the interrupt flag: a service may use it.
 */
#ifndef KEVLAR_SPINLOCK_H
#define KEVLAR_SPINLOCK_H

#include <kevlar/compiler.h>
#include <kevlar/types.h>

typedef struct { u32 locked; } spinlock_t;
/* The type, so that a public structure can hold one; taking it needs
 * <kevlar/spinlock_irq.h>. */
typedef struct { spinlock_t raw; } spinlock_irq_t;
typedef struct { spinlock_t raw; } spinlock_preempt_t;

#define SPINLOCK_INIT { 0 }
#define SPINLOCK_IRQ_INIT { SPINLOCK_INIT }
#define SPINLOCK_PREEMPT_INIT { SPINLOCK_INIT }

void preempt_disable(void);
void preempt_enable(void);
unsigned preempt_count(void);

static inline void cpu_relax(void)
{
#if defined(__x86_64__)
	__builtin_ia32_pause();
#endif
}

static inline void spin_lock(spinlock_t *l)
{
	while (__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE))
		while (__atomic_load_n(&l->locked, __ATOMIC_RELAXED))
			cpu_relax();
}

static inline bool spin_trylock(spinlock_t *l)
{
	return !__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE);
}

static inline void spin_unlock(spinlock_t *l)
{
	__atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
}

static inline bool spin_is_locked(const spinlock_t *l)
{
	return __atomic_load_n(&l->locked, __ATOMIC_RELAXED);
}

static inline void spin_lock_preempt(spinlock_preempt_t *l)
{
	preempt_disable();
	spin_lock(&l->raw);
}

static inline void spin_unlock_preempt(spinlock_preempt_t *l)
{
	spin_unlock(&l->raw);
	preempt_enable();
}

#endif
