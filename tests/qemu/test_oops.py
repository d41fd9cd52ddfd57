"""Oops in Core: a fault in Core during a system call kills the calling
process (fortress, balanced) or panics the kernel (performance, ludicrous).

A user program (tests/user/helpers/ktest_oops.c) forks a child per fault
kind; the child asks a test kernel to fail in Core inside prctl()
(core/ktest/oops.c) while holding a pipe open, and the parent reports
how it ended and whether the pipe was closed behind it.
"""
import os
import re
import subprocess

import pytest

from kevlar_qemu import (GUEST_TESTS, INIT_EXIT, NO_INIT_STATUS, POWER_OFF, REBOOT, boot,
                         make_command, run_job)

KINDS = ["null", "pf", "gp", "ud", "de", "bug", "assert", "panic", "irqoff", "preempt"]
HELPER = f"{GUEST_TESTS}/helpers/ktest_oops"
# What each kind's report names.
WHAT = {
    "null": r"#PF page fault", "pf": r"#PF page fault", "gp": r"#GP general protection",
    "ud": r"#UD invalid opcode", "de": r"#DE divide error", "bug": r"kernel BUG",
    "assert": r"kernel BUG", "panic": r"kernel BUG", "irqoff": r"#PF page fault",
    "preempt": r"kernel BUG",
}


@pytest.fixture(scope="module", autouse=True)
def helper_built():
    subprocess.run(make_command() + ["user-tests"], check=True, stdout=subprocess.DEVNULL)


def oops_job(profile, kinds, cmdline=""):
    script = (f"{HELPER} {' '.join(kinds)}\n"
              "echo \"first run: $?\"\n"
              "ls /usr/libexec/kevlar-tests/helpers\n"
              f"{HELPER} null\n"
              "echo \"second run: $?\"\n")
    return run_job(profile, script, cmdline=cmdline, ktest=True, timeout=120)


def reports(output):
    """The oops reports, each from its "Oops:" line to its end marker."""
    return re.findall(r"Oops: .*?---\[ end trace: pid \d+ killed, kernel continues \]---",
                      output, re.S)


@pytest.mark.parametrize("profile", ["fortress", "balanced"])
def test_a_core_fault_kills_the_caller_and_the_kernel_goes_on(profile):
    run = oops_job(profile, KINDS)
    out = run.output
    for kind in KINDS:
        assert f"ktest_oops: {kind}: killed by signal 11, pipe closed" in out, out
    assert "ktest_oops: every child killed, kernel running" in out
    assert "first run: 0" in out and "second run: 0" in out
    # BusyBox ls after the oopses, listing the helpers in order.
    assert re.search(r"exec_child\s+(?:\S+\s+)*?ktest_oops", out)
    # One report per oops, numbered, each naming the fault, the process
    # and a symbolized backtrace through the system call.
    found = reports(out)
    assert len(found) == len(KINDS) + 1, out
    for n, (kind, report) in enumerate(zip(KINDS, found), 1):
        assert re.search(rf"Oops: {WHAT[kind]}.* \[#{n}\]", report), report
        assert re.search(r"CPU: 0 PID: \d+ Comm: ktest_oops ", report), report
        assert ("Not tainted" in report) == (n == 1), report
        assert "ktest_oops_prctl" in report and "syscall_entry" in report, report
    assert "Tainted: D (10 earlier oopses)" in found[-1]
    # Page faults say what was touched, just before their report.
    assert "BUG: kernel NULL pointer dereference, address: 0000000000000010" in out
    assert "BUG: unable to handle page fault for address: ffffc87ffffff000" in out
    assert "kernel BUG: BUG at core/ktest/oops.c" in found[KINDS.index("bug")]
    assert "kernel BUG: assertion failed at core/ktest/oops.c" in found[KINDS.index("assert")]
    assert "kernel BUG: ktest: panic in a system call on request" in found[KINDS.index("panic")]
    assert "faulted with interrupts off; turned back on" in found[KINDS.index("irqoff")]
    assert "exited with preempt_count 1" in found[KINDS.index("preempt")]
    assert len(re.findall(r"oops: ktest_oops\[\d+\] killed by SIGSEGV", out)) == len(KINDS) + 1
    # The system carried on to a normal end.
    assert INIT_EXIT.search(out).group(1) == "0"
    assert POWER_OFF in out
    assert "Kernel panic" not in out and REBOOT not in out
    assert run.status == 0


@pytest.mark.parametrize("profile,kind", [("performance", "null"), ("performance", "bug"),
                                          ("ludicrous", "gp"), ("ludicrous", "assert")])
def test_without_containment_a_core_fault_panics(profile, kind):
    run = oops_job(profile, [kind])
    out = run.output
    assert f"ktest: Core fails ('{kind}') in a system call on request" in out, out
    assert "Kernel panic - not syncing" in out and REBOOT in out
    if kind in ("bug", "assert"):
        assert re.search(r"kernel panic: (BUG|assertion failed) at core/ktest/oops.c", out), out
    else:
        assert "kernel fault: " in out and "fatal exception" in out
    # (LTO in ludicrous inlines ktest_oops_prctl into its callers.)
    assert "Call trace:" in out and re.search(r"\] (ktest_oops_prctl|fail)\S*\+0x", out), out
    assert "Oops:" not in out and "killed by signal" not in out
    assert "first run" not in out and not INIT_EXIT.search(out)
    assert run.status == NO_INIT_STATUS


@pytest.mark.parametrize("kind,why", [
    ("tick", "in an interrupt handler"),
    ("twice", "while its task was already dying of an oops"),
])
def test_a_core_fault_that_no_process_can_answer_for_panics(kind, why):
    run = oops_job("balanced", [kind])
    out = run.output
    assert f"oops: a fault in Core {why} cannot end a process: panic" in out, out
    assert "Kernel panic - not syncing: fatal exception" in out and REBOOT in out
    assert "first run" not in out and run.status == NO_INIT_STATUS
    if kind == "twice":   # the first fault was an oops; the second is not
        assert len(reports(out)) == 1 and "Tainted: D (1 earlier oops)" in out


def test_a_core_fault_in_a_kernel_thread_panics():
    run = boot("fortress", "ktest=oops-kthread", ktest=True)
    assert "ktest: Core fails ('null') in a kernel thread on request" in run, run.output
    assert "oops: a fault in Core in a kernel thread cannot end a process: panic" in run
    assert "Kernel panic - not syncing: fatal exception" in run and REBOOT in run
    assert "Oops:" not in run and POWER_OFF not in run


def test_a_normal_kernel_has_no_trigger():
    """Outside test kernels the prctl is an unknown option: EINVAL."""
    helper = os.path.join("build", "user", "helpers", "ktest_oops")
    assert os.path.exists(os.path.join(os.path.dirname(__file__), "..", "..", helper))
    run = run_job("balanced", f"{HELPER} null\necho \"status $?\"\n", timeout=120)
    assert "ktest_oops: null: prctl returned -1 (Invalid argument)" in run, run.output
    assert "ktest_oops: null: exited with status 2, pipe closed" in run
    assert "status 1" in run and "Oops:" not in run
