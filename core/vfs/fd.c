/*
 * Descriptor operations: dup, dup2, dup3, fcntl, ioctl.
 */
#include <syscalls.h>
#include <abi/fcntl.h>
#include <abi/ioctl.h>
#include <kevlar/errno.h>
#include <kevlar/uaccess.h>
#include "vfs_internal.h"

#define SETFL_MASK (O_APPEND | O_NONBLOCK | O_ASYNC | O_DIRECT | O_NOATIME)

/* struct flock: only its type is looked at. */
struct flock {
	s16 l_type;
	s16 l_whence;
	s64 l_start;
	s64 l_len;
	s32 l_pid;
};

static int dup_to(int oldfd, int newfd, bool cloexec, int min)
{
	struct file *f = fd_get(oldfd);
	if (!f)
		return -EBADF;
	int rc = fd_install_at(current_files(), newfd, f, cloexec, min, true);
	if (rc < 0)
		file_put(f);
	return rc;
}

int sys_dup(int oldfd)
{
	return dup_to(oldfd, -1, false, 0);
}

int sys_dup3(int oldfd, int newfd, int flags)
{
	if (flags & ~O_CLOEXEC)
		return -EINVAL;
	if (oldfd == newfd)
		return -EINVAL;
	if (newfd < 0)
		return -EBADF;
	return dup_to(oldfd, newfd, flags & O_CLOEXEC, 0);
}

int sys_dup2(int oldfd, int newfd)
{
	if (oldfd == newfd) {
		struct file *f = fd_get(oldfd);
		if (!f)
			return -EBADF;
		file_put(f);
		return newfd;
	}
	if (newfd < 0)
		return -EBADF;
	return dup_to(oldfd, newfd, false, 0);
}

long sys_fcntl(int fd, u32 cmd, u64 arg)
{
	struct file *f = fd_get(fd);
	if (!f)
		return -EBADF;
	long rc = 0;
	switch (cmd) {
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
		if (arg > 0x7fffffff) {
			rc = -EINVAL;
			break;
		}
		rc = fd_install_at(current_files(), -1, file_get(f), cmd == F_DUPFD_CLOEXEC,
				   (int)arg, false);
		if (rc < 0)
			file_put(f);
		break;
	case F_GETFD:
		rc = fd_get_cloexec(fd) ? FD_CLOEXEC : 0;
		break;
	case F_SETFD:
		fd_set_cloexec(fd, arg & FD_CLOEXEC);
		break;
	case F_GETFL:
		rc = f->flags;
		break;
	case F_SETFL:
		f->flags = (f->flags & ~SETFL_MASK) | ((int)arg & SETFL_MASK);
		break;
	case F_GETLK:
	case F_OFD_GETLK: {
		/* No locks are ever held: every lock would be granted. */
		struct flock fl;
		if (copy_from_user(&fl, arg, sizeof(fl))) {
			rc = -EFAULT;
			break;
		}
		fl.l_type = F_UNLCK;
		rc = copy_to_user(arg, &fl, sizeof(fl));
		break;
	}
	case F_SETLK:
	case F_SETLKW:
	case F_OFD_SETLK:
	case F_OFD_SETLKW:
		break;   /* one process at a time takes them: granted */
	case F_GETOWN:
	case F_SETOWN:
		break;
	case F_GETPIPE_SZ:
	case F_SETPIPE_SZ:
		rc = S_ISFIFO(f->inode->mode) ? (long)PIPE_SIZE : -EBADF;
		break;
	default:
		rc = -EINVAL;
	}
	file_put(f);
	return rc;
}

int sys_ioctl(int fd, u32 cmd, uptr_t arg)
{
	struct file *f = fd_get(fd);
	if (!f)
		return -EBADF;
	long rc;
	switch (cmd) {
	case FIOCLEX:
	case FIONCLEX:
		fd_set_cloexec(fd, cmd == FIOCLEX);
		rc = 0;
		break;
	case FIONBIO: {
		int on;
		rc = copy_from_user(&on, arg, sizeof(on));
		if (!rc)
			f->flags = on ? (f->flags | O_NONBLOCK) : (f->flags & ~O_NONBLOCK);
		break;
	}
	default:
		if (f->ops->ioctl) {
			rc = f->ops->ioctl(f, cmd, arg);
		} else if (cmd == FIONREAD && S_ISREG(f->inode->mode)) {
			int n = f->pos < f->inode->size ? (int)MIN(f->inode->size - f->pos, 0x7fffffffUL) : 0;
			rc = copy_to_user(arg, &n, sizeof(n));
		} else {
			rc = -ENOTTY;
		}
	}
	file_put(f);
	return (int)rc;
}
