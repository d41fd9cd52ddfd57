/*
 * The terminal, checked from a program whose stdin and stdout are its
 * controlling terminal: settings, window size, process groups and job
 * control (SIGTTIN, SIGTTOU), reads in raw mode with VMIN and VTIME, and
 * line editing and keyboard signals with input typed by a driver.
 *
 * tests/qemu/test_tty.py runs it on the host under a pseudo-terminal and
 * in Kevlar on the serial console, types what it asks for ("SEND name"
 * lines), and compares the PASS/FAIL lines. Not run by run-all.sh: it
 * needs a terminal and someone typing.
 */
#include "../usertest.h"
#include <signal.h>
#include <sys/ioctl.h>
#include <termios.h>

static volatile sig_atomic_t got_winch, got_int;

static void on_winch(int sig) { got_winch++; }
static void on_int(int sig) { got_int++; }

/* Runs fn in a child in its own (background) process group and returns
 * how it ended or stopped (waitpid with WUNTRACED); a stopped child is
 * killed afterwards. */
static int in_background(int (*fn)(void *), void *arg)
{
	int st;
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		setpgid(0, 0);
		_exit(fn(arg));
	}
	setpgid(pid, pid);
	if (waitpid(pid, &st, WUNTRACED) != pid)
		return -1;
	if (WIFSTOPPED(st)) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
	}
	return st;
}

static int bg_read(void *arg)
{
	char c;
	if (arg)
		signal(SIGTTIN, SIG_IGN);
	ssize_t n = read(0, &c, 1);
	return n < 0 && errno == EIO ? 5 : 0;
}

static int bg_setattr(void *arg)
{
	struct termios t;
	if (arg)
		signal(SIGTTOU, SIG_IGN);
	tcgetattr(0, &t);
	return tcsetattr(0, TCSANOW, &t) == 0 ? 7 : 0;
}

static int bg_write(void *arg)
{
	return write(1, "", 0) == 0 && write(1, " \b", 2) == 2 ? 9 : 0;
}

static int stopped_by(int st, int sig)
{
	return st != -1 && WIFSTOPPED(st) && WSTOPSIG(st) == sig;
}

static int exited_with(int st, int code)
{
	return st != -1 && WIFEXITED(st) && WEXITSTATUS(st) == code;
}

/* Asks the driver to type 'what' and reads one line (or chunk). */
static ssize_t ask(const char *what, char *buf, size_t size)
{
	say("SEND %s", what);
	ssize_t n = read(0, buf, size - 1);
	buf[n > 0 ? n : 0] = 0;
	return n;
}

