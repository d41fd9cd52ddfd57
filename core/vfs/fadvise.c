/*
 * fadvise64(2). Kevlar's file data lives in Core's page cache, in memory
 * for as long as the file exists, so there is nothing to read ahead or
 * drop: the advice is checked and taken as Linux takes it for tmpfs
 * (whose backing device is noop_backing_dev_info), with no effect.
 */
#include <syscalls.h>
#include <abi/fcntl.h>
#include <kevlar/errno.h>
#include "vfs_internal.h"

int sys_fadvise64(int fd, s64 offset, s64 len, int advice)
{
	struct file *f = fd_get(fd);
	int rc = 0;

	(void)offset;
	if (!f)
		return -EBADF;
	if (S_ISFIFO(f->inode->mode))
		rc = -ESPIPE;
	else if (len < 0 || advice < 0 || advice > POSIX_FADV_NOREUSE)
		rc = -EINVAL;
	file_put(f);
	return rc;
}
