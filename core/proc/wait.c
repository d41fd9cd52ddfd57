/* wait4: reaping children, with Linux's status encoding. */
#include <syscalls.h>
#include <kevlar/errno.h>
#include <kevlar/irq.h>
#include <kevlar/procinfo.h>
#include <kevlar/string.h>
#include <kevlar/task.h>
#include <kevlar/uaccess.h>

#define WNOHANG 1
#define RUSAGE_SIZE 144   /* struct rusage on x86_64 */

static bool matches(const struct task *parent, const struct task *c, pid_t pid)
{
	if (pid > 0)
		return c->pid == pid;
	if (pid == 0)
		return c->pgid == parent->pgid;
	if (pid < -1)
		return c->pgid == -pid;
	return true;
}

/* A zombie child matching 'pid', or NULL; *any says whether any child
 * matches at all. Interrupts are off. */
static struct task *find_zombie(struct task *parent, pid_t pid, bool *any)
{
	*any = false;
	list_for_each(pos, &parent->children) {
		struct task *c = list_entry(pos, struct task, sibling);
		if (!matches(parent, c, pid))
			continue;
		*any = true;
		if (c->state == TASK_ZOMBIE)
			return c;
	}
	return NULL;
}

long sys_wait4(int pid, uptr_t wstatus, int options, uptr_t rusage)
{
	struct task *self = current_task();

	if (options & ~(WNOHANG | 2 /* WUNTRACED */ | 8 /* WCONTINUED */ | 0x40000000 /* __WALL */))
		return -EINVAL;
	for (;;) {
		bool any;
		/* Interrupts stay off from the search to the sleep, so a child
		 * exiting in between cannot be missed. */
		u64 flags = irq_save();
		struct task *z = find_zombie(self, pid, &any);
		if (z || !any || (options & WNOHANG))
			irq_restore(flags);
		if (z) {
			int status = z->exit_code;
			if (wstatus && copy_to_user(wstatus, &status, sizeof(status)))
				return -EFAULT;
			if (rusage && clear_user(rusage, RUSAGE_SIZE))
				return -EFAULT;
			pid_t reaped = z->pid;
			acct_reap(self, z);
			task_free(z);
			return reaped;
		}
		if (!any)
			return -ECHILD;
		if (options & WNOHANG)
			return 0;
		sched_sleep(&self->child_exit, 0);
		irq_restore(flags);
	}
}

long sys_exit(int code)
{
	task_exit(WSTATUS_EXITED(code));
}

long sys_exit_group(int code)
{
	task_exit(WSTATUS_EXITED(code));
}
