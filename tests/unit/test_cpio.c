/*
 * The initramfs's cpio "newc" reader (services/initramfs/cpio.c) on
 * archives built here, good and broken. Every parse runs on a malloc()ed
 * copy exactly as long as the archive, so AddressSanitizer catches any
 * read past its end; truncations at every length and random corruption
 * must give an error or a clean parse, never a stray read.
 */
#include <kevlar/errno.h>
#include <kevlar/types.h>

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../services/initramfs/cpio.h"
#include "suites.h"

#define S_IFDIR 0040000
#define S_IFREG 0100000
#define S_IFLNK 0120000
#define S_IFCHR 0020000

static u8 ar[1 << 16];
static size_t ar_len;

static void put_hex(u32 v)
{
	snprintf((char *)ar + ar_len, 9, "%08X", v);
	ar_len += 8;
}

static void pad4(void)
{
	while (ar_len % 4)
		ar[ar_len++] = 0;
}

/* Appends one entry; 'magic' is "070701" or "070702". */
static void entry_full(const char *magic, const char *name, u32 mode, const void *data, u32 size,
		       u32 ino, u32 nlink)
{
	u32 sum = 0;
	for (u32 i = 0; i < size; i++)
		sum += ((const u8 *)data)[i];
	memcpy(ar + ar_len, magic, 6);
	ar_len += 6;
	u32 fields[13] = { ino, mode, 0, 0, nlink, 1700000000, size, 8, 1, 0, 0,
			   (u32)strlen(name) + 1, !strcmp(magic, "070702") ? sum : 0 };
	for (int i = 0; i < 13; i++)
		put_hex(fields[i]);
	memcpy(ar + ar_len, name, strlen(name) + 1);
	ar_len += strlen(name) + 1;
	pad4();
	if (size)
		memcpy(ar + ar_len, data, size);
	ar_len += size;
	pad4();
}

static void entry(const char *name, u32 mode, const char *data, u32 ino)
{
	entry_full("070701", name, mode, data, data ? (u32)strlen(data) : 0, ino, 1);
}

static void trailer(void)
{
	entry("TRAILER!!!", 0, NULL, 0);
}

/* A typical archive: the root, a directory, files, a symlink, a device. */
static void good_archive(void)
{
	ar_len = 0;
	entry(".", S_IFDIR | 0755, NULL, 1);
	entry("bin", S_IFDIR | 0755, NULL, 2);
	entry("bin/busybox", S_IFREG | 0755, "\177ELF pretend", 3);
	entry("bin/sh", S_IFLNK | 0777, "busybox", 4);
	entry("dev/console", S_IFCHR | 0600, NULL, 5);
	entry("etc/motd", S_IFREG | 0644, "hi\n", 6);
	entry("empty", S_IFREG | 0600, "", 7);
	trailer();
}

struct seen {
	int n;
	char names[16][64];
	u32 modes[16];
	size_t sizes[16];
	char data[16][64];
};

static int collect(const struct cpio_entry *e, void *ctx)
{
	struct seen *s = ctx;
	ck_assert_int_lt(s->n, 16);
	ck_assert_uint_eq(e->name[e->namelen], 0);
	snprintf(s->names[s->n], sizeof(s->names[0]), "%s", e->name);
	s->modes[s->n] = e->mode;
	s->sizes[s->n] = e->size;
	memcpy(s->data[s->n], e->data, e->size < 63 ? e->size : 63);
	s->n++;
	return 0;
}

/* Parses a malloc()ed copy of the first 'len' bytes of ar. */
static long parse(size_t len, struct seen *s, const char **why, size_t *where)
{
	u8 *copy = malloc(len ? len : 1);
	memcpy(copy, ar, len);
	memset(s, 0, sizeof(*s));
	*why = NULL;
	*where = 0;
	long rc = cpio_parse(copy, len, collect, s, why, where);
	free(copy);
	return rc;
}

START_TEST(good_archive_gives_every_entry)
{
	struct seen s;
	const char *why;
	size_t where;

	good_archive();
	ck_assert_int_eq(parse(ar_len, &s, &why, &where), 0);
	ck_assert_int_eq(s.n, 7);
	ck_assert_str_eq(s.names[0], ".");
	ck_assert_str_eq(s.names[2], "bin/busybox");
	ck_assert_uint_eq(s.modes[2], S_IFREG | 0755);
	ck_assert_uint_eq(s.sizes[2], 12);
	ck_assert_mem_eq(s.data[2], "\177ELF pretend", 12);
	ck_assert_str_eq(s.names[3], "bin/sh");
	ck_assert_mem_eq(s.data[3], "busybox", 7);
	ck_assert_uint_eq(s.modes[4], S_IFCHR | 0600);
	ck_assert_str_eq(s.names[6], "empty");
	ck_assert_uint_eq(s.sizes[6], 0);
}
END_TEST

