"""ktest=containment: Ring 2 faults are contained where the profile says so."""
import re

import pytest

from kevlar_qemu import BANNER, POWER_OFF, REBOOT, boot

KINDS = ["panic", "bug", "assert", "pf", "gp", "ud", "de", "watchdog"]


@pytest.mark.parametrize("profile", ["fortress", "balanced"])
def test_every_fault_is_contained_and_the_service_restarts(profile):
    run = boot(profile, "ktest=containment svc_watchdog_ms=300", ktest=True, timeout=120)
    assert run.search(BANNER), run.output
    for kind in KINDS:
        assert f"containment: {kind} contained -EIO restarted" in run, run.output
    assert f"containment: {len(KINDS)}/{len(KINDS)} contained" in run
    # The registry saw each failure and brought the service back each time.
    assert len(re.findall(r"svc: faulty failed: ", run.output)) == len(KINDS)
    # Exceptions are named as Ring 0's own fault reports name them.
    for name in ["#PF page fault (vector 14)", "#GP general protection (vector 13)",
                 "#UD invalid opcode (vector 6)", "#DE divide error (vector 0)"]:
        assert f"svc: faulty failed: {name} at 0x" in run, run.output
    assert f"svc: faulty restarted (epoch {len(KINDS) + 1})" in run
    assert run.search(r"ring: service \d+ ran past its 300 ms watchdog at faulty_ktest_fault_run\+0x")
    # The kernel kept running to the end: a clean power-off, not a reset.
    assert "ktest: passed" in run and POWER_OFF in run
    assert REBOOT not in run and "Kernel panic" not in run
    assert run.status == 0


def test_fortress_refuses_a_forged_token():
    run = boot("fortress", "ktest=containment", ktest=True, timeout=120)
    assert "cap: svcmem.alloc refused: service 'faulty' presented a forged or stale Heap token" in run
    assert "containment: forged token refused -EPERM" in run


@pytest.mark.parametrize("profile", ["performance", "ludicrous"])
def test_without_containment_the_first_fault_panics(profile):
    run = boot(profile, "ktest=containment", ktest=True)
    assert run.search(BANNER), run.output
    assert "kernel panic: faulty: panic on request" in run
    assert "Call trace:" in run and "faulty_ktest_fault_run+0x" in run
    assert "Kernel panic - not syncing" in run and REBOOT in run
    assert "contained" not in run and POWER_OFF not in run
    assert run.status == 0   # -no-reboot: the reset ends QEMU


def test_ktest_needs_a_test_kernel():
    run = boot("balanced", "ktest=containment")
    assert "ktest: 'containment' needs a test kernel (make KTEST=1)" in run
    assert POWER_OFF in run and run.status == 0


def test_klog_service_runs_in_a_normal_boot():
    run = boot("fortress")
    assert "svc: klog started, ring 2, 2 capabilities" in run
    assert "svc: faulty" not in run   # test-only: not in a normal kernel
    assert POWER_OFF in run
