"""The user-space tooling, tested on the host: tools/mkinitramfs.py (the
archive, read back by an independent parser and by BusyBox cpio, and run
in a chroot), tools/qemu-run.py (against stand-ins for QEMU),
tools/mkiso.sh --initramfs, the make rules of mk/userspace.mk, and the
QEMU test harness itself with Linux standing in for Kevlar.
"""
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import textwrap
import time

import pexpect
import pytest

from kevlar_qemu import (ROOT, boot, make_command, make_iso, run_job, sections, user_build,
                         user_lines)

MKINITRAMFS = os.path.join(ROOT, "tools", "mkinitramfs.py")
QEMU_RUN = os.path.join(ROOT, "tools", "qemu-run.py")
BUSYBOX = "/bin/busybox"


def mkinitramfs(*args, check=True):
    return subprocess.run([sys.executable, MKINITRAMFS] + list(args), check=check,
                          capture_output=True, text=True)


def read_newc(blob):
    """An independent strict reader: [(name, fields, data)], up to the trailer."""
    members, off = [], 0
    while True:
        assert off % 4 == 0, f"member at {off} is not 4-aligned"
        header = blob[off:off + 110]
        assert header[:6] == b"070701", f"bad magic at {off}"
        fields = [int(header[6 + 8 * i:14 + 8 * i], 16) for i in range(13)]
        assert all(c in b"0123456789ABCDEF" for c in header[6:]), "header not upper-case hex"
        namesize, size = fields[11], fields[6]
        name = blob[off + 110:off + 110 + namesize]
        assert name.endswith(b"\0") and b"\0" not in name[:-1]
        data_off = (off + 110 + namesize + 3) & ~3
        assert blob[off + 110 + namesize:data_off] == b"\0" * (data_off - off - 110 - namesize)
        data = blob[data_off:data_off + size]
        assert len(data) == size
        end = (data_off + size + 3) & ~3
        assert blob[data_off + size:end] == b"\0" * (end - data_off - size)
        name = name[:-1].decode()
        if name == "TRAILER!!!":
            assert end == len(blob), "bytes after the trailer"
            return members
        members.append((name, fields, data))
        off = end


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    """A job script, an extra tree and the user tests, and an archive of them."""
    d = tmp_path_factory.mktemp("initramfs")
    job = d / "job.sh"
    job.write_text("echo job ran\nexit 3\n")
    extra = d / "extra"
    (extra / "opt" / "bin").mkdir(parents=True)
    (extra / "private").mkdir()
    (extra / "private").chmod(0o700)
    tool = extra / "opt" / "bin" / "tool"
    tool.write_text("#!/bin/sh\necho tool\n")
    tool.chmod(0o750)
    (extra / "opt" / "secret").write_text("s")
    (extra / "opt" / "secret").chmod(0o600)
    os.symlink("bin/tool", extra / "opt" / "tool-link")
    os.symlink("/opt/bin", extra / "optbin")
    (extra / "etc").mkdir()
    (extra / "etc" / "passwd").write_text("root:x:0:0:replaced:/root:/bin/sh\n")
    out = d / "initramfs.cpio"
    mkinitramfs("-o", str(out), "--tests", user_build(), "--init-script", str(job),
                "--extra", str(extra))
    return {"dir": d, "job": job, "extra": extra, "cpio": out}


def members_of(path):
    with open(path, "rb") as f:
        return {name: (fields, data) for name, fields, data in read_newc(f.read())}


# ------------------------------------------------------------ the archive
def test_archive_is_strict_newc_sorted_and_deterministic(inputs):
    with open(inputs["cpio"], "rb") as f:
        members = read_newc(f.read())
    names = [m[0] for m in members]
    assert names == sorted(names)
    assert len(set(names)) == len(names)
    inodes = [m[1][0] for m in members]
    assert inodes == list(range(1, len(members) + 1))
    for name, fields, _ in members:
        ino, mode, uid, gid, nlink, mtime = fields[:6]
        assert (uid, gid, mtime) == (0, 0, 0), name
        assert nlink == (2 if stat.S_ISDIR(mode) else 1), name
        parent = os.path.dirname(name)
        assert not parent or parent in names[:names.index(name)], f"{name} before its parent"


def test_same_inputs_give_the_same_bytes(inputs, tmp_path):
    again = tmp_path / "again.cpio"
    os.utime(inputs["job"])      # a newer mtime on an input changes nothing
    mkinitramfs("-o", str(again), "--tests", user_build(), "--init-script",
                str(inputs["job"]), "--extra", str(inputs["extra"]))
    assert again.read_bytes() == inputs["cpio"].read_bytes()
    epoch = tmp_path / "epoch.cpio"
    mkinitramfs("-o", str(epoch), "--mtime", "1700000000")
    assert all(fields[5] == 1700000000 for fields, _ in members_of(epoch).values())


