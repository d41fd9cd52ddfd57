/*
 * The console terminal: the serial line with Linux's line discipline
 * (N_TTY) and job control.
 *
 * Bytes arrive from the serial interrupt. Input processing (ISTRIP,
 * IGNCR, ICRNL, INLCR) comes first; with ISIG the VINTR, VQUIT and VSUSP
 * characters send SIGINT, SIGQUIT and SIGTSTP to the foreground process
 * group. In canonical mode (ICANON) a line is edited in place (VERASE,
 * VWERASE, VKILL, VLNEXT) and handed to readers whole when a newline,
 * VEOL or VEOF ends it; otherwise every byte is available at once, and a
 * read waits as VMIN and VTIME say. Echo follows ECHO, ECHOE, ECHOK,
 * ECHONL and ECHOCTL.
 *
 * The terminal belongs to at most one session (its controlling
 * terminal), which has a foreground process group. A process of that
 * session outside the foreground group that reads gets SIGTTIN, and one
 * that changes the settings gets SIGTTOU (or writes, with TOSTOP),
 * unless it ignores or blocks the signal; an orphaned group gets EIO.
 */
#include <abi/ioctl.h>
#include <abi/termios.h>
#include <kevlar/abi.h>
#include <kevlar/console.h>
#include <kevlar/errno.h>
#include <kevlar/irq.h>
#include <kevlar/printk.h>
#include <kevlar/signal.h>
#include <kevlar/string.h>
#include <kevlar/task.h>
#include <kevlar/time.h>
#include <kevlar/tty.h>
#include <kevlar/uaccess.h>
#include <kevlar/vfs.h>

#define INPUT_SIZE 4096          /* a power of two */
#define MAX_LINES  64

/* The kernel's struct termios (asm-generic/termbits.h), as TCGETS has it. */
struct ktermios {
	u32 c_iflag, c_oflag, c_cflag, c_lflag;
	u8 c_line;
	u8 c_cc[19];
};
_Static_assert(sizeof(struct ktermios) == 36, "struct termios");

struct winsize {
	u16 ws_row, ws_col, ws_xpixel, ws_ypixel;
};

/* Linux's defaults for a new terminal: ICRNL IXON; OPOST ONLCR; B38400
 * CS8 CREAD HUPCL; ISIG ICANON ECHO ECHOE ECHOK ECHOCTL ECHOKE IEXTEN. */
static const struct ktermios default_termios = {
	.c_iflag = 0x0500,
	.c_oflag = 0x0005,
	.c_cflag = 0x04bf,
	.c_lflag = 0x8a3b,
	.c_cc = { 3, 28, 127, 21, 4, 0, 1, 0, 17, 19, 26, 0, 18, 15, 23, 22, 0 },
};

static struct ktermios termios;
static struct winsize winsize = { 24, 80, 0, 0 };

/*
 * Input: a ring of bytes readers may take (rd..wr, monotonic counters),
 * the canonical line being edited after them (wr..edit), and the ends of
 * the complete lines in the ring. A line ended by VEOF has no terminator
 * byte; an empty one reads as end-of-file.
 */
static u8 ring[INPUT_SIZE];
static u64 rd, wr, edit;
static u64 line_end[MAX_LINES];
static unsigned line_head, line_count;
static bool literal_next;       /* VLNEXT seen */
static struct wait_queue readers = WAIT_QUEUE_INIT(readers);
static u64 input_events;        /* poll_notify() count */

static pid_t session;           /* the session this is the controlling terminal of */
static pid_t foreground;        /* its foreground process group */

static bool lflag(u32 f) { return termios.c_lflag & f; }

/* Is c the (enabled) control character cc? */
static bool is_cc(u8 c, unsigned cc)
{
	return termios.c_cc[cc] && c == termios.c_cc[cc];
}

static void out(const char *s, size_t n)
{
	console_output(s, n);
}

/* Echoes one input character: control characters as ^X with ECHOCTL. */
static void echo_char(u8 c)
{
	if (!lflag(ECHO))
		return;
	if (lflag(ECHOCTL) && (c < 0x20 || c == 0x7f) && c != '\n' && c != '\t') {
		char s[2] = { '^', (char)(c == 0x7f ? '?' : c + '@') };
		out(s, 2);
		return;
	}
	out((const char *)&c, 1);
}

