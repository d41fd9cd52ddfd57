"""The limits on tasks, in Kevlar only (they are the machine's, and a
host shares them with everything it runs): tests/user/helpers/
task_limits.c reads Linux's defaults for pid_max, threads-max and
RLIMIT_NPROC, writes values /proc/sys/kernel refuses, and runs two fork
bombs of sleeping children, one into threads-max and one into a pid_max
of 400, checking that fork, vfork and clone fail with EAGAIN, that pids
wrap around to 300 and skip the id of a process group that outlived its
leader, and that the kernel and init go on afterwards.
"""
import re
import subprocess

import pytest

from kevlar_qemu import GUEST_TESTS, PROFILES, make_command, run_job, userspace_enabled

pytestmark = pytest.mark.skipif(not userspace_enabled(),
                                reason="needs user space in Kevlar: KEVLAR_USERSPACE_TESTS=1")

VERDICT = re.compile(r"(PASS|FAIL) (\S+)")
CHECKS = 32


@pytest.fixture(scope="module", autouse=True)
def helpers_built():
    subprocess.run(make_command() + ["user-tests"], check=True, stdout=subprocess.DEVNULL)


@pytest.mark.parametrize("profile", PROFILES)
def test_fork_bombs_meet_the_limits(profile):
    run = run_job(profile, f"{GUEST_TESTS}/helpers/task_limits\n"
                  "echo \"task_limits status $?\"\n"
                  "echo after the bombs: $(echo still forking)\n", timeout=300)
    out = run.output.replace("\r", "")
    verdicts = [m.groups() for m in map(VERDICT.match, out.splitlines()) if m]
    failed = [name for kind, name in verdicts if kind == "FAIL"]
    assert not failed, out[-4000:]
    assert len(verdicts) == CHECKS, out[-4000:]
    assert "task_limits: done" in out and "task_limits status 0" in out, out[-4000:]
    assert "after the bombs: still forking" in out
    assert "kevlar: init exited with status 0" in out, out[-4000:]
