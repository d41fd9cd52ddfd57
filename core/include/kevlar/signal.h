/*
 * Signals: Linux's numbers, actions and siginfo, and Core's calls for
 * sending them. Delivery happens on the way back to user mode
 * (core/signal/deliver.c); a task sleeping interruptibly is woken by a
 * signal it does not block, and its system call returns -EINTR or one of
 * the restart codes below, which never reach user space.
 */
#ifndef KEVLAR_SIGNAL_H
#define KEVLAR_SIGNAL_H

#include <abi/signal.h>
#include <kevlar/types.h>

struct task;
struct trap_frame;

#define SIGBIT(sig)   (1UL << ((sig) - 1))
#define SIG_UNBLOCKABLE (SIGBIT(SIGKILL) | SIGBIT(SIGSTOP))
#define SIG_STOPS     (SIGBIT(SIGSTOP) | SIGBIT(SIGTSTP) | SIGBIT(SIGTTIN) | SIGBIT(SIGTTOU))

/* System-call results that ask for a restart; user space never sees them. */
#define ERESTARTSYS           512   /* restart unless a handler without SA_RESTART ran */
#define ERESTARTNOINTR        513   /* always restart */
#define ERESTARTNOHAND        514   /* restart only if no handler ran */
#define ERESTART_RESTARTBLOCK 516   /* restart through restart_syscall */

/* What a signal carries: the fields of Linux's siginfo_t this kernel
 * fills, which the delivery code lays out as Linux does. */
struct ksiginfo {
	int signo;
	int code;
	int errno_;
	int pid;             /* sender, or the child for SIGCHLD */
	u32 uid;
	int status;          /* SIGCHLD: exit code or signal */
	uptr_t addr;         /* faults: the address */
	u64 value;           /* sigqueue, timers */
};

/* The siginfo_t layout user space sees (128 bytes). */
struct user_siginfo {
	s32 si_signo, si_errno, si_code, pad;
	union {
		struct { s32 pid; u32 uid; s32 status; s32 pad; s64 utime, stime; } chld;
		struct { s32 pid; u32 uid; u64 value; } kill;
		struct { u64 addr; } fault;
		u8 bytes[112];
	};
};
_Static_assert(sizeof(struct user_siginfo) == 128, "siginfo_t");

/* Sends sig to the task t (pid may be 0: no sender, the kernel). Returns
 * 0 (also when the signal is ignored) or -EINVAL. */
int signal_send(struct task *t, int sig, const struct ksiginfo *info);
/* A signal from user space with SI_USER and the sender's pid. */
int signal_send_user(struct task *t, int sig);
/* Sends sig to every member of process group pgrp; -ESRCH if none. */
int signal_send_pgrp(int pgrp, int sig, const struct ksiginfo *info);
/* A fault's signal: delivered even if blocked or ignored (then with the
 * default action), as Linux does for synchronous signals. */
void signal_force(int sig, int code, uptr_t addr);
/* A signal the current task does not block is pending. */
bool signal_pending(const struct task *t);
/* True if sig would be discarded if sent to t now (ignored, not blocked). */
bool signal_ignored(const struct task *t, int sig);
/* True if t is init and has no handler for sig: it never sees it. */
bool signal_init_drops(const struct task *t, int sig);
bool signal_blocked(const struct task *t, int sig);
/* Delivers pending signals on the way back to user mode, and finishes
 * restartable system calls. */
void signal_return_to_user(struct trap_frame *f);
/* The parent's side of a child's exit, stop or continue. */
void signal_notify_parent(struct task *child, int code, int status);
/* The parent ignores SIGCHLD (SIG_IGN, or SA_NOCLDWAIT): its children
 * leave no zombies. */
bool signal_children_unwaited(const struct task *parent);
/* An exiting task drops its timers. */
void signal_task_gone(struct task *t);
/* "SIGINT", "SIGRT_3", as strace names them. */
const char *signal_name(int sig);
/* Timers (alarm, setitimer ITIMER_REAL): checked at every tick. */
void itimer_tick(u64 now_ns);

#endif
