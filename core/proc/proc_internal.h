/* Private to core/proc. */
#ifndef KEVLAR_CORE_PROC_INTERNAL_H
#define KEVLAR_CORE_PROC_INTERNAL_H

#include <kevlar/task.h>

void task_adopt(struct task *parent, struct task *child);
/* Drops the task's memory, files and filesystem context. */
void task_release_resources(struct task *t);
void sched_idle_until(bool (*done)(void));
/* Tasks runnable now (queued, or running), the idle task not counted. */
unsigned sched_runnable(void);

/* oom.c: a task dropped its address space (exit): a victim's memory is back. */
void oom_task_released(struct task *t);

#endif
