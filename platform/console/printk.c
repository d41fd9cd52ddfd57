/*
 * printk: format into a line buffer and write whole lines to the console,
 * each prefixed with the monotonic time like Linux's "[    1.234567] ".
 * Output from interrupt context and other CPUs is serialized by one lock.
 */
#include <kevlar/console.h>
#include <kevlar/printk.h>
#include <kevlar/spinlock.h>
#include <kevlar/spinlock_irq.h>
#include <kevlar/time.h>

static spinlock_irq_t printk_lock = SPINLOCK_IRQ_INIT;
static bool at_line_start = true;

static void emit(const char *s, size_t n)
{
	char stamp[32];
	size_t start = 0;

	for (size_t i = 0; i < n; i++) {
		if (at_line_start) {
			int len = printk_format_time(stamp, sizeof(stamp), clock_monotonic_ns());
			serial_write(stamp, (size_t)len);
			at_line_start = false;
		}
		if (s[i] == '\n') {
			serial_write(s + start, i + 1 - start);
			start = i + 1;
			at_line_start = true;
		} else if (i + 1 == n) {
			serial_write(s + start, n - start);
		}
	}
}

void vprintk(const char *fmt, va_list ap)
{
	char buf[512];
	int n = kvsnprintf(buf, sizeof(buf), fmt, ap);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(buf))
		n = sizeof(buf) - 1;
	u64 flags = spin_lock_irqsave(&printk_lock);
	emit(buf, (size_t)n);
	spin_unlock_irqrestore(&printk_lock, flags);
}

void printk(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vprintk(fmt, ap);
	va_end(ap);
}

/* For the panic path: take the console even if its lock holder died. */
void printk_force_unlock(void)
{
	spin_unlock(&printk_lock.raw);
}

/*
 * Ring 0's guarded console output (the conout interface): raw bytes,
 * serialized with printk so that lines do not interleave.
 */
void console_output(const void *buf, size_t len)
{
	const char *s = buf;
	u64 flags = spin_lock_irqsave(&printk_lock);
	serial_write(s, len);
	at_line_start = len ? s[len - 1] == '\n' : at_line_start;
	spin_unlock_irqrestore(&printk_lock, flags);
}

ssize_t conout_write_impl(const u8 *buf, size_t len)
{
	console_output(buf, len);
	return (ssize_t)len;
}
