/* The checked user-copy API over the fault-tolerant loops in uaccess.S. */
#include <kevlar/errno.h>
#include <kevlar/mmu.h>
#include <kevlar/uaccess.h>

size_t uaccess_copy(void *dst, const void *src, size_t n);
size_t uaccess_clear(void *dst, size_t n);
long uaccess_strncpy(char *dst, const char *src, size_t max);

int copy_from_user(void *dst, uptr_t src, size_t n)
{
	if (!access_ok(src, n))
		return -EFAULT;
	return uaccess_copy(dst, (const void *)src, n) ? -EFAULT : 0;
}

int copy_to_user(uptr_t dst, const void *src, size_t n)
{
	if (!access_ok(dst, n))
		return -EFAULT;
	return uaccess_copy((void *)dst, src, n) ? -EFAULT : 0;
}

int clear_user(uptr_t dst, size_t n)
{
	if (!access_ok(dst, n))
		return -EFAULT;
	return uaccess_clear((void *)dst, n) ? -EFAULT : 0;
}

long strncpy_from_user(char *dst, uptr_t src, size_t max)
{
	if (!max)
		return -ENAMETOOLONG;
	/* Stop at the end of user space rather than fault past it. */
	if (src >= USER_TOP)
		return -EFAULT;
	size_t room = USER_TOP - src;
	size_t limit = max < room ? max : room;
	long n = uaccess_strncpy(dst, (const char *)src, limit);
	if (n < 0)
		return -EFAULT;
	if ((size_t)n == limit) {
		dst[limit - 1] = 0;
		return limit == max ? -ENAMETOOLONG : -EFAULT;
	}
	return n;
}
