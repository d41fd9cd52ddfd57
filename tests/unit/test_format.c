/*
 * kvsnprintf/ksnprintf against the host C library's snprintf, plus the
 * kernel-only conventions (%p, "(null)") and printk_format_time().
 */
#include <check.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <kevlar/printk.h>

#include "suites.h"

#define FMT_BUF 512

/*
 * Checks that got (returned gn) matches want (returned wn) when formatted
 * into size bytes: same return value, the right prefix, a NUL at the
 * end, and nothing written past size.
 */
static void check_sized(int line, const char *fmt, const char *want, int wn,
			const char *got, int gn, size_t size)
{
	size_t keep = size ? ((size_t)wn < size ? (size_t)wn : size - 1) : 0;

	ck_assert_msg(gn == wn, "line %d fmt \"%s\" size %zu: returned %d, want %d",
		      line, fmt, size, gn, wn);
	if (size) {
		ck_assert_msg(memcmp(got, want, keep) == 0 && got[keep] == '\0',
			      "line %d fmt \"%s\" size %zu: got \"%.*s\", want \"%.*s\"",
			      line, fmt, size, (int)keep, got, (int)keep, want);
	}
	ck_assert_msg((unsigned char)got[size] == 0xa5,
		      "line %d fmt \"%s\": wrote past size %zu", line, fmt, size);
}

/*
 * Formats with both snprintf and ksnprintf, in a full buffer and then in
 * every buffer size from 0 to one past the output length.
 */
#define CHECK_FMT(...)                                                        \
	do {                                                                  \
		char want_[FMT_BUF], got_[FMT_BUF + 1];                       \
		int wn_ = snprintf(want_, sizeof(want_), __VA_ARGS__);        \
		ck_assert_int_lt(wn_, FMT_BUF);                               \
		for (size_t sz_ = 0; sz_ <= (size_t)wn_ + 1; sz_++) {         \
			memset(got_, 0xa5, sizeof(got_));                     \
			int gn_ = ksnprintf(got_, sz_, __VA_ARGS__);          \
			check_sized(__LINE__, #__VA_ARGS__, want_, wn_, got_, \
				    gn_, sz_);                                \
		}                                                             \
	} while (0)

/* Formats with ksnprintf only, comparing with a literal expectation. */
#define CHECK_LIT(want, ...)                                                  \
	do {                                                                  \
		char got_[FMT_BUF + 1];                                       \
		const char *want_ = (want);                                   \
		int wn_ = (int)strlen(want_);                                 \
		for (size_t sz_ = 0; sz_ <= (size_t)wn_ + 1; sz_++) {         \
			memset(got_, 0xa5, sizeof(got_));                     \
			int gn_ = ksnprintf(got_, sz_, __VA_ARGS__);          \
			check_sized(__LINE__, #__VA_ARGS__, want_, wn_, got_, \
				    gn_, sz_);                                \
		}                                                             \
	} while (0)

START_TEST(test_plain_text)
{
	CHECK_FMT("hello, world");
	CHECK_FMT("%s", "");
	CHECK_FMT("a%%b");
	CHECK_FMT("%%%%");
	CHECK_FMT("tab\there\nnewline");
	CHECK_FMT("%s|%s|%s", "one", "two", "three");
}
END_TEST

START_TEST(test_signed)
{
	static const long long vals[] = {
		0, 1, -1, 7, -7, 42, 100, -100, 9999, INT_MAX, INT_MIN,
		(long long)INT_MAX + 1, LLONG_MAX, LLONG_MIN, LLONG_MIN + 1,
	};

	for (size_t i = 0; i < sizeof(vals) / sizeof(vals[0]); i++) {
		long long v = vals[i];
		int iv = (int)v;

		CHECK_FMT("%d", iv);
		CHECK_FMT("%i", iv);
		CHECK_FMT("%5d|%-5d|%05d", iv, iv, iv);
		CHECK_FMT("%+d|% d|%+5d|% 5d|%+05d|% 05d", iv, iv, iv, iv, iv, iv);
		CHECK_FMT("%.0d|%.1d|%.3d|%.12d", iv, iv, iv, iv);
		CHECK_FMT("%8.3d|%-8.3d|%+8.3d", iv, iv, iv);
		CHECK_FMT("%-+6d|%- 6d", iv, iv);
		CHECK_FMT("%lld|%ld|%jd", v, (long)v, (intmax_t)v);
		CHECK_FMT("%25lld|%-25lld|%025lld|%+.22lld", v, v, v, v);
		CHECK_FMT("%zd|%td", (ssize_t)v, (ptrdiff_t)v);
		CHECK_FMT("%hd|%hhd|%hi|%hhi", (short)v, (signed char)v,
			  (short)v, (signed char)v);
		/* hh/h take an int and must narrow it themselves. */
		CHECK_FMT("%hd|%hhd", iv, iv);
	}
}
END_TEST

