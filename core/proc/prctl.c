/* prctl(2) (the task name, so far) and set_robust_list(2). */
#include <syscalls.h>
#include <abi/prctl.h>
#include <kevlar/errno.h>
#include <kevlar/string.h>
#include <kevlar/task.h>
#include <kevlar/uaccess.h>
#include "../ktest/ktest.h"

/* Test kernels only: make Core fault on purpose ("KOOP"). */
#define PR_KTEST_OOPS 0x4b4f4f50
#define ROBUST_LIST_HEAD_SIZE 24

int sys_prctl(int option, u64 arg2, u64 arg3, u64 arg4, u64 arg5)
{
	struct task *t = current_task();
	char name[sizeof(t->comm)];

	switch (option) {
	case PR_SET_NAME: {
		long n = strncpy_from_user(name, arg2, sizeof(name));
		if (n == -EFAULT)
			return -EFAULT;
		name[sizeof(name) - 1] = 0;   /* longer names are cut, as Linux */
		strlcpy(t->comm, name, sizeof(t->comm));
		return 0;
	}
	case PR_GET_NAME:
		return copy_to_user(arg2, t->comm, sizeof(t->comm)) ? -EFAULT : 0;
#ifdef KEVLAR_KTEST
	case PR_KTEST_OOPS:
		return ktest_oops_prctl(arg2);
#endif
	default:
		return -EINVAL;
	}
}

int sys_set_robust_list(uptr_t head, size_t len)
{
	if (len != ROBUST_LIST_HEAD_SIZE)
		return -EINVAL;
	current_task()->robust_list = head;
	return 0;
}
