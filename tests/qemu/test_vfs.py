"""The VFS, tmpfs, devfs and initramfs in QEMU.

- ktest=vfs: path resolution, every namespace operation and its errors,
  descriptors, pipes, devices and mounts, in every profile;
- ktest=tmpfs-restart: tmpfs faults in the middle of operations after
  files were written; in fortress and balanced each caller gets -EIO,
  tmpfs restarts and every file is still there with its data;
- the initramfs: an archive packed here is unpacked into the root
  exactly (ktest=vfs-tree lists the tree with sizes and checksums), and a
  malformed one is reported while the boot goes on with what was read.
"""
import os
import re
import stat
import tempfile
import zlib

import pytest

from kevlar_qemu import BANNER, POWER_OFF, PROFILES, REBOOT, boot, make_iso

MTIME = 1700000000


class Cpio:
    """A cpio "newc" archive built in memory, entry by entry."""

    def __init__(self):
        self.data = bytearray()
        self.ino = 100

    def add(self, name, mode, data=b"", nlink=1, ino=None, magic=b"070701", namesize=None):
        if ino is None:
            self.ino += 1
            ino = self.ino
        name_bytes = name.encode() + b"\0"
        fields = [ino, mode, 0, 0, nlink, MTIME, len(data), 0, 0, 0, 0,
                  len(name_bytes) if namesize is None else namesize, 0]
        self.data += magic + b"".join(b"%08X" % f for f in fields) + name_bytes
        self.pad()
        self.data += data
        self.pad()
        return self

    def pad(self):
        while len(self.data) % 4:
            self.data += b"\0"

    def trailer(self):
        return self.add("TRAILER!!!", 0, ino=0)

    def write(self, path):
        with open(path, "wb") as f:
            f.write(self.data)
        return path


def good_archive():
    blob = bytes(range(256)) * 40 + b"tail"            # 10244 bytes: three pages
    a = Cpio()
    a.add(".", stat.S_IFDIR | 0o755)
    a.add("bin", stat.S_IFDIR | 0o755)
    a.add("bin/busybox", stat.S_IFREG | 0o755, blob)
    a.add("bin/sh", stat.S_IFLNK | 0o777, b"busybox")
    a.add("bin/ls", stat.S_IFLNK | 0o777, b"/bin/busybox")
    a.add("./etc/", stat.S_IFDIR | 0o700)
    a.add("etc/motd", stat.S_IFREG | 0o644, b"hello from the initramfs\n")
    a.add("etc/empty", stat.S_IFREG | 0o600)
    # Hard links the way GNU cpio writes them: the data with the last name.
    a.add("etc/one", stat.S_IFREG | 0o640, b"", nlink=2, ino=77)
    a.add("etc/two", stat.S_IFREG | 0o640, b"linked\n", nlink=2, ino=77)
    a.add("dev", stat.S_IFDIR | 0o755)
    a.add("dev/console", stat.S_IFCHR | 0o600)
    a.add("deep/er/still", stat.S_IFREG | 0o644, b"no parents")   # refused: no deep/
    a.trailer()
    expect = {
        "/bin": ("d", "755"),
        "/bin/busybox": ("f", "755", str(len(blob)), "%08x" % zlib.crc32(blob)),
        "/bin/sh": ("l", "busybox"),
        "/bin/ls": ("l", "/bin/busybox"),
        "/etc": ("d", "700"),
        "/etc/motd": ("f", "644", "25", "%08x" % zlib.crc32(b"hello from the initramfs\n")),
        "/etc/empty": ("f", "600", "0", "00000000"),
        "/etc/one": ("f", "640", "7", "%08x" % zlib.crc32(b"linked\n")),
        "/etc/two": ("f", "640", "7", "%08x" % zlib.crc32(b"linked\n")),
    }
    return a, expect


def tree_of(output):
    """The ktest=vfs-tree listing: path -> tuple of its fields."""
    tree = {}
    for line in output.splitlines():
        m = re.search(r"tree: (\S+) (.*)$", line)
        if m:
            tree[m.group(1)] = tuple(m.group(2).split())
    return tree


def boot_with(profile, archive, cmdline, ktest=True, timeout=60):
    with tempfile.TemporaryDirectory(prefix="kevlar-vfs-") as tmp:
        cpio = archive.write(os.path.join(tmp, "initramfs.cpio"))
        iso = make_iso(profile, cmdline, tmp, ktest=ktest, initramfs=cpio)
        return boot(profile, cmdline, iso=iso, ktest=ktest, timeout=timeout)


