/*
 * Private to core/vfs: the objects the VFS owns and how its files share
 * them.
 *
 * The tree. Every mounted filesystem is a super_block; its directory
 * tree is a tree of dentries, each naming an inode. For tmpfs and devfs
 * the dentries are the whole filesystem (there is nothing behind them to
 * look up), so the tree is never incomplete: a name not in it does not
 * exist. A synthetic filesystem's dentries are a cache of its provider's
 * answers instead (synthfs.c). File data is in the inode's page cache.
 *
 * Exclusion. Kernel code is not preempted and there is one CPU, so the
 * tree changes only when the code changing it runs; a path walk never
 * sleeps and never calls a service, so nothing changes under it, except
 * in a synthetic filesystem (/proc, synthfs.c), where the walk asks the
 * provider about each name and may drop that name's stale entry. Code
 * that keeps a dentry or inode across a call into a service or a sleep
 * holds a reference on it.
 *
 * Lifetimes. A dentry is freed when it is no longer linked into its
 * parent and nothing references it (open files, cwd and root, its
 * children, operations in progress). An inode is freed when no dentry
 * and no file references it; by then its link count is 0.
 */
#ifndef KEVLAR_CORE_VFS_INTERNAL_H
#define KEVLAR_CORE_VFS_INTERNAL_H

#include <abi/fcntl.h>
#include <abi/limits.h>
#include <abi/poll.h>
#include <kevlar/errno.h>
#include <kevlar/list.h>
#include <kevlar/task.h>
#include <kevlar/types.h>
#include <kevlar/vfs.h>

#define SYMLOOP_MAX   40        /* symlinks followed in one lookup */
#define SB_MAX        64        /* mounted filesystems */
#define BOGO_DIRENT   20        /* a tmpfs directory's size per entry */
#define PIPE_SIZE     65536     /* a pipe's buffer */
#define NO_SVC        0xffffu   /* a super_block no service provides */

/* Linux's dev_t encoding (new_encode_dev). */
static inline u32 dev_major(u32 dev) { return (dev >> 8) & 0xfff; }
static inline u32 dev_minor(u32 dev) { return (dev & 0xff) | ((dev >> 12) & 0xfff00); }
static inline u32 make_dev(u32 major, u32 minor)
{
	return (minor & 0xff) | (major << 8) | ((minor & ~0xffu) << 12);
}

struct inode;
struct dentry;
struct pipe;
struct stat;

/* A time stamp: seconds since 1970 and nanoseconds. */
struct vfs_time {
	s64 sec;
	s64 nsec;
};

/* One mounted filesystem. */
struct super_block {
	u32 id;                    /* 1..SB_MAX: the 'sb' of the IDL */
	u32 dev;                   /* st_dev */
	u16 svc;                   /* the providing service, or NO_SVC */
	const char *type;          /* "tmpfs", "devtmpfs", "pipefs" */
	struct dentry *root;
	struct dentry *mountpoint; /* what it covers; NULL for the root */
	u64 next_ino;
	u64 inodes;                /* live inodes */
	u64 pages;                 /* page-cache pages */
	/* tmpfs's size= and nr_inodes= (0: no limit): here, not in the
	 * service, so that a restarted tmpfs keeps them. */
	u64 max_pages, max_inodes;
	bool synthetic;            /* its provider makes its tree (synthfs.c) */
	char *source;              /* what mount(2) was given, or NULL */
};

struct inode {
	struct super_block *sb;
	u64 ino;
	u32 mode;
	u32 nlink;
	u32 refs;                  /* dentries and files */
	u32 uid, gid;
	u32 rdev;
	u64 size;
	struct vfs_time atime, mtime, ctime;
	struct list hash_node;
	/* Regular files: the page cache, page index -> frame (or PADDR_NONE). */
	paddr_t *pages;
	u64 pages_cap;
	u64 nr_pages;              /* frames in the cache (st_blocks) */
	/* Symbolic links: the target, NUL-terminated, 'size' bytes. */
	char *target;
	/* Directories: their one dentry, while it exists. */
	struct dentry *alias;
	/* Pipes. */
	struct pipe *pipe;
	/* Synthetic filesystems: the provider's number for it. */
	u64 node;
};