START_TEST(test_int64_min)
{
	CHECK_FMT("%lld", (long long)INT64_MIN);
	CHECK_FMT("%ld", (long)INT64_MIN);
	CHECK_FMT("%30ld|%-30ld|%030ld", (long)INT64_MIN, (long)INT64_MIN, (long)INT64_MIN);
	CHECK_FMT("%lu|%lx|%lo", (unsigned long)INT64_MIN, (unsigned long)INT64_MIN,
		  (unsigned long)INT64_MIN);
	CHECK_LIT("-9223372036854775808", "%ld", (long)INT64_MIN);
}
END_TEST

START_TEST(test_unsigned)
{
	static const unsigned long long vals[] = {
		0, 1, 7, 8, 9, 10, 15, 16, 255, 256, 0xdeadbeef, UINT_MAX,
		(unsigned long long)UINT_MAX + 1, 0x123456789abcdefULL, ULLONG_MAX,
	};

	for (size_t i = 0; i < sizeof(vals) / sizeof(vals[0]); i++) {
		unsigned long long v = vals[i];
		unsigned u = (unsigned)v;

		CHECK_FMT("%u|%x|%X|%o", u, u, u, u);
		CHECK_FMT("%#x|%#X|%#o", u, u, u);
		CHECK_FMT("%#.0x|%#.0o|%.0u|%.0x|%.0o", u, u, u, u, u);
		CHECK_FMT("%#10x|%#-10x|%#010x|%010x", u, u, u, u);
		CHECK_FMT("%#12o|%#012o|%#.5o|%#.1o|%#8.5o", u, u, u, u, u);
		CHECK_FMT("%.10u|%12.10x|%-12.10X|%12.10o", u, u, u, u);
		CHECK_FMT("%llu|%llx|%llX|%llo", v, v, v, v);
		CHECK_FMT("%#llx|%#llo|%#30llx|%#030llX", v, v, v, v);
		CHECK_FMT("%lu|%lx|%zu|%zx|%jx", (unsigned long)v, (unsigned long)v,
			  (size_t)v, (size_t)v, (uintmax_t)v);
		CHECK_FMT("%hu|%hx|%hhu|%hhx|%hho", (unsigned short)v, (unsigned short)v,
			  (unsigned char)v, (unsigned char)v, (unsigned char)v);
		CHECK_FMT("%hu|%hhx", u, u);
	}
}
END_TEST

/*
 * Flags that C says are ignored in these combinations ('0' with '-' or
 * with a precision, ' ' with '+', '+' and ' ' on unsigned conversions).
 * GCC warns about each, which is the point here.
 */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat"
START_TEST(test_ignored_flags)
{
	static const int ivals[] = { 0, 1, -1, 42, -42, 12345, INT_MAX, INT_MIN };
	static const unsigned uvals[] = { 0, 1, 8, 0xabc, UINT_MAX };

	for (size_t i = 0; i < sizeof(ivals) / sizeof(ivals[0]); i++) {
		int v = ivals[i];

		CHECK_FMT("%08.3d|%+08.3d|%-06d|%-+06d", v, v, v, v);
		CHECK_FMT("%+ d|% +d|% +8d|%0-8d|%0.0d", v, v, v, v, v);
		CHECK_FMT("%0*.*d|%0*d", 10, 4, v, -7, v);
	}
	for (size_t i = 0; i < sizeof(uvals) / sizeof(uvals[0]); i++) {
		unsigned u = uvals[i];

		CHECK_FMT("%+u|% u|%+x|% X|%+o", u, u, u, u, u);
		CHECK_FMT("%-010x|%012.10o|%#012.4x|%0*.*x", u, u, u, 10, 4, u);
	}
}
END_TEST
#pragma GCC diagnostic pop

