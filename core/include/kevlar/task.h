/*
 * Tasks: Core's processes and threads. A task is a schedulable thread of
 * control; a process is the group of tasks sharing a tgid (one task per
 * process until threads come). Every task has a Ring 0 thread (kernel
 * stack, saved context, address space), its ring-frame chain, and
 * pointers to what it may share: its memory (mm), open files (files) and
 * filesystem context (fs).
 */
#ifndef KEVLAR_TASK_H
#define KEVLAR_TASK_H

#include <kevlar/cred.h>
#include <kevlar/list.h>
#include <kevlar/ring.h>
#include <kevlar/signal.h>
#include <kevlar/thread.h>
#include <kevlar/types.h>

typedef int pid_t;

enum task_state {
	TASK_RUNNABLE,      /* on the run queue, or running */
	TASK_SLEEPING,      /* on a wait queue */
	TASK_STOPPED,       /* by SIGSTOP and friends, until SIGCONT */
	TASK_ZOMBIE,        /* exited, waiting for its parent */
};

struct mm;
struct files;
struct fs_context;

struct wait_queue {
	struct list waiters;
};

#define WAIT_QUEUE_INIT(name) { LIST_INIT((name).waiters) }

struct task {
	struct thread thread;          /* Ring 0's half: must stay first */
	struct ring_chain ring_chain;  /* services this task is inside */
	pid_t pid;
	pid_t tgid;
	char comm[16];                 /* executable name, as in /proc/pid/comm */
	enum task_state state;
	bool need_resched;
	bool kernel;                   /* a kernel thread: no user space */
	bool oopsed;                   /* dying of a fault in Core (core/proc/oops.c) */
	bool unkillable;               /* init: signals it has no handler for are dropped */

	struct task *parent;
	struct list children;          /* of struct task, via sibling */
	struct list sibling;
	struct wait_queue child_exit;  /* the parent waits here in wait4 */
	int exit_code;                 /* wait4 status encoding */

	pid_t pgid;                    /* process group */
	bool execed;                   /* has run execve (setpgid by its parent: EACCES) */
	pid_t sid;                     /* session */
	struct cred cred;              /* uids, gids, groups (core/proc/cred.c) */

	struct mm *mm;
	struct files *files;
	struct fs_context *fs;
	uptr_t clear_child_tid;        /* set_tid_address */
	uptr_t robust_list;            /* set_robust_list */
	struct task *vfork_parent;     /* waiting until we exec or exit */
	struct wait_queue vfork_done;
	struct rlimit_set *rlimits;
	struct sighand *sighand;       /* signal actions, shared with CLONE_SIGHAND */
	u64 sigmask;                   /* blocked signals (bit n-1 for signal n) */

	/* Signal state (core/signal). */
	u64 sig_pending;               /* sent, not yet delivered */
	struct ksiginfo sig_info[_NSIG];    /* what each pending signal carries */
	u64 saved_sigmask;             /* sigsuspend and friends: restored after delivery */
	bool restore_sigmask;
	bool sleep_intr;               /* sleeping, and a signal may wake it */
	int exit_signal;               /* sent to the parent at exit (clone's CSIGNAL) */
	int stop_report;               /* WUNTRACED: the stop signal not yet reported */
	bool cont_report;              /* WCONTINUED: a continue not yet reported */
	struct { uptr_t sp; int flags; u64 size; } altstack;    /* sigaltstack */
	u64 restart_deadline_ns;       /* restart_syscall: an interrupted sleep's end */
	uptr_t restart_rem;
	u64 itimer_next_ns;            /* ITIMER_REAL: next expiry (0 = disarmed) */
	u64 itimer_interval_ns;
	struct list itimer_node;
	u64 cpu_itimer[4];             /* ITIMER_VIRTUAL, ITIMER_PROF: value, interval (ns) */
	uptr_t fault_addr;             /* the last user page fault refused */
	int fault_signal;              /* and the signal for it */
	int fault_code;                /* with its SEGV_* / BUS_* code */

	struct list run_node;          /* run queue or wait queue */
	struct list timer_node;        /* timed sleepers, by deadline */
	struct list pid_node;          /* the pid hash (core/proc/pid.c) */
	u64 wake_at_ns;                /* timed sleep deadline, 0 = none */

	/* CPU time, charged a tick at a time (core/proc/acct.c), for /proc. */
	u64 utime_ticks, stime_ticks;  /* in user mode; in the kernel */
	u64 cutime_ticks, cstime_ticks;/* of the children it reaped */
	u64 start_ns;                  /* clock_monotonic_ns() when made */
	bool in_syscall;               /* ticks now count as system time */
};

/* The task running on this CPU. */
struct task *current_task(void);

/* Scheduling. */
void sched_init(void);
/* Gives up the CPU to the next runnable task (if any). */
void schedule(void);
/* Makes a sleeping task runnable. */
void sched_wakeup(struct task *t);
/* Puts the current task to sleep on 'wq' until sched_wakeup() or, if
 * deadline_ns is not 0, until then. Returns 0, or -ETIMEDOUT. */
