/*
 * Per-process descriptor tables: slots pointing at open file
 * descriptions, a close-on-exec bit per slot, the lowest free slot for
 * every new descriptor, and at most RLIMIT_NOFILE (1024 by default, the
 * table never grows past FD_TABLE_MAX) of them.
 */
#include <abi/resource.h>
#include <kevlar/errno.h>
#include <kevlar/mm.h>
#include <kevlar/string.h>
#include "vfs_internal.h"

#define FD_TABLE_MAX  4096     /* RLIMIT_NOFILE's hard limit */

struct files *current_files(void)
{
	struct task *t = current_task();
	return t ? t->files : NULL;
}

/* How many descriptors the current process may have. */
static unsigned fd_limit(void)
{
	struct task *t = current_task();
	u64 lim = t ? task_rlimit(t, RLIMIT_NOFILE) : FD_MAX;
	return lim < FD_TABLE_MAX ? (unsigned)lim : FD_TABLE_MAX;
}

static int grow(struct files *files, unsigned want)
{
	unsigned cap = files->cap ? files->cap : 64;
	while (cap < want)
		cap *= 2;
	if (cap > FD_TABLE_MAX)
		cap = FD_TABLE_MAX;
	if (cap <= files->cap)
		return 0;
	struct file **fd = kzalloc(cap * sizeof(*fd));
	u64 *cloexec = kzalloc(cap / 8);
	if (!fd || !cloexec) {
		kfree(fd);
		kfree(cloexec);
		return -ENOMEM;
	}
	if (files->cap) {
		memcpy(fd, files->fd, files->cap * sizeof(*fd));
		memcpy(cloexec, files->cloexec, files->cap / 8);
		kfree(files->fd);
		kfree(files->cloexec);
	}
	files->fd = fd;
	files->cloexec = cloexec;
	files->cap = cap;
	return 0;
}

static void set_cloexec(struct files *files, int fd, bool on)
{
	if (on)
		files->cloexec[fd / 64] |= 1UL << (fd % 64);
	else
		files->cloexec[fd / 64] &= ~(1UL << (fd % 64));
}

bool fd_get_cloexec(int fd)
{
	struct files *files = current_files();
	return files->cloexec[fd / 64] & (1UL << (fd % 64));
}

void fd_set_cloexec(int fd, bool on)
{
	set_cloexec(current_files(), fd, on);
}

struct files *files_create(void)
{
	struct files *files = kzalloc(sizeof(*files));
	if (files)
		files->refs = 1;
	return files;
}

struct files *files_fork(struct files *parent)
{
	struct files *files = files_create();
	if (!files || !parent || !parent->cap)
		return files;
	if (grow(files, parent->cap)) {
		kfree(files);
		return NULL;
	}
	for (unsigned i = 0; i < parent->cap; i++)
		if (parent->fd[i])
			files->fd[i] = file_get(parent->fd[i]);
	memcpy(files->cloexec, parent->cloexec, parent->cap / 8);
	return files;
}

struct files *files_get(struct files *files)
{
	files->refs++;
	return files;
}

void files_put(struct files *files)
{
	if (!files || --files->refs)
		return;
	for (unsigned i = 0; i < files->cap; i++)
		if (files->fd[i])
			file_put(files->fd[i]);
	kfree(files->fd);
	kfree(files->cloexec);
	kfree(files);
}

void files_close_on_exec(struct files *files)
{
	if (!files)
		return;
	for (unsigned i = 0; i < files->cap; i++) {
		if (files->fd[i] && (files->cloexec[i / 64] & (1UL << (i % 64)))) {
			struct file *f = files->fd[i];
			files->fd[i] = NULL;
			set_cloexec(files, (int)i, false);
			file_put(f);
		}
	}
}

int fd_install_at(struct files *files, int fd, struct file *f, bool cloexec, int min,
		  bool replace)
{
	unsigned limit = fd_limit();

	if (!files)
		return -EBADF;
	if (fd < 0) {
		if (min < 0 || (unsigned)min >= limit)
			return -EINVAL;
		fd = min;
		while ((unsigned)fd < files->cap && files->fd[fd])
			fd++;
		if ((unsigned)fd >= limit)
			return -EMFILE;
	} else if ((unsigned)fd >= limit) {
		return -EBADF;
	}
	if ((unsigned)fd >= files->cap && grow(files, (unsigned)fd + 1))
		return -ENOMEM;
	struct file *old = files->fd[fd];
	if (old && !replace)
		return -EBUSY;
	files->fd[fd] = f;
	set_cloexec(files, fd, cloexec);
	if (old)
		file_put(old);
	return fd;
}

int fd_install(struct file *f, bool cloexec)
{
	return fd_install_at(current_files(), -1, f, cloexec, 0, false);
}

struct file *fd_get(int fd)
{
	struct files *files = current_files();
	if (!files || fd < 0 || (unsigned)fd >= files->cap || !files->fd[fd])
		return NULL;
	return file_get(files->fd[fd]);
}

int fd_close(int fd)
{
	struct files *files = current_files();
	if (!files || fd < 0 || (unsigned)fd >= files->cap || !files->fd[fd])
		return -EBADF;
	struct file *f = files->fd[fd];
	files->fd[fd] = NULL;
	set_cloexec(files, fd, false);
	file_put(f);
	return 0;
}
