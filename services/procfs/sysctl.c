/*
 * /proc/sys/kernel: the kernel's settings, each a decimal integer read
 * and written as Linux's sysctl files are (proc_dointvec_minmax with
 * sysctl_writes_strict): spaces before the value, one value, a space,
 * tab or newline after it; anything else, or a value out of the
 * setting's range (Core says which), is EINVAL. A write past the start
 * of the file is ignored.
 */
#include <ifc/procinfo.h>
#include <kevlar/errno.h>
#include "procfs.h"

#define VALUE_MAX_DIGITS 21   /* what Linux copies of a number, sign included */

int render_sysctl(unsigned which, struct out *o)
{
	long v = procinfo_sysctl(PROCINFO, (int)which);
	if (v < 0)
		return (int)v;
	out_printf(o, "%ld\n", v);
	return 0;
}

static bool is_space(u8 c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

ssize_t sysctl_write(unsigned which, u64 pos, const u8 *buf, size_t len)
{
	size_t i = 0;
	bool neg = false;
	long v = 0;

	if (pos)
		return (ssize_t)len;
	while (i < len && is_space(buf[i]))
		i++;
	if (i == len)
		return -EINVAL;
	if (buf[i] == '-') {
		neg = true;
		i++;
	}
	size_t start = i;
	while (i < len && buf[i] >= '0' && buf[i] <= '9') {
		if (i - start >= VALUE_MAX_DIGITS)
			return -EINVAL;
		v = v * 10 + (buf[i] - '0');
		if (v > 0x7fffffffL + 1)
			return -EINVAL;
		i++;
	}
	if (i == start || (i < len && buf[i] != ' ' && buf[i] != '\t' && buf[i] != '\n'))
		return -EINVAL;
	int rc = procinfo_sysctl_set(PROCINFO, (int)which, neg ? -v : v);
	if (rc < 0)
		return rc;
	while (i < len && is_space(buf[i]))
		i++;
	return (ssize_t)i;
}
