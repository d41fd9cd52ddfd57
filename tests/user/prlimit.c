/* prlimit64: reading and setting limits; RLIMIT_NOFILE is enforced. */
#include "usertest.h"

static long sys_prlimit(pid_t pid, int res, const struct rlimit *new, struct rlimit *old)
{
	return syscall(SYS_prlimit64, pid, res, new, old);
}

static int child_sees_limit(void *arg)
{
	struct rlimit r;
	return sys_prlimit(0, RLIMIT_NOFILE, NULL, &r) == 0 && r.rlim_cur == 16 ? 0 : 1;
}

int main(void)
{
	struct rlimit old, r;

	CHECK("prlimit.get_nofile", sys_prlimit(0, RLIMIT_NOFILE, NULL, &old) == 0);
	CHECK("prlimit.nofile_cur_le_max", old.rlim_cur <= old.rlim_max && old.rlim_cur >= 16);
	CHECK("prlimit.get_stack", sys_prlimit(0, RLIMIT_STACK, NULL, &r) == 0 && r.rlim_cur > 0);
	CHECK("prlimit.own_pid", sys_prlimit(getpid(), RLIMIT_NOFILE, NULL, &r) == 0 &&
	      r.rlim_cur == old.rlim_cur);
	CHECK("getrlimit.agrees", getrlimit(RLIMIT_NOFILE, &r) == 0 && r.rlim_cur == old.rlim_cur);

	r.rlim_cur = 16;
	r.rlim_max = old.rlim_max;
	struct rlimit before;
	CHECK("prlimit.set_nofile_16", sys_prlimit(0, RLIMIT_NOFILE, &r, &before) == 0);
	CHECK("prlimit.set_returns_old", before.rlim_cur == old.rlim_cur);
	CHECK("prlimit.get_after_set", sys_prlimit(0, RLIMIT_NOFILE, NULL, &r) == 0 &&
	      r.rlim_cur == 16);
	check_exit("prlimit.inherited_by_child", in_child(child_sees_limit, NULL), 0);

	int highest = -1, fd, opened = 0, dups[100];
	while (opened < 100 && (fd = dup(0)) >= 0) {
		highest = fd > highest ? fd : highest;
		dups[opened++] = fd;
	}
	check_err("prlimit.nofile_enforced_emfile", fd, EMFILE);
	CHECK("prlimit.no_fd_at_or_above_limit", highest < 16);
	check_err("prlimit.dup2_above_limit_ebadf", dup2(0, 16), EBADF);
	while (opened > 0)
		close(dups[--opened]);
	CHECK("prlimit.restore", sys_prlimit(0, RLIMIT_NOFILE, &old, NULL) == 0);

	r.rlim_cur = 10;
	r.rlim_max = 5;
	check_err("prlimit.cur_above_max_einval", sys_prlimit(0, RLIMIT_NOFILE, &r, NULL), EINVAL);
	check_err("prlimit.bad_resource_einval", sys_prlimit(0, 999, NULL, &r), EINVAL);
	check_err("prlimit.missing_pid_esrch", sys_prlimit(0x3ffffff0, RLIMIT_NOFILE, NULL, &r), ESRCH);

	r.rlim_cur = r.rlim_max = 0;
	CHECK("prlimit.core_0", sys_prlimit(0, RLIMIT_CORE, &r, NULL) == 0 &&
	      sys_prlimit(0, RLIMIT_CORE, NULL, &r) == 0 && r.rlim_cur == 0);
	return finish();
}
