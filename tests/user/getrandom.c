/* getrandom: the bytes asked for, different every time; errors. */
#include "usertest.h"

static long sys_getrandom(void *buf, size_t len, unsigned flags)
{
	return syscall(SYS_getrandom, buf, len, flags);
}

int main(void)
{
	unsigned char a[256], b[256];
	int nonzero = 0;

	memset(a, 0, sizeof(a));
	CHECK("getrandom.16_bytes", sys_getrandom(a, 16, 0) == 16);
	CHECK("getrandom.256_bytes", sys_getrandom(a, 256, 0) == 256);
	CHECK("getrandom.again_256", sys_getrandom(b, 256, 0) == 256);
	CHECK("getrandom.differs_between_calls", memcmp(a, b, sizeof(a)) != 0);
	for (size_t i = 0; i < sizeof(a); i++)
		nonzero += a[i] != 0;
	CHECK("getrandom.not_all_zero", nonzero > 128);
	CHECK("getrandom.zero_length", sys_getrandom(a, 0, 0) == 0);
	CHECK("getrandom.nonblock", sys_getrandom(a, 32, 1 /* GRND_NONBLOCK */) == 32);
	check_err("getrandom.bad_flags_einval", sys_getrandom(a, 16, 0x100), EINVAL);
	return finish();
}
