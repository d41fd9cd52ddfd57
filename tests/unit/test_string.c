/*
 * The kernel's platform/lib/string.c, compiled into this file under
 * kstr_* names so it does not clash with the host C library, checked
 * against simple byte-by-byte references for every alignment.
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "suites.h"

#define memcpy  kstr_memcpy
#define memmove kstr_memmove
#define memset  kstr_memset
#define memcmp  kstr_memcmp
#define strlen  kstr_strlen
#define strnlen kstr_strnlen
#define strcmp  kstr_strcmp
#define strncmp kstr_strncmp
#define strchr  kstr_strchr
#define strlcpy kstr_strlcpy
#include "../../platform/lib/string.c"
#undef memcpy
#undef memmove
#undef memset
#undef memcmp
#undef strlen
#undef strnlen
#undef strcmp
#undef strncmp
#undef strchr
#undef strlcpy

#define AREA 160
#define MAXLEN 80

/* Fills p with a pattern that differs at every offset and per seed. */
static void pattern(u8 *p, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (u8)(i * 7 + seed * 13 + 1);
}

START_TEST(test_memcpy_all_alignments)
{
	u8 src[AREA], dst[AREA], want[AREA];

	pattern(src, sizeof(src), 1);
	for (size_t so = 0; so < 16; so++)
		for (size_t d = 0; d < 16; d++)
			for (size_t n = 0; n <= MAXLEN; n++) {
				pattern(dst, sizeof(dst), 2);
				pattern(want, sizeof(want), 2);
				for (size_t i = 0; i < n; i++)
					want[d + i] = src[so + i];
				ck_assert_ptr_eq(kstr_memcpy(dst + d, src + so, n), dst + d);
				ck_assert_msg(memcmp(dst, want, sizeof(dst)) == 0,
					      "memcpy src+%zu dst+%zu n %zu", so, d, n);
			}
}
END_TEST

START_TEST(test_memmove_overlaps)
{
	u8 buf[AREA], want[AREA], tmp[AREA];

	for (size_t so = 0; so < 40; so++)
		for (size_t d = 0; d < 40; d++)
			for (size_t n = 0; n <= MAXLEN; n++) {
				pattern(buf, sizeof(buf), 3);
				pattern(want, sizeof(want), 3);
				for (size_t i = 0; i < n; i++)
					tmp[i] = want[so + i];
				for (size_t i = 0; i < n; i++)
					want[d + i] = tmp[i];
				ck_assert_ptr_eq(kstr_memmove(buf + d, buf + so, n), buf + d);
				ck_assert_msg(memcmp(buf, want, sizeof(buf)) == 0,
					      "memmove src+%zu dst+%zu n %zu", so, d, n);
			}
}
END_TEST

START_TEST(test_memset_all_alignments)
{
	u8 buf[AREA], want[AREA];
	static const int values[] = { 0, 0x5a, 0xff, 0x1a5, -1 };

	for (size_t v = 0; v < sizeof(values) / sizeof(values[0]); v++)
		for (size_t d = 0; d < 16; d++)
			for (size_t n = 0; n <= MAXLEN; n++) {
				pattern(buf, sizeof(buf), 4);
				pattern(want, sizeof(want), 4);
				for (size_t i = 0; i < n; i++)
					want[d + i] = (u8)values[v];
				ck_assert_ptr_eq(kstr_memset(buf + d, values[v], n), buf + d);
				ck_assert_msg(memcmp(buf, want, sizeof(buf)) == 0,
					      "memset %d dst+%zu n %zu", values[v], d, n);
			}
}
END_TEST

/* The sign of x: -1, 0 or 1. */
static int sign(int x)
{
	return (x > 0) - (x < 0);
}

START_TEST(test_memcmp)
{
	u8 a[64], b[64];

	pattern(a, sizeof(a), 5);
	memcpy(b, a, sizeof(b));
	ck_assert_int_eq(kstr_memcmp(a, b, sizeof(a)), 0);
	ck_assert_int_eq(kstr_memcmp(a, b, 0), 0);
	for (size_t i = 0; i < sizeof(a); i++) {
		b[i] = (u8)(a[i] + 1);
		ck_assert_int_eq(kstr_memcmp(a, b, i), 0);
		ck_assert_int_eq(sign(kstr_memcmp(a, b, sizeof(a))),
				 sign(memcmp(a, b, sizeof(a))));
		ck_assert_int_eq(sign(kstr_memcmp(b, a, sizeof(a))),
				 sign(memcmp(b, a, sizeof(a))));
		b[i] = a[i];
	}
	/* Bytes compare as unsigned. */
	ck_assert_int_gt(kstr_memcmp("\x80", "\x7f", 1), 0);
	ck_assert_int_lt(kstr_memcmp("\x01", "\xff", 1), 0);
}
END_TEST

