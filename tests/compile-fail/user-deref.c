/*
 * Must not pass lint: code outside Ring 0 reads user memory through a
 * __user pointer. gcc builds it (__user is nothing to gcc); sparse, as
 * make lint runs it, refuses the dereference. With -DCONTROL: the pointer
 * is a kernel one.
 */
#include <kevlar/compiler.h>
#include <kevlar/types.h>

#ifdef CONTROL
#define ARG const int *
#else
#define ARG const int __user *
#endif

int compile_fail_user_deref(ARG p);

int compile_fail_user_deref(ARG p)
{
	return *p;
}