struct dentry {
	struct dentry *parent;     /* itself for a filesystem's root */
	struct inode *inode;
	struct list children;      /* directories: entries in getdents order */
	struct list sibling;       /* in parent->children */
	struct list hash_node;
	struct super_block *mounted;   /* the filesystem mounted on it */
	u32 refs;
	u32 hash;
	u64 pos;                   /* getdents cookie in its parent: > 2 */
	u64 next_pos;              /* directories: the next child's cookie */
	u64 nchildren;             /* directories: linked children */
	bool linked;               /* named in its parent (roots: always) */
	u16 len;
	char *name;                /* NUL-terminated */
};

/* Where a read or write copies to or from: user memory, or the kernel's. */
struct uio {
	uptr_t ubuf;
	void *kbuf;                /* non-NULL: a kernel buffer */
	size_t len;
};

int uio_to(struct uio *u, size_t off, const void *src, size_t n);
int uio_from(struct uio *u, size_t off, void *dst, size_t n);
/* Writes n zero bytes at 'off': 0, or -EFAULT. */
int uio_zero(struct uio *u, size_t off, size_t n);

struct file;

struct file_ops {
	/* Read or write u->len bytes at *pos, moving it: the count or -errno. */
	ssize_t (*read)(struct file *f, struct uio *u, u64 *pos);
	ssize_t (*write)(struct file *f, struct uio *u, u64 *pos);
	long (*ioctl)(struct file *f, unsigned cmd, uptr_t arg);
	/* What it is ready for now (POLLIN, POLLOUT, POLLHUP, POLLERR), and
	 * in *events a count that moves whenever that may have changed (for
	 * epoll's edge-triggered mode). Without it a file is always ready. */
	unsigned (*poll)(struct file *f, u64 *events);
	void (*release)(struct file *f);
	bool seekable;
};

struct file {
	u32 refs;
	int flags;                 /* open(2) flags, less O_CREAT and friends */
	u64 pos;                   /* byte offset, or a directory's cookie */
	struct inode *inode;
	struct dentry *dentry;     /* always; a pipe's is anonymous */
	const struct file_ops *ops;
	void *private;             /* the kind of file's own state (epoll, eventfd) */
	struct list epoll_links;   /* epoll entries watching this description */
};

struct files {
	u32 refs;
	unsigned cap;              /* slots in fd[] (grows to FD_MAX) */
	struct file **fd;
	u64 *cloexec;              /* one bit per slot */
};

struct fs_context {
	u32 refs;
	u32 umask;
	struct dentry *root;
	struct dentry *cwd;
};

/* ---- inode.c ---- */
struct inode *inode_alloc(struct super_block *sb, u32 mode, u32 rdev);
struct inode *inode_find(struct super_block *sb, u64 ino);
struct inode *inode_get(struct inode *inode);
void inode_put(struct inode *inode);
struct vfs_time vfs_now(void);
#define TOUCH_ATIME 1
#define TOUCH_MTIME 2
#define TOUCH_CTIME 4
void inode_touch(struct inode *inode, unsigned what);
/* st_size as user space sees it (a directory's is computed). */
u64 inode_size(struct inode *inode);

/* ---- dcache.c ---- */
/* A kmalloc()ed NUL-terminated copy of name[0..len), or NULL. */
char *d_name_copy(const char *name, size_t len);
/* A new dentry named 'name' for 'inode' in 'dir', linked, with no
 * reference for the caller; NULL if out of memory. Takes a reference on
 * the inode. */
struct dentry *d_alloc(struct dentry *dir, const char *name, size_t len,
		       struct inode *inode);
/* The root dentry of a filesystem. */
struct dentry *d_alloc_root(struct inode *inode);
/* A dentry in no directory, for a pipe: freed with its last reference.
 * Returned with no reference taken (dget it). */
struct dentry *d_alloc_anon(struct inode *inode, const char *name);
/* The linked child 'name' of dir, or NULL. No reference taken. */
struct dentry *d_lookup(struct dentry *dir, const char *name, size_t len);
/* The same in a synthetic filesystem's directory, asking its provider
 * first: 0 and the dentry (no reference taken), -ENOENT, -EIO, ... */
int d_lookup_synthetic(struct dentry *dir, const char *name, size_t len,
		       struct dentry **out);
/* The linked child as it is in the cache, without asking anyone. */
struct dentry *d_lookup_cached(struct dentry *dir, const char *name, size_t len);
struct dentry *dget(struct dentry *d);
void dput(struct dentry *d);
/* Takes d out of its parent (its inode's link count drops). */
void d_unlink(struct dentry *d);
/* Moves d to 'name' in 'dir' (no entry there); 'name' is a kmalloc()ed
 * copy that d takes over. */
