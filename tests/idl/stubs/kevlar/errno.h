/* Test stub of <kevlar/errno.h>: Linux's values, those generated code uses. */
#ifndef KEVLAR_ERRNO_H
#define KEVLAR_ERRNO_H
#define EPERM 1
#define ENOENT 2
#define EIO 5
#define EBADF 9
#define EFAULT 14
#define EINVAL 22
#define ENAMETOOLONG 36
#define ENOSYS 38
#endif