START_TEST(test_char_and_string)
{
	CHECK_FMT("%c", 'a');
	CHECK_FMT("%c%c%c", 'x', 'y', 'z');
	CHECK_FMT("[%5c][%-5c][%1c]", 'q', 'q', 'q');
	CHECK_FMT("[%c]", 0x1ff);	/* narrowed to unsigned char */
	CHECK_FMT("[%s]", "string");
	CHECK_FMT("[%10s][%-10s][%2s]", "abc", "abc", "abc");
	CHECK_FMT("[%.2s][%.0s][%.10s][%5.1s][%-5.3s]", "abcdef", "abcdef",
		  "abcdef", "abcdef", "abcdef");
	CHECK_FMT("[%.*s]", 3, "abcdef");
	CHECK_FMT("[%.*s]", -1, "abcdef");
	CHECK_FMT("[%*s][%-*s]", 8, "ab", 8, "ab");
	CHECK_FMT("[%*s]", -8, "ab");
	/* Precision bounds the read: this array has no NUL. */
	static const char unterminated[4] = { 'w', 'x', 'y', 'z' };
	CHECK_FMT("[%.4s][%.2s]", unterminated, unterminated);
}
END_TEST

START_TEST(test_star)
{
	CHECK_FMT("%*d", 6, 42);
	CHECK_FMT("%-*d", 6, 42);
	CHECK_FMT("%*d", -6, 42);
	CHECK_FMT("%0*d", 6, -42);
	CHECK_FMT("%.*d", 5, 42);
	CHECK_FMT("%.*d", -5, 42);
	CHECK_FMT("%.*d", 0, 0);
	CHECK_FMT("%*.*d", 10, 4, -42);
	CHECK_FMT("%-*.*x|%s", 10, 4, 0xabcu, "end");
	CHECK_FMT("%*u %*u %*u", 1, 1u, 2, 2u, 3, 3u);
	CHECK_FMT("%*c", 4, 'c');
}
END_TEST

START_TEST(test_mixed)
{
	CHECK_FMT("pid %d: %s at %#lx (%u%%)", 17, "init", 0xffffffff80100000UL, 99u);
	CHECK_FMT("%s=%d %s=%llx %c", "a", -5, "b", 0x1234567890ULL, '!');
	CHECK_FMT("[%5lu.%06lu] %s\n", 3UL, 1234UL, "boot");
	CHECK_FMT("%8.3d|%8.3s|%-8.3s", 5, "abcdef", "abcdef");
}
END_TEST

START_TEST(test_pointer)
{
	CHECK_LIT("0xffffffff80100000", "%p", (void *)0xffffffff80100000UL);
	CHECK_LIT("0x0000000000000000", "%p", (void *)0);
	CHECK_LIT("0x00000000deadbeef", "%p", (void *)0xdeadbeefUL);
	CHECK_LIT("[    0x0000000000001000]", "[%22p]", (void *)0x1000);
	CHECK_LIT("[0x0000000000001000    ]", "[%-22p]", (void *)0x1000);
	CHECK_LIT("[0x0000000000001000]", "[%5p]", (void *)0x1000);
	CHECK_LIT("p=0x0000000000000010 n=3", "p=%p n=%d", (void *)0x10, 3);
}
END_TEST

START_TEST(test_null_string)
{
	/* volatile: keeps GCC from proving the argument NULL at compile time. */
	const char *volatile nul = NULL;

	CHECK_LIT("(null)", "%s", nul);
	CHECK_LIT("[  (null)]", "[%8s]", nul);
	CHECK_LIT("[(null)  ]", "[%-8s]", nul);
	CHECK_LIT("[(nu]", "[%.3s]", nul);
}
END_TEST

START_TEST(test_malformed)
{
	char buf[32];

	/* Unknown conversions are copied verbatim; arguments are not taken. */
	const char *unknown = "%y%d";
	ck_assert_int_eq(ksnprintf(buf, sizeof(buf), unknown, 5), 3);
	ck_assert_str_eq(buf, "%y5");
	/* A lone '%' at the end is printed as is. */
	const char *trailing = "ab%";
	ck_assert_int_eq(ksnprintf(buf, sizeof(buf), trailing, 0), 3);
	ck_assert_str_eq(buf, "ab%");
	/* "%5%" prints one '%', as glibc does. */
	const char *padded_pct = "%5%|";
	ck_assert_int_eq(ksnprintf(buf, sizeof(buf), padded_pct, 0), 2);
	ck_assert_str_eq(buf, "%|");
}
END_TEST

