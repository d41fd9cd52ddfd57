/* Built-in kernel tests, selected with ktest= on the command line. */
#ifndef KEVLAR_CORE_KTEST_H
#define KEVLAR_CORE_KTEST_H

#include <kevlar/types.h>

struct ktest {
	const char *name;
	int (*run)(void);
};

bool ktest_requested(void);
/* Runs the requested test: 0 if it passed. */
int ktest_run(void);

int ktest_containment(void);
/* prctl(PR_KTEST_OOPS, kind): Core faults on purpose (core/ktest/oops.c). */
int ktest_oops_prctl(uptr_t kind);
/* Hooks for the kinds that fault later: in the timer tick, and in the
 * exit of a task dying of an oops. */
void ktest_oops_tick(void);
void ktest_oops_exiting(void);
/* ktest=oops-kthread: a Core fault in a kernel thread (a panic). */
int ktest_oops_kthread(void);
/* core/vfs/ktest_vfs.c */
int ktest_vfs(void);
int ktest_tmpfs_restart(void);
int ktest_vfs_tree(void);
/* core/vfs/ktest_procfs.c */
int ktest_procfs_restart(void);
/* core/vfs/ktest_proc_cost.c */
int ktest_proc_cost(void);

#endif
