/* Writing to a pipe nobody reads: SIGPIPE, or EPIPE when it is ignored. */
#include "usertest.h"
#include <signal.h>

static int fds[2];

static int write_to_closed_pipe(void *arg)
{
	write(fds[1], "x", 1);
	return 0;
}

int main(void)
{
	pipe(fds);
	close(fds[0]);
	check_killed("pipe_sigpipe.default_kills_writer", in_child(write_to_closed_pipe, NULL), 13);

	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_IGN;
	check_ok("pipe_sigpipe.ignore_sigpipe", sigaction(SIGPIPE, &sa, NULL));
	check_err("pipe_sigpipe.ignored_gives_epipe", write(fds[1], "x", 1), EPIPE);
	close(fds[1]);
	return finish();
}