START_TEST(test_size_zero_and_truncation)
{
	char buf[8];

	memset(buf, 'Z', sizeof(buf));
	ck_assert_int_eq(ksnprintf(buf, 0, "%s", "abcdef"), 6);
	ck_assert_int_eq(buf[0], 'Z');
	ck_assert_int_eq(ksnprintf(NULL, 0, "%d-%s", 12345, "xyz"), 9);
	ck_assert_int_eq(ksnprintf(buf, 1, "abc"), 3);
	ck_assert_int_eq(buf[0], '\0');
	ck_assert_int_eq(buf[1], 'Z');
	ck_assert_int_eq(ksnprintf(buf, sizeof(buf), "%s", "0123456789"), 10);
	ck_assert_str_eq(buf, "0123456");
	ck_assert_int_eq(ksnprintf(buf, sizeof(buf), "%100d", 1), 100);
	ck_assert_str_eq(buf, "       ");
}
END_TEST

/* Calls kvsnprintf through a va_list, as vprintk does. */
static int via_va_list(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = kvsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

START_TEST(test_va_list)
{
	char buf[64];
	const char *empty = "";

	ck_assert_int_eq(via_va_list(buf, sizeof(buf), "%d %s %x", -3, "va", 255u), 8);
	ck_assert_str_eq(buf, "-3 va ff");
	memset(buf, 'Z', sizeof(buf));
	ck_assert_int_eq(via_va_list(buf, sizeof(buf), empty, 0), 0);
	ck_assert_str_eq(buf, "");
}
END_TEST

/* printk_format_time(ns) must equal the C library's rendering. */
static void check_time(unsigned long ns, const char *want)
{
	char got[64], ref[64];

	snprintf(ref, sizeof(ref), "[%5lu.%06lu] ", ns / 1000000000UL,
		 ns % 1000000000UL / 1000UL);
	ck_assert_str_eq(ref, want);
	ck_assert_int_eq(printk_format_time(got, sizeof(got), ns), (int)strlen(want));
	ck_assert_str_eq(got, want);
}

START_TEST(test_format_time)
{
	check_time(0, "[    0.000000] ");
	check_time(999, "[    0.000000] ");
	check_time(1000, "[    0.000001] ");
	check_time(999999999, "[    0.999999] ");
	check_time(1000000000, "[    1.000000] ");
	check_time(12345678000UL, "[   12.345678] ");
	check_time(12345678999UL, "[   12.345678] ");
	check_time(99999000000000UL, "[99999.000000] ");
	check_time(100000000000000UL, "[100000.000000] ");
	check_time(UINT64_MAX, "[18446744073.709551] ");
}
END_TEST

START_TEST(test_format_time_truncated)
{
	char buf[8];

	memset(buf, 'Z', sizeof(buf));
	ck_assert_int_eq(printk_format_time(buf, sizeof(buf), 12345678000UL), 15);
	ck_assert_str_eq(buf, "[   12.");
	ck_assert_int_eq(printk_format_time(NULL, 0, 0), 15);
}
END_TEST

Suite *format_suite(void)
{
	Suite *s = suite_create("format");
	TCase *tc = tcase_create("kvsnprintf");

	tcase_add_test(tc, test_plain_text);
	tcase_add_test(tc, test_signed);
	tcase_add_test(tc, test_int64_min);
	tcase_add_test(tc, test_unsigned);
	tcase_add_test(tc, test_ignored_flags);
	tcase_add_test(tc, test_char_and_string);
	tcase_add_test(tc, test_star);
	tcase_add_test(tc, test_mixed);
	tcase_add_test(tc, test_pointer);
	tcase_add_test(tc, test_null_string);
	tcase_add_test(tc, test_malformed);
	tcase_add_test(tc, test_size_zero_and_truncation);
	tcase_add_test(tc, test_va_list);
	suite_add_tcase(s, tc);

	tc = tcase_create("printk_format_time");
	tcase_add_test(tc, test_format_time);
	tcase_add_test(tc, test_format_time_truncated);
	suite_add_tcase(s, tc);
	return s;
}
