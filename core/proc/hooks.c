/*
 * What Ring 0 hands to Core: new threads starting, the return to user
 * mode, exceptions in user mode, page faults on user addresses.
 */
#include <kevlar/irq.h>
#include <kevlar/platform.h>
#include <kevlar/errno.h>
#include <kevlar/printk.h>
#include <kevlar/signal.h>
#include <kevlar/task.h>
#include <kevlar/vm.h>
#include "proc_internal.h"

void core_thread_started(void)
{
	irq_enable();   /* schedule() switched here with interrupts off */
}

void core_thread_exit(void)
{
	task_exit(0);
}

void core_return_to_user(struct trap_frame *f)
{
	if (current_task()->need_resched)
		schedule();
	signal_return_to_user(f);
}

/* A fatal exception in user mode: the signal Linux sends for it. */
void core_user_fault(struct trap_frame *f)
{
	struct task *t = current_task();

	switch (f->vector) {
	case 0:
		signal_force(SIGFPE, FPE_INTDIV, f->rip);
		break;
	case 1: case 3:
		signal_force(SIGTRAP, f->vector == 3 ? SI_KERNEL : TRAP_BRKPT, f->rip);
		break;
	case 6:
		signal_force(SIGILL, ILL_ILLOPN, f->rip);
		break;
	case 14:
		signal_force(t->fault_signal, t->fault_code, t->fault_addr);
		break;
	case 16: case 19:
		signal_force(SIGFPE, FPE_FLTINV, f->rip);
		break;
	case 17:
		signal_force(SIGBUS, BUS_ADRALN, f->rip);
		break;
	default:   /* #GP, #SS, ...: no address to report, as Linux */
		signal_force(SIGSEGV, SI_KERNEL, 0);
		break;
	}
}

/* A user page fault: the VM maps the page (demand paging, copy-on-write)
 * or refuses; a refused fault from user mode becomes SIGSEGV (no mapping,
 * or not allowed) or SIGBUS (the page could not be had even after the
 * OOM killer had its say). */
int core_page_fault(uptr_t addr, u64 error)
{
	struct task *t = current_task();

	int rc;

	if (!t || !t->mm)
		return -1;
	while ((rc = vm_fault_hook(t->mm, addr, error)) == -ENOMEM && !oom_kill())
		;
	if (!rc)
		return 0;
	t->fault_addr = addr;
	t->fault_signal = rc == -EFAULT || rc == -EACCES ? SIGSEGV : SIGBUS;
	t->fault_code = rc == -EFAULT ? SEGV_MAPERR : rc == -EACCES ? SEGV_ACCERR : BUS_ADRERR;
	return -1;
}
