/*
 * Copying to and from user memory. Every function checks that the user
 * range lies in user space, and survives a fault on it: a bad pointer
 * gives -EFAULT, never a kernel crash. A fault on a user page that Core
 * can fix (demand paging, copy-on-write) is fixed and the copy goes on.
 * With SMAP, these are the only places the kernel touches user memory.
 */
#ifndef KEVLAR_UACCESS_H
#define KEVLAR_UACCESS_H

#include <kevlar/types.h>

/* 0, or -EFAULT if any byte could not be copied. */
int copy_from_user(void *dst, uptr_t src, size_t n);
int copy_to_user(uptr_t dst, const void *src, size_t n);
int clear_user(uptr_t dst, size_t n);
/*
 * Copies a NUL-terminated string of at most max-1 characters. Returns its
 * length, -EFAULT, or -ENAMETOOLONG if no NUL came within max bytes.
 */
long strncpy_from_user(char *dst, uptr_t src, size_t max);

#endif
