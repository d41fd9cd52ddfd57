/* Test stub of <kevlar/uaccess.h>. */
#ifndef KEVLAR_UACCESS_H
#define KEVLAR_UACCESS_H
#include <kevlar/types.h>
int copy_from_user(void *dst, uptr_t src, size_t n);
int copy_to_user(uptr_t dst, const void *src, size_t n);
long strncpy_from_user(char *dst, uptr_t src, size_t max);
#endif
