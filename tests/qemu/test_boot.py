"""Boot every profile in QEMU: banner, self checks, power-off, bad input."""
import os
import subprocess

import pexpect
import pytest

from kevlar_qemu import BANNER, POWER_OFF, PROFILES, REBOOT, ROOT, SELFTEST, boot


def assert_clean_boot(run, profile):
    banner = run.search(BANNER)
    assert banner, run.output
    assert banner.group(2) == profile
    assert int(banner.group(3)) >= 1
    assert int(banner.group(4)) > 0
    st = run.search(SELFTEST)
    assert st, run.output
    assert int(st.group(1)) >= 5 and st.group(2) == "0", run.output
    assert POWER_OFF in run
    assert REBOOT not in run
    assert "kernel fault" not in run and "panic" not in run
    assert run.status == 0


@pytest.mark.parametrize("profile", PROFILES)
def test_boots_checks_and_powers_off(profile):
    run = boot(profile)
    assert_clean_boot(run, profile)
    assert "boot: no command line given" in run


@pytest.mark.parametrize("profile", PROFILES)
def test_bad_command_line_is_reported_and_ignored(profile):
    run = boot(profile, 'bogus=1 selftest=maybe noequals "quoted=a b"')
    assert "cmdline: unknown option 'bogus', ignored" in run
    assert "cmdline: bad value 'maybe' for 'selftest'" in run
    assert "cmdline: unknown option 'noequals', ignored" in run
    assert "cmdline: unknown option 'quoted', ignored" in run
    assert_clean_boot(run, profile)


def test_selftest_off_skips_checks():
    run = boot("balanced", "selftest=off")
    assert "selftest: skipped (selftest=off)" in run
    assert POWER_OFF in run and run.status == 0


CRASHES = {
    "pf": r"kernel fault: #PF page fault \(vector 14\)[\s\S]*faulting address: 0x0000000000000010",
    "gp": r"kernel fault: #GP general protection \(vector 13\)",
    "ud": r"kernel fault: #UD invalid opcode \(vector 6\)",
    "de": r"kernel fault: #DE divide error \(vector 0\)",
    "stack": r"kernel fault: #DF double fault \(vector 8\)",
    "panic": r"kernel panic: crash=panic requested on the command line",
    "bug": r"kernel panic: BUG at platform/selftest/crash\.c:\d+",
}


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("kind", sorted(CRASHES))
def test_kernel_fault_reports_and_resets(profile, kind):
    run = boot(profile, f"crash={kind}")
    assert run.search(BANNER), run.output
    assert run.search(CRASHES[kind]), run.output
    if kind not in ("panic", "bug"):
        for reg in ("RIP:", "RSP:", "RAX:", "R15:", "CR2:"):
            assert reg in run
    # The backtrace is symbolized down to the code that asked for it.
    assert "Call trace:" in run
    assert run.search(r"\[<ffffffff8[0-9a-f]{7}>\] crash_now\+0x[0-9a-f]+/0x[0-9a-f]+")
    assert run.search(r"\] crash_inject\+0x")
    assert "Kernel panic - not syncing" in run and REBOOT in run
    assert POWER_OFF not in run
    assert run.status == 0   # -no-reboot: the reset ends QEMU


def test_large_memory_above_4g():
    run = boot("balanced", memory="5G")
    assert_clean_boot(run, "balanced")
    assert int(run.search(BANNER).group(4)) > 4500


def test_two_cpus_are_seen():
    run = boot("balanced", smp=2)
    assert_clean_boot(run, "balanced")
    assert "acpi: RSDT" in run and "2 CPUs" in run


def shell_session(command, args, timeout=120):
    """Runs command (QEMU, or make run) to BusyBox's prompt, types exit,
    and returns everything it printed and its exit status."""
    child = pexpect.spawn(command, args, cwd=ROOT, encoding="utf-8",
                          codec_errors="replace", timeout=timeout)
    child.expect(r"/ # ")
    out = child.before + child.after
    child.sendline("exit")
    child.expect(pexpect.EOF)
    child.close()
    return out + child.before, child.exitstatus


def test_iso_boots_with_plain_qemu_command():
    """The documented command line boots to the shell; 'exit' powers off."""
    iso = os.path.join(ROOT, "build", "balanced", "kevlar.iso")
    out, status = shell_session("qemu-system-x86_64", ["-cdrom", iso, "-serial", "stdio",
                                                       "-display", "none", "-no-reboot"])
    assert status == 0
    assert "kevlar: init exited with status 0" in out
    assert POWER_OFF in out


def test_make_run_returns_when_the_machine_powers_off():
    out, status = shell_session("make", ["-s", "run", "PROFILE=balanced", "CMDLINE="],
                                timeout=300)
    assert status == 0, out
    assert "profile=balanced" in out and POWER_OFF in out
