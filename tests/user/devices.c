/* /dev/null, /dev/zero, /dev/full and /dev/urandom behave as on Linux. */
#include "usertest.h"
#include <sys/mman.h>
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

	/* A user address with nothing mapped at it: null and zero never read
	 * what is written to them, so a write of it succeeds; a read into it
	 * from zero cannot, and one from null reads nothing. */
	char *gone = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK("devices.unmap_page", gone != MAP_FAILED && munmap(gone, 4096) == 0);
	fd = open("/dev/null", O_RDWR);
	CHECK("devices.null_write_bad_pointer", write(fd, gone, 4096) == 4096);
	CHECK("devices.null_read_bad_pointer", read(fd, gone, 4096) == 0);
	close(fd);
	fd = open("/dev/zero", O_RDWR);
	CHECK("devices.zero_write_swallows", write(fd, buf, sizeof(buf)) == sizeof(buf));
	CHECK("devices.zero_write_bad_pointer", write(fd, gone, 4096) == 4096);
	check_err("devices.zero_read_bad_pointer", read(fd, gone, 4096), EFAULT);
	close(fd);

	/* A read of zero that runs into an unmapped page stops there. */
	char *pair = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK("devices.map_pair", pair != MAP_FAILED && munmap(pair + 4096, 4096) == 0);
	memset(pair, 1, 4096);
	fd = open("/dev/zero", O_RDONLY);
	CHECK("devices.zero_read_partial", read(fd, pair + 4000, 200) == 96 && pair[4000] == 0 &&
	      pair[4095] == 0 && pair[3999] == 1);
	close(fd);
	munmap(pair, 4096);

	fd = open("/dev/full", O_RDWR);
	check_err("devices.full_write_nospc", write(fd, buf, sizeof(buf)), ENOSPC);
	check_err("devices.full_write_bad_pointer", write(fd, gone, 4096), ENOSPC);
	memset(buf, 1, sizeof(buf));
	CHECK("devices.full_reads_zeroes", read(fd, buf, 100) == 100 && buf[0] == 0 && buf[99] == 0);
	close(fd);

	fd = open("/dev/urandom", O_WRONLY);
	CHECK("devices.urandom_write", write(fd, buf, 64) == 64);
	check_err("devices.urandom_write_bad_pointer", write(fd, gone, 64), EFAULT);
	close(fd);

	unsigned char a[64], b[64];
	fd = open("/dev/urandom", O_RDONLY);
	CHECK("devices.urandom_reads", read(fd, a, sizeof(a)) == sizeof(a) &&
	      read(fd, b, sizeof(b)) == sizeof(b));
	CHECK("devices.urandom_differs", memcmp(a, b, sizeof(a)) != 0);
	close(fd);
	return finish();
}
