/*
 * Reading and writing through descriptors: read, write, pread64,
 * pwrite64, readv, writev, lseek.
 */
#include <syscalls.h>
#include <abi/fcntl.h>
#include <kevlar/abi.h>
#include <kevlar/errno.h>
#include <kevlar/mm.h>
#include <kevlar/uaccess.h>
#include "vfs_internal.h"

#define MAX_RW_COUNT 0x7ffff000UL   /* Linux: INT_MAX rounded down to a page */

static ssize_t rw(int fd, uptr_t buf, size_t count, s64 offset, bool write, bool positioned)
{
	struct file *f = fd_get(fd);
	if (!f)
		return -EBADF;
	ssize_t rc;
	if (positioned && (!f->ops->seekable || offset < 0)) {
		rc = f->ops->seekable ? -EINVAL : -ESPIPE;
		goto out;
	}
	struct uio u = { .ubuf = buf, .len = MIN(count, MAX_RW_COUNT) };
	u64 pos = positioned ? (u64)offset : f->pos;
	rc = write ? vfs_write(f, &u, &pos) : vfs_read(f, &u, &pos);
	if (!positioned)
		f->pos = pos;
out:
	file_put(f);
	return rc;
}

ssize_t sys_read(int fd, uptr_t buf, size_t count)
{
	return rw(fd, buf, count, 0, false, false);
}

ssize_t sys_write(int fd, uptr_t buf, size_t count)
{
	return rw(fd, buf, count, 0, true, false);
}

ssize_t sys_pread64(int fd, uptr_t buf, size_t count, s64 offset)
{
	return rw(fd, buf, count, offset, false, true);
}

ssize_t sys_pwrite64(int fd, uptr_t buf, size_t count, s64 offset)
{
	return rw(fd, buf, count, offset, true, true);
}

/* readv/writev: each segment in turn, stopping at the first short one. */
static ssize_t rwv(int fd, uptr_t uiov, int iovcnt, bool write)
{
	if (iovcnt < 0 || iovcnt > UIO_MAXIOV)
		return -EINVAL;
	if (iovcnt == 0) {
		struct file *f = fd_get(fd);
		if (!f)
			return -EBADF;
		file_put(f);
		return 0;
	}
	struct iovec *iov = kmalloc((size_t)iovcnt * sizeof(*iov));
	if (!iov)
		return -ENOMEM;
	ssize_t rc = 0;
	if (copy_from_user(iov, uiov, (size_t)iovcnt * sizeof(*iov))) {
		rc = -EFAULT;
		goto out_free;
	}
	u64 total = 0;
	for (int i = 0; i < iovcnt; i++) {
		if (iov[i].iov_len > (u64)0x7fffffffffffffff - total) {
			rc = -EINVAL;
			goto out_free;
		}
		total += iov[i].iov_len;
	}
	struct file *f = fd_get(fd);
	if (!f) {
		rc = -EBADF;
		goto out_free;
	}
	size_t done = 0;
	for (int i = 0; i < iovcnt && done < MAX_RW_COUNT; i++) {
		if (!iov[i].iov_len)
			continue;
		struct uio u = { .ubuf = iov[i].iov_base,
				 .len = MIN(iov[i].iov_len, MAX_RW_COUNT - done) };
		u64 pos = f->pos;
		ssize_t n = write ? vfs_write(f, &u, &pos) : vfs_read(f, &u, &pos);
		f->pos = pos;
		if (n < 0) {
			if (!done)
				rc = n;
			break;
		}
		done += (size_t)n;
		if ((size_t)n < u.len)
			break;
	}
	if (rc == 0)
		rc = (ssize_t)done;
	file_put(f);
out_free:
	kfree(iov);
	return rc;
}

ssize_t sys_readv(int fd, uptr_t iov, int iovcnt)
{
	return rwv(fd, iov, iovcnt, false);
}

ssize_t sys_writev(int fd, uptr_t iov, int iovcnt)
{
	return rwv(fd, iov, iovcnt, true);
}

long sys_lseek(int fd, s64 offset, u32 whence)
{
	struct file *f = fd_get(fd);
	if (!f)
		return -EBADF;
	long rc;
	if (!f->ops->seekable) {
		rc = -ESPIPE;
		goto out;
	}
	s64 base, size = (s64)inode_size(f->inode);
	switch (whence) {
	case SEEK_SET:
		base = 0;
		break;
	case SEEK_CUR:
		base = (s64)f->pos;
		break;
	case SEEK_END:
		base = size;
		break;
	case SEEK_DATA:
	case SEEK_HOLE:
		if (offset < 0 || offset >= size) {
			rc = offset < 0 ? -EINVAL : -ENXIO;
			goto out;
		}
		base = 0;
		if (whence == SEEK_HOLE)
			offset = size;   /* tmpfs reports no holes */
		break;
	default:
		rc = -EINVAL;
		goto out;
	}
	s64 pos;
	if (__builtin_add_overflow(base, offset, &pos)) {
		rc = -EOVERFLOW;
		goto out;
	}
	if (pos < 0) {
		rc = -EINVAL;
		goto out;
	}
	f->pos = (u64)pos;
	rc = pos;
out:
	file_put(f);
	return rc;
}

/* sendfile: through a kernel buffer, from a file that has pages. */
ssize_t sys_sendfile(int out_fd, int in_fd, uptr_t uoffset, size_t count)
{
	struct file *in = fd_get(in_fd), *out = fd_get(out_fd);
	ssize_t rc = 0;
	u64 pos;
	u8 *buf = NULL;

	if (!in || !out) {
		rc = -EBADF;
		goto out;
	}
	if ((in->flags & O_ACCMODE) == O_WRONLY || (out->flags & O_ACCMODE) == O_RDONLY ||
	    (in->flags & O_PATH) || (out->flags & O_PATH)) {
		rc = -EBADF;
		goto out;
	}
	if (!S_ISREG(in->inode->mode) || (out->flags & O_APPEND)) {
		rc = -EINVAL;
		goto out;
	}
	if (uoffset) {
		s64 off;
		if (copy_from_user(&off, uoffset, sizeof(off))) {
			rc = -EFAULT;
			goto out;
		}
		if (off < 0) {
			rc = -EINVAL;
			goto out;
		}
		pos = (u64)off;
	} else {
		pos = in->pos;
	}
	count = MIN(count, MAX_RW_COUNT);
	size_t chunk = MIN(count, 64UL << 10);
	buf = kmalloc(chunk ? chunk : 1);
	if (!buf) {
		rc = -ENOMEM;
		goto out;
	}
	size_t done = 0;
	while (done < count) {
		struct uio r = { .kbuf = buf, .len = MIN(chunk, count - done) };
		u64 rpos = pos + done;
		ssize_t n = vfs_read(in, &r, &rpos);
		if (n <= 0) {
			if (n < 0 && !done)
				rc = n;
			break;
		}
		struct uio w = { .kbuf = buf, .len = (size_t)n };
		ssize_t m = vfs_write(out, &w, &out->pos);
		if (m <= 0) {
			if (!done)
				rc = m < 0 ? m : -EIO;
			break;
		}
		done += (size_t)m;
		if (m < n)
			break;
	}
	if (done)
		rc = (ssize_t)done;
	if (done && uoffset) {
		s64 end = (s64)(pos + done);
		if (copy_to_user(uoffset, &end, sizeof(end)))
			rc = -EFAULT;
	} else if (done) {
		in->pos = pos + done;
	}
out:
	kfree(buf);
	if (in)
		file_put(in);
	if (out)
		file_put(out);
	return rc;
}
