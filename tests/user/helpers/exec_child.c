/*
 * Run by tests/user/execve: checks what execve handed over. Its
 * arguments: the pid it must still have, an fd that must be open, one
 * opened with O_CLOEXEC that must be closed, then "one", "two words", "".
 */
#include "../usertest.h"

extern char **environ;

int main(int argc, char **argv)
{
	int env_count = 0;

	while (environ[env_count])
		env_count++;
	if (!CHECK("execve.argc", argc == 7)) {
		return finish();
	}
	CHECK("execve.argv0", !strcmp(argv[0], "exec_child"));
	CHECK("execve.argv_strings", !strcmp(argv[4], "one") && !strcmp(argv[5], "two words") &&
	      !strcmp(argv[6], ""));
	CHECK("execve.argv_null_terminated", argv[argc] == NULL);
	CHECK("execve.envp_count", env_count == 2);
	CHECK("execve.envp_strings", env_count == 2 && !strcmp(environ[0], "KT_A=1") &&
	      !strcmp(environ[1], "KT_B=two words"));
	CHECK("execve.getenv", getenv("KT_B") && !strcmp(getenv("KT_B"), "two words"));
	CHECK("execve.pid_kept", getpid() == atoi(argv[1]));
	CHECK("execve.plain_fd_stays_open", fcntl(atoi(argv[2]), F_GETFD) == 0);
	check_err("execve.cloexec_fd_closed", fcntl(atoi(argv[3]), F_GETFD), EBADF);
	return finish() ? 3 : 42;
}
