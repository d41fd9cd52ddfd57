/*
 * CPU-time accounting, tick by tick as Linux's tick-based accounting does
 * it: each timer tick is charged whole to what the CPU was doing when it
 * came (the running task's user or system time, or the machine's idle
 * time), and every five seconds the load averages move toward the number
 * of runnable tasks. The tick is USER_HZ, so a tick is a clock tick.
 */
#include <kevlar/procinfo.h>
#include "proc_internal.h"

#define LOAD_FREQ (5 * USER_HZ + 1)     /* ticks between samples, as Linux */
#define FIXED_1   (1UL << LOAD_FSHIFT)

/* 1/exp(5 s / 1, 5 and 15 minutes) in fixed point: Linux's EXP_1, EXP_5, EXP_15. */
static const u64 load_exp[3] = { 1884, 2014, 2037 };

enum { TICKS_USER, TICKS_SYSTEM, TICKS_IDLE };
static u64 machine_ticks[3];
static u64 load[3];
static unsigned load_countdown = LOAD_FREQ;

unsigned acct_runnable(void)
{
	return sched_runnable();
}

/* Linux's calc_load: one step of an exponentially decaying average. */
static u64 calc_load(u64 avg, u64 exp, u64 active)
{
	u64 next = avg * exp + active * (FIXED_1 - exp);
	if (active >= avg)
		next += FIXED_1 - 1;
	return next / FIXED_1;
}

void acct_tick(void)
{
	struct task *t = current_task();

	if (t->pid == 0) {
		machine_ticks[TICKS_IDLE]++;
	} else if (t->kernel || t->in_syscall) {
		t->stime_ticks++;
		machine_ticks[TICKS_SYSTEM]++;
	} else {
		t->utime_ticks++;
		machine_ticks[TICKS_USER]++;
	}
	if (--load_countdown)
		return;
	load_countdown = LOAD_FREQ;
	u64 active = (u64)acct_runnable() * FIXED_1;
	for (unsigned i = 0; i < 3; i++)
		load[i] = calc_load(load[i], load_exp[i], active);
}

void acct_reap(struct task *parent, struct task *child)
{
	parent->cutime_ticks += child->utime_ticks + child->cutime_ticks;
	parent->cstime_ticks += child->stime_ticks + child->cstime_ticks;
}

u64 acct_machine_ticks(int which)
{
	return which >= 0 && which < 3 ? machine_ticks[which] : 0;
}

u64 acct_loadavg(int which)
{
	return which >= 0 && which < 3 ? load[which] : 0;
}
