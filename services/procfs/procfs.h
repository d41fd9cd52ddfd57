/*
 * Private to the procfs service: how it names its nodes, and the writer
 * its files are rendered with.
 *
 * A node number packs what a node is: bits 0-7 its kind, 8-31 an index
 * (a descriptor number), 32-62 the pid it belongs to (0 for the files of
 * the whole machine). The root is node 1 (kind 1, pid 0), as synthfs
 * wants. Nothing else is kept: every call works from the number alone.
 */
#ifndef SERVICES_PROCFS_H
#define SERVICES_PROCFS_H

#include <caps.h>
#include <services.h>
#include <abi/stat.h>
#include <kevlar/compiler.h>
#include <kevlar/printk.h>
#include <kevlar/types.h>

enum node_kind {
	/* The machine's. */
	N_ROOT = 1,
	N_SELF,
	N_MEMINFO,
	N_UPTIME,
	N_LOADAVG,
	N_STAT,
	N_CPUINFO,
	N_VERSION,
	N_MOUNTS,
	N_FILESYSTEMS,
	N_SYS_DIR,
	N_SYS_KERNEL_DIR,
	N_SYSCTL,           /* index: which setting (procinfo.sysctl) */
	/* A process's. */
	N_PID_DIR,
	N_PID_STAT,
	N_PID_STATUS,
	N_PID_STATM,
	N_PID_OOM_SCORE,
	N_PID_CMDLINE,
	N_PID_ENVIRON,
	N_PID_COMM,
	N_PID_MAPS,
	N_PID_MOUNTS,
	N_PID_EXE,
	N_PID_CWD,
	N_PID_ROOT,
	N_PID_FD_DIR,
	N_PID_FD,
	N_PID_FDINFO_DIR,
	N_PID_FDINFO,
};

static inline u64 node_make(unsigned kind, int pid, unsigned index)
{
	return (u64)kind | ((u64)index << 8) | ((u64)(u32)pid << 32);
}
static inline unsigned node_kind(u64 node) { return node & 0xff; }
static inline unsigned node_index(u64 node) { return (node >> 8) & 0xffffff; }
static inline int node_pid(u64 node) { return (int)((node >> 32) & 0x7fffffff); }

/* procfs.c: the service's ProcInfo token, for every procinfo call. */
cap_ProcInfo procfs_procinfo(void);
#define PROCINFO procfs_procinfo()

/*
 * The writer a file is rendered with. A file is made whole each time it
 * is read, but only the bytes in the window [start, start + len) are
 * kept, so no file needs a buffer of its own size.
 */
struct out {
	u8 *buf;
	size_t len;
	u64 start;      /* the file offset buf[0] is for */
	u64 at;         /* the file offset of the next byte */
};

void out_bytes(struct out *o, const void *p, size_t n);
__printf(2, 3) void out_printf(struct out *o, const char *fmt, ...);
/* Bytes written into the window so far. */
size_t out_done(const struct out *o);
/* Everything wanted is in the window: rendering may stop. */
static inline bool out_full(const struct out *o) { return o->at >= o->start + o->len; }

/* system.c: the machine's files. */
int render_system(unsigned kind, struct out *o);
/* process.c: a process's files; -ESRCH if it is gone. */
int render_process(unsigned kind, int pid, unsigned index, struct out *o);
/* system.c: the mount table, for /proc/<pid>/mounts. */
void render_mounts(struct out *o);
/* sysctl.c: a setting's file, and a write to it. */
int render_sysctl(unsigned which, struct out *o);
ssize_t sysctl_write(unsigned which, u64 pos, const u8 *buf, size_t len);

#endif