void d_move(struct dentry *d, struct dentry *dir, char *name, size_t len);
/* Entries in a directory, not counting "." and "..". */
u64 d_count_children(struct dentry *dir);
/* Is 'a' the same as 'd', or an ancestor of it within one filesystem? */
bool d_is_ancestor(struct dentry *a, struct dentry *d);
/* The dentry ".." leads to (across mount points, not above 'root'). */
struct dentry *d_dotdot(struct dentry *d, struct dentry *root);
/* Follows mounts stacked on d to the topmost filesystem's root. */
struct dentry *d_follow_mounts(struct dentry *d);
static inline bool d_is_root(const struct dentry *d) { return d->parent == d; }

/* ---- namei.c ---- */
#define LOOKUP_FOLLOW    1   /* follow a symlink in the last component */
#define LOOKUP_DIRECTORY 2   /* the result must be a directory */
#define LOOKUP_EMPTY     4   /* "" names the start directory */

/* Where a lookup starts and what bounds it. */
struct walk_ctx {
	struct dentry *root;       /* "/" and the limit of ".." */
	struct dentry *start;      /* relative paths start here */
	unsigned links;            /* symlinks followed so far */
};

/* The dentry 'path' names, with a reference. */
int path_lookup(struct walk_ctx *w, const char *path, unsigned flags,
		struct dentry **out);

/* A path split for creating or removing its last component. */
struct path_parent {
	struct dentry *dir;        /* referenced */
	const char *last;          /* inside the path string or a symlink */
	size_t len;
	int type;                  /* LAST_NORM, LAST_DOT, LAST_DOTDOT, LAST_ROOT */
	bool slash;                /* a '/' followed the last component */
};
#define LAST_NORM   0
#define LAST_DOT    1
#define LAST_DOTDOT 2
#define LAST_ROOT   3
int path_lookup_parent(struct walk_ctx *w, const char *path, struct path_parent *pp);
void path_parent_release(struct path_parent *pp);
/* Resolves a symlink's target from its directory, for a last component
 * the caller decided to follow. */
int path_follow_link(struct walk_ctx *w, struct dentry *dir, struct dentry *link,
		     unsigned flags, struct dentry **out);

/* ---- context.c: who is asking ---- */
/* The current task's fs context, or the kernel's (root as cwd). */
struct fs_context *current_fs(void);
struct dentry *vfs_root(void);
/* A walk from dirfd (AT_FDCWD: the cwd); -EBADF, -ENOTDIR. The start
 * dentry is referenced in *start_ref: release with dput(). */
int walk_begin(struct walk_ctx *w, int dirfd, struct dentry **start_ref);
/* Copies a user path into a new PATH_MAX buffer; NULL and *err. */
char *getname(uptr_t upath, int *err);
/* "" in a buffer putname() frees; NULL if out of memory. */
char *getname_empty(void);
void putname(char *name);

/* ---- mount.c ---- */
struct super_block *sb_get(u32 id);
struct super_block *sb_create(const char *type, u16 svc, u32 root_mode);
/* Mounts sb (new, unmounted) on dir after the provider's mount(); on
 * failure sb is gone. */
int vfs_mount_at(struct dentry *dir, struct super_block *sb);
extern struct super_block *pipe_sb;
/* rootfs.c: whether the initramfs may create files (only during boot). */
void rootfs_allow(bool allow);
/* context.c: the root of the tree, once vfs_init() made it. */
void vfs_set_root(struct dentry *root);

/* ---- fsops.c: the filesystem services, from Core ---- */
long fs_call_create(struct dentry *dir, const char *name, size_t len, u32 mode, u32 rdev);
long fs_call_mkdir(struct dentry *dir, const char *name, size_t len, u32 mode);
long fs_call_symlink(struct dentry *dir, const char *name, size_t len,
		     const char *target, size_t tlen);
int fs_call_link(struct inode *inode, struct dentry *dir, const char *name, size_t len);
int fs_call_unlink(struct dentry *dir, const char *name, size_t len);
int fs_call_rmdir(struct dentry *dir, const char *name, size_t len);
int fs_call_rename(struct dentry *odir, const char *oname, size_t olen,
		   struct dentry *ndir, const char *nname, size_t nlen, u32 flags);
