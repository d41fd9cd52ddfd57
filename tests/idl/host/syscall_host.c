/*
 * Runs the dispatcher and tracer that idlc generates for the fixture
 * (tests/idl/fixtures/syscalls.idl) on the host: Ring 0's printk and
 * user-copy routines and Core's sys_* functions are the small fakes
 * below. User memory is all of the host's, except that addresses below
 * FAULT_TOP fault, as an unmapped page would. Every line goes to stdout;
 * test_syscall_run.py compares it with what strace would print.
 */
#include <stdio.h>
#include <string.h>

#include <kevlar/types.h>
#include <kevlar/errno.h>
#include <kevlar/mmu.h>
#include <kevlar/printk.h>
#include <kevlar/trapframe.h>
#include <kevlar/uaccess.h>
#include <syscalls.h>

#define FAULT_TOP 0x10000UL

/* ---- Ring 0 */

int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	return vsnprintf(buf, size, fmt, ap);
}

void printk(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
}

int copy_from_user(void *dst, uptr_t src, size_t n)
{
	if (!n)
		return 0;
	if (src < FAULT_TOP || !access_ok(src, n))
		return -EFAULT;
	memcpy(dst, (const void *)src, n);
	return 0;
}

int copy_to_user(uptr_t dst, const void *src, size_t n)
{
	if (!n)
		return 0;
	if (dst < FAULT_TOP || !access_ok(dst, n))
		return -EFAULT;
	memcpy((void *)dst, src, n);
	return 0;
}

long strncpy_from_user(char *dst, uptr_t src, size_t max)
{
	const char *s = (const char *)src;

	if (src < FAULT_TOP || !access_ok(src, max))
		return -EFAULT;
	for (size_t i = 0; i < max; i++) {
		dst[i] = s[i];
		if (!s[i])
			return i;
	}
	/* What dst holds now is not part of the contract: spoil it. */
	memset(dst, 'X', max);
	return -ENAMETOOLONG;
}

/* ---- Core */

int syscall_trace_pid(void)
{
	return 12;
}

static long fill(uptr_t buf, const char *bytes, size_t n)
{
	return copy_to_user(buf, bytes, n) ? -EFAULT : (long)n;
}

ssize_t sys_read(int fd, uptr_t buf, size_t count)
{
	static const char passwd[] = "root:x:0:0\n";
	char many[40];

	(void)count;
	switch (fd) {
	case 0:
		return -EBADF;
	case 4:
		return fill(buf, passwd, strlen(passwd));
	case 5:
		memset(many, 'a', sizeof(many));
		return fill(buf, many, sizeof(many));
	default:
		return -ENOENT;
	}
}

ssize_t sys_write(int fd, uptr_t buf, size_t count)
{
	(void)fd;
	(void)buf;
	return count;
}

int sys_open(uptr_t path, int flags, u16 mode)
{
	char s[64];

	(void)flags;
	(void)mode;
	if (path && strncpy_from_user(s, path, sizeof(s)) < 0)
		return -EFAULT;
	return 3;
}

int sys_fstat(int fd, uptr_t statbuf)
{
	(void)fd;
	(void)statbuf;
	return 0;
}

long sys_lseek(int fd, s64 offset, int whence)
{
	(void)fd;
	(void)whence;
	return offset;
}

long sys_mmap(uptr_t addr, size_t length, int prot, int flags, int fd, s64 offset)
{
	(void)length;
	(void)prot;
	(void)flags;
	(void)fd;
	(void)offset;
	return addr ? (long)addr : 0x7f0000000000L;
}

ssize_t sys_writev(int fd, uptr_t iov, int iovcnt)
{
	(void)fd;
	(void)iov;
	(void)iovcnt;
	return -EINVAL;
}

int sys_getpid(void)
{
	return 12;
}

long sys_exit(int code)
{
	printf("sys_exit(%d) ran\n", code);
	return 0;
}

long sys_exit_group(int code)
{
	printf("sys_exit_group(%d) ran\n", code);
	return 0;
}

long sys_getdents64(int fd, uptr_t dirp, u32 count)
{
	(void)dirp;
	(void)count;
	return fd == 7 ? -300 : -5000;
}

int sys_clock_gettime(int clock, uptr_t tp)
{
	(void)tp;
	return clock == 99 ? -EINVAL : 0;
}

int sys_openat(int dirfd, uptr_t path, int flags, u16 mode)
{
	(void)dirfd;
	return sys_open(path, flags, mode);
}

ssize_t sys_getrandom(uptr_t buf, size_t buflen, u32 flags)
{
	static const char bytes[] = { 0, '1', 1, 'x', (char)0377 };

	(void)flags;
	return fill(buf, bytes, buflen < sizeof(bytes) ? buflen : sizeof(bytes));
}

