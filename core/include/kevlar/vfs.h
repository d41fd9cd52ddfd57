/*
 * The virtual filesystem, as the rest of Core sees it: open files, the
 * per-process descriptor table and filesystem context, and the kernel's
 * own file access (exec, mmap). The VFS owns everything that must outlive
 * a filesystem service's restart: inodes, the directory entry cache and
 * file data (the page cache); filesystem services implement the policy
 * over them through the IDL's filesystem interfaces.
 */
#ifndef KEVLAR_VFS_H
#define KEVLAR_VFS_H

#include <kevlar/types.h>

struct file;
struct files;
struct fs_context;

/* Boot: mounts the root tmpfs, devfs on /dev, unpacks the initramfs
 * (the boot modules) into the root. Reports problems and goes on. */
void vfs_init(void);

/* Opens 'path' (absolute, or relative to the current task's cwd) for the
 * kernel. Returns the file or NULL with *err set to a negative errno. */
struct file *vfs_open_kernel(const char *path, int flags, int *err);
/* Reads up to n bytes at 'offset' into a kernel buffer. */
ssize_t kernel_read(struct file *f, void *buf, size_t n, u64 offset);
ssize_t kernel_write(struct file *f, const void *buf, size_t n, u64 offset);
u64 file_size(struct file *f);
/* Is it a regular file the current credentials may execute? -EACCES etc. */
int file_check_exec(struct file *f);
/*
 * The page-cache frame holding page 'index' of the file, with a reference
 * taken for the caller (frame_put() when done). For mmap. Pages past the
 * end of the file read as zeros. Returns 0 or a negative errno.
 */
int file_get_page(struct file *f, u64 index, paddr_t *pa);
struct file *file_get(struct file *f);
void file_put(struct file *f);

/* Descriptor tables. */
struct files *files_create(void);
struct files *files_fork(struct files *parent);   /* a copy, as fork does */
void files_put(struct files *files);
/* execve: closes the descriptors marked close-on-exec. */
void files_close_on_exec(struct files *files);
/* Installs f as the lowest free descriptor >= 0 of the current task. */
int fd_install(struct file *f, bool cloexec);

/* Filesystem context: root, cwd, umask. */
struct fs_context *fs_create(void);
struct fs_context *fs_fork(struct fs_context *parent);
void fs_put(struct fs_context *fs);

#endif
