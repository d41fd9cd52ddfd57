/*
 * What Core's subsystems tell each other to answer the procinfo interface
 * (idl/procfs.idl) that the procfs service reads: CPU-time accounting,
 * walking the processes, and the names of open files. Called from task
 * context unless a comment says otherwise; none of them sleeps.
 */
#ifndef KEVLAR_PROCINFO_H
#define KEVLAR_PROCINFO_H

#include <kevlar/task.h>
#include <kevlar/types.h>

#define USER_HZ 100   /* the clock ticks /proc counts in */

/* ---- core/proc/task.c ---- */
/* The task with the lowest pid above 'after', zombies too; NULL if none. */
struct task *task_next(pid_t after);
/* The last pid handed out. */
pid_t task_last_pid(void);
/* Tasks made since boot (forks). */
u64 task_forks(void);
#ifdef KEVLAR_KTEST
/* Hash entries and bitmap words the pid table has looked at since boot:
 * what finding and walking tasks cost (ktest=proc-cost). */
u64 pid_table_steps(void);
#endif

/* ---- core/proc/acct.c ---- */
/* Charges this tick to the running task and the machine; every tick, in
 * interrupt context. */
void acct_tick(void);
/* A parent reaps 'child': the child's times join its children's. */
void acct_reap(struct task *parent, struct task *child);
/* Ticks since boot spent in user mode, in the kernel and idle. */
u64 acct_machine_ticks(int which);
/* The load averages (which 0..2: 1, 5, 15 minutes), fixed point with
 * LOAD_FSHIFT fraction bits. */
#define LOAD_FSHIFT 11
u64 acct_loadavg(int which);
/* Tasks runnable now, the idle task not counted. */
unsigned acct_runnable(void);

/* ---- core/proc/uname.c ---- */
struct utsname;
/* What uname(2) reports. */
void uname_fill(struct utsname *u);

/* ---- core/proc/procinfo.c ---- */
/* The process 'pid' (its thread group's leader), or NULL. */
struct task *procinfo_task(int pid);

/* ---- core/vfs/procinfo.c ---- */
struct file;
/* The path of an open file as the current process names it (or
 * "pipe:[ino]", "anon_inode:..."), NUL-terminated: its length, or
 * -ENAMETOOLONG. */
int file_path(struct file *f, char *buf, size_t size);
/* An open file's st_dev and st_ino. */
void file_identity(struct file *f, u32 *dev, u64 *ino);
/* Pages of file data the page cache holds, over every mount. */
u64 vfs_cached_pages(void);

/* ---- core/vm/maps.c ---- */
/* Resident pages of every address space, each counted once. */
u64 vm_resident_pages(void);

#endif
