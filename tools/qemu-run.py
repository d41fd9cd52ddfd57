#!/usr/bin/python3
"""Run QEMU with Kevlar's serial console on this terminal and exit with the
status of the guest's init.

  qemu-run.py [--expect-init] [--timeout S] [--grace S] [--log FILE]
              [--status-file FILE] -- QEMU ARGS...

The console (QEMU's stdout, `-serial stdio`) is copied to stdout byte for
byte; stdin is left to QEMU, which puts a terminal in raw mode itself, so
an interactive shell works. The last of these lines decides the status
(docs/userspace.md):

  kevlar: init exited with status N      ->  N
  kevlar: init killed by signal N        ->  128 + N

Without such a line: 125 with --expect-init (the kernel stopped before
init finished: a fault, a reset, a power-off too early), otherwise QEMU's
own status. 124: --timeout expired and QEMU was stopped. 127: QEMU could
not be started. Once init has reported, QEMU has --grace seconds to power
off before it is stopped; the status is init's either way. --status-file
gets the status too, as a line of text: `make run` cannot pass it on
exactly (GNU make exits 2 when a recipe fails), so it keeps it there.
"""
import argparse
import os
import re
import selectors
import signal
import subprocess
import sys
import time

INIT_EXIT = re.compile(rb"kevlar: init exited with status (\d+)")
INIT_KILLED = re.compile(rb"kevlar: init killed by signal (\d+)")

NO_MARKER = 125
TIMED_OUT = 124
NO_QEMU = 127


def say(msg):
    sys.stderr.write(f"qemu-run: {msg}\n")
    sys.stderr.flush()


def write_all(fd, data):
    """Writes data to fd; False once the reader has gone away."""
    while data:
        try:
            n = os.write(fd, data)
        except BlockingIOError:
            time.sleep(0.01)
            continue
        except BrokenPipeError:
            return False
        data = data[n:]
    return True


def terminated(signum, frame):
    raise SystemExit(128 + signum)


class Console:
    """Scans the console stream, line by line, for init's last word."""

    def __init__(self):
        self.partial = b""
        self.status = None

    def feed(self, chunk):
        lines = (self.partial + chunk).split(b"\n")
        self.partial = lines.pop()
        for line in lines:
            self.scan(line)

    def finish(self):
        if self.partial:
            self.scan(self.partial)
            self.partial = b""

    def scan(self, line):
        m = INIT_EXIT.search(line)
        if m:
            self.status = int(m.group(1)) & 0xff
            return
        m = INIT_KILLED.search(line)
        if m:
            self.status = (128 + int(m.group(1))) & 0xff


def stop(proc):
    """SIGTERM first, so QEMU gives the terminal back; then SIGKILL."""
    if proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(5)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def run(cmd, expect_init=False, timeout=None, grace=10.0, log=None):
    try:
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE)
    except OSError as e:
        say(f"cannot run {cmd[0]}: {e.strerror}")
        return NO_QEMU
    # A ^C meant for QEMU (a terminal that kept ISIG) must not end us before
    # it; wait for QEMU to go. Being stopped ourselves (a test's timeout)
    # stops QEMU first.
    old_int = signal.signal(signal.SIGINT, signal.SIG_IGN)
    old_term = signal.signal(signal.SIGTERM, terminated)
    console = Console()
    out = sys.stdout.fileno()
    sel = selectors.DefaultSelector()
    sel.register(proc.stdout, selectors.EVENT_READ)
    start = time.monotonic()
    reported_at = None
    timed_out = False
    finished = False
    copying = True
    try:
        while True:
            now = time.monotonic()
            limits = []
            if timeout is not None:
                limits.append(start + timeout - now)
            if reported_at is not None:
                limits.append(reported_at + grace - now)
            wait = max(0.0, min(limits)) if limits else None
            if limits and wait == 0.0:
                if reported_at is not None and now >= reported_at + grace:
                    say(f"QEMU still running {grace:g}s after init exited; stopped it")
                else:
                    timed_out = True
                    say(f"no end after {timeout:g}s; stopped QEMU")
                stop(proc)
                break
            if not sel.select(wait):
                continue
            chunk = os.read(proc.stdout.fileno(), 65536)
            if not chunk:
                break
            copying = copying and write_all(out, chunk)
            if log:
                log.write(chunk)
            console.feed(chunk)
            if console.status is not None and reported_at is None:
                reported_at = time.monotonic()
        finished = True
    finally:
        sel.close()
        console.finish()
        if not finished:
            stop(proc)
        qemu_status = proc.wait()
        signal.signal(signal.SIGINT, old_int)
        signal.signal(signal.SIGTERM, old_term)

    if console.status is not None:
        return console.status
    if timed_out:
        return TIMED_OUT
    if expect_init:
        say(f"QEMU exited (status {qemu_status}) before init reported its exit status")
        return NO_MARKER
    return qemu_status if qemu_status >= 0 else 128 - qemu_status


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog=__doc__.split("\n\n", 2)[2])
    ap.add_argument("--expect-init", action="store_true",
                    help=f"exit {NO_MARKER} if init never reports its status")
    ap.add_argument("--timeout", type=float, help="stop QEMU after this many seconds")
    ap.add_argument("--grace", type=float, default=10.0,
                    help="seconds QEMU may run on after init exited (default %(default)s)")
    ap.add_argument("--log", help="also write the console output to this file")
    ap.add_argument("--status-file", help="also write the exit status to this file")
    ap.add_argument("cmd", nargs=argparse.REMAINDER, help="-- qemu-system-x86_64 ...")
    args = ap.parse_args(argv)
    cmd = args.cmd[1:] if args.cmd[:1] == ["--"] else args.cmd
    if not cmd:
        ap.error("no QEMU command given")
    log = open(args.log, "wb") if args.log else None
    try:
        status = run(cmd, args.expect_init, args.timeout, args.grace, log)
    finally:
        if log:
            log.close()
    if args.status_file:
        with open(args.status_file, "w") as f:
            f.write(f"{status}\n")
    return status


if __name__ == "__main__":
    sys.exit(main())