int fs_call_setsize(struct inode *inode, u64 size);
int fs_call_setmode(struct inode *inode, u32 mode);
int fs_call_mount(struct super_block *sb);
/* A new, unmounted filesystem of a type mount(2) knows ("tmpfs",
 * "devtmpfs"); NULL with -ENODEV, -ENOMEM in *err. */
struct super_block *sb_create_type(const char *type, u32 root_mode, int *err);
/* The name of the index'th type sb_create_type knows, or NULL past them. */
const char *fs_type_name(unsigned index);

/* ---- synthfs.c: filesystems whose provider makes the tree on demand ---- */
extern const struct file_ops synthetic_file_ops;
/* Directory entries after "." and ".." (dir.c's vfs_readdir asks). */
bool synthetic_readdir(struct file *f, u8 *buf, size_t size, size_t *used, u64 *pos);
/* dir.c: appends one linux_dirent64 to buf; false if it does not fit. */
bool dirent_emit(u8 *buf, size_t size, size_t *used, u64 ino, u64 off, u32 mode,
		 const char *name, size_t len);
/* dir.c: the path of d from 'root' into buf (ending at buf + size);
 * where it starts, or NULL if it does not fit. */
char *path_of(struct dentry *d, struct dentry *root, char *buf, size_t size);

/* ---- pagecache.c ---- */
/* The frame of page 'index', allocated (zeroed) if 'alloc'; PADDR_NONE
 * for a hole when !alloc, or when out of memory. */
paddr_t pagecache_page(struct inode *inode, u64 index, bool alloc);
/* The frame of page 'index', allocated (zeroed) if it has none: 0,
 * -ENOSPC (the filesystem is full: its size= limit) or -ENOMEM (no
 * memory even after the OOM killer). */
int pagecache_fill(struct inode *inode, u64 index, paddr_t *pa);
/* Drops pages wholly past 'size' and zeroes the rest of a partial last page. */
void pagecache_truncate(struct inode *inode, u64 size);
/* Frees the pages wholly inside [start, end) and zeroes the rest of the
 * range in the pages at its edges: a hole, reading as zeros. */
void pagecache_punch(struct inode *inode, u64 start, u64 end);
ssize_t pagecache_read(struct inode *inode, struct uio *u, u64 pos);
ssize_t pagecache_write(struct inode *inode, struct uio *u, u64 pos);

/* ---- file.c ---- */
struct file *file_alloc(struct dentry *d, struct inode *inode, int flags,
			const struct file_ops *ops);
ssize_t vfs_read(struct file *f, struct uio *u, u64 *pos);
ssize_t vfs_write(struct file *f, struct uio *u, u64 *pos);
extern const struct file_ops regular_file_ops;
extern const struct file_ops dir_file_ops;
extern const struct file_ops path_file_ops;

/* ---- fdtable.c ---- */
int fd_install_at(struct files *files, int fd, struct file *f, bool cloexec,
		  int min, bool replace);
int fd_close(int fd);
struct files *current_files(void);
bool fd_get_cloexec(int fd);
void fd_set_cloexec(int fd, bool on);

/* ---- chardev.c, console.c ---- */
const struct file_ops *chardev_ops(u32 rdev);
/* What opening the device asks beyond its ops: /dev/tty needs a
 * controlling terminal (else -ENXIO); a terminal line may become one. */
int chardev_open(u32 rdev, int flags);
extern const struct file_ops console_ops;

/* ---- poll.c: readiness and waiting for it ---- */
/* What f is ready for; *events (may be NULL) as file_ops.poll says. */
unsigned file_poll(struct file *f, u64 *events);
/* The poll generation: moves at every poll_notify(). Read it before
 * looking at readiness and hand it to poll_sleep(). */
u64 poll_generation(void);
/*
 * Sleeps until a poll_notify() after 'seen' was taken, or the deadline
 * (monotonic ns; 0 = none) passes: 0 (look again) or -ETIMEDOUT. Every
 * wait for readiness (poll, select, epoll, eventfd) sleeps here and
 * nowhere else; a signal ends the sleep with -ERESTARTNOHAND.
 */
int poll_sleep(u64 seen, u64 deadline_ns);
/* The wait of poll, select and epoll: calls scan(arg) until it returns
 * non-zero (ready, or an error), then returns that; 0 once the deadline
 * passed (or at once with 'nowait'); -ERESTARTNOHAND on a signal. */
