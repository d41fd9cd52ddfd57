/*
 * Delivery: on every return to user mode the task takes its pending,
 * unblocked signals. Default actions terminate (no core file is
 * written), stop or do nothing; a handler gets Linux's x86_64 signal
 * frame (struct rt_sigframe: the return address, a ucontext with the
 * interrupted registers and the old mask, the siginfo, and the FPU
 * state) and rt_sigreturn undoes it. System calls a signal interrupted
 * are finished here: restarted, or made to fail with EINTR, as the
 * handler's SA_RESTART and the call's restart code say.
 */
#include <syscalls.h>
#include <abi/signal.h>
#include <kevlar/errno.h>
#include <kevlar/irq.h>
#include <kevlar/mmu.h>
#include <kevlar/printk.h>
#include <kevlar/signal.h>
#include <kevlar/string.h>
#include <kevlar/task.h>
#include <kevlar/uaccess.h>
#include "signal_internal.h"

#define RED_ZONE           128
#define FPU_STATE_SIZE     THREAD_FPU_SIZE

/* The rflags bits a handler may change through its ucontext (as Linux's
 * FIX_EFLAGS): CF PF AF ZF SF TF DF OF AC RF. */
#define RFLAGS_USER   0x50dd5UL
#define RFLAGS_TF     0x100UL
#define RFLAGS_DF     0x400UL
#define RFLAGS_RF     0x10000UL

/* struct sigcontext (asm/sigcontext.h), the ucontext's mcontext. */
struct sigcontext_k {
	u64 r8, r9, r10, r11, r12, r13, r14, r15;
	u64 rdi, rsi, rbp, rbx, rdx, rax, rcx, rsp, rip, eflags;
	u16 cs, gs, fs, ss;
	u64 err, trapno, oldmask, cr2;
	u64 fpstate;
	u64 reserved1[8];
};
_Static_assert(sizeof(struct sigcontext_k) == 256, "sigcontext");

struct stack_k {
	u64 ss_sp;
	s32 ss_flags;
	s32 pad;
	u64 ss_size;
};

struct ucontext_k {
	u64 uc_flags;
	u64 uc_link;
	struct stack_k uc_stack;
	struct sigcontext_k uc_mcontext;
	u64 uc_sigmask;
};

struct rt_sigframe {
	u64 pretcode;                  /* sa_restorer: the handler returns there */
	struct ucontext_k uc;
	struct user_siginfo info;
};
_Static_assert(sizeof(struct rt_sigframe) == 440, "rt_sigframe");

void siginfo_to_user(struct user_siginfo *u, const struct ksiginfo *k)
{
	memset(u, 0, sizeof(*u));
	u->si_signo = k->signo;
	u->si_errno = k->errno_;
	u->si_code = k->code;
	switch (k->signo) {
	case SIGSEGV: case SIGBUS: case SIGILL: case SIGFPE: case SIGTRAP:
		if (k->code > 0 && k->code != SI_KERNEL) {
			u->fault.addr = k->addr;
			return;
		}
		break;
	case SIGCHLD:
		if (k->code > 0 && k->code != SI_KERNEL) {
			u->chld.pid = k->pid;
			u->chld.uid = k->uid;
			u->chld.status = k->status;
			return;
		}
		break;
	}
	u->kill.pid = k->pid;
	u->kill.uid = k->uid;
	u->kill.value = k->value;
}

static const char *code_name(const struct ksiginfo *k)
{
	static const char *const chld[] = CLD_NAMES;
	switch (k->code) {
	case SI_USER: return "SI_USER";
	case SI_KERNEL: return "SI_KERNEL";
	case SI_QUEUE: return "SI_QUEUE";
	case SI_TIMER: return "SI_TIMER";
	case SI_TKILL: return "SI_TKILL";
	}
	if (k->signo == SIGCHLD && k->code > 0 && k->code < (int)ARRAY_SIZE(chld))
		return chld[k->code];
	if (k->signo == SIGSEGV)
		return k->code == SEGV_MAPERR ? "SEGV_MAPERR" : "SEGV_ACCERR";
	if (k->signo == SIGBUS)
		return k->code == BUS_ADRALN ? "BUS_ADRALN" : "BUS_ADRERR";
	if (k->signo == SIGILL)
		return "ILL_ILLOPN";
	if (k->signo == SIGFPE)
		return k->code == FPE_INTDIV ? "FPE_INTDIV" : "FPE_FLTINV";
	if (k->signo == SIGTRAP)
		return "TRAP_BRKPT";
	return "?";
}

