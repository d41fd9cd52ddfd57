/*
 * Freestanding memory and string functions. The compiler emits calls to
 * memcpy, memmove, memset and memcmp on its own, so these must never call
 * themselves: the loops below are kept from being turned back into calls
 * by disabling GCC's loop-pattern distribution for each of them.
 *
 * Bulk copies and fills move aligned 8-byte words where the pointers
 * allow it and single bytes elsewhere.
 */
#include <kevlar/string.h>
#include <kevlar/types.h>

#define no_libcall __attribute__((optimize("no-tree-loop-distribute-patterns")))

/* An 8-byte word that may alias any other type. */
typedef u64 __attribute__((may_alias)) word_t;
#define WORD_BYTES sizeof(word_t)

/* True when both addresses have the same offset within a word. */
static inline bool same_word_offset(const void *a, const void *b)
{
	return (((uintptr_t)a ^ (uintptr_t)b) & (WORD_BYTES - 1)) == 0;
}

/* True when p is word aligned. */
static inline bool word_aligned(const void *p)
{
	return ((uintptr_t)p & (WORD_BYTES - 1)) == 0;
}

/* Copies n bytes from s to d in ascending order (safe when d <= s). */
static no_libcall void copy_forward(u8 *d, const u8 *s, size_t n)
{
	if (same_word_offset(d, s)) {
		while (n && !word_aligned(d)) {
			*d++ = *s++;
			n--;
		}
		while (n >= WORD_BYTES) {
			*(word_t *)d = *(const word_t *)s;
			d += WORD_BYTES;
			s += WORD_BYTES;
			n -= WORD_BYTES;
		}
	}
	while (n--)
		*d++ = *s++;
}

/* Copies n bytes from s to d in descending order (safe when d >= s). */
static no_libcall void copy_backward(u8 *d, const u8 *s, size_t n)
{
	d += n;
	s += n;
	if (same_word_offset(d, s)) {
		while (n && !word_aligned(d)) {
			*--d = *--s;
			n--;
		}
		while (n >= WORD_BYTES) {
			d -= WORD_BYTES;
			s -= WORD_BYTES;
			*(word_t *)d = *(const word_t *)s;
			n -= WORD_BYTES;
		}
	}
	while (n--)
		*--d = *--s;
}

/* Copies n bytes; the ranges must not overlap. Returns dst. */
no_libcall void *memcpy(void *dst, const void *src, size_t n)
{
	copy_forward(dst, src, n);
	return dst;
}

/* Copies n bytes; the ranges may overlap. Returns dst. */
no_libcall void *memmove(void *dst, const void *src, size_t n)
{
	uintptr_t d = (uintptr_t)dst, s = (uintptr_t)src;

	if (d == s || n == 0)
		return dst;
	if (d < s || d - s >= n)
		copy_forward(dst, src, n);
	else
		copy_backward(dst, src, n);
	return dst;
}

/* Fills n bytes with (u8)c. Returns dst. */
no_libcall void *memset(void *dst, int c, size_t n)
{
	u8 *d = dst;
	u8 b = (u8)c;

	while (n && !word_aligned(d)) {
		*d++ = b;
		n--;
	}
	if (n >= WORD_BYTES) {
		u64 w = 0x0101010101010101ULL * b;

		while (n >= WORD_BYTES) {
			*(word_t *)d = w;
			d += WORD_BYTES;
			n -= WORD_BYTES;
		}
	}
	while (n--)
		*d++ = b;
	return dst;
}

/* Compares n bytes as unsigned chars: <0, 0 or >0 like the C library. */
no_libcall int memcmp(const void *a, const void *b, size_t n)
{
	const u8 *x = a, *y = b;

	for (size_t i = 0; i < n; i++)
		if (x[i] != y[i])
			return x[i] - y[i];
	return 0;
}

/* Returns the number of bytes before the terminating NUL. */
no_libcall size_t strlen(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

/* Returns strlen(s), but reads at most max bytes and returns at most max. */
no_libcall size_t strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

/* Compares two strings as unsigned chars: <0, 0 or >0. */
int strcmp(const char *a, const char *b)
{
	const u8 *x = (const u8 *)a, *y = (const u8 *)b;

	while (*x && *x == *y) {
		x++;
		y++;
	}
	return *x - *y;
}

/* Compares at most n characters of two strings, as strcmp does. */
int strncmp(const char *a, const char *b, size_t n)
{
	const u8 *x = (const u8 *)a, *y = (const u8 *)b;

	for (; n; n--, x++, y++) {
		if (*x != *y)
			return *x - *y;
		if (!*x)
			return 0;
	}
	return 0;
}

/* Returns the first occurrence of (char)c in s (the NUL counts), or NULL. */
char *strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return (char *)s;
		if (!*s)
			return NULL;
	}
}

/*
 * Copies at most size-1 bytes of src to dst and NUL-terminates when
 * size > 0. Returns strlen(src), so truncation shows as a result >= size.
 */
size_t strlcpy(char *dst, const char *src, size_t size)
{
	size_t len = strlen(src);

	if (size) {
		size_t n = len < size ? len : size - 1;

		memcpy(dst, src, n);
		dst[n] = '\0';
	}
	return len;
}