def test_contents(inputs):
    m = members_of(inputs["cpio"])
    mode = {name: fields[1] for name, (fields, _) in m.items()}
    data = {name: d for name, (_, d) in m.items()}
    with open(BUSYBOX, "rb") as f:
        assert data["bin/busybox"] == f.read()
    assert mode["bin/busybox"] == stat.S_IFREG | 0o755
    applets = subprocess.run([BUSYBOX, "--list-full"], check=True, capture_output=True,
                             text=True).stdout.split()
    assert len(applets) > 200
    for applet in applets:
        if applet != "bin/busybox":
            assert stat.S_ISLNK(mode[applet]) and data[applet] == b"/bin/busybox", applet
    for d, perm in (("dev", 0o755), ("proc", 0o555), ("sys", 0o555), ("tmp", 0o1777),
                    ("etc", 0o755), ("root", 0o700)):
        assert mode[d] == stat.S_IFDIR | perm, d
    assert mode["init"] == stat.S_IFREG | 0o755 and data["init"].startswith(b"#!/bin/sh\n")
    assert b"/bin/sh /script" in data["init"] and data["init"].rstrip().endswith(b"exit $?")
    assert data["script"] == inputs["job"].read_bytes()
    assert data["etc/group"] == b"root:x:0:\n"
    # The extra tree comes last and wins; its modes and symlinks are kept.
    assert data["etc/passwd"] == b"root:x:0:0:replaced:/root:/bin/sh\n"
    assert mode["opt/bin/tool"] == stat.S_IFREG | 0o750
    assert mode["opt/secret"] == stat.S_IFREG | 0o600
    assert mode["private"] == stat.S_IFDIR | 0o700
    assert stat.S_ISLNK(mode["opt/tool-link"]) and data["opt/tool-link"] == b"bin/tool"
    assert stat.S_ISLNK(mode["optbin"]) and data["optbin"] == b"/opt/bin"
    tests = "usr/libexec/kevlar-tests"
    assert mode[f"{tests}/run-all.sh"] & 0o111
    assert mode[f"{tests}/helpers/exec_child"] == stat.S_IFREG | 0o755
    for src in os.listdir(os.path.join(ROOT, "tests", "user")):
        if src.endswith(".c"):
            assert f"{tests}/{src[:-2]}" in m, src


def test_list_option(inputs):
    out = mkinitramfs("--list", str(inputs["cpio"])).stdout
    assert f"-rwxr-xr-x {os.path.getsize(BUSYBOX)} /bin/busybox\n" in out
    assert "lrwxrwxrwx 12 /bin/sh -> /bin/busybox" in out


def test_busybox_cpio_reads_and_extracts_it(inputs, tmp_path):
    cpio = inputs["cpio"]
    listing = subprocess.run([BUSYBOX, "cpio", "-t"], stdin=open(cpio, "rb"),
                             capture_output=True, text=True, check=True).stdout.split()
    assert listing == sorted(members_of(cpio))
    root = tmp_path / "root"
    root.mkdir()
    subprocess.run([BUSYBOX, "cpio", "-i", "-d", "-m"], stdin=open(cpio, "rb"), cwd=root,
                   check=True, capture_output=True)
    assert (root / "bin" / "busybox").read_bytes() == open(BUSYBOX, "rb").read()
    assert os.readlink(root / "bin" / "sh") == "/bin/busybox"
    assert os.readlink(root / "usr" / "bin" / "awk") == "/bin/busybox"
    assert stat.S_IMODE(os.lstat(root / "opt" / "bin" / "tool").st_mode) == 0o750
    assert (root / "script").read_text() == "echo job ran\nexit 3\n"


def test_bad_options_fail_cleanly(tmp_path):
    out = tmp_path / "x.cpio"
    r = mkinitramfs("-o", str(out), "--init-script", str(tmp_path / "missing"), check=False)
    assert r.returncode != 0 and "no such file" in r.stderr and not out.exists()
    r = mkinitramfs("-o", str(out), "--extra", str(tmp_path / "missing"), check=False)
    assert r.returncode != 0 and "no such directory" in r.stderr
    clash = tmp_path / "clash"
    clash.mkdir()
    (clash / "bin").write_text("not a directory")
    r = mkinitramfs("-o", str(out), "--extra", str(clash), check=False)
    assert r.returncode != 0 and "/bin is both a directory and a file" in r.stderr
    assert not out.exists() and not (tmp_path / "x.cpio.tmp").exists()


@pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("unshare"),
                    reason="needs root and unshare(1) for a chroot with /dev and /proc")
