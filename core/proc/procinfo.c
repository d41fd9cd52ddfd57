/*
 * Core's answers about processes and the machine's time, for the procfs
 * service (procinfo in idl/procfs.idl), and sysinfo(2), which tells free
 * and uptime the same totals. Everything is read when it is asked for;
 * nothing here is kept for /proc's sake.
 */
#include <ifc/procinfo.h>
#include <syscalls.h>
#include <abi/resource.h>
#include <kevlar/abi.h>
#include <kevlar/clock.h>
#include <kevlar/errno.h>
#include <kevlar/mm.h>
#include <kevlar/platform.h>
#include <kevlar/procinfo.h>
#include <kevlar/string.h>
#include <kevlar/time.h>
#include <kevlar/uaccess.h>

#define NSEC_PER_TICK (NSEC_PER_SEC / USER_HZ)

struct task *procinfo_task(int pid)
{
	struct task *t = pid > 0 ? task_find(pid) : NULL;
	return t && t->tgid == pid ? t : NULL;
}

int procinfo_next_pid_impl(int after)
{
	for (struct task *t = task_next(after < 0 ? 0 : after); t; t = task_next(t->pid))
		if (t->tgid == t->pid)
			return t->pid;
	return -ESRCH;
}

int procinfo_self_impl(void)
{
	return current_task()->tgid;
}

int procinfo_ppid_impl(int pid)
{
	struct task *t = procinfo_task(pid);
	if (!t)
		return -ESRCH;
	return t->parent ? t->parent->tgid : 0;
}

long procinfo_cred_impl(int pid, int which)
{
	struct task *t = procinfo_task(pid);
	if (!t)
		return -ESRCH;
	const struct cred *c = &t->cred;
	const u32 ids[] = { c->uid, c->euid, c->suid, c->fsuid, c->gid, c->egid, c->sgid, c->fsgid };
	return which >= 0 && which < 8 ? (long)ids[which] : -EINVAL;
}

int procinfo_groups_impl(int pid, u32 *buf, size_t len)
{
	struct task *t = procinfo_task(pid);
	if (!t)
		return -ESRCH;
	const struct group_list *g = t->cred.groups;
	unsigned n = g ? g->count : 0;
	if (n)
		memcpy(buf, g->gid, MIN((size_t)n, len) * sizeof(u32));
	return (int)n;
}

int procinfo_pgid_impl(int pid)
{
	struct task *t = procinfo_task(pid);
	return t ? t->pgid : -ESRCH;
}

int procinfo_sid_impl(int pid)
{
	struct task *t = procinfo_task(pid);
	return t ? t->sid : -ESRCH;
}

int procinfo_state_impl(int pid)
{
	struct task *t = procinfo_task(pid);
	if (!t)
		return -ESRCH;
	switch (t->state) {
	case TASK_RUNNABLE: return 'R';
	case TASK_ZOMBIE:   return 'Z';
	case TASK_STOPPED:  return 'T';
	default:            return 'S';
	}
}

int procinfo_comm_impl(int pid, u8 *buf, size_t len)
{
	struct task *t = procinfo_task(pid);
	if (!t)
		return -ESRCH;
	size_t n = strnlen(t->comm, sizeof(t->comm));
	memcpy(buf, t->comm, MIN(n, len));
	return (int)n;
}

int procinfo_threads_impl(int pid)
{
	/* One task per process until CLONE_THREAD comes; a zombie is still
	 * its one thread. */
	return procinfo_task(pid) ? 1 : -ESRCH;
}

long procinfo_cpu_ticks_impl(int pid, int which)
{
	struct task *t = procinfo_task(pid);
	if (!t)
		return -ESRCH;
	switch (which) {
	case 0: return (long)t->utime_ticks;
	case 1: return (long)t->stime_ticks;
	case 2: return (long)t->cutime_ticks;
	case 3: return (long)t->cstime_ticks;
	default: return -EINVAL;
	}
}

long procinfo_start_ticks_impl(int pid)
{
	struct task *t = procinfo_task(pid);
	return t ? (long)(t->start_ns / NSEC_PER_TICK) : -ESRCH;
}

