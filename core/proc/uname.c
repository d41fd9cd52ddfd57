/* uname(2): who the kernel says it is. glibc reads the release to check
 * the kernel is new enough, so it looks like a Linux release. */
#include <syscalls.h>
#include <kevlar/abi.h>
#include <kevlar/errno.h>
#include <kevlar/procinfo.h>
#include <kevlar/string.h>
#include <kevlar/uaccess.h>

#define KEVLAR_RELEASE "6.1.0-kevlar"

void uname_fill(struct utsname *u_out)
{
	struct utsname u;

	memset(&u, 0, sizeof(u));
	strlcpy(u.sysname, "Linux", sizeof(u.sysname));
	strlcpy(u.nodename, "kevlar", sizeof(u.nodename));
	strlcpy(u.release, KEVLAR_RELEASE, sizeof(u.release));
	strlcpy(u.version, "#1 Kevlar " KEVLAR_VERSION " profile=" KEVLAR_PROFILE,
		sizeof(u.version));
	strlcpy(u.machine, "x86_64", sizeof(u.machine));
	strlcpy(u.domainname, "(none)", sizeof(u.domainname));
	*u_out = u;
}

int sys_uname(uptr_t buf)
{
	struct utsname u;

	uname_fill(&u);
	return copy_to_user(buf, &u, sizeof(u)) ? -EFAULT : 0;
}
