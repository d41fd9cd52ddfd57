/*
 * Oops: a fault in Core during a system call ends the calling process,
 * not the kernel (fortress and balanced; see docs/containment.md).
 *
 * A CPU exception whose instruction is in Core's text (.core.text), or a
 * kpanic()/BUG_ON()/KASSERT() called from there, becomes an oops when
 * the running task is a user process that Core agrees to end: Ring 0
 * prints a report like Linux's, abandons the system call by moving to the
 * top of the task's kernel stack (just below its saved user registers),
 * clears what the dead call may have left behind (the ring chain, the
 * preemption count, interrupts off) and lets Core end the task with
 * SIGSEGV. Anything else stays a panic: a fault in Ring 0, in an
 * interrupt handler, in a kernel thread or the idle task, in init, or a
 * second fault while an oops is being handled. Performance and ludicrous
 * have no oops at all: a Core fault is a panic there, as they promise.
 */
#include <kevlar/asm.h>
#include <kevlar/backtrace.h>
#include <kevlar/console.h>
#include <kevlar/exception.h>
#include <kevlar/irq.h>
#include <kevlar/platform.h>
#include <kevlar/printk.h>
#include <kevlar/ring.h>
#include <kevlar/spinlock.h>
#include <kevlar/thread.h>
#include "cpu.h"
#include "fault.h"
#include "oops.h"
#include "trap.h"

extern const char __core_text_start[], __core_text_end[];

__noreturn void oops_entry(void);
__noreturn void oops_resume(u64 stack);
__noreturn void oops_finish(void);

static unsigned oops_total;
/* From the fault until the dying task runs oops_finish(): a fault in
 * between is a fault in the oops machinery itself. */
static bool oops_active;

unsigned oops_count(void)
{
	return oops_total;
}

static bool in_core_text(u64 rip)
{
	return rip >= (u64)__core_text_start && rip < (u64)__core_text_end;
}

/*
 * Decides whether a fault at 'rip' can be an oops; if so the task is
 * Core's to end and 'who' says who it is. Says why not when the fault is
 * in Core but the context forbids it, and nothing when it is no Core
 * fault at all (the panic report that follows says the rest).
 */
static bool oops_accept(u64 rip, struct oops_task *who)
{
	if (!ring_containment() || !in_core_text(rip))
		return false;
	const char *why = NULL;
	if (oops_active)
		why = "a fault while handling an oops";
	else if (in_interrupt())
		why = "in an interrupt handler";
	else if (!thread_current() || !thread_current()->owner)
		why = "before the first task";
	else
		why = core_oops_begin(who);
	if (why) {
		printk("oops: a fault in Core %s cannot end a process: panic\n", why);
		return false;
	}
	oops_active = true;
	oops_total++;
	return true;
}

/* The first lines of the report, as Linux: what, which task, taint. */
static void oops_header(const char *what, const struct oops_task *who)
{
	printk("Oops: %s [#%u]\n", what, oops_total);
	printk("CPU: 0 PID: %d Comm: %s ", who->pid, who->comm);
	if (oops_total > 1)
		printk("Tainted: D (%u earlier oops%s) ", oops_total - 1, oops_total > 2 ? "es" : "");
	else
		printk("Not tainted ");
	printk("Kevlar %s profile=%s\n", KEVLAR_VERSION, KEVLAR_PROFILE);
}

/* What the abandoned call leaves behind that the exit will put right. */
static void oops_footer(const struct oops_task *who, bool irqs_were_on)
{
	unsigned depth = preempt_count();

	if (!irqs_were_on)
		printk("note: %s[%d] faulted with interrupts off; turned back on\n", who->comm,
		       who->pid);
	if (depth)
		printk("note: %s[%d] exited with preempt_count %u\n", who->comm, who->pid, depth);
	printk("---[ end trace: pid %d killed, kernel continues ]---\n", who->pid);
}

/* Where the dying task resumes: the top of its kernel stack, just below
 * the user registers its system call saved. */
static u64 stack_for_exit(void)
{
	return (u64)thread_user_regs(thread_current());
}

bool oops_trap(struct trap_frame *f)
{
	struct oops_task who;

	if ((f->cs & 3) || f->vector == 2 || f->vector == 8 || f->vector == 18)
		return false;   /* user mode; NMI, #DF, #MC run on their own stacks */
	if (!oops_accept(f->rip, &who))
		return false;
	printk_force_unlock();
	if (f->vector == 14 && read_cr2() < 4096)
		printk("BUG: kernel NULL pointer dereference, address: %016lx\n", read_cr2());
	else if (f->vector == 14)
		printk("BUG: unable to handle page fault for address: %016lx\n", read_cr2());
	oops_header(exception_name(f->vector), &who);
	trap_report(f);
	oops_footer(&who, f->rflags & (1UL << 9));

	f->rip = (u64)oops_entry;
	f->rsp = stack_for_exit();
	f->rbp = 0;
	f->rflags = 0x2;     /* interrupts on again in oops_finish, not before */
	f->cs = GDT_KCODE;
	f->ss = GDT_KDATA;
	return true;
}

void oops_panic(const char *msg, u64 caller)
{
	struct oops_task who;
	bool irqs_were_on = irq_enabled();

	/* 'caller' is a return address: when kpanic() is the caller's last
	 * call it is already past the caller's end, so look one byte back. */
	if (!oops_accept(caller - 1, &who))
		return;
	irq_disable();
	printk_force_unlock();
	oops_header("kernel BUG", &who);
	printk("kernel BUG: %s\n", msg);
	printk("called from ");
	ksym_print(caller - 1);
	printk("\n");
	backtrace_here();
	oops_footer(&who, irqs_were_on);
	oops_resume(stack_for_exit());
}

/* The dying task's first step on its fresh stack, interrupts off. */
void oops_finish(void)
{
	struct ring_chain *chain = ring_chain_current();

	chain->top = NULL;   /* no service frame survives the abandoned call */
	preempt_reset();
	oops_active = false;
	irq_enable();
	core_oops_exit();
}
