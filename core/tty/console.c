/*
 * The console terminal's line discipline (canonical mode). Bytes arrive
 * from the serial interrupt; the current line is edited in place (erase,
 * kill), echoed, and handed to readers whole when Enter or ^D ends it.
 */
#include <kevlar/console.h>
#include <kevlar/errno.h>
#include <kevlar/irq.h>
#include <kevlar/printk.h>
#include <kevlar/task.h>
#include <kevlar/tty.h>
#include <kevlar/uaccess.h>
#include <kevlar/vfs.h>

#define LINE_MAX 4096
#define CH_EOF   0x04     /* ^D */
#define CH_KILL  0x15     /* ^U */
#define CH_BS    0x08
#define CH_DEL   0x7f

static char line[LINE_MAX];
static size_t editing;          /* bytes in the line being typed */
static char ready[LINE_MAX];
static size_t ready_len, ready_pos;
static bool ready_eof;          /* a ^D ended an empty line */
static struct wait_queue readers = WAIT_QUEUE_INIT(readers);
static u64 input_events;        /* poll_notify() count */

static void echo(const char *s, size_t n)
{
	console_output(s, n);
}

/* Moves the typed line to the readers. Interrupts are off. */
static void line_done(bool eof)
{
	if (ready_pos < ready_len)
		return;   /* the reader has not taken the last one yet */
	for (size_t i = 0; i < editing; i++)
		ready[i] = line[i];
	ready_len = editing;
	ready_pos = 0;
	ready_eof = eof && editing == 0;
	editing = 0;
	wait_queue_wake_all(&readers);
	poll_notify(&input_events);
}

static void tty_input(u8 c)
{
	if (c == '\r')
		c = '\n';
	switch (c) {
	case CH_BS:
	case CH_DEL:
		if (editing) {
			editing--;
			echo("\b \b", 3);
		}
		return;
	case CH_KILL:
		while (editing) {
			editing--;
			echo("\b \b", 3);
		}
		return;
	case CH_EOF:
		line_done(true);
		return;
	}
	if (editing >= LINE_MAX - 1)
		return;
	line[editing++] = (char)c;
	echo((const char *)&c, 1);
	if (c == '\n')
		line_done(false);
}

void tty_console_init(void)
{
	if (serial_set_rx(tty_input))
		printk("tty: no console input\n");
}

bool tty_console_input_ready(u64 *events)
{
	u64 flags = irq_save();
	bool ready = ready_pos < ready_len || ready_eof;
	*events = input_events;
	irq_restore(flags);
	return ready;
}

ssize_t tty_console_read(uptr_t ubuf, size_t n)
{
	u64 flags = irq_save();
	while (ready_pos >= ready_len && !ready_eof)
		sched_sleep(&readers, 0);
	if (ready_eof) {
		ready_eof = false;
		irq_restore(flags);
		return 0;
	}
	size_t take = ready_len - ready_pos;
	if (take > n)
		take = n;
	char chunk[LINE_MAX];
	for (size_t i = 0; i < take; i++)
		chunk[i] = ready[ready_pos + i];
	ready_pos += take;
	irq_restore(flags);
	return copy_to_user(ubuf, chunk, take) ? -EFAULT : (ssize_t)take;
}

ssize_t tty_console_write(uptr_t ubuf, size_t n)
{
	char chunk[256];
	size_t done = 0;

	while (done < n) {
		size_t take = n - done < sizeof(chunk) ? n - done : sizeof(chunk);
		if (copy_from_user(chunk, ubuf + done, take))
			return done ? (ssize_t)done : -EFAULT;
		console_output(chunk, take);
		done += take;
	}
	return (ssize_t)n;
}
