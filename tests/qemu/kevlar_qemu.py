"""Booting Kevlar under QEMU for the tests: images, runs, and their output."""
import os
import re
import subprocess
import tempfile

import pexpect

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
PROFILES = ("fortress", "balanced", "performance", "ludicrous")
BANNER = re.compile(r"Kevlar (\S+) profile=(\w+) cpus=(\d+) mem=(\d+)MiB")
SELFTEST = re.compile(r"selftest: (\d+) passed, (\d+) failed")
POWER_OFF = "kevlar: nothing left to run, powering off"
REBOOT = "Rebooting."


class Boot:
    """The result of one boot: its console output and QEMU's exit status."""

    def __init__(self, output, status):
        self.output = output
        self.status = status

    def search(self, pattern):
        return re.search(pattern, self.output)

    def __contains__(self, text):
        return text in self.output


def kernel_elf(profile, ktest=False):
    variant = f"{profile}-ktest" if ktest else profile
    path = os.path.join(ROOT, "build", variant, "kernel.elf")
    if not os.path.exists(path):
        flag = " KTEST=1" if ktest else ""
        raise RuntimeError(f"{path} is missing: run `make PROFILE={profile}{flag}` first")
    return path


def make_iso(profile, cmdline, directory, ktest=False):
    iso = os.path.join(directory, f"{profile}.iso")
    subprocess.run([os.path.join(ROOT, "tools", "mkiso.sh"), kernel_elf(profile, ktest), iso,
                    profile, cmdline], check=True)
    return iso


def boot(profile, cmdline="", memory="256M", smp=1, timeout=60, iso=None, ktest=False):
    """Boots 'profile' (its test kernel if 'ktest') with 'cmdline' and waits
    for QEMU to exit by itself."""
    with tempfile.TemporaryDirectory(prefix="kevlar-test-") as tmp:
        if iso is None:
            iso = make_iso(profile, cmdline, tmp, ktest)
        args = ["-cdrom", iso, "-serial", "stdio", "-display", "none", "-no-reboot",
                "-cpu", "max", "-m", memory, "-smp", str(smp)]
        child = pexpect.spawn("qemu-system-x86_64", args, encoding="utf-8",
                              codec_errors="replace", timeout=timeout)
        try:
            child.expect(pexpect.EOF)
        except pexpect.TIMEOUT:
            child.terminate(force=True)
            raise AssertionError(f"QEMU did not exit within {timeout}s; output:\n"
                                 + (child.before or ""))
        child.close()
        return Boot(child.before.replace("\r\n", "\n"), child.exitstatus)