int main(void)
{
	struct termios orig, t;
	char buf[256];

	CHECK("tty.isatty", isatty(0) && isatty(1));
	check_ok("tty.tcgetattr", tcgetattr(0, &orig));
	CHECK("tty.canonical_by_default", (orig.c_lflag & (ICANON | ECHO | ISIG)) ==
	      (ICANON | ECHO | ISIG));
	CHECK("tty.control_characters", orig.c_cc[VINTR] == 3 && orig.c_cc[VERASE] == 127 &&
	      orig.c_cc[VKILL] == 21 && orig.c_cc[VEOF] == 4 && orig.c_cc[VSUSP] == 26 &&
	      orig.c_cc[VQUIT] == 28);
	CHECK("tty.icrnl_opost_onlcr", (orig.c_iflag & ICRNL) && (orig.c_oflag & OPOST) &&
	      (orig.c_oflag & ONLCR));
	struct winsize ws;
	check_ok("tty.tiocgwinsz", ioctl(0, TIOCGWINSZ, &ws));
	CHECK("tty.foreground_is_us", tcgetpgrp(0) == getpgrp());
	CHECK("tty.session", tcgetsid(0) == getsid(0));
	check_err("tty.tcsetpgrp_no_such_group", tcsetpgrp(0, 999999), ESRCH);
	check_err("tty.not_a_tty", ioctl(open("/dev/null", O_RDONLY), TCGETS, &t), ENOTTY);

	/* Settings stick. */
	t = orig;
	t.c_lflag &= ~(ICANON | ECHO);
	t.c_cc[VMIN] = 0;
	t.c_cc[VTIME] = 0;
	tcsetattr(0, TCSANOW, &t);
	struct termios back;
	tcgetattr(0, &back);
	CHECK("tty.raw_mode_reported", !(back.c_lflag & ICANON) && !(back.c_lflag & ECHO) &&
	      back.c_cc[VMIN] == 0);
	CHECK("tty.vmin0_vtime0_returns_at_once", read(0, buf, sizeof(buf)) == 0);
	t.c_cc[VTIME] = 2;
	tcsetattr(0, TCSANOW, &t);
	CHECK("tty.vtime_times_out", read(0, buf, sizeof(buf)) == 0);
	tcsetattr(0, TCSANOW, &orig);

	/* Job control: a background group may not read or change the
	 * terminal; it is stopped, or told EIO when it ignores SIGTTIN. */
	CHECK("tty.background_read_sigttin", stopped_by(in_background(bg_read, NULL), SIGTTIN));
	CHECK("tty.background_read_ignored_eio", exited_with(in_background(bg_read, ""), 5));
	CHECK("tty.background_setattr_sigttou", stopped_by(in_background(bg_setattr, NULL),
							   SIGTTOU));
	CHECK("tty.background_setattr_ttou_ignored", exited_with(in_background(bg_setattr, ""),
								   7));
	CHECK("tty.background_write_allowed", exited_with(in_background(bg_write, NULL), 9));
	t = orig;
	t.c_lflag |= TOSTOP;
	tcsetattr(0, TCSANOW, &t);
	CHECK("tty.background_write_tostop_sigttou", stopped_by(in_background(bg_write, NULL),
								SIGTTOU));
	tcsetattr(0, TCSANOW, &orig);

	/* Handing the terminal to another group and taking it back. */
	pid_t child = fork();
	if (child == 0) {
		setpgid(0, 0);
		pause();
		_exit(0);
	}
	setpgid(child, child);
	signal(SIGTTOU, SIG_IGN);
	check_ok("tty.tcsetpgrp_other_group", tcsetpgrp(0, child));
	CHECK("tty.foreground_moved", tcgetpgrp(0) == child);
	check_ok("tty.tcsetpgrp_back", tcsetpgrp(0, getpgrp()));
	signal(SIGTTOU, SIG_DFL);
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);

	/* A new window size is announced to the foreground group. */
	signal(SIGWINCH, on_winch);
	struct winsize big = ws;
	big.ws_col = ws.ws_col + 7;
	ioctl(0, TIOCSWINSZ, &big);
	struct winsize now;
	ioctl(0, TIOCGWINSZ, &now);
	CHECK("tty.tiocswinsz", now.ws_col == ws.ws_col + 7);
	CHECK("tty.sigwinch", got_winch == 1);
	ioctl(0, TIOCSWINSZ, &ws);

	/* Typed input: line editing in canonical mode. */
	CHECK("tty.erase", ask("erase", buf, sizeof(buf)) == 4 && !strcmp(buf, "abc\n"));
	CHECK("tty.kill", ask("kill", buf, sizeof(buf)) == 3 && !strcmp(buf, "ok\n"));
	CHECK("tty.werase", ask("werase", buf, sizeof(buf)) == 8 && !strcmp(buf, "foo baz\n"));
	CHECK("tty.eof", ask("eof", buf, sizeof(buf)) == 0);
	CHECK("tty.partial_line_eof", ask("partial", buf, sizeof(buf)) == 3 &&
	      !strcmp(buf, "xyz"));

	/* Raw mode: bytes as they come, VMIN of them. */
	t = orig;
	t.c_lflag &= ~(ICANON | ECHO);
	t.c_cc[VMIN] = 3;
	t.c_cc[VTIME] = 0;
	tcsetattr(0, TCSAFLUSH, &t);
	CHECK("tty.raw_vmin", ask("raw", buf, sizeof(buf)) == 3 && !memcmp(buf, "q\x7fw", 3));
	tcsetattr(0, TCSAFLUSH, &orig);

	/* ^C: SIGINT to the foreground group. */
	signal(SIGINT, on_int);
	say("SEND intr");
	while (!got_int)
		pause();
	pass("tty.vintr_sigint");
	return finish();
}