def test_the_image_runs_in_a_linux_chroot(inputs, tmp_path):
    """The archive, unpacked and run by the host Linux kernel: /init runs
    the job, prints the marker and exits with the job's status; and the
    user tests pass inside it as they do on the host."""
    root = tmp_path / "root"
    root.mkdir()
    subprocess.run([BUSYBOX, "cpio", "-i", "-d", "-m"], stdin=open(inputs["cpio"], "rb"),
                   cwd=root, check=True, capture_output=True)

    def run_init():
        return subprocess.run(["unshare", "-m", "sh", "-c",
                               f"mount --bind /dev {root}/dev && "
                               f"mount -t proc proc {root}/proc && exec chroot {root} /init"],
                              stdin=subprocess.DEVNULL, capture_output=True, text=True,
                              timeout=300)

    r = run_init()
    assert r.stdout == "job ran\n", r.stdout + r.stderr
    assert r.returncode == 3
    (root / "script").write_text("sh /usr/libexec/kevlar-tests/run-all.sh\n")
    r = run_init()
    assert r.returncode == 0, r.stdout
    assert "FAIL" not in r.stdout and r.stdout.count("PASS ") > 300
    assert r.stdout.endswith("failed\n")


# ------------------------------------------------------------- qemu-run
def fake_qemu(tmp_path, body):
    """A stand-in for QEMU: a Python script writing to its stdout."""
    path = tmp_path / "fake-qemu"
    path.write_text("#!" + sys.executable + "\nimport os, sys, time\n"
                    + textwrap.dedent(body))
    path.chmod(0o755)
    return str(path)


def qemu_run(*args, timeout=60):
    return subprocess.run([sys.executable, QEMU_RUN] + list(args), stdin=subprocess.DEVNULL,
                          capture_output=True, timeout=timeout)


def test_qemu_run_exits_with_init_status_and_copies_the_console(tmp_path):
    text = (b"\x1b[H\x1b[J  Booting `Kevlar'\r\n[    0.01] boot: stuff\r\n"
            b"bytes \xff\xfe kept\r\n[    1.5] kevlar: init exited with status 3\r\n"
            b"kevlar: nothing left to run, powering off\r\n")
    fake = fake_qemu(tmp_path, f"sys.stdout.buffer.write({text!r}); sys.exit(0)\n")
    r = qemu_run("--expect-init", "--", fake)
    assert r.returncode == 3
    assert r.stdout == text


def test_qemu_run_marker_split_across_writes(tmp_path):
    fake = fake_qemu(tmp_path, """
        for part in (b"kevlar: init ex", b"ited with sta", b"tus 17", b"\\n"):
            sys.stdout.buffer.write(part); sys.stdout.flush(); time.sleep(0.05)
    """)
    assert qemu_run("--expect-init", "--", fake).returncode == 17


def test_qemu_run_killed_by_signal_and_last_marker_wins(tmp_path):
    fake = fake_qemu(tmp_path, 'print("kevlar: init killed by signal 11")\n')
    assert qemu_run("--expect-init", "--", fake).returncode == 139
    fake = fake_qemu(tmp_path, 'print("kevlar: init exited with status 1")\n'
                               'print("kevlar: init exited with status 2")\n')
    assert qemu_run("--", fake).returncode == 2


def test_qemu_run_without_the_marker(tmp_path):
    fake = fake_qemu(tmp_path, 'print("Kernel panic - not syncing"); sys.exit(0)\n')
    r = qemu_run("--expect-init", "--", fake)
    assert r.returncode == 125
    assert b"before init reported its exit status" in r.stderr
    fake = fake_qemu(tmp_path, 'print("no user space yet"); sys.exit(3)\n')
    assert qemu_run("--", fake).returncode == 3


def test_qemu_run_stops_qemu_that_does_not_power_off(tmp_path):
    fake = fake_qemu(tmp_path, 'print("kevlar: init exited with status 4", flush=True)\n'
                               'time.sleep(60)\n')
    start = time.monotonic()
    r = qemu_run("--grace", "1", "--", fake)
    assert r.returncode == 4 and time.monotonic() - start < 20
    assert b"still running" in r.stderr


def test_qemu_run_timeout_and_missing_qemu(tmp_path):
    fake = fake_qemu(tmp_path, 'print("hung", flush=True); time.sleep(60)\n')
    start = time.monotonic()
    r = qemu_run("--expect-init", "--timeout", "1", "--", fake)
    assert r.returncode == 124 and time.monotonic() - start < 20
    assert qemu_run("--", str(tmp_path / "no-such-qemu")).returncode == 127


