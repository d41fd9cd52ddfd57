"""tests/user in Kevlar: every program prints the same PASS/FAIL lines as
on the host Linux, which is the reference (see docs/userspace.md).

One boot per profile runs every program (/usr/libexec/kevlar-tests/
run-all.sh as the INIT_SCRIPT); the host runs the same binaries here.
A program whose source says "/* needs: FEATURE */" is expected to fail
until FEATURE is listed in KEVLAR_FEATURES (e.g. "signals shebang").
"""
import functools
import os
import re
import subprocess

import pytest

from kevlar_qemu import (GUEST_TESTS, INIT_EXIT, NO_INIT_STATUS, PROFILES, USER_SRC, run_job,
                         sections, user_build, user_lines, userspace_enabled)

pytestmark = pytest.mark.skipif(not userspace_enabled(),
                                reason="needs user space in Kevlar: KEVLAR_USERSPACE_TESTS=1")

BEGIN = r"=== (?P<name>[\w.-]+)"
END = r"=== (?P<name>[\w.-]+): exit (?P<status>\d+)"
VERDICT = re.compile(r"(PASS|FAIL) \S+")
FEATURES = set(os.environ.get("KEVLAR_FEATURES", "").split())


def needs(program):
    with open(os.path.join(USER_SRC, program + ".c")) as f:
        m = re.search(r"/\* needs: ([\w ]+) \*/", f.read(2000))
    return set(m.group(1).split()) if m else set()


def programs():
    names = sorted(n[:-2] for n in os.listdir(USER_SRC) if n.endswith(".c"))
    params = []
    for name in names:
        missing = needs(name) - FEATURES
        marks = [pytest.mark.xfail(reason=f"needs {' '.join(sorted(missing))}", strict=False)] \
            if missing else []
        params.append(pytest.param(name, marks=marks, id=name))
    return params


@functools.lru_cache(maxsize=None)
def host_run():
    build = user_build()
    proc = subprocess.run(["sh", os.path.join(build, "run-all.sh"), build],
                          stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, timeout=300)
    out = proc.stdout.decode("utf-8", "replace")
    return proc.returncode, sections(out.splitlines(), BEGIN, END), out


@functools.lru_cache(maxsize=None)
def guest_run(profile):
    run = run_job(profile, f"sh {GUEST_TESTS}/run-all.sh\n", timeout=600)
    return run, sections(user_lines(run.output), BEGIN, END)


def verdicts(lines):
    return [line for line in lines if VERDICT.match(line)]


def tail(text, n=40):
    return "\n".join(text.splitlines()[-n:])


@pytest.mark.parametrize("profile", PROFILES)
def test_every_program_runs_to_its_end(profile):
    host_status, host, _ = host_run()
    run, guest = guest_run(profile)
    assert INIT_EXIT.search(run.output), "init never reported its status:\n" + tail(run.output)
    assert run.status != NO_INIT_STATUS
    assert "kernel fault" not in run and "Kernel panic" not in run, tail(run.output, 80)
    unfinished = [name for name, (_, status) in guest.items() if status is None]
    assert not unfinished, f"stopped inside {unfinished}:\n" + tail(run.output)
    assert sorted(guest) == sorted(host)
    # run-all.sh's status is the job's, and it comes out of make run/qemu-run.
    expected = 0 if all(st == 0 for name, (_, st) in guest.items()) else 1
    assert run.status == expected
    assert host_status == 0, "the host run is the reference and must pass"


@pytest.mark.parametrize("program", programs())
@pytest.mark.parametrize("profile", PROFILES)
def test_program_agrees_with_linux(profile, program):
    _, host, host_out = host_run()
    assert program in host, f"{program} did not run on the host:\n{tail(host_out)}"
    host_lines, host_status = host[program]
    assert host_status == 0 and verdicts(host_lines), \
        f"{program} must pass on the host first:\n" + "\n".join(host_lines)
    run, guest = guest_run(profile)
    assert program in guest, f"{program} did not run in Kevlar:\n{tail(run.output)}"
    lines, status = guest[program]
    assert status is not None, f"{program} never finished:\n" + "\n".join(lines[-20:])
    assert verdicts(lines) == verdicts(host_lines)
    assert status == host_status