START_TEST(entry_fields_and_offsets)
{
	struct cpio_entry e;
	const char *why;

	good_archive();
	long next = cpio_next(ar, ar_len, 0, &e, &why);
	ck_assert_int_eq(next, 112);   /* 110 + "." + NUL = 112 */
	ck_assert_uint_eq(e.offset, 0);
	ck_assert_uint_eq(e.ino, 1);
	ck_assert_uint_eq(e.mtime, 1700000000);
	ck_assert_uint_eq(e.devmajor, 8);
	ck_assert_uint_eq(e.devminor, 1);
	ck_assert(!e.trailer);
	next = cpio_next(ar, ar_len, (size_t)next, &e, &why);
	ck_assert_int_eq(next, 112 + 116);   /* "bin" + NUL: 114 -> 116 */
	ck_assert_str_eq(e.name, "bin");
}
END_TEST

START_TEST(concatenated_archives_with_padding)
{
	struct seen s;
	const char *why;
	size_t where;

	ar_len = 0;
	entry("a", S_IFREG | 0644, "one", 1);
	trailer();
	while (ar_len % 512)
		ar[ar_len++] = 0;
	entry("b", S_IFREG | 0644, "two", 1);
	trailer();
	memset(ar + ar_len, 0, 100);
	ar_len += 100;
	ck_assert_int_eq(parse(ar_len, &s, &why, &where), 0);
	ck_assert_int_eq(s.n, 2);
	ck_assert_str_eq(s.names[1], "b");
}
END_TEST

START_TEST(crc_format_checks_the_sum)
{
	struct seen s;
	const char *why;
	size_t where;

	ar_len = 0;
	entry_full("070702", "f", S_IFREG | 0644, "checked", 7, 1, 1);
	trailer();
	ck_assert_int_eq(parse(ar_len, &s, &why, &where), 0);
	ck_assert_int_eq(s.n, 1);
	ar[112 + 2] ^= 1;   /* one bit of the data */
	ck_assert_int_eq(parse(ar_len, &s, &why, &where), -EINVAL);
	ck_assert_str_eq(why, "checksum mismatch (070702)");
}
END_TEST

/* Breaks the good archive with 'mutate' and checks the error. */
static void expect_error(long want, const char *what, size_t at)
{
	struct seen s;
	const char *why;
	size_t where;

	ck_assert_int_eq(parse(ar_len, &s, &why, &where), want);
	ck_assert_ptr_nonnull(why);
	ck_assert_msg(strstr(why, what), "why '%s', want '%s'", why, what);
	ck_assert_uint_eq(where, at);
}

START_TEST(bad_magic)
{
	good_archive();
	memcpy(ar + 112, "070707", 6);   /* the old binary-header magic */
	expect_error(-EINVAL, "bad magic", 112);
	good_archive();
	ar[0] = 0x1f;
	ar[1] = 0x8b;
	expect_error(-EINVAL, "compressed", 0);
}
END_TEST

START_TEST(bad_hex_field)
{
	good_archive();
	ar[6 + 8 * 6 + 3] = 'G';   /* in filesize */
	expect_error(-EINVAL, "not hexadecimal", 0);
	good_archive();
	ar[6 + 8 * 11] = ' ';      /* in namesize */
	expect_error(-EINVAL, "not hexadecimal", 0);
}
END_TEST

START_TEST(names_without_nul_or_empty)
{
	good_archive();
	ar[110 + 1] = 'x';         /* "." loses its NUL */
	expect_error(-EINVAL, "name without NUL", 0);
	good_archive();
	memcpy(ar + 112 + 6 + 8 * 11, "00000000", 8);   /* namesize 0 */
	expect_error(-EINVAL, "name size 0", 112);
	ar_len = 0;
	entry("ab", S_IFREG, "", 1);
	ar[111] = 0;               /* "a\0\0": NUL inside */
	trailer();
	expect_error(-EINVAL, "NUL inside the name", 0);
	ar_len = 0;
	entry("", S_IFREG, "", 1);
	trailer();
	expect_error(-EINVAL, "empty name", 0);
}
END_TEST

START_TEST(absurd_sizes)
{
	good_archive();
	memcpy(ar + 6 + 8 * 11, "FFFFFFFF", 8);   /* namesize */
	expect_error(-E2BIG, "absurd name size", 0);
	good_archive();
	memcpy(ar + 112 + 116 + 6 + 8 * 6, "FFFFFFF0", 8);   /* bin/busybox's filesize */
	expect_error(-E2BIG, "absurd file size", 112 + 116);
}
END_TEST

