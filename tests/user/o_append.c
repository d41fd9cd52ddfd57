/* O_APPEND: every write goes to the end, whatever the offset was. */
#include "usertest.h"

static int contents_are(const char *path, const char *want)
{
	char buf[64];
	int fd = open(path, O_RDONLY);
	ssize_t n = read(fd, buf, sizeof(buf));

	close(fd);
	return n == (ssize_t)strlen(want) && !memcmp(buf, want, n);
}

int main(void)
{
	const char *dir = scratch_dir();
	char path[256];

	snprintf(path, sizeof(path), "%s/log", dir);
	int fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0644);
	CHECK("o_append.write", write(fd, "abc", 3) == 3);
	lseek(fd, 0, SEEK_SET);
	CHECK("o_append.write_after_seek_to_0", write(fd, "def", 3) == 3);
	CHECK("o_append.offset_is_end", lseek(fd, 0, SEEK_CUR) == 6);
	CHECK("o_append.contents", contents_are(path, "abcdef"));
	CHECK("o_append.getfl_shows_append", (fcntl(fd, F_GETFL) & O_APPEND) != 0);

	int other = open(path, O_WRONLY | O_APPEND);
	write(other, "12", 2);
	write(fd, "34", 2);
	CHECK("o_append.two_descriptions_interleave", contents_are(path, "abcdef1234"));
	close(other);

	int plain = open(path, O_WRONLY);
	write(plain, "X", 1);
	CHECK("o_append.plain_fd_overwrites", contents_are(path, "Xbcdef1234"));
	CHECK("o_append.setfl_adds_append", fcntl(plain, F_SETFL, O_APPEND) == 0);
	lseek(plain, 0, SEEK_SET);
	write(plain, "Y", 1);
	CHECK("o_append.setfl_append_takes_effect", contents_are(path, "Xbcdef1234Y"));
	close(plain);
	close(fd);

	fd = open(path, O_RDWR | O_APPEND);
	char c = 0;
	lseek(fd, 1, SEEK_SET);
	CHECK("o_append.read_uses_offset", read(fd, &c, 1) == 1 && c == 'b');
	write(fd, "Z", 1);
	CHECK("o_append.rdwr_write_appends", contents_are(path, "Xbcdef1234YZ"));
	close(fd);
	remove_tree(dir);
	return finish();
}
