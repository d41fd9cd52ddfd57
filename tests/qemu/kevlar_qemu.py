"""Booting Kevlar under QEMU for the tests: images, runs, and their output."""
import os
import re
import subprocess
import sys
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


def make_iso(profile, cmdline, directory, ktest=False, initramfs=None):
    iso = os.path.join(directory, f"{profile}.iso")
    extra = ["--initramfs", initramfs] if initramfs else []
    subprocess.run([os.path.join(ROOT, "tools", "mkiso.sh")] + extra
                   + [kernel_elf(profile, ktest), iso, profile, cmdline], check=True)
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


# ------------------------------------------------------------ user space
# A job (an INIT_SCRIPT) run in Kevlar: the initramfs is built here with
# tools/mkinitramfs.py, the ISO with tools/mkiso.sh, and QEMU is run
# through tools/qemu-run.py, exactly as `make run INIT_SCRIPT=...` does.

USER_BUILD = os.path.join(ROOT, "build", "user")
USER_SRC = os.path.join(ROOT, "tests", "user")
GUEST_TESTS = "/usr/libexec/kevlar-tests"
INIT_EXIT = re.compile(r"kevlar: init exited with status (\d+)")
KERNEL_LINE = re.compile(r"^\[\s*\d+\.\d+\] ")
NO_INIT_STATUS = 125    # tools/qemu-run.py: QEMU ended before init reported


def userspace_enabled():
    """The QEMU tests that need user space run when KEVLAR_USERSPACE_TESTS=1
    (make USERSPACE_TESTS=1 test-qemu, or make test-userspace)."""
    return os.environ.get("KEVLAR_USERSPACE_TESTS", "0") == "1"


def user_build():
    """build/user, with the test programs built (make user-tests)."""
    if not os.path.exists(os.path.join(USER_BUILD, "run-all.sh")):
        raise RuntimeError(f"{USER_BUILD} is missing: run `make user-tests` first")
    return USER_BUILD


def build_initramfs(out, init_script=None, extra=(), tests=None):
    cmd = [sys.executable, os.path.join(ROOT, "tools", "mkinitramfs.py"), "-o", out]
    if tests:
        cmd += ["--tests", tests]
    if init_script:
        cmd += ["--init-script", init_script]
    for tree in extra:
        cmd += ["--extra", tree]
    subprocess.run(cmd, check=True)
    return out


def run_job(profile, script, extra=(), cmdline="", timeout=300, memory="256M", tests=True,
            ktest=False):
    """Boots 'profile' (its test kernel if 'ktest') with 'script' (shell
    text) as its INIT_SCRIPT, the user test programs and the 'extra' trees
    in the initramfs. Returns a Boot whose status is what
    tools/qemu-run.py exits with: the script's status, or NO_INIT_STATUS."""
    with tempfile.TemporaryDirectory(prefix="kevlar-job-") as tmp:
        job = None
        if script is not None:
            job = os.path.join(tmp, "job.sh")
            with open(job, "w") as f:
                f.write(script)
        cpio = build_initramfs(os.path.join(tmp, "initramfs.cpio"), job, extra,
                               user_build() if tests else None)
        return boot_initramfs(profile, cpio, cmdline, timeout, memory, ktest)


def boot_initramfs(profile, cpio, cmdline="", timeout=300, memory="256M", ktest=False):
    """Boots 'profile' (its test kernel if 'ktest') with the archive 'cpio'
    as its initramfs module, through tools/qemu-run.py --expect-init
    (stdin: /dev/null)."""
    with tempfile.TemporaryDirectory(prefix="kevlar-iso-") as tmp:
        iso = make_iso(profile, cmdline, tmp, ktest, initramfs=cpio)
        qemu = ["qemu-system-x86_64", "-cdrom", iso, "-serial", "stdio", "-display", "none",
                "-no-reboot", "-cpu", "max", "-m", memory]
        proc = subprocess.run([sys.executable, os.path.join(ROOT, "tools", "qemu-run.py"),
                               "--expect-init", "--timeout", str(timeout), "--"] + qemu,
                              stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT)
        out = proc.stdout.decode("utf-8", "replace").replace("\r\n", "\n")
        return Boot(out, proc.returncode)


def user_lines(output):
    """The console output without the kernel's own (timestamped) lines."""
    return [line for line in output.replace("\r", "").split("\n")
            if not KERNEL_LINE.match(line)]


def sections(lines, begin, end):
    """Splits lines into {name: (lines, status)} by separators: 'begin' and
    'end' are regular expressions with a group 'name' ('end' also one named
    'status'). A section the guest never finished has status None."""
    begin, end = re.compile(begin), re.compile(end)
    out, current = {}, None
    for line in lines:
        m = end.fullmatch(line)
        if m and m.group("name") == current:
            out[current] = (out[current][0], int(m.group("status")))
            current = None
            continue
        m = begin.fullmatch(line)
        if m:
            current = m.group("name")
            out[current] = ([], None)
        elif current is not None:
            out[current][0].append(line)
    return out


def make_command():
    """make at the top of the tree, with mk/userspace.mk whether or not the
    Makefile includes it yet."""
    with open(os.path.join(ROOT, "Makefile")) as f:
        included = "mk/userspace.mk" in f.read()
    cmd = ["make", "--no-print-directory", "-C", ROOT]
    return cmd if included else cmd + ["-f", "Makefile", "-f", "mk/userspace.mk"]
