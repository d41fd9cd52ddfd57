/*
 * Credentials: who a task acts as, as Linux keeps it. Real, effective,
 * saved and filesystem user and group ids, and the supplementary groups.
 * Kevlar has no capability sets: a task is privileged (may set any id,
 * is not held to RLIMIT_NPROC, may signal anyone) when its effective uid
 * is 0, which is when a Linux task without file capabilities or securebits
 * has CAP_SETUID, CAP_SETGID, CAP_KILL and CAP_SYS_RESOURCE.
 */
#ifndef KEVLAR_CRED_H
#define KEVLAR_CRED_H

#include <kevlar/types.h>

typedef u32 uid_t;
typedef u32 gid_t;

/* A sorted list of supplementary groups, shared by every task that has
 * not changed it since fork. */
struct group_list {
	unsigned refs;
	unsigned count;
	gid_t gid[];
};

struct cred {
	uid_t uid, euid, suid, fsuid;
	gid_t gid, egid, sgid, fsgid;
	struct group_list *groups;     /* NULL: none */
	bool nproc_exceeded;           /* a set*uid went over RLIMIT_NPROC: exec checks again */
};

struct task;

/* The current task acts as root. */
bool cred_privileged(void);
/* A child's credentials, a copy of its parent's (the exec-time
 * RLIMIT_NPROC flag too); the child is counted among its real user's
 * processes. Cannot fail. */
void cred_fork(struct task *child, const struct task *parent);
/* A reaped task leaves its user's count and its groups. */
void cred_release(struct task *t);
/* execve, before the old program is gone: -EAGAIN when a set*uid left
 * the task's user over RLIMIT_NPROC and it still is (Linux's
 * PF_NPROC_EXCEEDED). */
int cred_exec_check(void);
/* execve, once it cannot fail: the saved and filesystem ids become the
 * effective ones. */
void cred_exec_commit(void);
/* Whether exec should tell the program it runs with ids not its real
 * ones (AT_SECURE). */
bool cred_exec_secure(void);

/*
 * Processes per real uid (core/proc/user.c), what RLIMIT_NPROC counts:
 * every task until it is reaped. Root's count is always there; another
 * user's exists while it has a process.
 */
/* One more process for 'uid': 0, or -EAGAIN when no memory is left to
 * count a new user (as Linux's set_user). */
int user_processes_get(uid_t uid);
void user_processes_put(uid_t uid);
unsigned user_processes(uid_t uid);

#endif
