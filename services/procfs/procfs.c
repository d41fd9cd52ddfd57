/*
 * procfs: /proc. Core's VFS asks it what each name is, what each
 * directory lists and what each file says (the synthfs interface); it
 * answers from the node number alone and what Core reports through
 * procinfo at that moment. It keeps nothing between calls, so a restart
 * costs nothing but the call that faulted.
 *
 * The tree: the machine's files and one directory per process at the
 * top, "self" a link to the reader's own; in a process's directory its
 * files, the links exe, cwd and root, and fd/ (a link per descriptor)
 * and fdinfo/; sys/kernel/ holds the settings that can be written.
 * Nothing can be created, removed or renamed, as in Linux.
 */
#include <ifc/filesystem.h>
#include <ifc/ktest_svc.h>
#include <ifc/procinfo.h>
#include <ifc/synthfs.h>
#include <kevlar/errno.h>
#include <kevlar/printk.h>
#include <kevlar/string.h>
#include "procfs.h"

#define FIRST_COOKIE 3   /* "." and ".." are 1 and 2, Core's */

static struct procfs_caps caps;

struct entry {
	const char *name;
	unsigned kind;
	u32 mode;
	unsigned index;
};

static const struct entry root_entries[] = {
	{ "self",        N_SELF,        S_IFLNK | 0777, 0 },
	{ "cpuinfo",     N_CPUINFO,     S_IFREG | 0444, 0 },
	{ "filesystems", N_FILESYSTEMS, S_IFREG | 0444, 0 },
	{ "loadavg",     N_LOADAVG,     S_IFREG | 0444, 0 },
	{ "meminfo",     N_MEMINFO,     S_IFREG | 0444, 0 },
	{ "mounts",      N_MOUNTS,      S_IFLNK | 0777, 0 },
	{ "stat",        N_STAT,        S_IFREG | 0444, 0 },
	{ "sys",         N_SYS_DIR,     S_IFDIR | 0555, 0 },
	{ "uptime",      N_UPTIME,      S_IFREG | 0444, 0 },
	{ "version",     N_VERSION,     S_IFREG | 0444, 0 },
};

static const struct entry sys_entries[] = {
	{ "kernel", N_SYS_KERNEL_DIR, S_IFDIR | 0555, 0 },
};

/* The index is procinfo.sysctl's 'which'. */
static const struct entry sys_kernel_entries[] = {
	{ "pid_max",     N_SYSCTL, S_IFREG | 0644, 0 },
	{ "threads-max", N_SYSCTL, S_IFREG | 0644, 1 },
};

static const struct entry pid_entries[] = {
	{ "fd",      N_PID_FD_DIR,     S_IFDIR | 0500, 0 },
	{ "fdinfo",  N_PID_FDINFO_DIR, S_IFDIR | 0555, 0 },
	{ "cmdline", N_PID_CMDLINE,    S_IFREG | 0444, 0 },
	{ "comm",    N_PID_COMM,       S_IFREG | 0444, 0 },
	{ "cwd",     N_PID_CWD,        S_IFLNK | 0777, 0 },
	{ "environ", N_PID_ENVIRON,    S_IFREG | 0400, 0 },
	{ "exe",     N_PID_EXE,        S_IFLNK | 0777, 0 },
	{ "maps",    N_PID_MAPS,       S_IFREG | 0444, 0 },
	{ "mounts",  N_PID_MOUNTS,     S_IFREG | 0444, 0 },
	{ "oom_score", N_PID_OOM_SCORE, S_IFREG | 0444, 0 },
	{ "root",    N_PID_ROOT,       S_IFLNK | 0777, 0 },
	{ "stat",    N_PID_STAT,       S_IFREG | 0444, 0 },
	{ "statm",   N_PID_STATM,      S_IFREG | 0444, 0 },
	{ "status",  N_PID_STATUS,     S_IFREG | 0444, 0 },
};

#define PID_DIR_MODE   (S_IFDIR | 0555)
#define FD_LINK_MODE   (S_IFLNK | 0700)
#define FDINFO_MODE    (S_IFREG | 0444)

int procfs_init(const struct procfs_caps *c)
{
	caps = *c;
	return 0;
}

cap_ProcInfo procfs_procinfo(void)
{
	return caps.ProcInfo;
}

/* A decimal number as Linux's procfs reads a name: digits only, no
 * leading zero, below 2^31. -1 if it is not one. */
static int name_number(const u8 *name, size_t len)
{
	long v = 0;

	if (len == 0 || len > 10 || (name[0] == '0' && len > 1))
		return -1;
	for (size_t i = 0; i < len; i++) {
		if (name[i] < '0' || name[i] > '9')
			return -1;
		v = v * 10 + (name[i] - '0');
	}
	return v > 0x7fffffff ? -1 : (int)v;
}