/* strace=1: the signal taken, as strace prints it. */
static void trace_signal(const struct task *t, const struct ksiginfo *k)
{
	const char *sig = signal_name(k->signo), *code = code_name(k);

	if (k->code > 0 && k->code != SI_KERNEL && k->signo == SIGCHLD)
		printk("%d --- %s {si_signo=%s, si_code=%s, si_pid=%d, si_uid=%u, si_status=%d, "
		       "si_utime=0, si_stime=0} ---\n", t->pid, sig, sig, code, k->pid, k->uid,
		       k->status);
	else if (k->code > 0 && k->code != SI_KERNEL)
		printk("%d --- %s {si_signo=%s, si_code=%s, si_addr=0x%lx} ---\n", t->pid, sig,
		       sig, code, k->addr);
	else if (k->code == SI_KERNEL)
		printk("%d --- %s {si_signo=%s, si_code=%s} ---\n", t->pid, sig, sig, code);
	else
		printk("%d --- %s {si_signo=%s, si_code=%s, si_pid=%d, si_uid=%u} ---\n", t->pid,
		       sig, sig, code, k->pid, k->uid);
}

static bool on_altstack(const struct task *t, uptr_t sp)
{
	return t->altstack.size && sp > t->altstack.sp &&
	       sp - t->altstack.sp <= t->altstack.size;
}

static s32 altstack_flags(const struct task *t, uptr_t sp)
{
	if (!t->altstack.size)
		return SS_DISABLE;
	return (on_altstack(t, sp) ? SS_ONSTACK : 0) | (t->altstack.flags & (s32)SS_AUTODISARM);
}

static void save_registers(struct sigcontext_k *m, const struct trap_frame *f,
			   const struct task *t)
{
	m->r8 = f->r8;   m->r9 = f->r9;   m->r10 = f->r10; m->r11 = f->r11;
	m->r12 = f->r12; m->r13 = f->r13; m->r14 = f->r14; m->r15 = f->r15;
	m->rdi = f->rdi; m->rsi = f->rsi; m->rbp = f->rbp; m->rbx = f->rbx;
	m->rdx = f->rdx; m->rax = f->rax; m->rcx = f->rcx; m->rsp = f->rsp;
	m->rip = f->rip; m->eflags = f->rflags;
	m->cs = (u16)f->cs;
	m->ss = (u16)f->ss;
	if (f->vector < 32) {
		m->trapno = f->vector;
		m->err = f->error;
		if (f->vector == 14)
			m->cr2 = t->fault_addr;
	}
}

/* Builds the frame on the user stack and points the registers at the
 * handler. Returns 0 or -EFAULT (the stack is not writable). */
static int setup_frame(struct task *t, struct trap_frame *f, int sig,
		       const struct sigaction_k *act, const struct ksiginfo *info, u64 oldmask)
{
	u8 fpu[FPU_STATE_SIZE] __attribute__((aligned(16)));
	struct rt_sigframe fr;
	uptr_t sp = f->rsp;

	if (!(act->flags & SA_RESTORER))
		return -EFAULT;   /* x86_64 has no other way back */
	if ((act->flags & SA_ONSTACK) && t->altstack.size && !on_altstack(t, sp))
		sp = t->altstack.sp + t->altstack.size;
	else
		sp -= RED_ZONE;
	sp = (sp - FPU_STATE_SIZE) & ~63UL;
	uptr_t fpstate = sp;
	sp = ((sp - sizeof(fr)) & ~15UL) - 8;   /* as if 'call' had pushed pretcode */

	memset(&fr, 0, sizeof(fr));
	fr.pretcode = act->restorer;
	fr.uc.uc_flags = UC_SIGCONTEXT_SS | UC_STRICT_RESTORE_SS;
	fr.uc.uc_stack.ss_sp = t->altstack.sp;
	fr.uc.uc_stack.ss_flags = altstack_flags(t, f->rsp);
	fr.uc.uc_stack.ss_size = t->altstack.size;
	save_registers(&fr.uc.uc_mcontext, f, t);
	fr.uc.uc_mcontext.oldmask = oldmask;
	fr.uc.uc_mcontext.fpstate = fpstate;
	fr.uc.uc_sigmask = oldmask;
	siginfo_to_user(&fr.info, info);

	/* The FPU state is the user's while in the kernel: save it, then
	 * give the handler a clean one. */
	thread_fpu_save(&t->thread, fpu);
	if (copy_to_user(fpstate, fpu, sizeof(fpu)) || copy_to_user(sp, &fr, sizeof(fr)))
		return -EFAULT;
	thread_fpu_reset(&t->thread);
	if (t->altstack.flags & (s32)SS_AUTODISARM)
		t->altstack.size = 0, t->altstack.sp = 0, t->altstack.flags = 0;

	f->rdi = (u64)sig;
	f->rsi = sp + __builtin_offsetof(struct rt_sigframe, info);
	f->rdx = sp + __builtin_offsetof(struct rt_sigframe, uc);
	f->rax = 0;
	f->rip = act->handler;
	f->rsp = sp;
	f->rflags &= ~(RFLAGS_DF | RFLAGS_TF | RFLAGS_RF);
	return 0;
}