def test_qemu_run_stopped_stops_qemu(tmp_path):
    pidfile = tmp_path / "pid"
    fake = fake_qemu(tmp_path, f"""
        open({str(pidfile)!r}, "w").write(str(os.getpid()))
        print("booting", flush=True)
        time.sleep(60)
    """)
    proc = subprocess.Popen([sys.executable, QEMU_RUN, "--", fake], stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE)
    proc.stdout.readline()
    proc.terminate()
    assert proc.wait(20) == 128 + 15
    pid = int(pidfile.read_text())
    with pytest.raises(ProcessLookupError):
        for _ in range(100):
            os.kill(pid, 0)
            time.sleep(0.1)


def test_qemu_run_passes_the_terminal_through(tmp_path):
    """stdin is QEMU's: a line typed on the terminal reaches it."""
    fake = fake_qemu(tmp_path, """
        print("# ", end="", flush=True)
        line = sys.stdin.readline().strip()
        print("guest got", line[::-1], flush=True)
        print("kevlar: init exited with status 6", flush=True)
    """)
    child = pexpect.spawn(sys.executable, [QEMU_RUN, "--expect-init", "--", fake],
                          encoding="utf-8", timeout=30)
    child.expect("# ")
    child.sendline("olleh")
    child.expect("guest got hello")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 6


# ----------------------------------------------------------------- mkiso
def test_iso_carries_the_initramfs_as_a_module(inputs):
    with tempfile.TemporaryDirectory() as tmp:
        iso = make_iso("balanced", "", tmp, initramfs=str(inputs["cpio"]))
        run = boot("balanced", iso=iso)
    assert run.search(r"boot: loader .*, 1 module\b"), run.output
    run = boot("balanced")
    assert run.search(r"boot: loader .*, 0 modules\b"), run.output


# ------------------------------------------------------------ make rules
def make(*args):
    return subprocess.run(make_command() + list(args), capture_output=True, text=True,
                          timeout=600)


def test_make_initramfs_rebuilds_exactly_when_inputs_change(tmp_path):
    out = tmp_path / "i.cpio"
    job = tmp_path / "job.sh"
    job.write_text("exit 0\n")
    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "f").write_text("one")
    args = ["initramfs", f"INITRAMFS={out}", f"INIT_SCRIPT={job}", f"ROOTFS_EXTRA={extra}"]

    def build():
        r = make(*args)
        assert r.returncode == 0, r.stdout + r.stderr
        return "CPIO" in r.stdout

    assert build() and out.exists()
    assert not build(), "rebuilt with nothing changed"
    job.write_text("exit 1\n")
    assert build(), "not rebuilt after INIT_SCRIPT changed"
    (extra / "f").chmod(0o600)
    assert build(), "not rebuilt after a mode changed in ROOTFS_EXTRA"
    (extra / "g").write_text("two")
    assert build(), "not rebuilt after a file was added to ROOTFS_EXTRA"
    assert not build()
    assert members_of(out)["g"][1] == b"two"
    direct = tmp_path / "direct.cpio"
    mkinitramfs("-o", str(direct), "--tests", user_build(), "--init-script", str(job),
                "--extra", str(extra))
    assert direct.read_bytes() == out.read_bytes()
    r = make("initramfs", f"INITRAMFS={out}")
    assert "CPIO" in r.stdout and "script" not in members_of(out)


# ------------------------------------------------ the harness, on Linux
STAND_IN = os.path.join(os.path.dirname(os.path.abspath(__file__)), "linux-stand-in")


@pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("unshare") or
                    not shutil.which("xorriso"), reason="needs root, unshare and xorriso")
def test_harness_agrees_with_itself_when_linux_stands_in(monkeypatch):
    """run_job with linux-stand-in/qemu-system-x86_64 first in PATH: the
    job's output goes through the ISO, qemu-run.py and the parsers the
    user-space tests use, and matches a direct host run line for line."""
    monkeypatch.setenv("PATH", STAND_IN + os.pathsep + os.environ["PATH"])
    run = run_job("balanced", "sh /usr/libexec/kevlar-tests/run-all.sh\n", timeout=300)
    assert run.status == 0, run.output
    begin, end = r"=== (?P<name>[\w.-]+)", r"=== (?P<name>[\w.-]+): exit (?P<status>\d+)"
    guest = sections(user_lines(run.output), begin, end)
    host = subprocess.run(["sh", os.path.join(user_build(), "run-all.sh"), user_build()],
                          stdin=subprocess.DEVNULL, capture_output=True, text=True).stdout
    assert guest == sections(host.splitlines(), begin, end)
    assert len(guest) == len([n for n in os.listdir(os.path.join(ROOT, "tests", "user"))
                              if n.endswith(".c")])
