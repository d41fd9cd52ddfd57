/* getdents64: every entry once, with its type; small buffers; errors. */
#include "usertest.h"

struct kdirent64 {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

#define MAX_NAMES 32

struct listing {
	int count;
	char names[MAX_NAMES][32];
	unsigned char types[MAX_NAMES];
	uint64_t inos[MAX_NAMES];
	int reclen_aligned;
};

static int by_name(const void *a, const void *b)
{
	return strcmp(a, b);
}

/* Reads the whole directory with a buffer of 'bufsize'; -1 on an error. */
static int list(int fd, size_t bufsize, struct listing *out)
{
	static char buf[8192];
	long n;

	memset(out, 0, sizeof(*out));
	out->reclen_aligned = 1;
	lseek(fd, 0, SEEK_SET);
	while ((n = syscall(SYS_getdents64, fd, buf, bufsize)) > 0) {
		for (long off = 0; off < n;) {
			struct kdirent64 *d = (struct kdirent64 *)(buf + off);
			if (d->d_reclen % 8)
				out->reclen_aligned = 0;
			if (out->count < MAX_NAMES) {
				snprintf(out->names[out->count], 32, "%s", d->d_name);
				out->types[out->count] = d->d_type;
				out->inos[out->count] = d->d_ino;
				out->count++;
			}
			off += d->d_reclen;
		}
	}
	return n < 0 ? -1 : 0;
}

static int find(const struct listing *l, const char *name)
{
	for (int i = 0; i < l->count; i++)
		if (!strcmp(l->names[i], name))
			return i;
	return -1;
}

static int names_are(const struct listing *l, const char *const *want, int n)
{
	char sorted[MAX_NAMES][32];

	if (l->count != n)
		return 0;
	memcpy(sorted, l->names, sizeof(sorted));
	qsort(sorted, n, 32, by_name);
	for (int i = 0; i < n; i++)
		if (strcmp(sorted[i], want[i]))
			return 0;
	return 1;
}

int main(void)
{
	static const char *const all[] = { ".", "..", "alpha", "beta", "gamma", "link", "sub" };
	static const char *const fewer[] = { ".", "..", "alpha", "gamma", "link", "sub" };
	static const char *const empty[] = { ".", ".." };
	const char *dir = scratch_dir();
	char path[256];
	struct listing l;
	struct stat st;

	for (const char *const *n = all + 2; n < all + 5; n++) {
		snprintf(path, sizeof(path), "%s/%s", dir, *n);
		write_file(path, "x", 1, 0644);
	}
	snprintf(path, sizeof(path), "%s/link", dir);
	symlink("alpha", path);
	snprintf(path, sizeof(path), "%s/sub", dir);
	mkdir(path, 0755);

	int fd = open(dir, O_RDONLY | O_DIRECTORY);
	CHECK("getdents.list", list(fd, 4096, &l) == 0);
	CHECK("getdents.every_name_once", names_are(&l, all, 7));
	CHECK("getdents.reclen_8_aligned", l.reclen_aligned);
	int i = find(&l, "alpha");
	snprintf(path, sizeof(path), "%s/alpha", dir);
	CHECK("getdents.type_regular", i >= 0 && l.types[i] == DT_REG);
	CHECK("getdents.ino_matches_stat", i >= 0 && stat(path, &st) == 0 && l.inos[i] == st.st_ino);
	i = find(&l, "sub");
	CHECK("getdents.type_directory", i >= 0 && l.types[i] == DT_DIR);
	i = find(&l, "link");
	CHECK("getdents.type_symlink", i >= 0 && l.types[i] == DT_LNK);
	i = find(&l, ".");
	CHECK("getdents.dot_is_directory", i >= 0 && l.types[i] == DT_DIR);

	CHECK("getdents.small_buffer", list(fd, 48, &l) == 0 && names_are(&l, all, 7));
	CHECK("getdents.at_end_returns_0", syscall(SYS_getdents64, fd, path, sizeof(path)) == 0);
	lseek(fd, 0, SEEK_SET);
	check_err("getdents.buffer_too_small_einval", syscall(SYS_getdents64, fd, path, 8), EINVAL);

	snprintf(path, sizeof(path), "%s/beta", dir);
	unlink(path);
	CHECK("getdents.unlinked_name_gone", list(fd, 4096, &l) == 0 && names_are(&l, fewer, 6));
	close(fd);

	snprintf(path, sizeof(path), "%s/sub", dir);
	fd = open(path, O_RDONLY | O_DIRECTORY);
	CHECK("getdents.empty_directory", list(fd, 4096, &l) == 0 && names_are(&l, empty, 2));
	close(fd);

	snprintf(path, sizeof(path), "%s/alpha", dir);
	fd = open(path, O_RDONLY);
	check_err("getdents.on_file_enotdir", syscall(SYS_getdents64, fd, &l, sizeof(l)), ENOTDIR);
	close(fd);
	check_err("getdents.bad_fd_ebadf", syscall(SYS_getdents64, 999, &l, sizeof(l)), EBADF);
	check_err("open.o_directory_on_file_enotdir", open(path, O_RDONLY | O_DIRECTORY), ENOTDIR);
	remove_tree(dir);
	return finish();
}
