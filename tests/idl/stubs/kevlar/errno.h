/* Test stub of <kevlar/errno.h>. */
#ifndef KEVLAR_ERRNO_H
#define KEVLAR_ERRNO_H
#define EPERM 1
#define EIO 5
#endif
