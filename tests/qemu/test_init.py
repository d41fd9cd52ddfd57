"""Init, as Linux protects it: a program run as pid 1
(tests/user/helpers/init_guard.c) is sent every kind of signal by a child
and by itself, kills everyone else with kill(-1), and adopts an orphan
that a clone gave SIGILL as its exit signal. Its PASS/FAIL lines must be
the host's, where it runs as the first process of a new pid namespace.
"""
import functools
import re
import subprocess

import pytest

from kevlar_qemu import (GUEST_TESTS, PROFILES, make_command, run_job, user_build,
                         userspace_enabled)

pytestmark = pytest.mark.skipif(not userspace_enabled(),
                                reason="needs user space in Kevlar: KEVLAR_USERSPACE_TESTS=1")

VERDICT = re.compile(r"(PASS|FAIL) \S+")


@pytest.fixture(scope="module", autouse=True)
def helpers_built():
    subprocess.run(make_command() + ["user-tests"], check=True, stdout=subprocess.DEVNULL)


def verdicts(text):
    return [line.strip() for line in text.splitlines() if VERDICT.match(line.strip())]


@functools.lru_cache(maxsize=None)
def host_verdicts():
    """The helper as pid 1 of a new pid namespace on the host, or None
    where the host cannot make one (not root)."""
    try:
        proc = subprocess.run(["unshare", "--pid", "--fork",
                               f"{user_build()}/helpers/init_guard"],
                              stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return None
    if proc.returncode != 0 or b"init_guard: done" not in proc.stdout:
        return None
    return verdicts(proc.stdout.decode())


@pytest.mark.parametrize("profile", PROFILES)
def test_init_survives_signals_and_adopts_orphans(profile):
    run = run_job(profile, None, cmdline=f"init={GUEST_TESTS}/helpers/init_guard",
                  timeout=180)
    out = run.output.replace("\r", "")
    assert "init_guard: done" in out, out[-3000:]
    assert "kevlar: init exited with status 0" in out, out[-3000:]
    guest = verdicts(out)
    assert guest and not [v for v in guest if v.startswith("FAIL")], out[-3000:]
    host = host_verdicts()
    if host is not None:
        assert guest == host