int sched_sleep(struct wait_queue *wq, u64 deadline_ns);
/* The same, but a signal the task does not block ends the sleep early
 * with -EINTR (also at once, if one is already pending). */
int sched_sleep_intr(struct wait_queue *wq, u64 deadline_ns);
/* Makes a stopped or interruptibly sleeping task runnable (signals). */
void sched_wakeup_signal(struct task *t);
/* Wakes every task sleeping on 'wq'. */
void wait_queue_wake_all(struct wait_queue *wq);
void sched_enqueue(struct task *t);

/* Tasks. */
/* A new task with a fresh pid, not yet runnable; NULL with *err set
 * (-EAGAIN: no pid free, or threads-max tasks already; -ENOMEM). */
struct task *task_alloc(const char *comm, int *err);
/* Starts a kernel thread running fn(arg). */
struct task *kthread_start(const char *comm, void (*fn)(void *), void *arg);
/* The task with that pid, zombies too; NULL if none. Constant time. */
struct task *task_find(pid_t pid);
/* Calls fn for every live user task, by increasing pid, until it returns
 * false; fn may sleep. */
void task_for_each_user(bool (*fn)(struct task *t, void *arg), void *arg);
/* Ends the current task with a wait4 status; never returns. */
__noreturn void task_exit(int status);
/* Frees a reaped zombie. */
void task_free(struct task *t);
/* Frees the zombies of parents that ignore SIGCHLD. */
void task_reap_unwaited(void);
/* Number of tasks that are not zombies (the power-off test). */
unsigned task_live_count(void);
/* Number of tasks, zombies too (what threads-max limits). */
unsigned task_count(void);

/*
 * Pids (core/proc/pid.c), as Linux allocates them: the next free pid
 * after the last one handed out, below pid_max, wrapping around to
 * RESERVED_PIDS. /proc/sys/kernel/pid_max reads and sets pid_max.
 */
#define PID_MAX_DEFAULT 32768           /* Linux's, for up to 32 CPUs */
#define PID_MAX_LIMIT   (4 * 1024 * 1024)
#define RESERVED_PIDS   300
#define PID_MAX_MIN     (RESERVED_PIDS + 1)
void pid_table_init(void);
/* Gives t a free pid (t->pid and t->tgid): 0, or -EAGAIN if none. */
int pid_assign(struct task *t);
void pid_release(struct task *t);
/* A task joins (get) or leaves (put) the process group or session 'id':
 * its pid is not handed out again while some task is in one. get only
 * allocates for an id no task is in yet (-ENOMEM). id 0 is nobody's. */
int pid_group_get(pid_t id);
void pid_group_put(pid_t id);
int pid_max_get(void);
/* 0, -EINVAL outside [PID_MAX_MIN, PID_MAX_LIMIT], or -ENOMEM. */
int pid_max_set(int value);

/*
 * threads-max (core/proc/limits.c): the most tasks the machine holds,
 * from its RAM as Linux computes it; /proc/sys/kernel/threads-max.
 */
#define THREADS_MIN 20
#define THREADS_MAX 0x3fffffff          /* FUTEX_TID_MASK */
void task_limits_init(void);
unsigned task_threads_max(void);
/* 0, or -EINVAL outside [THREADS_MIN, THREADS_MAX]. */
int task_threads_max_set(long value);

/* Memory for the current task's user pages (or the tmpfs pages it
 * writes) ran out: the OOM killer (core/proc/oom.c) kills a process, or
 * waits for the one it killed before to release its memory. 0 when the
 * allocation should be tried again, -EINTR when the current task is
 * dying, -ENOMEM when nothing can be killed. May sleep. */
int oom_kill(void);

/* An orphaned process group (POSIX): no member has a parent in another
 * group of the same session, so no shell is there to continue it; its
 * members are not stopped by SIGTSTP, SIGTTIN or SIGTTOU. */
bool pgrp_orphaned(pid_t pgrp);

/* Wait-status encodings (as wait4 reports them). */
#define WSTATUS_EXITED(code)  (((code) & 0xff) << 8)
#define WSTATUS_SIGNALED(sig) ((sig) & 0x7f)
#define WSTATUS_STOPPED(sig)  ((((sig) & 0xff) << 8) | 0x7f)
#define WSTATUS_CONTINUED     0xffff

/* A vforked child calls this when it execs or exits: its parent goes on. */
void task_vfork_release(struct task *t);

/* Signal actions of a process (rt_sigaction), shared by CLONE_SIGHAND. */
struct sigaction_k {
	u64 handler, flags, restorer, mask;
};
struct sighand {
	unsigned refs;
	struct sigaction_k action[_NSIG];
};
struct sighand *sighand_fork(struct sighand *parent, bool share);
void sighand_put(struct sighand *sh);
/* execve: handled signals go back to their default action. */
void sighand_exec(struct sighand *sh);

/* Resource limits (getrlimit/prlimit64), shared by fork copies. */
#define RLIMIT_COUNT 16
struct rlimit_set {
	u64 cur[RLIMIT_COUNT];
	u64 max[RLIMIT_COUNT];
};
/* The soft limit of 'resource' for t. */
u64 task_rlimit(const struct task *t, unsigned resource);

#endif