/* A system call that ended in a restart code: restart it or fail it. */
static void finish_syscall(struct trap_frame *f, const struct sigaction_k *handler)
{
	if (f->vector != VEC_SYSCALL || f->error == (u64)-1)
		return;
	long rc = (long)f->rax;
	switch (rc) {
	case -ERESTARTNOHAND:
	case -ERESTART_RESTARTBLOCK:
		if (handler) {
			f->rax = (u64)-EINTR;
			return;
		}
		break;
	case -ERESTARTSYS:
		if (handler && !(handler->flags & SA_RESTART)) {
			f->rax = (u64)-EINTR;
			return;
		}
		break;
	case -ERESTARTNOINTR:
		break;
	default:
		return;
	}
	f->rax = rc == -ERESTART_RESTARTBLOCK ? SYS_restart_syscall : f->error;
	f->rip -= 2;   /* the syscall instruction again */
	f->error = (u64)-1;
}

/* A default stop: the process stops until SIGCONT (or SIGKILL). */
static void stop_self(int sig)
{
	struct task *t = current_task();
	u64 flags = irq_save();

	t->state = TASK_STOPPED;
	t->stop_report = sig;
	t->cont_report = false;
	signal_notify_parent(t, CLD_STOPPED, sig);
	schedule();
	irq_restore(flags);
}

static bool is_fault_signal(const struct ksiginfo *info)
{
	switch (info->signo) {
	case SIGSEGV: case SIGBUS: case SIGILL: case SIGFPE: case SIGTRAP:
		return info->code > 0;
	}
	return false;
}

/* The next signal to take: SIGKILL, then faults, then the lowest. */
static int next_signal(u64 ready)
{
	static const int first[] = { SIGKILL, SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP };
	for (unsigned i = 0; i < ARRAY_SIZE(first); i++) {
		if (ready & SIGBIT(first[i]))
			return first[i];
	}
	return __builtin_ctzl(ready) + 1;
}

static __noreturn void die(struct task *t, struct trap_frame *f, const struct ksiginfo *info)
{
	if (syscall_trace)
		printk("%d +++ killed by %s +++\n", t->pid, signal_name(info->signo));
	if (is_fault_signal(info))
		printk("%s[%d]: killed by signal %d (code %d, address 0x%lx) at ip 0x%lx sp 0x%lx\n",
		       t->comm, t->pid, info->signo, info->code, info->addr, f->rip, f->rsp);
	task_exit(WSTATUS_SIGNALED(info->signo));
}

void signal_return_to_user(struct trap_frame *f)
{
	struct task *t = current_task();

	if (t->kernel)
		return;
	for (;;) {
		u64 flags = irq_save();
		u64 ready = t->sig_pending & ~t->sigmask;
		if (!ready) {
			irq_restore(flags);
			break;
		}
		int sig = next_signal(ready);
		t->sig_pending &= ~SIGBIT(sig);
		struct ksiginfo info = t->sig_info[sig - 1];
		struct sigaction_k act = *sig_action(t, sig);
		if (act.handler > SIG_IGN && (act.flags & SA_RESETHAND) && t->sighand) {
			t->sighand->action[sig - 1].handler = SIG_DFL;
			t->sighand->action[sig - 1].flags &= ~SA_SIGINFO;
		}
		irq_restore(flags);

		if (syscall_trace && act.handler != SIG_IGN)
			trace_signal(t, &info);
		if (act.handler == SIG_IGN)
			continue;
		if (act.handler == SIG_DFL) {
			enum sig_default d = sig_default_action(sig);
			/* Sent while init had a handler, which it has no more. */
			if (d == SIG_DEFAULT_IGNORE || signal_init_drops(t, sig))
				continue;
			if (d == SIG_DEFAULT_STOP) {
				/* Nobody would continue an orphaned group: only
				 * SIGSTOP stops it (POSIX). */
				if (sig == SIGSTOP || !pgrp_orphaned(t->pgid))
					stop_self(sig);
				continue;
			}
			die(t, f, &info);
		}

		finish_syscall(f, &act);
		u64 oldmask = t->restore_sigmask ? t->saved_sigmask : t->sigmask;
		t->restore_sigmask = false;
		if (setup_frame(t, f, sig, &act, &info, oldmask)) {
			struct ksiginfo segv = { .signo = SIGSEGV, .code = SI_KERNEL };
			die(t, f, &segv);
		}
		t->sigmask |= act.mask;
		if (!(act.flags & SA_NODEFER))
			t->sigmask |= SIGBIT(sig);
		t->sigmask &= ~SIG_UNBLOCKABLE;
		return;
	}
	finish_syscall(f, NULL);
	if (t->restore_sigmask) {
		t->restore_sigmask = false;
		t->sigmask = t->saved_sigmask;
	}
}

