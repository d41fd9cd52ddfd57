/* getrandom(2): bytes from the CPU's generator (see <kevlar/random.h>). */
#include <syscalls.h>
#include <abi/random.h>
#include <kevlar/errno.h>
#include <kevlar/random.h>
#include <kevlar/uaccess.h>

#define GETRANDOM_MAX 33554431UL   /* as Linux: at most this per call */

ssize_t sys_getrandom(uptr_t buf, size_t len, u32 flags)
{
	u64 chunk[32];
	size_t done = 0;

	if (flags & ~(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE))
		return -EINVAL;
	if ((flags & GRND_RANDOM) && (flags & GRND_INSECURE))
		return -EINVAL;
	if (len > GETRANDOM_MAX)
		len = GETRANDOM_MAX;
	while (done < len) {
		size_t take = len - done < sizeof(chunk) ? len - done : sizeof(chunk);
		for (unsigned i = 0; i < (take + 7) / 8; i++)
			chunk[i] = random_u64();
		if (copy_to_user(buf + done, chunk, take))
			return done ? (ssize_t)done : -EFAULT;
		done += take;
	}
	return (ssize_t)len;
}