int poll_wait(int (*scan)(void *arg), void *arg, bool nowait, u64 deadline);
/* A deadline 'ns' from now (0 stays "none"); saturates instead of wrapping. */
u64 poll_deadline_after(u64 ns);
/* The timeout of ppoll, pselect6 and epoll_pwait2: a struct timespec in
 * user memory, or NULL for none. */
struct poll_timeout {
	u64 deadline;     /* monotonic ns; 0 = none */
	bool nowait;      /* a zero timeout: look once */
	bool timed;       /* a non-zero timeout: the time left is written back */
};
int poll_get_timeout(uptr_t uts, struct poll_timeout *t);
/* The remaining time until 'deadline' into a user struct timespec or
 * timeval, as Linux does; a failed copy is ignored, as in Linux. */
void poll_put_remaining(uptr_t uts, u64 deadline_ns, bool timeval);
/* The temporary signal mask of ppoll, pselect6 and epoll_pwait: set from
 * user memory (NULL leaves the mask alone), then put back. */
int poll_sigmask_set(uptr_t umask, size_t size, u64 *saved, bool *changed);
void poll_sigmask_restore(u64 saved, bool changed, int rc);

/* ---- epoll.c ---- */
/* f's last reference is going: it leaves every epoll set watching it. */
void epoll_file_gone(struct file *f);

/* ---- anon.c ---- */
/* A new file with an inode of its own on no filesystem ("anon_inode:[name]"
 * in /proc), ops and private as given; NULL if out of memory. */
struct file *anon_file_create(const char *name, int flags, const struct file_ops *ops,
			      void *private);

/* ---- pipe.c ---- */
int pipe_create(struct file **rd, struct file **wr, int flags);

/* ---- namespace.c: the same with an explicit walk context ---- */
int vfs_w_open(struct walk_ctx *w, const char *path, int flags, u32 mode, struct file **out);
int vfs_w_mknod(struct walk_ctx *w, const char *path, u32 mode, u32 rdev);
int vfs_w_mkdir(struct walk_ctx *w, const char *path, u32 mode);
int vfs_w_rmdir(struct walk_ctx *w, const char *path);
int vfs_w_unlink(struct walk_ctx *w, const char *path);
int vfs_w_rename(struct walk_ctx *wo, const char *old, struct walk_ctx *wn, const char *new,
		 u32 flags);
int vfs_w_link(struct walk_ctx *wo, const char *old, struct walk_ctx *wn, const char *new,
	       int flags);
int vfs_w_symlink(const char *target, struct walk_ctx *w, const char *path);
int vfs_chmod_inode(struct inode *inode, u32 mode);

/* ---- open.c, namespace.c, stat.c: kernel entry points ---- */
int vfs_openat(int dirfd, const char *path, int flags, u32 mode, struct file **out);
int vfs_mkdirat(int dirfd, const char *path, u32 mode);
int vfs_mknodat(int dirfd, const char *path, u32 mode, u32 rdev);
int vfs_unlinkat(int dirfd, const char *path, int flags);
int vfs_renameat2(int odirfd, const char *old, int ndirfd, const char *new, u32 flags);
int vfs_linkat(int odirfd, const char *old, int ndirfd, const char *new, int flags);
int vfs_symlinkat(const char *target, int dirfd, const char *path);
ssize_t vfs_readlinkat(int dirfd, const char *path, char *buf, size_t size);
int vfs_chmodat(int dirfd, const char *path, u32 mode, int flags);
int vfs_truncate_inode(struct inode *inode, u64 size);
int vfs_chdir(const char *path);
/* The dentry a *at() call names, honoring AT_SYMLINK_NOFOLLOW and
 * AT_EMPTY_PATH in 'flags'. */
int vfs_lookup_at(int dirfd, const char *path, int flags, struct dentry **out);
void vfs_fill_stat(struct inode *inode, struct stat *st);
/* dir.c: directory entries (struct linux_dirent64) into a kernel buffer:
 * bytes used, 0 at the end, -EINVAL if not even one fits. */
long vfs_readdir(struct file *f, u8 *buf, size_t size);
/* The cwd's path into buf with its NUL: its length, -ERANGE, -ENOENT. */
int vfs_getcwd(char *buf, size_t size);

#endif
