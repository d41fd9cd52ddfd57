/*
 * The machine's files, in Linux's formats (proc(5)): meminfo, uptime,
 * loadavg, stat, cpuinfo, version, filesystems, and the mount table that
 * /proc/<pid>/mounts shows. Lines Kevlar has no numbers for are left
 * out rather than made up; a field inside a line that Kevlar does not
 * keep (interrupts in /proc/stat's cpu line, say) is 0, as Linux prints
 * a counter that never moved.
 */
#include <ifc/procinfo.h>
#include <kevlar/errno.h>
#include <kevlar/string.h>
#include "procfs.h"

#define USER_HZ     100
#define PAGE_KB     4
#define LOAD_FSHIFT 11
#define FIXED_1     (1L << LOAD_FSHIFT)

enum { MEM_TOTAL, MEM_FREE, MEM_CACHED, MEM_RESIDENT };
enum { TICKS_USER, TICKS_SYSTEM, TICKS_IDLE };
enum { TASKS_RUNNABLE, TASKS_ALL, TASKS_FORKS, TASKS_LAST_PID };

static long mem_kb(int which)
{
	long pages = procinfo_mem_pages(PROCINFO, which);
	return pages < 0 ? 0 : pages * PAGE_KB;
}

static void meminfo_line(struct out *o, const char *name, long kb)
{
	char label[32];
	ksnprintf(label, sizeof(label), "%s:", name);
	out_printf(o, "%-15s %8ld kB\n", label, kb);
}

/* File data all lives in RAM (tmpfs) and cannot be dropped, so it is
 * Shmem, counted in Cached as Linux does, and not available. */
static void meminfo(struct out *o)
{
	long cached = mem_kb(MEM_CACHED), free = mem_kb(MEM_FREE);

	meminfo_line(o, "MemTotal", mem_kb(MEM_TOTAL));
	meminfo_line(o, "MemFree", free);
	meminfo_line(o, "MemAvailable", free);
	meminfo_line(o, "Buffers", 0);
	meminfo_line(o, "Cached", cached);
	meminfo_line(o, "SwapCached", 0);
	meminfo_line(o, "SwapTotal", 0);
	meminfo_line(o, "SwapFree", 0);
	meminfo_line(o, "AnonPages", mem_kb(MEM_RESIDENT));
	meminfo_line(o, "Shmem", cached);
}

/* Seconds with two decimals from clock ticks. */
static void out_ticks(struct out *o, long ticks, const char *end)
{
	out_printf(o, "%ld.%02ld%s", ticks / USER_HZ, ticks % USER_HZ, end);
}

static void uptime(struct out *o)
{
	long ns = procinfo_uptime_ns(PROCINFO);
	out_ticks(o, ns / (1000000000L / USER_HZ), " ");
	out_ticks(o, procinfo_sys_ticks(PROCINFO, TICKS_IDLE), "\n");
}

static void loadavg(struct out *o)
{
	for (int i = 0; i < 3; i++) {
		long l = procinfo_loadavg(PROCINFO, i) + FIXED_1 / 200;   /* rounded as Linux */
		out_printf(o, "%ld.%02ld ", l >> LOAD_FSHIFT,
			   ((l & (FIXED_1 - 1)) * 100) >> LOAD_FSHIFT);
	}
	out_printf(o, "%ld/%ld %ld\n", procinfo_task_count(PROCINFO, TASKS_RUNNABLE),
		   procinfo_task_count(PROCINFO, TASKS_ALL),
		   procinfo_task_count(PROCINFO, TASKS_LAST_PID));
}

/* The cpu lines: user nice system idle iowait irq softirq steal guest
 * guest_nice. Kevlar charges interrupts to what they interrupted, and
 * runs everything at nice 0. With one CPU running the kernel, cpu0 is
 * the whole machine. */
