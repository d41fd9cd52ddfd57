/*
 * Ring 2 containment, the Ring 0 half. A shim pushes a ring_frame before
 * it enters a service; if the service then faults, the fault is recorded
 * in the frame and execution resumes at the frame with -EIO, as if
 * ring_enter() had returned it. Core (svc_fault_return) decides what
 * happens to the service. Without KEVLAR_CONTAINMENT (performance,
 * ludicrous) no shim pushes frames and every fault is fatal.
 */
#include <kevlar/asm.h>
#include <kevlar/backtrace.h>
#include <kevlar/cmdline.h>
#include <kevlar/errno.h>
#include <kevlar/irq.h>
#include <kevlar/spinlock.h>
#include <kevlar/panic.h>
#include <kevlar/printk.h>
#include <kevlar/ring.h>
#include <kevlar/string.h>
#include <kevlar/time.h>
#include "cpu.h"
#include "fault.h"
#include "ring_internal.h"

__noreturn void ring_resume(struct ring_frame *rf, long value);

extern const char __svc_text_start[], __svc_text_end[];

static struct ring_chain boot_chain;
static struct ring_chain *current_chain = &boot_chain;
static nsec_t watchdog_limit = 1000 * 1000000UL;

int ring_push(struct ring_frame *rf, unsigned svc)
{
	struct ring_chain *c = current_chain;

#ifdef KEVLAR_PROFILE_FORTRESS
	/* A Core lock held across the call would outlive a restart. */
	if (!irq_enabled() || preempt_count())
		kpanic("ring: entering service %u with interrupts off or a lock held", svc);
#endif
	rf->svc = svc;
	rf->prev = c->top;
	rf->deadline = watchdog_limit ? clock_monotonic_ns() + watchdog_limit : 0;
	rf->fault.kind = RING_FAULT_NONE;
	barrier();
	c->top = rf;
	return 0;
}

void ring_leave(struct ring_frame *rf)
{
	struct ring_chain *c = current_chain;

	if (c->top != rf)
		kpanic("ring: leaving service %u out of order", rf->svc);
	c->top = rf->prev;
}

unsigned ring_current_service(void)
{
	struct ring_frame *top = current_chain->top;
	return top ? top->svc : RING_NO_SERVICE;
}

struct ring_chain *ring_chain_current(void)
{
	return current_chain;
}

void ring_chain_switch(struct ring_chain *chain)
{
	current_chain = chain ? chain : &boot_chain;
}

void ring_set_watchdog(nsec_t limit)
{
	watchdog_limit = limit;
}

nsec_t ring_watchdog(void)
{
	return watchdog_limit;
}

static int set_watchdog_ms(const char *v)
{
	u64 ms = 0;

	if (!v || !*v)
		return -EINVAL;
	for (; *v; v++) {
		if (*v < '0' || *v > '9' || ms > 100000000UL)
			return -EINVAL;
		ms = ms * 10 + (u64)(*v - '0');
	}
	watchdog_limit = ms * 1000000UL;
	return 0;
}
KPARAM("svc_watchdog_ms", set_watchdog_ms, "milliseconds a service call may run; 0 = no limit");

static bool in_service_text(u64 rip)
{
	return rip >= (u64)__svc_text_start && rip < (u64)__svc_text_end;
}

/* Takes the innermost frame off the chain for unwinding, or NULL. */
static struct ring_frame *unwind_target(void)
{
	struct ring_chain *c = current_chain;
	struct ring_frame *rf = c->top;

	if (!ring_containment() || !rf)
		return NULL;
	c->top = rf->prev;
	return rf;
}

/* Points the interrupted context at rf's resume address, returning -EIO. */
static void redirect(struct trap_frame *f, const struct ring_frame *rf)
{
	f->rbx = rf->rbx;
	f->rbp = rf->rbp;
	f->r12 = rf->r12;
	f->r13 = rf->r13;
	f->r14 = rf->r14;
	f->r15 = rf->r15;
	f->rsp = rf->rsp;
	f->rip = rf->rip;
	f->rflags = rf->rflags;
	f->cs = GDT_KCODE;
	f->ss = GDT_KDATA;
	f->rax = (u64)(long)-EIO;
}

bool ring_contain_trap(struct trap_frame *f)
{
	if ((f->cs & 3) || f->vector == 2 || f->vector == 8 || f->vector == 18)
		return false;   /* user mode, NMI, double fault, machine check */
	struct ring_frame *rf = unwind_target();
	if (!rf)
		return false;
	rf->fault = (struct ring_fault){
		.kind = RING_FAULT_EXCEPTION,
		.vector = (u32)f->vector,
		.error = f->error,
		.rip = f->rip,
		.address = f->vector == 14 ? read_cr2() : 0,
	};
	printk("ring: contained a fault in service %u:\n", rf->svc);
	trap_report(f);
	redirect(f, rf);
	return true;
}

void ring_contain_panic(const char *msg)
{
	struct ring_frame *rf = unwind_target();
	if (!rf)
		return;
	rf->fault = (struct ring_fault){
		.kind = RING_FAULT_PANIC,
		.rip = (u64)__builtin_return_address(0),
	};
	strlcpy(rf->fault.message, msg, sizeof(rf->fault.message));
	printk("ring: contained a panic in service %u: %s\n", rf->svc, msg);
	backtrace_here();
	ring_resume(rf, -EIO);
}

void ring_watchdog_check(struct trap_frame *f)
{
	struct ring_frame *top = current_chain->top;

	if (!top || !top->deadline || (f->cs & 3) || !in_service_text(f->rip))
		return;
	if (clock_monotonic_ns() < top->deadline)
		return;
	struct ring_frame *rf = unwind_target();
	if (!rf)
		return;
	rf->fault = (struct ring_fault){ .kind = RING_FAULT_WATCHDOG, .rip = f->rip };
	printk("ring: service %u ran past its %lu ms watchdog at ", rf->svc,
	       watchdog_limit / 1000000UL);
	ksym_print(f->rip);
	printk("\n");
	redirect(f, rf);
}