long sys_rt_sigreturn(void)
{
	struct task *t = current_task();
	struct trap_frame *f = thread_user_regs(&t->thread);
	u8 fpu[FPU_STATE_SIZE] __attribute__((aligned(16)));
	struct rt_sigframe fr;

	if (copy_from_user(&fr, f->rsp - 8, sizeof(fr)))
		goto bad;
	const struct sigcontext_k *m = &fr.uc.uc_mcontext;
	if (m->rip >= USER_TOP)
		goto bad;
	if (m->fpstate && copy_from_user(fpu, m->fpstate, sizeof(fpu)))
		goto bad;

	t->sigmask = fr.uc.uc_sigmask & ~SIG_UNBLOCKABLE;
	f->r8 = m->r8;   f->r9 = m->r9;   f->r10 = m->r10; f->r11 = m->r11;
	f->r12 = m->r12; f->r13 = m->r13; f->r14 = m->r14; f->r15 = m->r15;
	f->rdi = m->rdi; f->rsi = m->rsi; f->rbp = m->rbp; f->rbx = m->rbx;
	f->rdx = m->rdx; f->rcx = m->rcx; f->rsp = m->rsp; f->rip = m->rip;
	f->rflags = (f->rflags & ~RFLAGS_USER) | (m->eflags & RFLAGS_USER);
	f->error = (u64)-1;   /* no restart of rt_sigreturn itself */
	if (m->fpstate)
		thread_fpu_load(&t->thread, fpu);
	else
		thread_fpu_reset(&t->thread);

	/* The alternate stack as it was, unless the handler is running on
	 * it (then it cannot change, as with sigaltstack). */
	const struct stack_k *ss = &fr.uc.uc_stack;
	if (!on_altstack(t, f->rsp)) {
		if (ss->ss_flags & SS_DISABLE || !ss->ss_size) {
			t->altstack.sp = 0;
			t->altstack.size = 0;
			t->altstack.flags = 0;
		} else if (ss->ss_size >= 2048) {
			t->altstack.sp = ss->ss_sp;
			t->altstack.size = ss->ss_size;
			t->altstack.flags = ss->ss_flags & (s32)SS_AUTODISARM;
		}
	}
	return (long)m->rax;

bad:
	signal_force(SIGSEGV, SI_KERNEL, 0);
	return 0;
}

int sys_sigaltstack(uptr_t uss, uptr_t uoss)
{
	struct task *t = current_task();
	uptr_t sp = thread_user_regs(&t->thread)->rsp;
	struct stack_k ss;

	if (uoss) {
		struct stack_k old = {
			.ss_sp = t->altstack.sp, .ss_flags = altstack_flags(t, sp),
			.ss_size = t->altstack.size,
		};
		if (copy_to_user(uoss, &old, 24))
			return -EFAULT;
	}
	if (!uss)
		return 0;
	if (copy_from_user(&ss, uss, 24))
		return -EFAULT;
	if (on_altstack(t, sp))
		return -EPERM;
	u32 mode = (u32)ss.ss_flags & ~SS_AUTODISARM;
	if (mode != 0 && mode != SS_ONSTACK && mode != SS_DISABLE)
		return -EINVAL;
	if (mode == SS_DISABLE) {
		t->altstack.sp = 0;
		t->altstack.size = 0;
		t->altstack.flags = 0;
		return 0;
	}
	if (ss.ss_size < 2048)   /* MINSIGSTKSZ */
		return -ENOMEM;
	t->altstack.sp = ss.ss_sp;
	t->altstack.size = ss.ss_size;
	t->altstack.flags = ss.ss_flags & (s32)SS_AUTODISARM;
	return 0;
}
