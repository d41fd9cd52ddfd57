/*
 * A process's files, in Linux's formats (proc(5)): stat, status, statm,
 * cmdline, environ, comm, maps, mounts and fdinfo/<fd>.
 *
 * Fields Kevlar does not keep print as Linux prints a counter that never
 * moved: 0 (page-fault counts, the interval timer, wchan, swap, the data
 * segment's bounds, guest time) or the default (nice 0 and priority 20:
 * Kevlar has no nice). Every other value is
 * read from Core when the file is read.
 */
#include <ifc/procinfo.h>
#include <abi/fcntl.h>
#include <abi/mman.h>
#include <abi/resource.h>
#include <abi/signal.h>
#include <kevlar/errno.h>
#include <kevlar/string.h>
#include "procfs.h"

#define PAGE_KB   4
#define VMA_SHARED 0x100   /* procinfo.vma_flags */
#define VMA_STACK  0x200
#define PATH_LEN   256     /* paths longer than this are cut in maps */

enum { ADDR_ARG_START, ADDR_ARG_END, ADDR_ENV_START, ADDR_ENV_END, ADDR_BRK_START,
       ADDR_BRK, ADDR_START_STACK };
enum { SIG_BLOCKED, SIG_IGNORED, SIG_CAUGHT, SIG_PENDING };

/* What one walk over a process's areas finds. */
struct vm_summary {
	u64 size, data, stack, text;   /* bytes */
	u64 start_code, end_code;      /* the program's first text area */
};

static void summarize(int pid, struct vm_summary *s)
{
	char exe[PATH_LEN], path[PATH_LEN];
	int n = procinfo_exe_path(PROCINFO, pid, (u8 *)exe, sizeof(exe) - 1);
	size_t elen = n < 0 ? 0 : MIN((size_t)n, sizeof(exe) - 1);

	memset(s, 0, sizeof(*s));
	for (long start = procinfo_vma_find(PROCINFO, pid, 0); start >= 0;) {
		long end = procinfo_vma_end(PROCINFO, pid, (u64)start);
		long flags = procinfo_vma_flags(PROCINFO, pid, (u64)start);
		if (end < 0 || flags < 0)
			break;
		u64 bytes = (u64)(end - start);
		s->size += bytes;
		if (flags & VMA_STACK) {
			s->stack += bytes;
		} else if ((flags & PROT_WRITE) && !(flags & VMA_SHARED)) {
			s->data += bytes;
		} else if ((flags & PROT_EXEC) && elen) {
			int p = procinfo_vma_path(PROCINFO, pid, (u64)start, (u8 *)path,
						  sizeof(path));
			if (p >= 0 && (size_t)p == elen && !memcmp(path, exe, elen)) {
				s->text += bytes;
				if (!s->start_code) {
					s->start_code = (u64)start;
					s->end_code = (u64)end;
				}
			}
		}
		start = procinfo_vma_find(PROCINFO, pid, (u64)end);
	}
}

static void comm_of(int pid, char *buf, size_t size)
{
	int n = procinfo_comm(PROCINFO, pid, (u8 *)buf, size - 1);
	buf[n < 0 ? 0 : MIN((size_t)n, size - 1)] = 0;
}

static const char *state_name(int state)
{
	switch (state) {
	case 'R': return "R (running)";
	case 'Z': return "Z (zombie)";
	case 'T': return "T (stopped)";
	default:  return "S (sleeping)";
	}
}

static long addr(int pid, int which)
{
	long a = procinfo_mm_addr(PROCINFO, pid, which);
	return a < 0 ? 0 : a;
}