START_TEST(test_strlen_strnlen)
{
	char s[40];

	for (size_t n = 0; n < sizeof(s); n++) {
		memset(s, 'a', n);
		s[n] = '\0';
		ck_assert_uint_eq(kstr_strlen(s + 0), n);
		ck_assert_uint_eq(kstr_strnlen(s, n), n);
		ck_assert_uint_eq(kstr_strnlen(s, n + 5), n);
		if (n)
			ck_assert_uint_eq(kstr_strnlen(s, n - 1), n - 1);
	}
	/* strnlen reads no further than max: no NUL in this array. */
	static const char unterminated[3] = { 'x', 'y', 'z' };
	ck_assert_uint_eq(kstr_strnlen(unterminated, 3), 3);
	ck_assert_uint_eq(kstr_strnlen(unterminated, 0), 0);
}
END_TEST

START_TEST(test_strcmp_strncmp)
{
	static const char *const words[] = {
		"", "a", "b", "ab", "abc", "abd", "abcd", "\x80", "\x7f", "a\xff", "B",
	};
	size_t n = sizeof(words) / sizeof(words[0]);

	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < n; j++) {
			ck_assert_int_eq(sign(kstr_strcmp(words[i], words[j])),
					 sign(strcmp(words[i], words[j])));
			for (size_t k = 0; k < 6; k++)
				ck_assert_int_eq(sign(kstr_strncmp(words[i], words[j], k)),
						 sign(strncmp(words[i], words[j], k)));
		}
	ck_assert_int_eq(kstr_strncmp("abcX", "abcY", 3), 0);
	ck_assert_int_eq(kstr_strncmp("x", "y", 0), 0);
}
END_TEST

START_TEST(test_strchr)
{
	const char *s = "hello, world";

	ck_assert_ptr_eq(kstr_strchr(s, 'h'), s);
	ck_assert_ptr_eq(kstr_strchr(s, 'o'), s + 4);
	ck_assert_ptr_eq(kstr_strchr(s, 'd'), s + 11);
	ck_assert_ptr_eq(kstr_strchr(s, '\0'), s + 12);
	ck_assert_ptr_null(kstr_strchr(s, 'z'));
	ck_assert_ptr_eq(kstr_strchr(s, 'o' + 256), s + 4);	/* c is taken as a char */
	const char *high = "a\xe9";
	ck_assert_ptr_eq(kstr_strchr(high, 0xe9), high + 1);	/* as in the C library */
}
END_TEST

START_TEST(test_strlcpy)
{
	char dst[8];

	memset(dst, 'Z', sizeof(dst));
	ck_assert_uint_eq(kstr_strlcpy(dst, "abc", sizeof(dst)), 3);
	ck_assert_str_eq(dst, "abc");
	ck_assert_int_eq(dst[4], 'Z');
	ck_assert_uint_eq(kstr_strlcpy(dst, "0123456789", sizeof(dst)), 10);
	ck_assert_str_eq(dst, "0123456");
	ck_assert_uint_eq(kstr_strlcpy(dst, "1234567", sizeof(dst)), 7);
	ck_assert_str_eq(dst, "1234567");
	memset(dst, 'Z', sizeof(dst));
	ck_assert_uint_eq(kstr_strlcpy(dst, "xyz", 1), 3);
	ck_assert_int_eq(dst[0], '\0');
	ck_assert_int_eq(dst[1], 'Z');
	ck_assert_uint_eq(kstr_strlcpy(dst, "xyz", 0), 3);
	ck_assert_int_eq(dst[0], '\0');
	ck_assert_uint_eq(kstr_strlcpy(dst, "", sizeof(dst)), 0);
	ck_assert_str_eq(dst, "");
}
END_TEST

Suite *string_suite(void)
{
	Suite *s = suite_create("string");
	TCase *tc = tcase_create("kernel_string");

	tcase_add_test(tc, test_memcpy_all_alignments);
	tcase_add_test(tc, test_memmove_overlaps);
	tcase_add_test(tc, test_memset_all_alignments);
	tcase_add_test(tc, test_memcmp);
	tcase_add_test(tc, test_strlen_strnlen);
	tcase_add_test(tc, test_strcmp_strncmp);
	tcase_add_test(tc, test_strchr);
	tcase_add_test(tc, test_strlcpy);
	suite_add_tcase(s, tc);
	return s;
}
