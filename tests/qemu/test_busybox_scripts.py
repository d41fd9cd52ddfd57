"""BusyBox shell scripts in Kevlar print what they print on Linux.

Every tests/qemu/scripts/*.sh runs in one boot per profile, in sequence,
through run-scripts.sh as the INIT_SCRIPT; the host's BusyBox runs the same
driver here, with a PATH of nothing but BusyBox applets, and the outputs
are compared script by script. Each script runs in its own empty directory
under /tmp/kevlar-sh (on the host: a scratch directory whose name is
rewritten to that path), so that paths agree. The last script exits 42:
that status must come back out of QEMU.

Writing a script: print nothing that differs between two Linux runs or
between filesystems -- no pids, times, owners, sizes of directories, or
directory order (pipe find and tar listings through sort).
"""
import functools
import os
import shutil
import subprocess
import tempfile

import pytest

from kevlar_qemu import (INIT_EXIT, NO_INIT_STATUS, PROFILES, run_job, sections,
                         user_lines, userspace_enabled)

BUSYBOX = "/bin/busybox"
HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPTS = os.path.join(HERE, "scripts")
DRIVER = os.path.join(HERE, "run-scripts.sh")
GUEST_DIR = "/usr/share/kevlar-tests/sh"
GUEST_WORK = "/tmp/kevlar-sh"
BEGIN = r"=== begin (?P<name>\S+)"
END = r"=== end (?P<name>\S+): status (?P<status>\d+)"
LAST_STATUS = 42

needs_userspace = pytest.mark.skipif(
    not userspace_enabled(), reason="needs user space in Kevlar: KEVLAR_USERSPACE_TESTS=1")


def script_names():
    return sorted(n for n in os.listdir(SCRIPTS) if n.endswith(".sh"))


def run_on_host():
    """The driver under the host's BusyBox: (status, normalized output)."""
    with tempfile.TemporaryDirectory(prefix="kevlar-sh-host-") as tmp:
        bindir = os.path.join(tmp, "bin")
        os.mkdir(bindir)
        applets = subprocess.run([BUSYBOX, "--list"], check=True, capture_output=True,
                                 text=True).stdout.split()
        for applet in applets:
            os.symlink(BUSYBOX, os.path.join(bindir, applet))
        work = os.path.join(tmp, "work")
        env = {"PATH": bindir, "HOME": "/root", "TERM": "vt100"}
        proc = subprocess.run([BUSYBOX, "sh", DRIVER, SCRIPTS, work] + script_names(),
                              cwd=tmp, env=env, stdin=subprocess.DEVNULL,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=120)
        out = proc.stdout.decode("utf-8", "replace")
        return proc.returncode, out.replace(work, GUEST_WORK).replace(SCRIPTS, GUEST_DIR)


@functools.lru_cache(maxsize=None)
def host_run():
    status, out = run_on_host()
    return status, sections(out.splitlines(), BEGIN, END), out


@functools.lru_cache(maxsize=None)
def guest_run(profile):
    with tempfile.TemporaryDirectory(prefix="kevlar-sh-extra-") as extra:
        dest = os.path.join(extra, GUEST_DIR.lstrip("/"))
        os.makedirs(dest)
        for name in script_names():
            shutil.copy(os.path.join(SCRIPTS, name), dest)
        shutil.copy(DRIVER, dest)
        job = f"sh {GUEST_DIR}/run-scripts.sh {GUEST_DIR} {GUEST_WORK} {' '.join(script_names())}\n"
        run = run_job(profile, job, extra=[extra], tests=False, timeout=600)
    return run, sections(user_lines(run.output), BEGIN, END)


def tail(text, n=40):
    return "\n".join(text.splitlines()[-n:])


def test_scripts_are_deterministic_on_the_host():
    """The reference itself: two host runs in different directories agree,
    every script finishes, and the run's status is the last script's."""
    first, second = run_on_host(), run_on_host()
    assert first == second
    status, secs, out = host_run()
    assert status == LAST_STATUS, out
    assert sorted(secs) == script_names()
    assert all(st is not None for _, st in secs.values()), out
    assert "not compiled in" not in out and "applet not found" not in out


def test_every_applet_the_issue_names_is_covered():
    text = "".join(open(os.path.join(SCRIPTS, n)).read() for n in script_names())
    for word in ("echo", "cat", "ls", "mkdir -p", "cp -r", "mv", "rm -r", "ln -s", "find",
                 "grep", "sed", "awk", "sort", "uniq", "wc", "head", "tail", "tr", "cut",
                 "xargs", "md5sum", "gzip", "gunzip", "tar c", "tar x", "dd", "$(", "|",
                 "while", "for", "()", "exit"):
        assert word in text, f"no script uses {word!r}"


@needs_userspace
@pytest.mark.parametrize("profile", PROFILES)
def test_all_scripts_run_and_the_status_comes_back(profile):
    run, guest = guest_run(profile)
    assert INIT_EXIT.search(run.output), "init never reported its status:\n" + tail(run.output)
    assert run.status != NO_INIT_STATUS
    assert "kernel fault" not in run and "Kernel panic" not in run, tail(run.output, 80)
    unfinished = [name for name, (_, st) in guest.items() if st is None]
    assert not unfinished, f"stopped inside {unfinished}:\n" + tail(run.output)
    assert sorted(guest) == script_names()
    assert run.status == LAST_STATUS


@needs_userspace
@pytest.mark.parametrize("script", script_names())
@pytest.mark.parametrize("profile", PROFILES)
def test_script_output_matches_linux(profile, script):
    _, host, _ = host_run()
    run, guest = guest_run(profile)
    assert script in guest, f"{script} did not run in Kevlar:\n{tail(run.output)}"
    lines, status = guest[script]
    host_lines, host_status = host[script]
    assert lines == host_lines
    assert status == host_status