/* The width an echoed character took, to erase it. */
static unsigned echo_width(u8 c)
{
	if (lflag(ECHOCTL) && (c < 0x20 || c == 0x7f) && c != '\t')
		return 2;
	return 1;
}

static void erase_one(void)
{
	if (edit == wr)
		return;
	u8 c = ring[--edit % INPUT_SIZE];
	if (lflag(ECHO) && lflag(ECHOE)) {
		for (unsigned i = echo_width(c); i; i--)
			out("\b \b", 3);
	} else if (lflag(ECHO)) {
		echo_char(termios.c_cc[VERASE]);
	}
}

static void end_line(void)
{
	if (line_count < MAX_LINES) {
		line_end[(line_head + line_count) % MAX_LINES] = edit;
		line_count++;
	}
	wr = edit;
	wait_queue_wake_all(&readers);
	poll_notify(&input_events);
}

static void flush_input(void)
{
	rd = wr = edit;
	line_count = 0;
}

static void put(u8 c)
{
	if (edit - rd < INPUT_SIZE - 1)
		ring[edit++ % INPUT_SIZE] = c;
}

static void signal_foreground(int sig, u8 c)
{
	if (!lflag(NOFLSH))
		flush_input();
	echo_char(c);
	if (foreground) {
		struct ksiginfo info = { .signo = sig, .code = SI_KERNEL };
		signal_send_pgrp(foreground, sig, &info);
	}
}

/* One byte from the line; interrupts are off. */
static void tty_input(u8 c)
{
	u32 iflag = termios.c_iflag;

	if (iflag & ISTRIP)
		c &= 0x7f;
	if (literal_next) {
		literal_next = false;
		goto ordinary;
	}
	if (c == '\r') {
		if (iflag & IGNCR)
			return;
		if (iflag & ICRNL)
			c = '\n';
	} else if (c == '\n' && (iflag & INLCR)) {
		c = '\r';
	}
	if (lflag(ISIG)) {
		if (is_cc(c, VINTR))
			return signal_foreground(SIGINT, c);
		if (is_cc(c, VQUIT))
			return signal_foreground(SIGQUIT, c);
		if (is_cc(c, VSUSP))
			return signal_foreground(SIGTSTP, c);
	}
	if (!lflag(ICANON)) {
		put(c);
		echo_char(c);
		wr = edit;
		wait_queue_wake_all(&readers);
		poll_notify(&input_events);
		return;
	}
	if (is_cc(c, VERASE) || c == '\b') {
		erase_one();
		return;
	}
	if (is_cc(c, VKILL)) {
		while (edit > wr)
			erase_one();
		if (lflag(ECHO) && lflag(ECHOK) && !lflag(ECHOE))
			out("\n", 1);
		return;
	}
	if (lflag(IEXTEN) && is_cc(c, VWERASE)) {
		while (edit > wr && ring[(edit - 1) % INPUT_SIZE] == ' ')
			erase_one();
		while (edit > wr && ring[(edit - 1) % INPUT_SIZE] != ' ')
			erase_one();
		return;
	}
	if (lflag(IEXTEN) && is_cc(c, VLNEXT)) {
		literal_next = true;
		return;
	}
	if (is_cc(c, VEOF)) {
		end_line();
		return;
	}
ordinary:
	if (c == '\n' || is_cc(c, VEOL) || (lflag(IEXTEN) && is_cc(c, VEOL2))) {
		put(c);
		if (lflag(ECHO) || (c == '\n' && lflag(ECHONL)))
			out((const char *)&c, 1);
		end_line();
		return;
	}
	if (edit - rd >= INPUT_SIZE - 2)
		return;   /* full: room is kept for the newline */
	put(c);
	echo_char(c);
}

void tty_console_init(void)
{
	termios = default_termios;
	if (serial_set_rx(tty_input))
		printk("tty: no console input\n");
}

void tty_console_set_session(pid_t sid, pid_t pgrp)
{
	u64 flags = irq_save();
	session = sid;
	foreground = pgrp;
	irq_restore(flags);
}

/* Is the console the caller's controlling terminal? */
static bool is_ctty(const struct task *t)
{
	return session && t->sid == session;
}

int tty_console_open(enum tty_open how, int flags)
{
	struct task *t = current_task();

	if (how == TTY_OPEN_CTTY)
		return is_ctty(t) ? 0 : -ENXIO;
	if (!(flags & O_NOCTTY) && !session && t->sid == t->pid)
		tty_console_set_session(t->sid, t->pgid);
	return 0;
}