static void stat(struct out *o)
{
	long user = procinfo_sys_ticks(PROCINFO, TICKS_USER);
	long sys = procinfo_sys_ticks(PROCINFO, TICKS_SYSTEM);
	long idle = procinfo_sys_ticks(PROCINFO, TICKS_IDLE);

	out_printf(o, "cpu  %ld 0 %ld %ld 0 0 0 0 0 0\n", user, sys, idle);
	out_printf(o, "cpu0 %ld 0 %ld %ld 0 0 0 0 0 0\n", user, sys, idle);
	out_printf(o, "btime %ld\n", procinfo_boot_time(PROCINFO));
	out_printf(o, "processes %ld\n", procinfo_task_count(PROCINFO, TASKS_FORKS));
	out_printf(o, "procs_running %ld\n", procinfo_task_count(PROCINFO, TASKS_RUNNABLE));
	out_printf(o, "procs_blocked 0\n");
}

/* What Core can say about the CPUs: how many, and the clock rate (the
 * TSC's; bogomips is twice it, as Linux computes it from the TSC). */
static void cpuinfo(struct out *o)
{
	int cpus = procinfo_cpus(PROCINFO);
	long khz = procinfo_cpu_khz(PROCINFO);

	for (int i = 0; i < cpus; i++) {
		out_printf(o, "processor\t: %d\n", i);
		out_printf(o, "cpu MHz\t\t: %ld.%03ld\n", khz / 1000, khz % 1000);
		out_printf(o, "bogomips\t: %ld.%02ld\n", khz * 2 / 1000, (khz * 2 % 1000) / 10);
		out_printf(o, "\n");
	}
}

/* A string procinfo fills, NUL-terminated; "" if it fails. */
static void fetch(int rc, char *buf, size_t size)
{
	buf[rc < 0 ? 0 : MIN((size_t)rc, size - 1)] = 0;
}

static void version(struct out *o)
{
	char sys[65], rel[65], ver[65];

	fetch(procinfo_uname(PROCINFO, 0, (u8 *)sys, sizeof(sys) - 1), sys, sizeof(sys));
	fetch(procinfo_uname(PROCINFO, 1, (u8 *)rel, sizeof(rel) - 1), rel, sizeof(rel));
	fetch(procinfo_uname(PROCINFO, 2, (u8 *)ver, sizeof(ver) - 1), ver, sizeof(ver));
	out_printf(o, "%s version %s %s\n", sys, rel, ver);
}

/* Every type here is one that needs no device. */
static void filesystems(struct out *o)
{
	char name[32];

	for (int i = 0;; i++) {
		int n = procinfo_fs_type(PROCINFO, i, (u8 *)name, sizeof(name) - 1);
		if (n < 0)
			return;
		fetch(n, name, sizeof(name));
		out_printf(o, "nodev\t%s\n", name);
	}
}

/* Mount options, as /proc/mounts shows them: Kevlar mounts everything
 * read-write, with nothing else to say. */
void render_mounts(struct out *o)
{
	char path[256], type[32], source[64];

	for (int id = procinfo_mount_next(PROCINFO, 0); id > 0 && !out_full(o);
	     id = procinfo_mount_next(PROCINFO, id)) {
		fetch(procinfo_mount_path(PROCINFO, id, (u8 *)path, sizeof(path) - 1), path,
		      sizeof(path));
		fetch(procinfo_mount_type(PROCINFO, id, (u8 *)type, sizeof(type) - 1), type,
		      sizeof(type));
		fetch(procinfo_mount_source(PROCINFO, id, (u8 *)source, sizeof(source) - 1),
		      source, sizeof(source));
		out_printf(o, "%s %s %s rw 0 0\n", source, path, type);
	}
}

int render_system(unsigned kind, struct out *o)
{
	switch (kind) {
	case N_MEMINFO:     meminfo(o); return 0;
	case N_UPTIME:      uptime(o); return 0;
	case N_LOADAVG:     loadavg(o); return 0;
	case N_STAT:        stat(o); return 0;
	case N_CPUINFO:     cpuinfo(o); return 0;
	case N_VERSION:     version(o); return 0;
	case N_FILESYSTEMS: filesystems(o); return 0;
	case N_ROOT:        return -EISDIR;
	default:            return -EINVAL;
	}
}
