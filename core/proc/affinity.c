/* sched_getaffinity(2): every task may run on every online CPU. Kevlar's
 * CPU mask is one 64-bit word (cpumask_size() in Linux's terms), so a
 * call gets at most 8 bytes back, and its length is checked as Linux
 * checks it: a whole number of longs, enough bits for the CPUs there are. */
#include <syscalls.h>
#include <kevlar/errno.h>
#include <kevlar/platform.h>
#include <kevlar/task.h>
#include <kevlar/uaccess.h>

#define CPUMASK_BYTES sizeof(u64)

int sys_sched_getaffinity(int pid, u32 len, uptr_t umask)
{
	unsigned cpus = cpus_online();
	u64 mask;
	size_t n;

	if ((u64)len * 8 < cpus || (len & (sizeof(u64) - 1)))
		return -EINVAL;
	if (pid < 0 || (pid && !task_find(pid)))
		return -ESRCH;
	mask = cpus >= 64 ? ~0ULL : (1ULL << cpus) - 1;
	n = len < CPUMASK_BYTES ? len : CPUMASK_BYTES;
	if (copy_to_user(umask, &mask, n))
		return -EFAULT;
	return (int)n;
}
