/*
 * What the VFS's kernel tests share (ktest_vfs.h): pass/fail counts, a
 * process context for the kernel thread that runs them, small file
 * helpers over the kernel's own file access.
 */
#ifdef KEVLAR_KTEST
#include <kevlar/errno.h>
#include "ktest_vfs.h"

unsigned vfs_test_failures, vfs_test_checks;

static struct files *saved_files;
static struct fs_context *saved_fs;

void enter_process(void)
{
	struct task *t = current_task();
	saved_files = t->files;
	saved_fs = t->fs;
	t->files = files_create();
	t->fs = fs_create();
}

void leave_process(void)
{
	struct task *t = current_task();
	files_put(t->files);
	fs_put(t->fs);
	t->files = saved_files;
	t->fs = saved_fs;
}

int stat_path(const char *path, int flags, struct stat *st)
{
	struct dentry *d;
	int rc = vfs_lookup_at(AT_FDCWD, path, flags, &d);
	if (rc)
		return rc;
	vfs_fill_stat(d->inode, st);
	dput(d);
	return 0;
}

int write_file(const char *path, const char *data, size_t len, int flags)
{
	struct file *f;
	int rc = vfs_openat(AT_FDCWD, path, O_WRONLY | O_CREAT | flags, 0666, &f);
	if (rc)
		return rc;
	ssize_t n = kernel_write(f, data, len, (flags & O_APPEND) ? 0 : 0);
	file_put(f);
	return n < 0 ? (int)n : (size_t)n == len ? 0 : -EIO;
}

long read_file(const char *path, char *buf, size_t size)
{
	struct file *f;
	int rc = vfs_openat(AT_FDCWD, path, O_RDONLY, 0, &f);
	if (rc)
		return rc;
	ssize_t n = kernel_read(f, buf, size - 1, 0);
	file_put(f);
	if (n >= 0)
		buf[n] = 0;
	return n;
}

bool exists(const char *path)
{
	struct stat st;
	return stat_path(path, AT_SYMLINK_NOFOLLOW, &st) == 0;
}
#endif