/*
 * Job control: a member of the terminal's session outside the foreground
 * group may not read (SIGTTIN) or change it (SIGTTOU). Returns 0 to go
 * on, -ERESTARTSYS after signalling the caller's group, or -EIO when the
 * signal is ignored or blocked and the access is a read.
 */
static int job_control(int sig)
{
	struct task *t = current_task();

	if (!is_ctty(t) || !foreground || t->pgid == foreground)
		return 0;
	if (signal_ignored(t, sig) || signal_blocked(t, sig))
		return sig == SIGTTIN ? -EIO : 0;
	if (pgrp_orphaned(t->pgid))
		return -EIO;   /* nobody would continue it */
	struct ksiginfo info = { .signo = sig, .code = SI_KERNEL };
	signal_send_pgrp(t->pgid, sig, &info);
	return -ERESTARTSYS;
}

static u64 readable(void)
{
	if (lflag(ICANON))
		return line_count ? line_end[line_head] - rd + 1 : 0;   /* +1: EOF counts */
	return wr - rd;
}

bool tty_console_input_ready(u64 *events)
{
	u64 flags = irq_save();
	bool ready = readable() != 0;
	if (events)
		*events = input_events;
	irq_restore(flags);
	return ready;
}

/* Copies out of the ring; interrupts are off, so into a kernel buffer. */
static size_t take(u8 *buf, size_t n)
{
	size_t got = 0;
	if (lflag(ICANON)) {
		u64 end = line_end[line_head];
		while (got < n && rd < end)
			buf[got++] = ring[rd++ % INPUT_SIZE];
		if (rd == end) {
			line_head = (line_head + 1) % MAX_LINES;
			line_count--;
		}
		return got;
	}
	while (got < n && rd < wr)
		buf[got++] = ring[rd++ % INPUT_SIZE];
	return got;
}

ssize_t tty_console_read(uptr_t ubuf, size_t n, bool nonblock)
{
	u8 chunk[INPUT_SIZE];
	int rc = job_control(SIGTTIN);
	if (rc)
		return rc;
	if (n > sizeof(chunk))
		n = sizeof(chunk);

	u64 flags = irq_save();
	bool raw = !lflag(ICANON);
	u8 vmin = termios.c_cc[VMIN], vtime = termios.c_cc[VTIME];
	u64 deadline = raw && vtime ? clock_monotonic_ns() + vtime * 100000000UL : 0;
	size_t want = raw && vmin ? MIN((size_t)vmin, n) : 1;

	while (readable() < want && !(raw && !vmin && !vtime)) {
		if (raw && vmin && vtime && readable())
			break;   /* the inter-byte timer, simplified: what came so far */
		if (nonblock) {
			if (readable())
				break;
			irq_restore(flags);
			return -EAGAIN;
		}
		if (signal_pending(current_task())) {
			irq_restore(flags);
			return -ERESTARTSYS;
		}
		if (sched_sleep_intr(&readers, deadline) == -ETIMEDOUT)
			break;
	}
	size_t got = readable() ? take(chunk, n) : 0;
	irq_restore(flags);
	return copy_to_user(ubuf, chunk, got) ? -EFAULT : (ssize_t)got;
}

ssize_t tty_console_write(uptr_t ubuf, size_t n)
{
	char chunk[256];
	size_t done = 0;

	if (lflag(TOSTOP)) {
		int rc = job_control(SIGTTOU);
		if (rc)
			return rc;
	}
	while (done < n) {
		size_t len = MIN(n - done, sizeof(chunk));
		if (copy_from_user(chunk, ubuf + done, len))
			return done ? (ssize_t)done : -EFAULT;
		out(chunk, len);
		done += len;
	}
	return (ssize_t)n;
}

/* Does any process of session sid belong to group pgrp? */
struct pgrp_probe {
	pid_t pgrp, sid;
	bool found, other_session;
};

static bool probe_pgrp(struct task *t, void *arg)
{
	struct pgrp_probe *p = arg;
	if (t->pgid != p->pgrp)
		return true;
	if (t->sid == p->sid)
		p->found = true;
	else
		p->other_session = true;
	return true;
}

