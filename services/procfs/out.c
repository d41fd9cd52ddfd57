/*
 * The window writer: a file is written from its start every time, and
 * only the bytes that fall in the reader's window are copied out.
 */
#include <kevlar/compiler.h>
#include <kevlar/printk.h>
#include <kevlar/string.h>
#include "procfs.h"

#define LINE_MAX 512   /* the longest piece out_printf writes at once */

void out_bytes(struct out *o, const void *p, size_t n)
{
	u64 from = o->at, to = o->at + n;
	u64 lo = MAX(from, o->start), hi = MIN(to, o->start + o->len);

	if (lo < hi)
		memcpy(o->buf + (lo - o->start), (const u8 *)p + (lo - from), hi - lo);
	o->at = to;
}

void out_printf(struct out *o, const char *fmt, ...)
{
	char line[LINE_MAX];
	va_list ap;

	if (out_full(o))
		return;
	va_start(ap, fmt);
	int n = kvsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n > 0)
		out_bytes(o, line, MIN((size_t)n, sizeof(line) - 1));
}

size_t out_done(const struct out *o)
{
	if (o->at <= o->start)
		return 0;
	return MIN(o->at - o->start, (u64)o->len);
}
