/*
 * wait4 and waitid: reaping children and hearing of their stops and
 * continues, with Linux's status encodings (wait4) and siginfo (waitid).
 * A parent sleeps interruptibly: a signal ends the wait (-ERESTARTSYS).
 */
#include <syscalls.h>
#include <abi/wait.h>
#include <kevlar/errno.h>
#include <kevlar/irq.h>
#include <kevlar/printk.h>
#include <kevlar/procinfo.h>
#include <kevlar/signal.h>
#include <kevlar/string.h>
#include <kevlar/task.h>
#include <kevlar/uaccess.h>

#define RUSAGE_SIZE 144   /* struct rusage on x86_64 */

struct wait_req {
	int idtype;
	int id;
	int options;
};

/* What a wait found: the child and what to report of it. */
struct wait_event {
	struct task *child;
	int code;       /* CLD_* */
	int status;     /* exit code or signal number */
	int wstatus;    /* wait4's encoding */
};

static bool matches(const struct task *parent, const struct task *c, const struct wait_req *r)
{
	switch (r->idtype) {
	case P_PID:
		return c->pid == r->id;
	case P_PGID:
		return c->pgid == (r->id ? r->id : parent->pgid);
	default:
		return true;
	}
}

/* A child with something to report, or NULL; *any says whether any child
 * matches at all. Interrupts are off. */
static bool find_event(struct task *parent, const struct wait_req *r,
		       struct wait_event *ev, bool *any)
{
	*any = false;
	list_for_each(pos, &parent->children) {
		struct task *c = list_entry(pos, struct task, sibling);
		if (c->kernel || !matches(parent, c, r))
			continue;   /* init's kernel threads are not its to wait for */
		*any = true;
		ev->child = c;
		if (c->state == TASK_ZOMBIE && (r->options & WEXITED)) {
			int st = c->exit_code;
			ev->wstatus = st;
			if (st & 0x7f) {
				ev->code = st & 0x80 ? CLD_DUMPED : CLD_KILLED;
				ev->status = st & 0x7f;
			} else {
				ev->code = CLD_EXITED;
				ev->status = (st >> 8) & 0xff;
			}
			return true;
		}
		if (c->state == TASK_STOPPED && c->stop_report && (r->options & WUNTRACED)) {
			ev->code = CLD_STOPPED;
			ev->status = c->stop_report;
			ev->wstatus = WSTATUS_STOPPED(c->stop_report);
			return true;
		}
		if (c->cont_report && (r->options & WCONTINUED)) {
			ev->code = CLD_CONTINUED;
			ev->status = SIGCONT;
			ev->wstatus = WSTATUS_CONTINUED;
			return true;
		}
	}
	return false;
}

/* Waits for an event; consumes it unless WNOWAIT. Returns 1 with *ev
 * filled (a zombie reaped is freed after the caller has copied out:
 * see finish()), 0 (WNOHANG, nothing yet) or an error. */
static int do_wait(const struct wait_req *r, struct wait_event *ev)
{
	struct task *self = current_task();

	task_reap_unwaited();
	for (;;) {
		bool any;
		/* Interrupts stay off from the search to the sleep, so a child
		 * changing state in between cannot be missed. */
		u64 flags = irq_save();
		if (find_event(self, r, ev, &any)) {
			if (!(r->options & WNOWAIT)) {
				if (ev->code == CLD_STOPPED)
					ev->child->stop_report = 0;
				else if (ev->code == CLD_CONTINUED)
					ev->child->cont_report = false;
			}
			irq_restore(flags);
			return 1;
		}
		if (!any) {
			irq_restore(flags);
			return -ECHILD;
		}
		if (r->options & WNOHANG) {
			irq_restore(flags);
			return 0;
		}
		/* A child's news first, then signals: both may have come. */
		if (signal_pending(self)) {
			irq_restore(flags);
			return -ERESTARTSYS;
		}
		sched_sleep_intr(&self->child_exit, 0);
		irq_restore(flags);
	}
}

/* Frees a reaped zombie (not for WNOWAIT, stops or continues). */
static void finish(const struct wait_req *r, const struct wait_event *ev)
{
	bool reaped = ev->code == CLD_EXITED || ev->code == CLD_KILLED || ev->code == CLD_DUMPED;
	if (reaped && !(r->options & WNOWAIT)) {
		acct_reap(current_task(), ev->child);
		task_free(ev->child);
	}
}

long sys_wait4(int pid, uptr_t wstatus, int options, uptr_t rusage)
{
	struct wait_event ev;
	struct wait_req r = { P_ALL, 0, (options & ~WNOWAIT) | WEXITED };

	if (options & ~(WNOHANG | WUNTRACED | WCONTINUED | __WNOTHREAD | __WALL | __WCLONE))
		return -EINVAL;
	if (pid == -0x7fffffff - 1)
		return -ESRCH;
	if (pid > 0) {
		r.idtype = P_PID;
		r.id = pid;
	} else if (pid == 0) {
		r.idtype = P_PGID;
	} else if (pid < -1) {
		r.idtype = P_PGID;
		r.id = -pid;
	}
	int rc = do_wait(&r, &ev);
	if (rc <= 0)
		return rc;
	pid_t who = ev.child->pid;
	if ((wstatus && copy_to_user(wstatus, &ev.wstatus, sizeof(ev.wstatus))) ||
	    (rusage && clear_user(rusage, RUSAGE_SIZE)))
		rc = -EFAULT;
	finish(&r, &ev);   /* reaped even if the status could not be stored, as Linux */
	return rc < 0 ? rc : who;
}

int sys_waitid(int idtype, int id, uptr_t infop, int options, uptr_t rusage)
{
	struct wait_event ev;
	struct wait_req r = { idtype, id, options };

	if (options & ~(WNOHANG | WUNTRACED | WEXITED | WCONTINUED | WNOWAIT |
			__WNOTHREAD | __WALL | __WCLONE))
		return -EINVAL;
	if (!(options & (WEXITED | WUNTRACED | WCONTINUED)))
		return -EINVAL;
	if (idtype != P_ALL && idtype != P_PID && idtype != P_PGID)
		return -EINVAL;
	if ((idtype == P_PID && id <= 0) || (idtype == P_PGID && id < 0))
		return -EINVAL;
	int rc = do_wait(&r, &ev);
	if (rc < 0)
		return rc;
	struct user_siginfo si;
	memset(&si, 0, sizeof(si));
	if (rc) {
		si.si_signo = SIGCHLD;
		si.si_code = ev.code;
		si.chld.pid = ev.child->pid;
		si.chld.status = ev.status;
	}
	rc = 0;
	if ((infop && copy_to_user(infop, &si, sizeof(si))) ||
	    (rusage && clear_user(rusage, RUSAGE_SIZE)))
		rc = -EFAULT;
	if (si.si_signo)
		finish(&r, &ev);
	return rc;
}

static __noreturn void exit_traced(int code)
{
	if (syscall_trace)
		printk("%d +++ exited with %d +++\n", current_task()->pid, code & 0xff);
	task_exit(WSTATUS_EXITED(code));
}

long sys_exit(int code)
{
	exit_traced(code);
}

long sys_exit_group(int code)
{
	exit_traced(code);
}
