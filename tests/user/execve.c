/* execve of another program: argv, envp, pid and fds across it; errors. */
#include "usertest.h"
#include <libgen.h>

static char child_path[512];

static int run_child(void *arg)
{
	char pid[16], keep[16], cloexec[16];
	int fd_keep = open("/dev/null", O_RDONLY);
	int fd_cloexec = open("/dev/null", O_RDONLY | O_CLOEXEC);

	snprintf(pid, sizeof(pid), "%d", getpid());
	snprintf(keep, sizeof(keep), "%d", fd_keep);
	snprintf(cloexec, sizeof(cloexec), "%d", fd_cloexec);
	char *argv[] = { "exec_child", pid, keep, cloexec, "one", "two words", "", NULL };
	char *envp[] = { "KT_A=1", "KT_B=two words", NULL };
	execve(child_path, argv, envp);
	return 100 + errno;
}

int main(int argc, char **argv)
{
	char self[512];
	const char *dir = scratch_dir();
	char path[512];

	snprintf(self, sizeof(self), "%s", argv[0]);
	snprintf(child_path, sizeof(child_path), "%s/helpers/exec_child", dirname(self));
	check_exit("execve.child_ran_and_exited_42", in_child(run_child, NULL), 42);

	char *args[] = { "x", NULL };
	char *env[] = { NULL };
	snprintf(path, sizeof(path), "%s/missing", dir);
	check_err("execve.missing_enoent", execve(path, args, env), ENOENT);

	snprintf(path, sizeof(path), "%s/plain", dir);
	write_file(path, "#!/bin/sh\nexit 0\n", 17, 0644);
	check_err("execve.not_executable_eacces", execve(path, args, env), EACCES);

	check_err("execve.directory_eacces", execve(dir, args, env), EACCES);

	snprintf(path, sizeof(path), "%s/plain/x", dir);
	check_err("execve.through_a_file_enotdir", execve(path, args, env), ENOTDIR);

	remove_tree(dir);
	return finish();
}