START_TEST(truncations)
{
	struct seen s;
	const char *why;
	size_t where;

	good_archive();
	size_t full = ar_len;
	ck_assert_int_eq(parse(50, &s, &why, &where), -EINVAL);
	ck_assert_str_eq(why, "truncated header");
	ck_assert_int_eq(parse(111, &s, &why, &where), -EINVAL);
	ck_assert_str_eq(why, "truncated name");
	ck_assert_int_eq(parse(112 + 116 + 124, &s, &why, &where), -EINVAL);
	ck_assert_str_eq(why, "truncated data");
	ck_assert_int_eq(parse(0, &s, &why, &where), -EINVAL);
	ck_assert_str_eq(why, "empty archive");
	/* Without its trailer the archive is incomplete. */
	ck_assert_int_eq(parse(full - 124, &s, &why, &where), -EINVAL);
	ck_assert_str_eq(why, "archive ends without TRAILER!!!");
	ck_assert_int_eq(s.n, 7);
	/* Every cut gives an error, and never a read past the end. */
	for (size_t len = 0; len < full - 124; len++) {
		long rc = parse(len, &s, &why, &where);
		ck_assert_msg(rc < 0, "cut at %zu parsed", len);
		ck_assert_uint_le(where, len);
	}
}
END_TEST

START_TEST(misaligned_next_archive)
{
	struct seen s;
	const char *why;
	size_t where;

	ar_len = 0;
	entry("a", S_IFREG | 0644, "one", 1);
	trailer();
	ar[ar_len++] = 0;
	ar[ar_len++] = 0;
	size_t second = ar_len;
	entry("b", S_IFREG | 0644, "two", 1);
	trailer();
	ck_assert_int_eq(parse(ar_len, &s, &why, &where), -EINVAL);
	ck_assert_str_eq(why, "header not on a 4-byte boundary");
	ck_assert_uint_eq(where, second);
}
END_TEST

START_TEST(random_corruption_never_reads_out_of_bounds)
{
	struct seen s;
	const char *why;
	size_t where;

	srand(4242);
	for (int round = 0; round < 3000; round++) {
		good_archive();
		int flips = 1 + rand() % 4;
		for (int i = 0; i < flips; i++)
			ar[rand() % ar_len] = (u8)(rand() % 3 ? "0123456789ABCDEF"[rand() % 16] : rand());
		long rc = parse(ar_len - (size_t)(rand() % 8), &s, &why, &where);
		ck_assert(rc == 0 || rc == -EINVAL || rc == -E2BIG);
	}
}
END_TEST

/* What the unpacker makes of a name. */
static const char *clean(const char *name)
{
	static char out[64];
	const char *path, *why;
	size_t len;
	if (!cpio_clean_name(name, strlen(name), &path, &len, &why))
		return why;
	snprintf(out, sizeof(out), "[%.*s]", (int)len, path);
	return out;
}

START_TEST(names_that_leave_the_root_are_refused)
{
	ck_assert_str_eq(clean("bin/sh"), "[bin/sh]");
	ck_assert_str_eq(clean("./bin/sh"), "[bin/sh]");
	ck_assert_str_eq(clean(".//./etc/"), "[etc]");
	ck_assert_str_eq(clean("."), "[]");
	ck_assert_str_eq(clean("./"), "[]");
	ck_assert_str_eq(clean("a/..b/...c"), "[a/..b/...c]");
	ck_assert_str_eq(clean("/etc/passwd"), "absolute path");
	ck_assert_str_eq(clean(".."), "'..' would leave the root");
	ck_assert_str_eq(clean("../x"), "'..' would leave the root");
	ck_assert_str_eq(clean("a/../../x"), "'..' would leave the root");
	ck_assert_str_eq(clean("a/b/.."), "'..' would leave the root");
	ck_assert_str_eq(clean("./../x"), "'..' would leave the root");
}
END_TEST

static int stop_at_three(const struct cpio_entry *e __attribute__((unused)), void *ctx)
{
	struct seen *sn = ctx;
	return ++sn->n == 3 ? 77 : 0;
}

START_TEST(callback_can_stop_the_walk)
{
	struct seen s = { 0 };
	const char *why;
	size_t where;

	good_archive();
	ck_assert_int_eq(cpio_parse(ar, ar_len, stop_at_three, &s, &why, &where), 77);
	ck_assert_int_eq(s.n, 3);
}
END_TEST

Suite *cpio_suite(void)
{
	Suite *s = suite_create("cpio");
	TCase *tc = tcase_create("newc");
	tcase_add_test(tc, good_archive_gives_every_entry);
	tcase_add_test(tc, entry_fields_and_offsets);
	tcase_add_test(tc, concatenated_archives_with_padding);
	tcase_add_test(tc, crc_format_checks_the_sum);
	tcase_add_test(tc, bad_magic);
	tcase_add_test(tc, bad_hex_field);
	tcase_add_test(tc, names_without_nul_or_empty);
	tcase_add_test(tc, absurd_sizes);
	tcase_add_test(tc, truncations);
	tcase_add_test(tc, misaligned_next_archive);
	tcase_add_test(tc, random_corruption_never_reads_out_of_bounds);
	tcase_add_test(tc, names_that_leave_the_root_are_refused);
	tcase_add_test(tc, callback_can_stop_the_walk);
	suite_add_tcase(s, tc);
	return s;
}