static void stat(int pid, struct out *o)
{
	char comm[17];
	struct vm_summary vm;

	comm_of(pid, comm, sizeof(comm));
	summarize(pid, &vm);
	out_printf(o, "%d (%s) %c %d %d %d 0 -1 0 0 0 0 0 ", pid, comm,
		   procinfo_state(PROCINFO, pid), procinfo_ppid(PROCINFO, pid),
		   procinfo_pgid(PROCINFO, pid), procinfo_sid(PROCINFO, pid));
	out_printf(o, "%ld %ld %ld %ld 20 0 %d 0 %ld ", procinfo_cpu_ticks(PROCINFO, pid, 0),
		   procinfo_cpu_ticks(PROCINFO, pid, 1), procinfo_cpu_ticks(PROCINFO, pid, 2),
		   procinfo_cpu_ticks(PROCINFO, pid, 3), procinfo_threads(PROCINFO, pid),
		   procinfo_start_ticks(PROCINFO, pid));
	out_printf(o, "%lu %ld %lu %lu %lu %ld 0 0 ", vm.size, procinfo_rss_pages(PROCINFO, pid),
		   RLIM_INFINITY, vm.start_code, vm.end_code, addr(pid, ADDR_START_STACK));
	/* The obsolete signal fields, in decimal as Linux prints them. */
	out_printf(o, "0 %lu %lu %lu 0 0 0 %d 0 0 0 0 0 0 0 0 ",
		   (unsigned long)procinfo_signals(PROCINFO, pid, SIG_BLOCKED),
		   (unsigned long)procinfo_signals(PROCINFO, pid, SIG_IGNORED),
		   (unsigned long)procinfo_signals(PROCINFO, pid, SIG_CAUGHT), SIGCHLD);
	out_printf(o, "%ld %ld %ld %ld %ld 0\n", addr(pid, ADDR_BRK_START),
		   addr(pid, ADDR_ARG_START), addr(pid, ADDR_ARG_END),
		   addr(pid, ADDR_ENV_START), addr(pid, ADDR_ENV_END));
}

/* The Uid:, Gid: and Groups: lines: real, effective, saved and
 * filesystem ids; the groups each followed by a space, as Linux ends
 * the line with one even when there are none. Only the first 32 groups
 * are shown. */
static void ids(int pid, struct out *o)
{
	u32 groups[32];
	long id[8];

	for (int i = 0; i < 8; i++)
		id[i] = procinfo_cred(PROCINFO, pid, i);
	out_printf(o, "Uid:\t%ld\t%ld\t%ld\t%ld\nGid:\t%ld\t%ld\t%ld\t%ld\nGroups:\t",
		   id[0], id[1], id[2], id[3], id[4], id[5], id[6], id[7]);
	int n = procinfo_groups(PROCINFO, pid, groups, ARRAY_SIZE(groups));
	for (int i = 0; i < n && i < (int)ARRAY_SIZE(groups); i++)
		out_printf(o, i ? " %u" : "%u", groups[i]);
	out_printf(o, " \n");
}

static void status(int pid, struct out *o)
{
	char comm[17];
	struct vm_summary vm;
	int pgid = procinfo_pgid(PROCINFO, pid), sid = procinfo_sid(PROCINFO, pid);

	comm_of(pid, comm, sizeof(comm));
	summarize(pid, &vm);
	out_printf(o, "Name:\t%s\nUmask:\t%04o\nState:\t%s\n", comm,
		   procinfo_umask(PROCINFO, pid), state_name(procinfo_state(PROCINFO, pid)));
	out_printf(o, "Tgid:\t%d\nNgid:\t0\nPid:\t%d\nPPid:\t%d\nTracerPid:\t0\n", pid, pid,
		   procinfo_ppid(PROCINFO, pid));
	ids(pid, o);
	out_printf(o, "NStgid:\t%d\nNSpid:\t%d\nNSpgid:\t%d\nNSsid:\t%d\n", pid, pid, pgid, sid);
	if (vm.size) {
		out_printf(o, "VmSize:\t%8lu kB\nVmRSS:\t%8ld kB\n", vm.size / 1024,
			   procinfo_rss_pages(PROCINFO, pid) * PAGE_KB);
		out_printf(o, "VmData:\t%8lu kB\nVmStk:\t%8lu kB\nVmExe:\t%8lu kB\n",
			   vm.data / 1024, vm.stack / 1024, vm.text / 1024);
	}
	out_printf(o, "Threads:\t%d\n", procinfo_threads(PROCINFO, pid));
	out_printf(o, "SigPnd:\t%016lx\nShdPnd:\t%016lx\n",
		   (unsigned long)procinfo_signals(PROCINFO, pid, SIG_PENDING), 0UL);
	out_printf(o, "SigBlk:\t%016lx\nSigIgn:\t%016lx\nSigCgt:\t%016lx\n",
		   (unsigned long)procinfo_signals(PROCINFO, pid, SIG_BLOCKED),
		   (unsigned long)procinfo_signals(PROCINFO, pid, SIG_IGNORED),
		   (unsigned long)procinfo_signals(PROCINFO, pid, SIG_CAUGHT));
}

/* size resident shared text lib data dt, in pages. Kevlar does not tell
 * shared from private resident pages, so 'shared' is 0; lib and dt are
 * 0 in Linux too. */
static void statm(int pid, struct out *o)
{
	struct vm_summary vm;

	summarize(pid, &vm);
	out_printf(o, "%lu %ld 0 %lu 0 %lu 0\n", vm.size / PAGE_SIZE,
		   procinfo_rss_pages(PROCINFO, pid), vm.text / PAGE_SIZE,
		   (vm.data + vm.stack) / PAGE_SIZE);
}

