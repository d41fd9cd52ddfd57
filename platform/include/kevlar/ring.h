/*
 * Ring 2 containment: the recovery point a shim sets before it enters a
 * service. ring_enter() works like setjmp: it returns 0 when it is called,
 * and returns again, with -EIO, if the service faults (an exception,
 * kpanic(), BUG_ON(), or running past its watchdog deadline). The frames
 * form a chain per task, innermost first, because a service may sleep.
 */
#ifndef KEVLAR_RING_H
#define KEVLAR_RING_H

#include <kevlar/compiler.h>
#include <kevlar/types.h>

#define RING_NO_SERVICE (~0u)

/* What went wrong inside a service, for Core to log and act on. */
enum ring_fault_kind {
	RING_FAULT_NONE = 0,
	RING_FAULT_EXCEPTION,   /* a CPU exception: vector says which */
	RING_FAULT_PANIC,       /* kpanic(), BUG_ON(), KASSERT() */
	RING_FAULT_WATCHDOG,    /* ran past its deadline */
};

struct ring_fault {
	enum ring_fault_kind kind;
	u32 vector;
	u64 error;
	u64 rip;
	u64 address;            /* CR2 for a page fault */
	char message[96];       /* the panic message */
};

struct ring_frame {
	/* Saved by ring_enter(); ring.S depends on this order. */
	u64 rbx, rbp, r12, r13, r14, r15, rsp, rip, rflags;
	struct ring_frame *prev;
	unsigned svc;
	u32 epoch;
	nsec_t deadline;
	struct ring_fault fault;
};

struct ring_chain {
	struct ring_frame *top;
};

/* Enters service 'svc': 0 now, -EIO later if the service faults. */
__attribute__((returns_twice)) int ring_enter(struct ring_frame *rf, unsigned svc);
/* Leaves the service entered with rf (which must be innermost). */
void ring_leave(struct ring_frame *rf);

/* The service running on this task, or RING_NO_SERVICE. */
unsigned ring_current_service(void);
/* The chain of the running task; the scheduler switches it. */
struct ring_chain *ring_chain_current(void);
void ring_chain_switch(struct ring_chain *chain);

/* How long one call into a service may run before it is stopped. */
void ring_set_watchdog(nsec_t limit);
nsec_t ring_watchdog(void);

/* True when this profile contains Ring 2 faults (fortress, balanced). */
static inline bool ring_containment(void)
{
#ifdef KEVLAR_CONTAINMENT
	return true;
#else
	return false;
#endif
}

#endif