static const struct entry *find(const struct entry *table, size_t n, const u8 *name,
				size_t len)
{
	for (size_t i = 0; i < n; i++)
		if (strlen(table[i].name) == len && !memcmp(table[i].name, name, len))
			return &table[i];
	return NULL;
}

static bool process_exists(int pid)
{
	return procinfo_state(PROCINFO, pid) >= 0;
}

static bool fd_open(int pid, int fd)
{
	return fd >= 0 && procinfo_fd_next(PROCINFO, pid, fd - 1) == fd;
}

long procfs_synthfs_lookup(void *inst, u32 sb, u64 dir, const u8 *name, size_t len, u32 *mode)
{
	int pid = node_pid(dir), n;
	const struct entry *e;

	switch (node_kind(dir)) {
	case N_ROOT:
		ktest_svc_fault_if_asked(name, len);
		if ((e = find(root_entries, ARRAY_SIZE(root_entries), name, len))) {
			*mode = e->mode;
			return (long)node_make(e->kind, 0, 0);
		}
		n = name_number(name, len);
		if (n <= 0 || !process_exists(n))
			return -ENOENT;
		*mode = PID_DIR_MODE;
		return (long)node_make(N_PID_DIR, n, 0);
	case N_PID_DIR:
		if (!process_exists(pid))
			return -ENOENT;
		if (!(e = find(pid_entries, ARRAY_SIZE(pid_entries), name, len)))
			return -ENOENT;
		*mode = e->mode;
		return (long)node_make(e->kind, pid, 0);
	case N_SYS_DIR:
	case N_SYS_KERNEL_DIR:
		if (node_kind(dir) == N_SYS_DIR)
			e = find(sys_entries, ARRAY_SIZE(sys_entries), name, len);
		else
			e = find(sys_kernel_entries, ARRAY_SIZE(sys_kernel_entries), name, len);
		if (!e)
			return -ENOENT;
		*mode = e->mode;
		return (long)node_make(e->kind, 0, e->index);
	case N_PID_FD_DIR:
	case N_PID_FDINFO_DIR:
		n = name_number(name, len);
		if (!fd_open(pid, n))
			return -ENOENT;
		if (node_kind(dir) == N_PID_FD_DIR) {
			*mode = FD_LINK_MODE;
			return (long)node_make(N_PID_FD, pid, (unsigned)n);
		}
		*mode = FDINFO_MODE;
		return (long)node_make(N_PID_FDINFO, pid, (unsigned)n);
	default:
		return -ENOTDIR;
	}
}

/* Gives entry 'name' back to Core's readdir. */
static long dirent(const char *name, u64 node, u32 mode, u64 cookie, u8 *buf, size_t len,
		   u64 *info)
{
	size_t n = strlen(name);
	if (n > len)
		return -ENAMETOOLONG;
	memcpy(buf, name, n);
	info[0] = node;
	info[1] = mode;
	info[2] = cookie;
	return (long)n;
}

/* Entry i of a fixed directory, at cookie FIRST_COOKIE + i. */
static long table_entry(const struct entry *table, size_t n, int pid, u64 i, u8 *name,
			size_t len, u64 *info)
{
	if (i >= n)
		return 0;
	return dirent(table[i].name, node_make(table[i].kind, pid, table[i].index),
		      table[i].mode, FIRST_COOKIE + i, name, len, info);
}

long procfs_synthfs_readdir(void *inst, u32 sb, u64 dir, u64 pos, u8 *name, size_t len,
			    u64 *info)
{
	int pid = node_pid(dir);
	char num[16];
	u64 i = pos < FIRST_COOKIE ? 0 : pos - FIRST_COOKIE;

	switch (node_kind(dir)) {
	case N_ROOT: {
		if (i < ARRAY_SIZE(root_entries)) {
			const struct entry *e = &root_entries[i];
			return dirent(e->name, node_make(e->kind, 0, 0), e->mode,
				      FIRST_COOKIE + i, name, len, info);
		}
		/* Then the processes, each at cookie base + pid. */
		u64 base = FIRST_COOKIE + ARRAY_SIZE(root_entries);
		u64 after = i - ARRAY_SIZE(root_entries);   /* pos - base */
		if (after > 0x7fffffff)
			return 0;
		int next = procinfo_next_pid(PROCINFO, (int)after - 1);
		if (next < 0)
			return 0;
		ksnprintf(num, sizeof(num), "%d", next);
		return dirent(num, node_make(N_PID_DIR, next, 0), PID_DIR_MODE,
			      base + (u64)next, name, len, info);
	}
	case N_PID_DIR:
		if (!process_exists(pid))
			return -ENOENT;
		return table_entry(pid_entries, ARRAY_SIZE(pid_entries), pid, i, name, len, info);
	case N_SYS_DIR:
		return table_entry(sys_entries, ARRAY_SIZE(sys_entries), 0, i, name, len, info);
	case N_SYS_KERNEL_DIR:
		return table_entry(sys_kernel_entries, ARRAY_SIZE(sys_kernel_entries), 0, i,
				   name, len, info);
	case N_PID_FD_DIR:
	case N_PID_FDINFO_DIR: {
		/* Descriptor fd at cookie FIRST_COOKIE + fd. */
		if (i > 0x7fffffff)
			return 0;
		int fd = procinfo_fd_next(PROCINFO, pid, (int)i - 1);
		if (fd < 0)
			return fd == -ESRCH ? -ENOENT : 0;
		ksnprintf(num, sizeof(num), "%d", fd);
		bool links = node_kind(dir) == N_PID_FD_DIR;
		return dirent(num, node_make(links ? N_PID_FD : N_PID_FDINFO, pid, (unsigned)fd),
			      links ? FD_LINK_MODE : FDINFO_MODE, FIRST_COOKIE + (u64)fd,
			      name, len, info);
	}
	default:
		return -ENOTDIR;
	}
}

