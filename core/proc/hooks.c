/*
 * What Ring 0 hands to Core: new threads starting, the return to user
 * mode, exceptions in user mode, page faults on user addresses.
 */
#include <kevlar/irq.h>
#include <kevlar/platform.h>
#include <kevlar/printk.h>
#include <kevlar/task.h>
#include <kevlar/vm.h>
#include "proc_internal.h"

/* Linux signal numbers, for the wait status of a killed task. */
#define SIGILL  4
#define SIGTRAP 5
#define SIGFPE  8
#define SIGBUS  7
#define SIGSEGV 11

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
}

static int signal_for(u64 vector)
{
	switch (vector) {
	case 0: case 16: case 19: return SIGFPE;
	case 6: return SIGILL;
	case 1: case 3: return SIGTRAP;
	case 17: return SIGBUS;
	default: return SIGSEGV;
	}
}

/* Until signals exist, a fatal user exception kills the task with the
 * signal Linux would have sent, and says so. */
void core_user_fault(struct trap_frame *f)
{
	struct task *t = current_task();
	int sig = signal_for(f->vector);

	printk("%s[%d]: killed by signal %d: exception %lu at ip 0x%lx sp 0x%lx error %lu\n",
	       t->comm, t->pid, sig, f->vector, f->rip, f->rsp, f->error);
	task_exit(sig);
}

/* A user page fault: the VM maps the page (demand paging, copy-on-write)
 * or refuses, and a refused fault from user mode kills the task. */
int core_page_fault(uptr_t addr, u64 error)
{
	struct task *t = current_task();

	if (!t || !t->mm)
		return -1;
	return vm_fault_hook(t->mm, addr, error) == 0 ? 0 : -1;
}

