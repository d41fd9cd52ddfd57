/* uname: what programs check before they trust the kernel. */
#include "usertest.h"
#include <sys/utsname.h>

int main(void)
{
	struct utsname u;
	int major = 0, minor = 0;

	memset(&u, 0xff, sizeof(u));
	if (!check_ok("uname.call", uname(&u)))
		return finish();
	CHECK("uname.sysname_linux", !strcmp(u.sysname, "Linux"));
	CHECK("uname.machine_x86_64", !strcmp(u.machine, "x86_64"));
	CHECK("uname.release_is_version", sscanf(u.release, "%d.%d", &major, &minor) == 2);
	/* glibc's static binaries (Debian's BusyBox) refuse kernels before 3.2. */
	CHECK("uname.release_at_least_3_2", major > 3 || (major == 3 && minor >= 2));
	CHECK("uname.fields_nul_terminated", memchr(u.sysname, 0, sizeof(u.sysname)) &&
	      memchr(u.nodename, 0, sizeof(u.nodename)) && memchr(u.release, 0, sizeof(u.release)) &&
	      memchr(u.version, 0, sizeof(u.version)) && memchr(u.machine, 0, sizeof(u.machine)));
	CHECK("uname.nodename_not_empty", u.nodename[0] != 0);
	CHECK("uname.version_not_empty", u.version[0] != 0);
	return finish();
}
