/* execve of a "#!" script runs its interpreter with the script's path. */
#include "usertest.h"

static char script[512];

static int run_script(void *arg)
{
	char *argv[] = { script, "a1", NULL };
	char *envp[] = { NULL };

	execve(script, argv, envp);
	return 100 + errno;
}

int main(void)
{
	const char *dir = scratch_dir();
	static const char text[] = "#!/bin/sh\n[ \"$1\" = a1 ] || exit 5\nexit 7\n";

	snprintf(script, sizeof(script), "%s/job.sh", dir);
	write_file(script, text, sizeof(text) - 1, 0755);
	check_exit("execve_shebang.runs_interpreter", in_child(run_script, NULL), 7);
	remove_tree(dir);
	return finish();
}