@pytest.mark.parametrize("profile", PROFILES)
def test_vfs_operations(profile):
    run = boot(profile, "ktest=vfs", ktest=True)
    assert run.search(BANNER), run.output
    assert "vfs: root tmpfs, devfs on /dev" in run
    m = re.search(r"vfs-test: (\d+) checks, (\d+) failed", run.output)
    assert m and int(m.group(1)) > 250 and m.group(2) == "0", run.output
    assert "ktest: passed" in run and POWER_OFF in run, run.output


@pytest.mark.parametrize("profile", ["fortress", "balanced"])
def test_tmpfs_restarts_and_keeps_every_file(profile):
    run = boot(profile, "ktest=tmpfs-restart", ktest=True, timeout=120)
    for what in ("create (page fault)", "mkdir (panic)", "rename (page fault)"):
        assert f"tmpfs-restart: {what}: -EIO, tmpfs restarted" in run, run.output
    assert len(re.findall(r"svc: tmpfs failed: ", run.output)) == 3
    assert "svc: tmpfs restarted (epoch 4)" in run
    assert re.search(r"tmpfs-restart: \d+ checks, 0 failed", run.output), run.output
    assert "ktest: passed" in run and POWER_OFF in run
    assert REBOOT not in run and "Kernel panic" not in run


@pytest.mark.parametrize("profile", ["balanced", "ludicrous"])
def test_initramfs_is_unpacked_exactly(profile):
    archive, expect = good_archive()
    run = boot_with(profile, archive, "ktest=vfs-tree")
    assert "initramfs: unpacking module 'initramfs'" in run, run.output
    assert ("initramfs: 13 entries: 3 directories, 4 files (10276 bytes), 2 symlinks, "
            "1 hard links; 1 device nodes, fifos or sockets skipped; 0 refused, 1 failed"
            in run), run.output
    assert "initramfs: deep/er/still: cannot create it (error -2)" in run
    tree = tree_of(run.output)
    for path, want in expect.items():
        assert tree.get(path) == want, (path, tree.get(path), run.output)
    # /dev is devfs now: the archive's device node gave way to the real one.
    assert tree.get("/dev") == ("d", "755")
    assert "/dev/console" not in tree   # the listing does not cross mounts
    assert "tree: end" in run and POWER_OFF in run


def test_initramfs_in_a_normal_boot():
    archive, _ = good_archive()
    run = boot_with("fortress", archive, "", ktest=False)
    assert "svc: initramfs started, ring 2" in run, run.output
    assert "initramfs: 13 entries: 3 directories, 4 files" in run, run.output
    assert "vfs: root tmpfs, devfs on /dev" in run


def test_malformed_archive_is_reported_and_the_boot_goes_on():
    a = Cpio()
    a.add("kept", stat.S_IFREG | 0o644, b"before the damage")
    a.add("/etc/passwd", stat.S_IFREG | 0o644, b"root::0:0")   # absolute: refused
    a.add("../escape", stat.S_IFREG | 0o644, b"out")           # climbs out: refused
    a.add("also-kept", stat.S_IFDIR | 0o755)
    bad_at = len(a.data)
    a.add("cut", stat.S_IFREG | 0o644, b"x" * 100)
    del a.data[bad_at + 130:]                                  # data cut short
    run = boot_with("balanced", a, "ktest=vfs-tree")
    assert "initramfs: entry '/etc/passwd' at offset" in run and "absolute path; skipped" in run
    assert "initramfs: entry '../escape' at offset" in run
    assert "'..' would leave the root; skipped" in run
    assert (f"initramfs: malformed archive at offset {bad_at}: truncated data; "
            "keeping the 4 entries before it") in run, run.output
    tree = tree_of(run.output)
    assert tree.get("/kept", ("",))[0] == "f" and tree.get("/also-kept") == ("d", "755")
    assert "/cut" not in tree and "/escape" not in tree and "/etc" not in tree
    assert "ktest: passed" in run and POWER_OFF in run


@pytest.mark.parametrize("damage", ["magic", "absurd", "nul"])
def test_broken_headers_are_named(damage):
    a = Cpio()
    a.add("first", stat.S_IFREG | 0o644, b"1")
    if damage == "magic":
        a.add("x", stat.S_IFREG, b"", magic=b"070707")
        why = "bad magic"
    elif damage == "absurd":
        a.add("x", stat.S_IFREG, b"", namesize=0x7FFFFFFF)
        why = "absurd name size"
    else:
        a.add("x", stat.S_IFREG, b"", namesize=1)   # "x" with no NUL counted
        why = "name without NUL"
    a.trailer()
    run = boot_with("fortress", a, "ktest=vfs-tree")
    assert re.search(r"initramfs: malformed archive at offset \d+: " + re.escape(why), run.output), \
        run.output
    assert tree_of(run.output).get("/first", ("",))[0] == "f"
    assert POWER_OFF in run
