/* Regular files: create, read, write, lseek, pread/pwrite, readv/writev. */
#include "usertest.h"
#include <sys/uio.h>

int main(void)
{
	const char *dir = scratch_dir();
	char path[256], buf[64];
	struct stat st;

	snprintf(path, sizeof(path), "%s/f", dir);
	int fd = open(path, O_RDWR | O_CREAT | O_EXCL, 0644);
	check_ok("file_io.create_excl", fd);
	check_err("file_io.create_excl_again_eexist", open(path, O_RDWR | O_CREAT | O_EXCL, 0644),
		  EEXIST);
	CHECK("file_io.write_returns_count", write(fd, "hello world", 11) == 11);
	CHECK("file_io.offset_after_write", lseek(fd, 0, SEEK_CUR) == 11);
	CHECK("file_io.seek_set", lseek(fd, 0, SEEK_SET) == 0);
	memset(buf, 0, sizeof(buf));
	CHECK("file_io.read_5", read(fd, buf, 5) == 5 && !memcmp(buf, "hello", 5));
	CHECK("file_io.seek_cur", lseek(fd, 1, SEEK_CUR) == 6);
	CHECK("file_io.read_rest_short", read(fd, buf, sizeof(buf)) == 5 && !memcmp(buf, "world", 5));
	CHECK("file_io.read_at_eof_0", read(fd, buf, sizeof(buf)) == 0);
	CHECK("file_io.seek_end", lseek(fd, -5, SEEK_END) == 6);

	CHECK("file_io.pread", pread(fd, buf, 5, 0) == 5 && !memcmp(buf, "hello", 5));
	CHECK("file_io.pread_keeps_offset", lseek(fd, 0, SEEK_CUR) == 6);
	CHECK("file_io.pwrite", pwrite(fd, "HELLO", 5, 0) == 5);
	CHECK("file_io.pwrite_keeps_offset", lseek(fd, 0, SEEK_CUR) == 6);
	CHECK("file_io.pwrite_landed", pread(fd, buf, 11, 0) == 11 && !memcmp(buf, "HELLO world", 11));
	CHECK("file_io.pread_past_eof_0", pread(fd, buf, 5, 1000) == 0);

	/* A write past the end leaves a hole that reads as zeroes. */
	CHECK("file_io.seek_past_end", lseek(fd, 100, SEEK_SET) == 100);
	CHECK("file_io.write_past_end", write(fd, "!", 1) == 1);
	CHECK("file_io.size_after_hole", fstat(fd, &st) == 0 && st.st_size == 101);
	memset(buf, 1, sizeof(buf));
	CHECK("file_io.hole_reads_zero", pread(fd, buf, 20, 50) == 20 && buf[0] == 0 && buf[19] == 0);

	check_err("file_io.seek_negative_einval", lseek(fd, -1, SEEK_SET), EINVAL);
	check_err("file_io.seek_bad_whence_einval", lseek(fd, 0, 99), EINVAL);

	/* readv and writev. */
	struct iovec wv[3] = { { "ab", 2 }, { "", 0 }, { "cdef", 4 } };
	lseek(fd, 0, SEEK_SET);
	CHECK("file_io.writev", writev(fd, wv, 3) == 6);
	char r1[3], r2[8];
	struct iovec rv[2] = { { r1, 3 }, { r2, 8 } };
	lseek(fd, 0, SEEK_SET);
	CHECK("file_io.readv", readv(fd, rv, 2) == 11 && !memcmp(r1, "abc", 3) &&
	      !memcmp(r2, "defworld", 8));
	check_ok("file_io.close", close(fd));
	check_err("file_io.close_twice_ebadf", close(fd), EBADF);

	/* A megabyte through a small file: every byte comes back. */
	static char big[1 << 20], back[1 << 20];
	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = (char)(i * 31 + (i >> 12));
	fd = open(path, O_RDWR | O_TRUNC);
	CHECK("file_io.trunc_on_open", fstat(fd, &st) == 0 && st.st_size == 0);
	CHECK("file_io.write_1mib", write(fd, big, sizeof(big)) == sizeof(big));
	size_t got = 0;
	lseek(fd, 0, SEEK_SET);
	for (ssize_t n; got < sizeof(back) && (n = read(fd, back + got, sizeof(back) - got)) > 0;)
		got += n;
	CHECK("file_io.read_1mib_back", got == sizeof(back) && !memcmp(big, back, sizeof(big)));
	close(fd);

	fd = open(path, O_RDONLY);
	check_err("file_io.write_on_rdonly_ebadf", write(fd, "x", 1), EBADF);
	close(fd);
	fd = open(path, O_WRONLY);
	check_err("file_io.read_on_wronly_ebadf", read(fd, buf, 1), EBADF);
	close(fd);
	check_err("file_io.read_bad_fd_ebadf", read(999, buf, 1), EBADF);
	check_err("file_io.open_dir_for_write_eisdir", open(dir, O_WRONLY), EISDIR);
	check_err("file_io.open_missing_enoent", open("/tmp/kevlar-ut-no/such", O_RDONLY), ENOENT);

	int fds[2];
	pipe(fds);
	check_err("file_io.lseek_pipe_espipe", lseek(fds[0], 0, SEEK_SET), ESPIPE);
	check_err("file_io.pread_pipe_espipe", pread(fds[0], buf, 1, 0), ESPIPE);
	check_err("file_io.pwrite_pipe_espipe", pwrite(fds[1], "x", 1, 0), ESPIPE);
	remove_tree(dir);
	return finish();
}