long procinfo_uptime_ns_impl(void)
{
	return (long)clock_monotonic_ns();
}

long procinfo_sys_ticks_impl(int which)
{
	return which >= 0 && which < 3 ? (long)acct_machine_ticks(which) : -EINVAL;
}

long procinfo_loadavg_impl(int which)
{
	return which >= 0 && which < 3 ? (long)acct_loadavg(which) : -EINVAL;
}

long procinfo_task_count_impl(int which)
{
	switch (which) {
	case 0:
		return acct_runnable();
	case 1:
		return task_count();
	case 2:
		return (long)task_forks();
	case 3:
		return task_last_pid();
	default:
		return -EINVAL;
	}
}

/* The wall-clock second the monotonic clock started in, from the same
 * offset CLOCK_REALTIME adds: never after any time() a program reads (a
 * second read of the CMOS clock could be a second ahead of it). */
long procinfo_boot_time_impl(void)
{
	s64 boot_ns = clock_realtime_ns() - (s64)clock_monotonic_ns();

	return (long)(boot_ns / (s64)NSEC_PER_SEC);
}

/* sysinfo(2): uptime (a part second rounded up, as Linux), load
 * averages, memory in pages (file data is all in RAM, which Linux counts
 * as shared), the number of tasks. No swap, no high memory. */

int sys_sysinfo(uptr_t info)
{
	struct sysinfo si;

	memset(&si, 0, sizeof(si));
	u64 ns = clock_monotonic_ns();
	si.uptime = (s64)((ns + NSEC_PER_SEC - 1) / NSEC_PER_SEC);
	for (int i = 0; i < 3; i++)
		si.loads[i] = acct_loadavg(i) << (SI_LOAD_SHIFT - LOAD_FSHIFT);
	si.totalram = frame_total_pages();
	si.freeram = frame_free_pages();
	/* File data is all in RAM (tmpfs), which Linux counts as shared. */
	si.sharedram = vfs_cached_pages();
	si.procs = (u16)procinfo_task_count_impl(1);
	si.mem_unit = PAGE_SIZE;
	return copy_to_user(info, &si, sizeof(si)) ? -EFAULT : 0;
}

long procinfo_signals_impl(int pid, int which)
{
	struct task *t = procinfo_task(pid);
	u64 mask = 0;

	if (!t)
		return -ESRCH;
	if (which == 0)
		return (long)t->sigmask;
	if (which == 3)
		return (long)t->sig_pending;
	if (which != 1 && which != 2)
		return -EINVAL;
	for (int i = 0; t->sighand && i < _NSIG; i++) {
		u64 h = t->sighand->action[i].handler;
		if (which == 1 ? h == SIG_IGN : h != SIG_IGN && h != SIG_DFL)
			mask |= 1ULL << i;
	}
	return (long)mask;
}

int procinfo_cpus_impl(void)
{
	return (int)cpus_online();
}

long procinfo_cpu_khz_impl(void)
{
	return (long)(tsc_frequency() / 1000);
}

int procinfo_uname_impl(int which, u8 *buf, size_t len)
{
	struct utsname u;
	const char *s;

	uname_fill(&u);
	switch (which) {
	case 0: s = u.sysname; break;
	case 1: s = u.release; break;
	case 2: s = u.version; break;
	default: return -EINVAL;
	}
	size_t n = strlen(s);
	memcpy(buf, s, MIN(n, len));
	return (int)n;
}

enum { SYSCTL_PID_MAX, SYSCTL_THREADS_MAX };

long procinfo_sysctl_impl(int which)
{
	switch (which) {
	case SYSCTL_PID_MAX: return pid_max_get();
	case SYSCTL_THREADS_MAX: return task_threads_max();
	default: return -EINVAL;
	}
}

int procinfo_sysctl_set_impl(int which, long value)
{
	switch (which) {
	case SYSCTL_PID_MAX: return pid_max_set(value < 0 || value > PID_MAX_LIMIT ? -1 : (int)value);
	case SYSCTL_THREADS_MAX: return task_threads_max_set(value);
	default: return -EINVAL;
	}
}
