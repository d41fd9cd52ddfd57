"""`make run` with user space: a job's status comes back, ROOTFS_EXTRA is
copied in, plain `make run` is a shell, init= picks the first program, and
a damaged initramfs is reported without stopping the boot.
"""
import os
import subprocess
import tempfile

import pexpect
import pytest

from kevlar_qemu import (GUEST_TESTS, INIT_EXIT, PROFILES, ROOT, boot_initramfs,
                         build_initramfs, make_command, run_job, user_build, userspace_enabled)

pytestmark = pytest.mark.skipif(not userspace_enabled(),
                                reason="needs user space in Kevlar: KEVLAR_USERSPACE_TESTS=1")


def make_run(*args, timeout=600):
    return subprocess.run(make_command() + ["-s", "run", "PROFILE=balanced"] + list(args),
                          stdin=subprocess.DEVNULL, capture_output=True, text=True,
                          timeout=timeout)


@pytest.mark.parametrize("code", [0, 3])
def test_make_run_init_script_returns_its_status(code):
    """GNU make exits 0 or 2; "Error N" and build/<profile>/run.status give N."""
    with tempfile.TemporaryDirectory() as tmp:
        job = os.path.join(tmp, "job.sh")
        with open(job, "w") as f:
            f.write(f"echo job says hello\nls /bin/busybox\nexit {code}\n")
        proc = make_run(f"INIT_SCRIPT={job}")
    assert "job says hello" in proc.stdout and "/bin/busybox" in proc.stdout, proc.stdout
    assert f"kevlar: init exited with status {code}" in proc.stdout
    with open(os.path.join(ROOT, "build", "balanced", "run.status")) as f:
        assert f.read() == f"{code}\n"
    if code == 0:
        assert proc.returncode == 0, proc.stdout + proc.stderr
    else:
        assert proc.returncode == 2 and f"] Error {code}" in proc.stderr


def test_make_run_rootfs_extra_is_copied_in_with_modes_and_links():
    with tempfile.TemporaryDirectory() as tmp:
        extra = os.path.join(tmp, "extra")
        os.makedirs(os.path.join(extra, "opt", "demo"))
        tool = os.path.join(extra, "opt", "demo", "tool")
        with open(tool, "w") as f:
            f.write("#!/bin/sh\necho tool ran with $1\n")
        os.chmod(tool, 0o750)
        os.symlink("demo/tool", os.path.join(extra, "opt", "tool-link"))
        job = os.path.join(tmp, "job.sh")
        with open(job, "w") as f:
            f.write("stat -c '%a %n' /opt/demo/tool\nreadlink /opt/tool-link\n"
                    "sh /opt/tool-link arg\n")
        proc = make_run(f"INIT_SCRIPT={job}", f"ROOTFS_EXTRA={extra}")
    assert "750 /opt/demo/tool" in proc.stdout, proc.stdout
    assert "demo/tool" in proc.stdout and "tool ran with arg" in proc.stdout
    assert proc.returncode == 0


def test_plain_make_run_is_an_interactive_shell():
    cmd = make_command() + ["-s", "run", "PROFILE=balanced"]
    child = pexpect.spawn(cmd[0], cmd[1:], encoding="utf-8", codec_errors="replace",
                          timeout=300)
    try:
        child.expect(r"# ")
        child.sendline("echo $((6 * 7))")
        child.expect("42")
        child.sendline("exit 5")
        child.expect("kevlar: init exited with status 5")
        child.expect(r"\] Error 5")      # make's way of saying the status
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
    assert child.exitstatus == 2


def test_terminal_is_readable_only_with_a_line_typed():
    """poll(2) on the console says readable only when the line discipline
    has a line: `read -t` times out with nothing typed, and returns what is
    typed within its time."""
    cmd = make_command() + ["-s", "run", "PROFILE=balanced"]
    child = pexpect.spawn(cmd[0], cmd[1:], encoding="utf-8", codec_errors="replace",
                          timeout=300)
    try:
        child.expect(r"# ")
        child.sendline("read -t 1 x; echo timed-out-$?")
        child.expect(r"timed-out-(\d+)", timeout=60)
        assert child.match.group(1) != "0"
        child.sendline("read -t 60 x; echo got-$x-end")
        child.expect(r"got-\$x-end")      # the echoed command line
        child.sendline("typed")
        child.expect("got-typed-end", timeout=60)
        child.sendline("exit 0")
        child.expect("kevlar: init exited with status 0")
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)


@pytest.mark.parametrize("profile", PROFILES)
def test_job_status_and_power_off(profile):
    run = run_job(profile, "echo from $0\nexit 7\n", tests=False, timeout=300)
    assert "from /script" in run, run.output
    assert run.status == 7
    assert "kernel fault" not in run and "Kernel panic" not in run


def test_init_option_picks_the_first_program():
    """init=PROGRAM runs instead of /init; when it exits the kernel reports
    its status itself (docs/userspace.md)."""
    user_build()
    run = run_job("balanced", None, cmdline=f"init={GUEST_TESTS}/uname", timeout=300)
    assert "PASS uname.sysname_linux" in run, run.output
    assert INIT_EXIT.search(run.output) and run.status == 0


def damaged(cpio, how):
    with open(cpio, "rb") as f:
        blob = f.read()
    trailer = blob.rindex(b"070701" + b"0" * 8)   # the trailer has inode 0
    if how == "garbage_member":
        bad = b"070701" + b"ZZZZZZZZ" * 13 + b"oops\0\0"
        blob = blob[:trailer] + bad + blob[trailer:]
    elif how == "truncated":
        blob = blob[:trailer - 3000]
    elif how == "huge_size":
        # A last member claiming 0x7fffffff bytes of data.
        last = blob.rindex(b"070701", 0, trailer)
        blob = blob[:last + 54] + b"7FFFFFFF" + blob[last + 62:]
    with open(cpio, "wb") as f:
        f.write(blob)


@pytest.mark.parametrize("how", ["garbage_member", "truncated", "huge_size"])
def test_damaged_initramfs_is_reported_and_boot_continues(how):
    with tempfile.TemporaryDirectory() as tmp:
        job = os.path.join(tmp, "job.sh")
        with open(job, "w") as f:
            f.write("echo the job still runs\nexit 0\n")
        # A tree that sorts after everything else, so the damage lands there.
        extra = os.path.join(tmp, "extra", "zz")
        os.makedirs(extra)
        for i in range(4):
            with open(os.path.join(extra, f"f{i}"), "wb") as f:
                f.write(bytes(range(256)) * 8)
        cpio = build_initramfs(os.path.join(tmp, "i.cpio"), job, [os.path.dirname(extra)])
        damaged(cpio, how)
        run = boot_initramfs("balanced", cpio, timeout=300)
    assert "the job still runs" in run, run.output
    assert run.status == 0
    assert "kernel fault" not in run and "Kernel panic" not in run
