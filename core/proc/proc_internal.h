/* Private to core/proc. */
#ifndef KEVLAR_CORE_PROC_INTERNAL_H
#define KEVLAR_CORE_PROC_INTERNAL_H

#include <kevlar/task.h>

void task_adopt(struct task *parent, struct task *child);
/* Drops the task's memory, files and filesystem context. */
void task_release_resources(struct task *t);
void sched_idle_until(bool (*done)(void));

/* oom.c: memory for the current task's user pages ran out. Kills a
 * process (or waits for the one killed before to release its memory):
 * 0 when the allocation should be tried again, -EINTR when the current
 * task is dying, -ENOMEM when nothing can be killed. */
int oom_kill(void);
/* A task dropped its address space (exit): a victim's memory is back. */
void oom_task_released(struct task *t);

#endif
