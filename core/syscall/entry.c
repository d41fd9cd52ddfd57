/*
 * System calls: Ring 0's SYSCALL entry hands the saved registers here;
 * the generated dispatcher (gen/<profile>/syscalls.c, from
 * idl/syscalls.idl) decodes the arguments and calls sys_<name>.
 * strace=1 on the command line traces every call.
 */
#include <syscalls.h>
#include <kevlar/cmdline.h>
#include <kevlar/platform.h>
#include <kevlar/task.h>

static int set_strace(const char *v)
{
	return kparam_bool(v, &syscall_trace);
}
KPARAM("strace", set_strace, "1|0: print every system call, like strace");

int syscall_trace_pid(void)
{
	return current_task()->pid;
}

void core_syscall(struct trap_frame *f)
{
	struct task *t = current_task();

	t->in_syscall = true;
	f->rax = (u64)syscall_invoke(f);
	t->in_syscall = false;
}