ssize_t procfs_synthfs_read(void *inst, u32 sb, u64 node, u64 pos, u8 *buf, size_t len)
{
	struct out o = { .buf = buf, .len = len, .start = pos, .at = 0 };
	int pid = node_pid(node), rc;

	if (pid)
		rc = render_process(node_kind(node), pid, node_index(node), &o);
	else if (node_kind(node) == N_SYSCTL)
		rc = render_sysctl(node_index(node), &o);
	else
		rc = render_system(node_kind(node), &o);
	return rc < 0 ? rc : (ssize_t)out_done(&o);
}

ssize_t procfs_synthfs_write(void *inst, u32 sb, u64 node, u64 pos, const u8 *buf, size_t len)
{
	if (node_kind(node) != N_SYSCTL || node_pid(node))
		return -EACCES;
	return sysctl_write(node_index(node), pos, buf, len);
}

ssize_t procfs_synthfs_readlink(void *inst, u32 sb, u64 node, u8 *buf, size_t len)
{
	int pid = node_pid(node);
	char num[16];
	int n;

	switch (node_kind(node)) {
	case N_SELF:
		n = ksnprintf(num, sizeof(num), "%d", procinfo_self(PROCINFO));
		memcpy(buf, num, MIN((size_t)n, len));
		return n;
	case N_MOUNTS:
		n = (int)strlen("self/mounts");
		memcpy(buf, "self/mounts", MIN((size_t)n, len));
		return n;
	case N_PID_EXE:
		return procinfo_exe_path(PROCINFO, pid, buf, len);
	case N_PID_CWD:
		return procinfo_cwd_path(PROCINFO, pid, buf, len);
	case N_PID_ROOT:
		return procinfo_root_path(PROCINFO, pid, buf, len);
	case N_PID_FD:
		return procinfo_fd_path(PROCINFO, pid, (int)node_index(node), buf, len);
	default:
		return -EINVAL;
	}
}

/* ---- the tree cannot be changed ---- */

int procfs_filesystem_mount(void *inst, u32 sb)
{
	return 0;
}

long procfs_filesystem_create(void *inst, u32 sb, u64 dir, const u8 *name, size_t len,
			      u32 mode, u32 rdev)
{
	return -ENOENT;
}

long procfs_filesystem_mkdir(void *inst, u32 sb, u64 dir, const u8 *name, size_t len, u32 mode)
{
	return -ENOENT;
}

long procfs_filesystem_symlink(void *inst, u32 sb, u64 dir, const u8 *name, size_t len,
			       const u8 *target, size_t tlen)
{
	return -ENOENT;
}

int procfs_filesystem_link(void *inst, u32 sb, u64 ino, u64 dir, const u8 *name, size_t len)
{
	return -ENOENT;
}

int procfs_filesystem_unlink(void *inst, u32 sb, u64 dir, const u8 *name, size_t len)
{
	return -EPERM;
}

int procfs_filesystem_rmdir(void *inst, u32 sb, u64 dir, const u8 *name, size_t len)
{
	return -EPERM;
}

int procfs_filesystem_rename(void *inst, u32 sb, u64 odir, const u8 *oname, size_t olen,
			     u64 ndir, const u8 *nname, size_t nlen, u32 flags)
{
	return -ENOENT;
}

int procfs_filesystem_setsize(void *inst, u32 sb, u64 ino, u64 size)
{
	return -EPERM;
}

int procfs_filesystem_setmode(void *inst, u32 sb, u64 ino, u32 mode)
{
	return -EPERM;
}
