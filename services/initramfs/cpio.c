/*
 * The cpio "newc" reader (see cpio.h). It trusts nothing in the archive:
 * every field is checked to be hex, every length against what is left of
 * the buffer before anything is read through it.
 */
#include <kevlar/errno.h>
#include <kevlar/string.h>
#include "cpio.h"

#define FIELDS 13     /* after the 6-byte magic, 8 hex digits each */

enum { F_INO, F_MODE, F_UID, F_GID, F_NLINK, F_MTIME, F_FILESIZE, F_DEVMAJOR, F_DEVMINOR,
       F_RDEVMAJOR, F_RDEVMINOR, F_NAMESIZE, F_CHECK };

static bool hex8(const u8 *p, u32 *out)
{
	u32 v = 0;
	for (int i = 0; i < 8; i++) {
		u8 c = p[i];
		u32 d;
		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else
			return false;
		v = v << 4 | d;
	}
	*out = v;
	return true;
}

static size_t align4(size_t x)
{
	return (x + 3) & ~(size_t)3;
}

long cpio_next(const u8 *buf, size_t len, size_t off, struct cpio_entry *e, const char **why)
{
	u32 f[FIELDS];

	if (off >= len) {
		*why = len ? "archive ends without TRAILER!!!" : "empty archive";
		return -EINVAL;
	}
	if (off % 4) {
		*why = "header not on a 4-byte boundary";
		return -EINVAL;
	}
	if (len - off < CPIO_HEADER_SIZE) {
		*why = "truncated header";
		return -EINVAL;
	}
	const u8 *h = buf + off;
	bool crc = !memcmp(h, "070702", 6);
	if (!crc && memcmp(h, "070701", 6)) {
		*why = h[0] == 0x1f && h[1] == 0x8b ? "compressed (gzip) archive: not supported"
						   : "bad magic (not a cpio \"newc\" header)";
		return -EINVAL;
	}
	for (int i = 0; i < FIELDS; i++) {
		if (!hex8(h + 6 + 8 * i, &f[i])) {
			*why = "header field is not hexadecimal";
			return -EINVAL;
		}
	}
	size_t namesize = f[F_NAMESIZE];
	size_t name_off = off + CPIO_HEADER_SIZE;
	if (namesize == 0 || namesize > CPIO_NAME_MAX) {
		*why = namesize ? "absurd name size" : "name without NUL (name size 0)";
		return namesize ? -E2BIG : -EINVAL;
	}
	if (len - name_off < namesize) {
		*why = "truncated name";
		return -EINVAL;
	}
	const char *name = (const char *)buf + name_off;
	if (name[namesize - 1] != 0) {
		*why = "name without NUL";
		return -EINVAL;
	}
	if (strnlen(name, namesize) != namesize - 1) {
		*why = "NUL inside the name";
		return -EINVAL;
	}
	if (namesize == 1) {
		*why = "empty name";
		return -EINVAL;
	}
	size_t data_off = align4(name_off + namesize);
	size_t size = f[F_FILESIZE];
	if (data_off > len || size > len - data_off) {
		*why = size > len ? "absurd file size" : "truncated data";
		return size > len ? -E2BIG : -EINVAL;
	}
	if (crc) {
		u32 sum = 0;
		for (size_t i = 0; i < size; i++)
			sum += buf[data_off + i];
		if (sum != f[F_CHECK]) {
			*why = "checksum mismatch (070702)";
			return -EINVAL;
		}
	}
	*e = (struct cpio_entry){
		.offset = off,
		.ino = f[F_INO], .mode = f[F_MODE], .uid = f[F_UID], .gid = f[F_GID],
		.nlink = f[F_NLINK], .mtime = f[F_MTIME],
		.devmajor = f[F_DEVMAJOR], .devminor = f[F_DEVMINOR],
		.rdevmajor = f[F_RDEVMAJOR], .rdevminor = f[F_RDEVMINOR],
		.name = name, .namelen = namesize - 1,
		.data = buf + data_off, .size = size,
		.trailer = namesize - 1 == sizeof(CPIO_TRAILER) - 1 &&
			   !memcmp(name, CPIO_TRAILER, sizeof(CPIO_TRAILER) - 1),
	};
	size_t next = align4(data_off + size);
	return (long)(next < len ? next : len);
}

bool cpio_clean_name(const char *name, size_t namelen, const char **path, size_t *len,
		     const char **why)
{
	const char *p = name;
	size_t n = namelen;

	if (n && p[0] == '/') {
		*why = "absolute path";
		return false;
	}
	while (n >= 2 && p[0] == '.' && p[1] == '/') {
		p += 2;
		n -= 2;
		while (n && p[0] == '/') {
			p++;
			n--;
		}
	}
	if (n == 1 && p[0] == '.')
		n = 0;
	while (n && p[n - 1] == '/')
		n--;
	for (size_t i = 0; i < n;) {
		size_t j = i;
		while (j < n && p[j] != '/')
			j++;
		if (j - i == 2 && p[i] == '.' && p[i + 1] == '.') {
			*why = "'..' would leave the root";
			return false;
		}
		i = j + 1;
	}
	*path = p;
	*len = n;
	return true;
}

size_t cpio_skip_padding(const u8 *buf, size_t len, size_t off)
{
	while (off < len && buf[off] == 0)
		off++;
	return off;
}

long cpio_parse(const u8 *buf, size_t len, int (*fn)(const struct cpio_entry *e, void *ctx),
		void *ctx, const char **why, size_t *where)
{
	size_t off = 0;
	struct cpio_entry e;

	for (;;) {
		long next = cpio_next(buf, len, off, &e, why);
		if (next < 0) {
			*where = off;
			return next;
		}
		if (e.trailer) {
			off = cpio_skip_padding(buf, len, (size_t)next);
			if (off >= len)
				return 0;
			continue;
		}
		int rc = fn(&e, ctx);
		if (rc)
			return rc;
		off = (size_t)next;
	}
}
