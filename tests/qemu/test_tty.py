"""The terminal compared with Linux's: tests/user/helpers/tty_check runs
on the host under a pseudo-terminal and in Kevlar on the serial console
(its controlling terminal there), a driver types what it asks for, and
the PASS/FAIL lines must be the same and all PASS.
"""
import functools
import os
import re
import subprocess
import sys
import tempfile
import time

import pexpect
import pytest

from kevlar_qemu import (GUEST_TESTS, INIT_EXIT, PROFILES, build_initramfs, make_iso,
                         user_build, userspace_enabled)

pytestmark = pytest.mark.skipif(not userspace_enabled(),
                                reason="needs user space in Kevlar: KEVLAR_USERSPACE_TESTS=1")

# What the driver types when the program says "SEND name".
INPUT = {
    "erase": "abX\x7fc\r",
    "kill": "junk\x15ok\r",
    "werase": "foo bar\x17baz\r",
    "eof": "\x04",
    "partial": "xyz\x04",
    "raw": "q\x7fw",
    "intr": "\x03",
}
VERDICT = re.compile(r"(PASS|FAIL) \S+[^\r\n]*")
SEND = re.compile(r"SEND (\w+)\r*\n")


def drive(child, timeout):
    """Answers every SEND until the program ends; returns its output."""
    out = []
    while True:
        i = child.expect([SEND, pexpect.EOF, INIT_EXIT.pattern], timeout=timeout)
        out.append(child.before)
        if i != 0:
            out.append(child.after if isinstance(child.after, str) else "")
            return "".join(out)
        time.sleep(0.3)
        for ch in INPUT[child.match.group(1)]:
            child.send(ch)
            time.sleep(0.02)


def verdicts(text):
    return [m.group(0) for m in VERDICT.finditer(text)]


@functools.lru_cache(maxsize=None)
def host_run():
    prog = os.path.join(user_build(), "helpers", "tty_check")
    child = pexpect.spawn(prog, encoding="utf-8", codec_errors="replace", timeout=60)
    try:
        out = drive(child, 60)
    finally:
        child.close(force=True)
    return verdicts(out), child.exitstatus, out


def kevlar_run(profile):
    with tempfile.TemporaryDirectory(prefix="kevlar-tty-") as tmp:
        job = os.path.join(tmp, "job.sh")
        with open(job, "w") as f:
            f.write(f"{GUEST_TESTS}/helpers/tty_check\n")
        cpio = build_initramfs(os.path.join(tmp, "i.cpio"), job, (), user_build())
        iso = make_iso(profile, "", tmp, initramfs=cpio)
        args = ["-cdrom", iso, "-display", "none", "-no-reboot", "-cpu", "max", "-m", "256M",
                "-chardev", "stdio,id=con0,signal=off", "-serial", "chardev:con0"]
        child = pexpect.spawn("qemu-system-x86_64", args, encoding="utf-8",
                              codec_errors="replace", timeout=300)
        try:
            out = drive(child, 300)
        finally:
            child.close(force=True)
    return verdicts(out), out


def test_host_reference_passes():
    lines, status, out = host_run()
    assert lines and all(line.startswith("PASS") for line in lines), out
    assert status == 0


@pytest.mark.parametrize("profile", PROFILES)
def test_terminal_matches_linux(profile):
    host, _, _ = host_run()
    guest, out = kevlar_run(profile)
    assert "kernel fault" not in out and "Kernel panic" not in out, out[-3000:]
    assert guest == host, out[-3000:]
