/*
 * The cpio "newc" format (magic 070701, and 070702 with a checksum), as
 * Linux's initramfs reads it: a 110-byte header of ASCII hex fields, the
 * name (with its NUL) padded to 4 bytes, the data padded to 4 bytes, and
 * an entry named TRAILER!!! at the end. Pure functions over a buffer, so
 * the host tests can feed them anything.
 */
#ifndef KEVLAR_SVC_CPIO_H
#define KEVLAR_SVC_CPIO_H

#include <kevlar/types.h>

#define CPIO_HEADER_SIZE 110
#define CPIO_NAME_MAX    4096      /* with its NUL: longer is absurd */
#define CPIO_TRAILER     "TRAILER!!!"

struct cpio_entry {
	size_t offset;             /* of its header */
	u32 ino, mode, uid, gid, nlink, mtime;
	u32 devmajor, devminor, rdevmajor, rdevminor;
	const char *name;          /* in the buffer, NUL-terminated there */
	size_t namelen;            /* without the NUL */
	const u8 *data;
	size_t size;
	bool trailer;              /* TRAILER!!!: the archive ends here */
};

/*
 * Reads the entry whose header is at 'off'. Returns the offset of what
 * follows it (> off), or a negative errno with *why saying what is wrong:
 * -E2BIG for a size no archive of this length can hold (an absurd name
 * or file size), -EINVAL for everything else (bad magic, bad hex digits,
 * a header, name or data cut short, an empty name or one whose NUL is
 * missing or early, a bad checksum). Never reads outside buf[0..len).
 */
long cpio_next(const u8 *buf, size_t len, size_t off, struct cpio_entry *e, const char **why);

/* After a trailer: skips the zero padding before another archive.
 * Returns the offset of the next archive, or len if only padding is left. */
size_t cpio_skip_padding(const u8 *buf, size_t len, size_t off);

/*
 * The path an entry's name asks for, relative to the root: leading "./"
 * and trailing slashes dropped (*len 0 means the root itself). Returns
 * false with *why set for a name that could leave the root: an absolute
 * path, or one with a ".." component.
 */
bool cpio_clean_name(const char *name, size_t namelen, const char **path, size_t *len,
		     const char **why);

/*
 * Every entry of every archive in buf, in order, to 'fn' (which returns 0
 * to go on, anything else to stop with that value). Returns 0 at the end,
 * fn's value, or cpio_next's error with *why and *where set.
 */
long cpio_parse(const u8 *buf, size_t len, int (*fn)(const struct cpio_entry *e, void *ctx),
		void *ctx, const char **why, size_t *where);

#endif
