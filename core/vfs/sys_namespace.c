/*
 * The system calls that change names: each copies its paths in and calls
 * the namespace.c operation.
 */
#include <syscalls.h>
#include <kevlar/errno.h>
#include <kevlar/mm.h>
#include <kevlar/uaccess.h>
#include "vfs_internal.h"

/* Runs 'call' with the user path 'u' copied into 'name'. */
#define WITH_NAME(u, name, call)                                        \
	({                                                              \
		int _rc;                                                \
		char *name = getname((u), &_rc);                        \
		if (name) {                                             \
			_rc = (call);                                   \
			putname(name);                                  \
		}                                                       \
		_rc;                                                    \
	})

int sys_mkdirat(int dirfd, uptr_t path, u16 mode)
{
	return WITH_NAME(path, p, vfs_mkdirat(dirfd, p, mode));
}

int sys_mkdir(uptr_t path, u16 mode)
{
	return sys_mkdirat(AT_FDCWD, path, mode);
}

int sys_unlinkat(int dirfd, uptr_t path, int flags)
{
	return WITH_NAME(path, p, vfs_unlinkat(dirfd, p, flags));
}

int sys_unlink(uptr_t path)
{
	return sys_unlinkat(AT_FDCWD, path, 0);
}

int sys_rmdir(uptr_t path)
{
	return sys_unlinkat(AT_FDCWD, path, AT_REMOVEDIR);
}

int sys_renameat2(int olddirfd, uptr_t oldpath, int newdirfd, uptr_t newpath, u32 flags)
{
	return WITH_NAME(oldpath, o, WITH_NAME(newpath, n,
		vfs_renameat2(olddirfd, o, newdirfd, n, flags)));
}

int sys_renameat(int olddirfd, uptr_t oldpath, int newdirfd, uptr_t newpath)
{
	return sys_renameat2(olddirfd, oldpath, newdirfd, newpath, 0);
}

int sys_rename(uptr_t oldpath, uptr_t newpath)
{
	return sys_renameat2(AT_FDCWD, oldpath, AT_FDCWD, newpath, 0);
}

int sys_linkat(int olddirfd, uptr_t oldpath, int newdirfd, uptr_t newpath, int flags)
{
	return WITH_NAME(oldpath, o, WITH_NAME(newpath, n,
		vfs_linkat(olddirfd, o, newdirfd, n, flags)));
}

int sys_link(uptr_t oldpath, uptr_t newpath)
{
	return sys_linkat(AT_FDCWD, oldpath, AT_FDCWD, newpath, 0);
}

int sys_symlinkat(uptr_t target, int newdirfd, uptr_t linkpath)
{
	return WITH_NAME(target, t, WITH_NAME(linkpath, l, vfs_symlinkat(t, newdirfd, l)));
}

int sys_symlink(uptr_t target, uptr_t linkpath)
{
	return sys_symlinkat(target, AT_FDCWD, linkpath);
}

ssize_t sys_readlinkat(int dirfd, uptr_t path, uptr_t buf, int bufsiz)
{
	if (bufsiz <= 0)
		return -EINVAL;
	char *out = kmalloc(PATH_MAX);
	if (!out)
		return -ENOMEM;
	ssize_t n = WITH_NAME(path, p, (int)vfs_readlinkat(dirfd, p, out, MIN((size_t)bufsiz,
									 PATH_MAX)));
	if (n > 0 && copy_to_user(buf, out, (size_t)n))
		n = -EFAULT;
	kfree(out);
	return n;
}

ssize_t sys_readlink(uptr_t path, uptr_t buf, int bufsiz)
{
	return sys_readlinkat(AT_FDCWD, path, buf, bufsiz);
}

int sys_fchmodat(int dirfd, uptr_t path, u16 mode)
{
	return WITH_NAME(path, p, vfs_chmodat(dirfd, p, mode, 0));
}

int sys_chmod(uptr_t path, u16 mode)
{
	return sys_fchmodat(AT_FDCWD, path, mode);
}
