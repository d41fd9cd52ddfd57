/* Resource limits: getrlimit, prlimit64. Stored per process; enforced
 * where the kernel has the resource (RLIMIT_NOFILE by the descriptor
 * table, RLIMIT_STACK by exec). And the machine's limit on tasks,
 * threads-max, which fork enforces. */
#include <syscalls.h>
#include <abi/resource.h>
#include <kevlar/abi.h>
#include <kevlar/errno.h>
#include <kevlar/mm.h>
#include <kevlar/task.h>
#include <kevlar/uaccess.h>

#define INF RLIM_INFINITY

/* Linux's defaults for a root shell: everything unlimited but these, and
 * RLIMIT_NPROC and RLIMIT_SIGPENDING, which boot sets from threads-max. */
static struct rlimit_set defaults = {
	.cur = { INF, INF, INF, 8UL << 20, 0, INF, INF, 1024, INF, INF, INF, INF, INF, INF, INF, INF },
	.max = { INF, INF, INF, INF, INF, INF, INF, 4096, INF, INF, INF, INF, INF, INF, INF, INF },
};

_Static_assert(RLIMIT_STACK == 3 && RLIMIT_CORE == 4 && RLIMIT_NOFILE == 7, "table order");

/* Bytes of RAM per task Linux allows: 8 kernel stacks' worth. */
#define RAM_PER_TASK (8 * THREAD_STACK_SIZE)

static unsigned threads_max = THREADS_MIN;

unsigned task_threads_max(void)
{
	return threads_max;
}

int task_threads_max_set(long value)
{
	if (value < THREADS_MIN || value > THREADS_MAX)
		return -EINVAL;
	threads_max = (unsigned)value;
	return 0;
}

/* Linux's fork_init: threads-max from RAM, and init's limits on
 * processes and pending signals half of it. */
void task_limits_init(void)
{
	u64 tasks = frame_total_pages() * PAGE_SIZE / RAM_PER_TASK;

	threads_max = tasks < THREADS_MIN ? THREADS_MIN : tasks > THREADS_MAX ? THREADS_MAX
		: (unsigned)tasks;
	defaults.cur[RLIMIT_NPROC] = defaults.max[RLIMIT_NPROC] = threads_max / 2;
	defaults.cur[RLIMIT_SIGPENDING] = defaults.max[RLIMIT_SIGPENDING] = threads_max / 2;
}

/* The limits of t (the boot defaults until someone changes them). */
static const struct rlimit_set *limits_of(const struct task *t)
{
	return t->rlimits ? t->rlimits : &defaults;
}

u64 task_rlimit(const struct task *t, unsigned resource)
{
	return resource < RLIMIT_COUNT ? limits_of(t)->cur[resource] : RLIM_INFINITY;
}

int sys_prlimit64(int pid, u32 resource, uptr_t new_limit, uptr_t old_limit)
{
	struct task *t = pid ? task_find(pid) : current_task();

	if (!t)
		return -ESRCH;
	if (resource >= RLIMIT_COUNT)
		return -EINVAL;
	const struct rlimit_set *cur = limits_of(t);
	struct rlimit old = { cur->cur[resource], cur->max[resource] };
	struct rlimit want;
	if (new_limit) {
		if (copy_from_user(&want, new_limit, sizeof(want)))
			return -EFAULT;
		if (want.rlim_cur > want.rlim_max)
			return -EINVAL;
		/* Raising a hard limit takes CAP_SYS_RESOURCE: euid 0. */
		if (want.rlim_max > old.rlim_max && !cred_privileged())
			return -EPERM;
	}
	if (old_limit && copy_to_user(old_limit, &old, sizeof(old)))
		return -EFAULT;
	if (new_limit) {
		/* Copy on first change: forked children share until then. */
		struct rlimit_set *mine = kmalloc(sizeof(*mine));
		if (!mine)
			return -ENOMEM;
		*mine = *cur;
		mine->cur[resource] = want.rlim_cur;
		mine->max[resource] = want.rlim_max;
		t->rlimits = mine;   /* the old set may be shared: left as is */
	}
	return 0;
}

int sys_getrlimit(u32 resource, uptr_t rlim)
{
	return sys_prlimit64(0, resource, 0, rlim);
}
