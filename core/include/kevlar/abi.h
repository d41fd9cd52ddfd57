/*
 * The Linux x86_64 user ABI structures Kevlar reads and writes. Layouts
 * follow the kernel's UAPI headers (asm/stat.h, linux/utsname.h,
 * linux/time_types.h, linux/uio.h, linux/resource.h, linux/stat.h,
 * linux/dirent.h); the asserts pin sizes and offsets to Linux's.
 */
#ifndef KEVLAR_ABI_H
#define KEVLAR_ABI_H

#include <abi/resource.h>
#include <kevlar/types.h>

#define OFFSET(t, m) __builtin_offsetof(t, m)

struct timespec {
	s64 tv_sec;
	s64 tv_nsec;
};

struct timeval {
	s64 tv_sec;
	s64 tv_usec;
};

struct iovec {
	u64 iov_base;   /* a user address */
	u64 iov_len;
};

struct rlimit {
	u64 rlim_cur;
	u64 rlim_max;
};

struct utsname {
	char sysname[65];
	char nodename[65];
	char release[65];
	char version[65];
	char machine[65];
	char domainname[65];
};

struct stat {
	u64 st_dev;
	u64 st_ino;
	u64 st_nlink;
	u32 st_mode;
	u32 st_uid;
	u32 st_gid;
	u32 __pad0;
	u64 st_rdev;
	s64 st_size;
	s64 st_blksize;
	s64 st_blocks;
	u64 st_atime;
	u64 st_atime_nsec;
	u64 st_mtime;
	u64 st_mtime_nsec;
	u64 st_ctime;
	u64 st_ctime_nsec;
	s64 __reserved[3];
};

struct statx_timestamp {
	s64 tv_sec;
	u32 tv_nsec;
	s32 __reserved;
};

struct statx {
	u32 stx_mask;
	u32 stx_blksize;
	u64 stx_attributes;
	u32 stx_nlink;
	u32 stx_uid;
	u32 stx_gid;
	u16 stx_mode;
	u16 __spare0;
	u64 stx_ino;
	u64 stx_size;
	u64 stx_blocks;
	u64 stx_attributes_mask;
	struct statx_timestamp stx_atime, stx_btime, stx_ctime, stx_mtime;
	u32 stx_rdev_major;
	u32 stx_rdev_minor;
	u32 stx_dev_major;
	u32 stx_dev_minor;
	u64 __spare2[14];
};

struct linux_dirent64 {
	u64 d_ino;
	s64 d_off;
	u16 d_reclen;
	u8 d_type;
	char d_name[];
};

/* The kernel's struct sigaction (not libc's): handler, flags, restorer,
 * mask. */
struct sigaction {
	u64 sa_handler;
	u64 sa_flags;
	u64 sa_restorer;
	u64 sa_mask;
};

struct pollfd {
	s32 fd;
	s16 events;
	s16 revents;
};

/* linux/sysinfo.h; memory in units of mem_unit bytes. */
struct sysinfo {
	s64 uptime;
	u64 loads[3];
	u64 totalram;
	u64 freeram;
	u64 sharedram;
	u64 bufferram;
	u64 totalswap;
	u64 freeswap;
	u16 procs;
	u16 pad;
	u64 totalhigh;
	u64 freehigh;
	u32 mem_unit;
	char _f[4];
};

_Static_assert(sizeof(struct sigaction) == 32, "kernel sigaction");
_Static_assert(sizeof(struct pollfd) == 8, "pollfd");
_Static_assert(sizeof(struct timespec) == 16, "timespec");
_Static_assert(sizeof(struct timeval) == 16, "timeval");
_Static_assert(sizeof(struct iovec) == 16, "iovec");
_Static_assert(sizeof(struct rlimit) == 16, "rlimit");
_Static_assert(sizeof(struct utsname) == 390, "new_utsname");
_Static_assert(sizeof(struct stat) == 144, "stat");
_Static_assert(OFFSET(struct stat, st_mode) == 24, "stat.st_mode");
_Static_assert(OFFSET(struct stat, st_size) == 48, "stat.st_size");
_Static_assert(OFFSET(struct stat, st_mtime) == 88, "stat.st_mtime");
_Static_assert(sizeof(struct statx) == 256, "statx");
_Static_assert(OFFSET(struct statx, stx_ino) == 32, "statx.stx_ino");
_Static_assert(OFFSET(struct statx, stx_atime) == 64, "statx.stx_atime");
_Static_assert(OFFSET(struct statx, stx_rdev_major) == 128, "statx.stx_rdev_major");
_Static_assert(OFFSET(struct linux_dirent64, d_name) == 19, "linux_dirent64");
_Static_assert(sizeof(struct sysinfo) == 112, "sysinfo");
_Static_assert(OFFSET(struct sysinfo, procs) == 80, "sysinfo.procs");
_Static_assert(OFFSET(struct sysinfo, mem_unit) == 104, "sysinfo.mem_unit");

#undef OFFSET

#endif