/* Bytes [from, to) of the process's memory, as cmdline and environ are. */
static void memory(int pid, long from, long to, struct out *o)
{
	u8 chunk[256];

	/* Skip to the reader's window without reading what it has passed. */
	if (from < to && o->start > o->at) {
		u64 skip = MIN(o->start - o->at, (u64)(to - from));
		o->at += skip;
		from += (long)skip;
	}
	while (from < to && !out_full(o)) {
		size_t want = MIN(sizeof(chunk), (size_t)(to - from));
		ssize_t n = procinfo_read_mem(PROCINFO, pid, (u64)from, chunk, want);
		if (n <= 0)
			return;
		out_bytes(o, chunk, (size_t)n);
		from += n;
	}
}

static void maps(int pid, struct out *o)
{
	char path[PATH_LEN];
	long brk_start = addr(pid, ADDR_BRK_START), brk = addr(pid, ADDR_BRK);

	for (long start = procinfo_vma_find(PROCINFO, pid, 0); start >= 0 && !out_full(o);) {
		long end = procinfo_vma_end(PROCINFO, pid, (u64)start);
		long flags = procinfo_vma_flags(PROCINFO, pid, (u64)start);
		if (end < 0 || flags < 0)
			break;
		long dev = procinfo_vma_dev(PROCINFO, pid, (u64)start);
		long ino = procinfo_vma_ino(PROCINFO, pid, (u64)start);
		int n = procinfo_vma_path(PROCINFO, pid, (u64)start, (u8 *)path, sizeof(path) - 1);
		path[n < 0 ? 0 : MIN((size_t)n, sizeof(path) - 1)] = 0;
		if (!path[0] && (flags & VMA_STACK))
			strlcpy(path, "[stack]", sizeof(path));
		else if (!path[0] && brk > brk_start && start <= brk_start && end >= brk)
			strlcpy(path, "[heap]", sizeof(path));
		char line[128];
		int len = ksnprintf(line, sizeof(line), "%08lx-%08lx %c%c%c%c %08lx %02lx:%02lx %lu",
				    start, end, flags & PROT_READ ? 'r' : '-',
				    flags & PROT_WRITE ? 'w' : '-', flags & PROT_EXEC ? 'x' : '-',
				    flags & VMA_SHARED ? 's' : 'p',
				    procinfo_vma_offset(PROCINFO, pid, (u64)start),
				    (dev >> 8) & 0xfff, (dev & 0xff) | ((dev >> 12) & 0xfff00), ino);
		/* Linux pads the path to column 73 (25 + 6 * sizeof(void *) - 1). */
		out_printf(o, "%s%*s%s\n", line, path[0] && len < 73 ? 73 - len : 0,
			   path[0] && len >= 73 ? " " : "", path);
		start = procinfo_vma_find(PROCINFO, pid, (u64)end);
	}
}

static void fdinfo(int pid, int fd, struct out *o)
{
	long flags = procinfo_fd_flags(PROCINFO, pid, fd);
	long pos = procinfo_fd_pos(PROCINFO, pid, fd);

	if (flags < 0 || pos < 0)
		return;
	out_printf(o, "pos:\t%ld\nflags:\t0%lo\n", pos, flags);
}

int render_process(unsigned kind, int pid, unsigned index, struct out *o)
{
	char comm[17];

	if (procinfo_state(PROCINFO, pid) < 0)
		return -ESRCH;
	switch (kind) {
	case N_PID_STAT:    stat(pid, o); return 0;
	case N_PID_STATUS:  status(pid, o); return 0;
	case N_PID_STATM:   statm(pid, o); return 0;
	case N_PID_OOM_SCORE:
		out_printf(o, "%ld\n", procinfo_oom_score(PROCINFO, pid));
		return 0;
	case N_PID_MAPS:    maps(pid, o); return 0;
	case N_PID_MOUNTS:  render_mounts(o); return 0;
	case N_PID_FDINFO:  fdinfo(pid, (int)index, o); return 0;
	case N_PID_CMDLINE:
		memory(pid, addr(pid, ADDR_ARG_START), addr(pid, ADDR_ARG_END), o);
		return 0;
	case N_PID_ENVIRON:
		memory(pid, addr(pid, ADDR_ENV_START), addr(pid, ADDR_ENV_END), o);
		return 0;
	case N_PID_COMM:
		comm_of(pid, comm, sizeof(comm));
		out_printf(o, "%s\n", comm);
		return 0;
	default:
		return -EISDIR;
	}
}
