/* arch_prctl(2): the user FS and GS bases (thread-local storage). */
#include <syscalls.h>
#include <abi/prctl.h>
#include <kevlar/errno.h>
#include <kevlar/mmu.h>
#include <kevlar/task.h>
#include <kevlar/uaccess.h>

int sys_arch_prctl(int code, uptr_t addr)
{
	struct task *t = current_task();

	switch (code) {
	case ARCH_SET_FS:
		if (addr >= USER_TOP)
			return -EPERM;
		thread_set_fs_base(&t->thread, addr);
		return 0;
	case ARCH_GET_FS:
		return copy_to_user(addr, &t->thread.fs_base, sizeof(u64)) ? -EFAULT : 0;
	case ARCH_SET_GS:
	case ARCH_GET_GS:
		return -EINVAL;   /* the kernel keeps GS; no user GS base yet */
	default:
		return -EINVAL;
	}
}