/* ---- the calls */

static long call(u64 nr, u64 a0, u64 a1, u64 a2, u64 a3, u64 a4, u64 a5)
{
	struct trap_frame f = { .rax = nr, .rdi = a0, .rsi = a1, .rdx = a2,
				.r10 = a3, .r8 = a4, .r9 = a5 };

	return syscall_invoke(&f);
}

#define U(p) ((u64)(uintptr_t)(p))

int main(void)
{
	static char buf[128];
	static const char hello[] = "hello\n";
	static const char forty[] = "0123456789012345678901234567890123456789";
	static const char escapes[] = "say \"hi\"\\ \t\r\v\f\177\200";
	static const char long_path[] = "/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

	syscall_trace = true;
	call(SYS_openat, (u64)-100, U("/etc/passwd"), 02000000, 0, 0, 0);
	call(SYS_open, U("/tmp/x"), 01101, 0644, 0, 0, 0);
	call(SYS_write, 1, U(hello), 6, 0, 0, 0);
	call(SYS_write, 1, U(forty), 40, 0, 0, 0);
	call(SYS_write, 2, U(escapes), sizeof(escapes) - 1, 0, 0, 0);
	call(SYS_read, 3, 0x7ffd1234, 4096, 0, 0, 0);
	call(SYS_read, 4, U(buf), 100, 0, 0, 0);
	call(SYS_read, 5, U(buf), 100, 0, 0, 0);
	call(SYS_getrandom, U(buf), 5, 1, 0, 0, 0);
	call(SYS_lseek, 3, 10, 2, 0, 0, 0);
	call(SYS_lseek, 3, 0, 7, 0, 0, 0);
	call(SYS_mmap, 0, 4096, 3, 0x22, (u64)-1, 0);
	call(SYS_mmap, 0x1000, 8192, 0, 0x40000011, 3, 4096);
	call(SYS_open, U("/tmp/x"), 3, 0, 0, 0, 0);
	call(SYS_open, U("/tmp/x"), 04010001, 0, 0, 0, 0);
	call(SYS_open, U("/tmp/x"), 010000, 0, 0, 0, 0);
	call(SYS_open, U("/tmp"), 020200002, 0600, 0, 0, 0);
	call(SYS_open, U("/"), 0200000, 0, 0, 0, 0);
	call(SYS_open, U(long_path), 0, 0, 0, 0, 0);
	call(SYS_open, 0, 0, 0, 0, 0, 0);
	call(SYS_open, 0x1000, 0, 0, 0, 0, 0);
	call(SYS_openat, (u64)-5, U("x"), 0, 0, 0, 0);
	call(SYS_clock_gettime, 1, 0x7ffd0010, 0, 0, 0, 0);
	call(SYS_clock_gettime, (u64)-7, 0x7ffd0010, 0, 0, 0, 0);
	call(SYS_clock_gettime, 99, 0x7ffd0010, 0, 0, 0, 0);
	call(SYS_getpid, 0, 0, 0, 0, 0, 0);
	call(SYS_getdents64, 7, 0x7ffd0000, 100, 0, 0, 0);
	call(SYS_getdents64, 8, 0x7ffd0000, 100, 0, 0, 0);
	call(300, 1, 2, 3, 4, 5, 6);
	call(300, 1, 2, 3, 4, 5, 6);
	call(SYS_poll, 0x7ffd0000, 1, (u64)-1, 0, 0, 0);
	call(SYS_poll, 0x7ffd0000, 1, (u64)-1, 0, 0, 0);
	call(1000, 0, 0, 0, 0, 0, 0);
	call(2000, 0, 0, 0, 0, 0, 0);
	/* User pointers that access_ok() refuses, except in ludicrous. */
	call(SYS_fstat, 1, 0xffff800000000000, 0, 0, 0, 0);
	call(SYS_writev, 1, 0x7ffd0000, (u64)-1, 0, 0, 0);
	call(SYS_read, 0, USER_TOP - 10, 100, 0, 0, 0);
	call(SYS_exit_group, 0, 0, 0, 0, 0, 0);

	syscall_trace = false;
	printf("-- untraced\n");
	printf("write = %ld\n", call(SYS_write, 1, U(hello), 6, 0, 0, 0));
	printf("fstat = %ld\n", call(SYS_fstat, 1, 0xffff800000000000, 0, 0, 0, 0));
	printf("unknown = %ld\n", call(301, 0, 0, 0, 0, 0, 0));
	printf("unknown = %ld\n", call(301, 0, 0, 0, 0, 0, 0));
	printf("pending = %ld\n", call(SYS_prlimit64, 0, 0, 0, 0, 0, 0));
	call(SYS_exit, 3, 0, 0, 0, 0, 0);
	return 0;
}