static int set_foreground(struct task *t, uptr_t arg)
{
	int pgrp;
	if (copy_from_user(&pgrp, arg, sizeof(pgrp)))
		return -EFAULT;
	if (pgrp < 0)
		return -EINVAL;
	struct pgrp_probe p = { pgrp, t->sid, false, false };
	task_for_each_user(probe_pgrp, &p);
	if (!p.found)
		return p.other_session ? -EPERM : -ESRCH;
	foreground = pgrp;
	return 0;
}

static long set_termios(unsigned cmd, uptr_t arg)
{
	struct ktermios nt;
	if (copy_from_user(&nt, arg, sizeof(nt)))
		return -EFAULT;
	u64 flags = irq_save();
	bool was_canon = lflag(ICANON);
	termios = nt;
	if (cmd == TCSETSF)
		flush_input();
	if (was_canon && !lflag(ICANON)) {
		/* The line being edited becomes readable as it is. */
		wr = edit;
		line_count = 0;
	} else if (!was_canon && lflag(ICANON) && wr > rd) {
		/* Bytes typed in raw mode become one line. */
		line_count = 0;
		line_head = 0;
		end_line();
	}
	wait_queue_wake_all(&readers);
	irq_restore(flags);
	return 0;
}

long tty_console_ioctl(unsigned cmd, uptr_t arg)
{
	struct task *t = current_task();
	int rc;

	switch (cmd) {
	case TCSETS: case TCSETSW: case TCSETSF: case TIOCSPGRP:
	case TIOCSWINSZ: case TCFLSH:
		if ((rc = job_control(SIGTTOU)))
			return rc;
		break;
	}
	switch (cmd) {
	case TCGETS:
		return copy_to_user(arg, &termios, sizeof(termios)) ? -EFAULT : 0;
	case TCSETS:
	case TCSETSW:
	case TCSETSF:
		return set_termios(cmd, arg);
	case TIOCGWINSZ:
		return copy_to_user(arg, &winsize, sizeof(winsize)) ? -EFAULT : 0;
	case TIOCSWINSZ: {
		struct winsize ws;
		if (copy_from_user(&ws, arg, sizeof(ws)))
			return -EFAULT;
		bool changed = memcmp(&ws, &winsize, sizeof(ws)) != 0;
		winsize = ws;
		if (changed && foreground)
			signal_send_pgrp(foreground, SIGWINCH, NULL);
		return 0;
	}
	case TIOCGPGRP:
		if (!is_ctty(t))
			return -ENOTTY;
		return copy_to_user(arg, &foreground, sizeof(foreground)) ? -EFAULT : 0;
	case TIOCSPGRP:
		if (!is_ctty(t))
			return -ENOTTY;
		return set_foreground(t, arg);
	case TIOCGSID:
		if (!is_ctty(t))
			return -ENOTTY;
		return copy_to_user(arg, &session, sizeof(session)) ? -EFAULT : 0;
	case TIOCSCTTY:
		if (is_ctty(t))
			return 0;
		if (t->sid != t->pid)
			return -EPERM;   /* only a session leader */
		if (session && !arg)
			return -EPERM;   /* another session's; arg 1 steals it (root) */
		tty_console_set_session(t->sid, t->pgid);
		return 0;
	case TIOCNOTTY:
		if (!is_ctty(t))
			return -ENOTTY;
		if (t->sid == t->pid) {
			if (foreground) {
				signal_send_pgrp(foreground, SIGHUP, NULL);
				signal_send_pgrp(foreground, SIGCONT, NULL);
			}
			tty_console_set_session(0, 0);
		}
		return 0;
	case FIONREAD: {
		u64 flags = irq_save();
		int n = (int)(wr - rd);
		irq_restore(flags);
		return copy_to_user(arg, &n, sizeof(n)) ? -EFAULT : 0;
	}
	case TIOCOUTQ: {
		int zero = 0;   /* output is written synchronously */
		return copy_to_user(arg, &zero, sizeof(zero)) ? -EFAULT : 0;
	}
	case TCFLSH:
		if (arg > 2)
			return -EINVAL;
		if (arg != 1) {
			u64 flags = irq_save();
			flush_input();
			irq_restore(flags);
		}
		return 0;
	case TCSBRK:   /* tcdrain: output is already out */
	case TCXONC:
		return 0;
	default:
		return -ENOTTY;
	}
}
