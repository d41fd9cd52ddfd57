/* Local interrupt control. Host unit tests link their own versions. */
#ifndef KEVLAR_IRQ_H
#define KEVLAR_IRQ_H

#include <kevlar/types.h>

#ifndef KEVLAR_HOST
/* Disables interrupts on this CPU and returns the previous RFLAGS. */
static inline u64 irq_save(void)
{
	u64 flags;
	__asm__ __volatile__("pushfq; popq %0; cli" : "=r"(flags) : : "memory");
	return flags;
}

/* Restores the interrupt flag saved by irq_save(). */
static inline void irq_restore(u64 flags)
{
	if (flags & (1UL << 9))
		__asm__ __volatile__("sti" : : : "memory");
}

static inline void irq_enable(void) { __asm__ __volatile__("sti" : : : "memory"); }
static inline void irq_disable(void) { __asm__ __volatile__("cli" : : : "memory"); }

static inline bool irq_enabled(void)
{
	u64 flags;
	__asm__ __volatile__("pushfq; popq %0" : "=r"(flags));
	return flags & (1UL << 9);
}
#else
u64 irq_save(void);
void irq_restore(u64 flags);
void irq_enable(void);
void irq_disable(void);
bool irq_enabled(void);
#endif

/* Enables interrupts and halts until the next one, with no window in
 * between for a wakeup to be missed (idle.c). Called with interrupts off. */
void cpu_idle(void);

#endif
