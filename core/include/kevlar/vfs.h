/*
 * The virtual filesystem, as the rest of Core sees it: open files, the
 * per-process descriptor table and filesystem context, and the kernel's
 * own file access (exec, mmap). The VFS owns everything that must outlive
 * a filesystem service's restart: inodes, the directory entry cache and
 * file data (the page cache); filesystem services implement the policy
 * over them through the IDL's filesystem interfaces (idl/vfs.idl).
 *
 * Unless a comment says otherwise, these are called from task context,
 * with no lock held, and may sleep.
 */
#ifndef KEVLAR_VFS_H
#define KEVLAR_VFS_H

#include <abi/fcntl.h>
#include <abi/limits.h>
#include <abi/stat.h>
#include <kevlar/types.h>

struct file;
struct files;
struct fs_context;

/* File types and permission bits (st_mode). */
#define S_ISREG(m)  (((m) & S_IFMT) == S_IFREG)
#define S_ISDIR(m)  (((m) & S_IFMT) == S_IFDIR)
#define S_ISLNK(m)  (((m) & S_IFMT) == S_IFLNK)
#define S_ISCHR(m)  (((m) & S_IFMT) == S_IFCHR)
#define S_ISBLK(m)  (((m) & S_IFMT) == S_IFBLK)
#define S_ISFIFO(m) (((m) & S_IFMT) == S_IFIFO)
#define S_ISSOCK(m) (((m) & S_IFMT) == S_IFSOCK)

#define FD_MAX    1024     /* descriptors per process (RLIMIT_NOFILE) */

/*
 * Boot: mounts the root tmpfs, unpacks the initramfs (the boot modules
 * named "initramfs", or every module if none is) into it, and mounts
 * devfs on /dev and procfs on /proc. Call once, after svc_boot(). Reports
 * problems and goes on with what it has.
 */
void vfs_init(void);

/* Opens 'path' (absolute, or relative to the current task's cwd) for the
 * kernel, with open(2) flags (O_CREAT makes a file with mode 0644 less
 * the umask). Returns the file or NULL with *err set to a negative errno. */
struct file *vfs_open_kernel(const char *path, int flags, int *err);
/* Reads up to n bytes at 'offset' into a kernel buffer: the count, 0 at
 * the end of the file, or a negative errno. */
ssize_t kernel_read(struct file *f, void *buf, size_t n, u64 offset);
ssize_t kernel_write(struct file *f, const void *buf, size_t n, u64 offset);
u64 file_size(struct file *f);
/* Is it a regular file the current credentials may execute? 0, or
 * -EACCES (not a regular file, no execute bit). */
int file_check_exec(struct file *f);
/*
 * The page-cache frame holding page 'index' of the file, with a reference
 * taken for the caller (frame_put() when done). For mmap. Pages past the
 * end of the file read as zeros (past the last page, a fresh zeroed frame
 * that is not in the cache). Returns 0, -ENODEV if the file has no pages
 * (not a regular file), -ENOMEM.
 */
int file_get_page(struct file *f, u64 index, paddr_t *pa);
struct file *file_get(struct file *f);
void file_put(struct file *f);
/* The open(2) flags the file was opened with (O_ACCMODE, O_APPEND, ...). */
int file_flags(struct file *f);
/* Is it a regular file (the only kind file_get_page maps)? */
bool file_is_regular(struct file *f);
/*
 * The file behind descriptor 'fd' of the current task, with a reference
 * for the caller (file_put() when done); NULL if fd is not open (EBADF).
 */
struct file *fd_get(int fd);

/* Descriptor tables. */
struct files *files_create(void);
/* A copy, as fork does: the same open file descriptions, shared. NULL if
 * out of memory. */
struct files *files_fork(struct files *parent);
/* Another reference to the same table (CLONE_FILES). */
struct files *files_get(struct files *files);
/* Drops a reference; the last closes every descriptor. */
void files_put(struct files *files);
/* execve: closes the descriptors marked close-on-exec. */
void files_close_on_exec(struct files *files);
/*
 * Installs f as the lowest free descriptor >= 0 of the current task and
 * returns it. The descriptor takes over the caller's reference on f; on
 * failure (-EMFILE, -ENOMEM) the caller still holds it.
 */
int fd_install(struct file *f, bool cloexec);

/*
 * Something a file stands for changed in a way poll(2) may see (data
 * arrived, room appeared, an end closed): bumps *events, the count a
 * file's poll operation reports for epoll's edge-triggered mode, and
 * wakes every task waiting in poll, select or epoll to look again. May be
 * called with interrupts off and from an interrupt handler.
 */
void poll_notify(u64 *events);

/* Filesystem context: root, cwd (both the root directory for a new one),
 * umask (022). */
struct fs_context *fs_create(void);
struct fs_context *fs_fork(struct fs_context *parent);
/* Another reference to the same context (CLONE_FS). */
struct fs_context *fs_get(struct fs_context *fs);
void fs_put(struct fs_context *fs);

#endif
