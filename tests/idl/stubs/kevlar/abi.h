/*
 * Test stub of Core's <kevlar/abi.h>: the Linux ABI structs the fixture
 * and idl/syscalls.idl name, with their x86_64 sizes (the real header
 * checks every field against Linux's).
 */
#ifndef KEVLAR_ABI_H
#define KEVLAR_ABI_H
#include <kevlar/types.h>
struct timespec { s64 tv_sec; s64 tv_nsec; };
struct timeval { s64 tv_sec; s64 tv_usec; };
struct iovec { uptr_t iov_base; u64 iov_len; };
struct rlimit { u64 rlim_cur; u64 rlim_max; };
struct stat { u8 bytes[144]; };
struct statx { u8 bytes[256]; };
struct utsname { char field[6][65]; };
struct linux_dirent64 { u64 d_ino; s64 d_off; u16 d_reclen; u8 d_type; char d_name[]; };
struct pollfd { int fd; short events; short revents; };
struct sigaction { uptr_t handler; u64 flags; uptr_t restorer; u64 mask; };
_Static_assert(sizeof(struct stat) == 144, "struct stat");
_Static_assert(sizeof(struct statx) == 256, "struct statx");
_Static_assert(sizeof(struct utsname) == 390, "struct utsname");
#endif
