/* sysinfo(2): uptime, memory and the number of tasks, as Linux counts
 * them. Kevlar has no swap, no high memory and keeps no load average, so
 * those fields are 0. Memory is in bytes (mem_unit 1): all RAM the frame
 * allocator manages, and what of it is free. */
#include <syscalls.h>
#include <kevlar/abi.h>
#include <kevlar/errno.h>
#include <kevlar/mm.h>
#include <kevlar/string.h>
#include <kevlar/task.h>
#include <kevlar/time.h>
#include <kevlar/uaccess.h>

#define PROCS_MAX    0xffffu   /* procs is 16 bits wide */

int sys_sysinfo(uptr_t info)
{
	struct sysinfo si;
	u64 ns = clock_monotonic_ns();
	unsigned procs = task_live_count();

	memset(&si, 0, sizeof(si));
	/* Linux rounds a part second up. */
	si.uptime = (s64)(ns / NSEC_PER_SEC + (ns % NSEC_PER_SEC ? 1 : 0));
	si.totalram = frame_total_pages() * PAGE_SIZE;
	si.freeram = frame_free_pages() * PAGE_SIZE;
	si.procs = (u16)(procs > PROCS_MAX ? PROCS_MAX : procs);
	si.mem_unit = 1;
	return copy_to_user(info, &si, sizeof(si)) ? -EFAULT : 0;
}
