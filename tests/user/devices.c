/* /dev/null, /dev/zero and /dev/urandom behave as on Linux. */
#include "usertest.h"
#include <sys/sysmacros.h>

static int is_chr(const char *path, unsigned maj, unsigned min)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISCHR(st.st_mode) && major(st.st_rdev) == maj &&
	       minor(st.st_rdev) == min;
}

int main(void)
{
	char buf[4096];
	int fd;

	CHECK("devices.null_is_1_3", is_chr("/dev/null", 1, 3));
	CHECK("devices.zero_is_1_5", is_chr("/dev/zero", 1, 5));
	CHECK("devices.urandom_is_1_9", is_chr("/dev/urandom", 1, 9));

	fd = open("/dev/null", O_RDWR);
	CHECK("devices.null_open", fd >= 0);
	CHECK("devices.null_write_swallows", write(fd, buf, sizeof(buf)) == sizeof(buf));
	CHECK("devices.null_read_eof", read(fd, buf, sizeof(buf)) == 0);
	close(fd);

	fd = open("/dev/zero", O_RDONLY);
	memset(buf, 1, sizeof(buf));
	int zero = read(fd, buf, sizeof(buf)) == sizeof(buf);
	for (size_t i = 0; i < sizeof(buf); i++)
		zero &= buf[i] == 0;
	CHECK("devices.zero_reads_zeroes", zero);
	close(fd);

	unsigned char a[64], b[64];
	fd = open("/dev/urandom", O_RDONLY);
	CHECK("devices.urandom_reads", read(fd, a, sizeof(a)) == sizeof(a) &&
	      read(fd, b, sizeof(b)) == sizeof(b));
	CHECK("devices.urandom_differs", memcmp(a, b, sizeof(a)) != 0);
	close(fd);
	return finish();
}
