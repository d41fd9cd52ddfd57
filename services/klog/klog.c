/*
 * klog: the kernel's line-oriented console service. Callers hand it bytes
 * in any pieces; it assembles them into lines, stamps each with the
 * monotonic time, and writes whole lines to the console through Ring 0's
 * guarded conout interface. A line longer than its buffer is flushed in
 * parts. It runs in Ring 2: if it faults, callers get -EIO and the
 * registry restarts it with an empty buffer.
 */
#include <caps.h>
#include <services.h>
#include <ifc/console.h>
#include <ifc/conout.h>
#include <ifc/svcmem.h>
#include <kevlar/errno.h>
#include <kevlar/printk.h>
#include <kevlar/time.h>

#define KLOG_LINE_MAX 240

static struct klog_caps caps;
static char *line;        /* from our Heap: KLOG_LINE_MAX bytes */
static size_t line_len;
static int lines_written;

int klog_init(const struct klog_caps *c)
{
	caps = *c;
	line = svcmem_alloc(caps.Heap, KLOG_LINE_MAX);
	if (!line)
		return -ENOMEM;
	line_len = 0;
	lines_written = 0;
	return 0;
}

/* Writes the buffered line with its timestamp, and a newline. */
static ssize_t flush_line(void)
{
	char stamp[32];
	int n = printk_format_time(stamp, sizeof(stamp), clock_monotonic_ns());
	ssize_t rc = conout_write(caps.Console, (const u8 *)stamp, (size_t)n);

	if (rc >= 0)
		rc = conout_write(caps.Console, (const u8 *)line, line_len);
	if (rc >= 0)
		rc = conout_write(caps.Console, (const u8 *)"\n", 1);
	line_len = 0;
	lines_written++;
	return rc;
}

ssize_t klog_console_write(const u8 *buf, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		ssize_t rc = 0;
		if (buf[i] == '\n')
			rc = flush_line();
		else if (line_len == KLOG_LINE_MAX)
			rc = flush_line();
		if (rc < 0)
			return rc;
		if (buf[i] != '\n')
			line[line_len++] = (char)buf[i];
	}
	return (ssize_t)len;
}

int klog_console_lines(void)
{
	return lines_written;
}

int klog_console_ping(void)
{
	return 0;
}
