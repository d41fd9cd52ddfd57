/* Pipes: data, end of file when every writer is gone, flags, big transfers. */
#include "usertest.h"

static int fds[2];

static int write_x_and_exit(void *arg)
{
	close(fds[0]);
	return write(fds[1], "x", 1) == 1 ? 0 : 1;
}

static int write_a_megabyte(void *arg)
{
	static char chunk[3000];
	size_t left = 1 << 20;

	close(fds[0]);
	while (left) {
		size_t n = left < sizeof(chunk) ? left : sizeof(chunk);
		for (size_t i = 0; i < n; i++)
			chunk[i] = (char)(left - i);
		if (write(fds[1], chunk, n) != (ssize_t)n)
			return 1;
		left -= n;
	}
	return 0;
}

int main(void)
{
	char buf[64];
	struct stat st;

	check_ok("pipe.create", pipe(fds));
	CHECK("pipe.write", write(fds[1], "abc", 3) == 3);
	CHECK("pipe.read", read(fds[0], buf, sizeof(buf)) == 3 && !memcmp(buf, "abc", 3));
	CHECK("pipe.fstat_is_fifo", fstat(fds[0], &st) == 0 && S_ISFIFO(st.st_mode));
	check_err("pipe.write_read_end_ebadf", write(fds[0], "x", 1), EBADF);
	check_err("pipe.read_write_end_ebadf", read(fds[1], buf, 1), EBADF);
	CHECK("pipe.getfl_read_end", (fcntl(fds[0], F_GETFL) & O_ACCMODE) == O_RDONLY);
	CHECK("pipe.getfl_write_end", (fcntl(fds[1], F_GETFL) & O_ACCMODE) == O_WRONLY);
	write(fds[1], "z", 1);
	close(fds[1]);
	CHECK("pipe.data_before_eof", read(fds[0], buf, sizeof(buf)) == 1 && buf[0] == 'z');
	CHECK("pipe.eof_after_writer_closes", read(fds[0], buf, sizeof(buf)) == 0);
	close(fds[0]);

	/* EOF comes only when the child's copy of the write end is gone too. */
	pipe(fds);
	pid_t pid = fork();
	if (pid == 0)
		_exit(write_x_and_exit(NULL));
	close(fds[1]);
	CHECK("pipe.child_data", read(fds[0], buf, 1) == 1 && buf[0] == 'x');
	CHECK("pipe.eof_after_child_exits", read(fds[0], buf, 1) == 0);
	waitpid(pid, NULL, 0);
	close(fds[0]);

	/* A megabyte from a child, through a pipe that fills up many times. */
	pipe(fds);
	pid = fork();
	if (pid == 0)
		_exit(write_a_megabyte(NULL));
	close(fds[1]);
	size_t got = 0;
	int order_ok = 1;
	ssize_t n;
	static char in[4096];
	while ((n = read(fds[0], in, sizeof(in))) > 0) {
		for (ssize_t i = 0; i < n; i++) {
			size_t at = got + i;
			size_t left = (1 << 20) - (at / 3000) * 3000;
			if (in[i] != (char)(left - at % 3000))
				order_ok = 0;
		}
		got += n;
	}
	int wst;
	waitpid(pid, &wst, 0);
	CHECK("pipe.megabyte_all_arrived", got == 1 << 20);
	CHECK("pipe.megabyte_in_order", order_ok);
	check_exit("pipe.megabyte_writer_status", wst, 0);
	close(fds[0]);

	check_ok("pipe2.cloexec", pipe2(fds, O_CLOEXEC));
	CHECK("pipe2.cloexec_both_ends", fcntl(fds[0], F_GETFD) == FD_CLOEXEC &&
	      fcntl(fds[1], F_GETFD) == FD_CLOEXEC);
	close(fds[0]);
	close(fds[1]);

	check_ok("pipe2.nonblock", pipe2(fds, O_NONBLOCK));
	check_err("pipe2.nonblock_empty_read_eagain", read(fds[0], buf, 1), EAGAIN);
	size_t capacity = 0;
	static char fill[512];
	while ((n = write(fds[1], fill, sizeof(fill))) > 0)
		capacity += n;
	check_err("pipe2.nonblock_full_write_eagain", n, EAGAIN);
	CHECK("pipe2.capacity_at_least_4096", capacity >= 4096);
	close(fds[0]);
	close(fds[1]);
	check_err("pipe2.bad_flags_einval", pipe2(fds, O_APPEND), EINVAL);
	return finish();
}
