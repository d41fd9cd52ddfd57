#!/usr/bin/python3
"""Build Kevlar's initramfs: a cpio "newc" archive that GRUB loads as a
Multiboot2 module and the kernel unpacks into its root tmpfs.

  mkinitramfs.py -o out.cpio [--busybox /bin/busybox] [--tests build/user]
                 [--init-script job.sh] [--extra DIR]...
  mkinitramfs.py --inputs [same options]     list what the archive is made
                                             from (make rebuilds when it changes)
  mkinitramfs.py --list ARCHIVE              print an archive's entries

The root holds BusyBox with a symlink per applet, /init, a few empty
directories, /etc/passwd and /etc/group, the user test programs under
/usr/libexec/kevlar-tests and, if given, the job script at /script. The
--extra trees are copied over the top last, modes and symlinks as they
are, so they may replace anything (even /init).

The archive is deterministic: entries sorted by path, inode numbers in
that order, owner root, every mtime --mtime (default: SOURCE_DATE_EPOCH,
else 0). The same inputs give byte-identical archives.
"""
import argparse
import os
import stat
import subprocess
import sys

TESTS_DIR = "usr/libexec/kevlar-tests"
SCRIPT_PATH = "script"
INIT_MARKER = "kevlar: init exited with status"

# /init: the first process unless init= says otherwise. The kernel has
# mounted /dev and opened /dev/console as fds 0, 1 and 2; when the first
# process exits, the kernel prints the line tools/qemu-run.py waits for
# (docs/userspace.md).
INIT = """#!/bin/sh
# Kevlar's /init (made by tools/mkinitramfs.py): runs /script if the
# image has one, else an interactive shell, and reports how that ended.
export PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root TERM="${TERM:-vt100}"
umask 022
cd /
if [ -f /script ]; then
	/bin/sh /script
else
	/bin/sh -i
fi
exit $?
"""

PASSWD = "root:x:0:0:root:/root:/bin/sh\n"
GROUP = "root:x:0:\n"

# Directories every image has, and their modes.
BASE_DIRS = {
    "bin": 0o755, "sbin": 0o755, "usr": 0o755, "usr/bin": 0o755, "usr/sbin": 0o755,
    "usr/libexec": 0o755, "dev": 0o755, "proc": 0o555, "sys": 0o555, "tmp": 0o1777,
    "etc": 0o755, "root": 0o700,
}


class Entry:
    """One archive member: a directory, a regular file or a symlink."""

    def __init__(self, kind, perm, data=b"", source=None):
        self.kind = kind          # stat.S_IFDIR, S_IFREG or S_IFLNK
        self.perm = perm          # the low 12 mode bits
        self.data = data          # file contents, or a symlink's target
        self.source = source      # host path the data comes from, if any

    @property
    def mode(self):
        return self.kind | self.perm


class Image:
    """The tree being built, keyed by path without a leading '/'."""

    def __init__(self):
        self.entries = {}

    def add(self, path, entry):
        path = norm(path)
        self.add_parents(path)
        old = self.entries.get(path)
        if old is not None and (old.kind == stat.S_IFDIR) != (entry.kind == stat.S_IFDIR):
            raise SystemExit(f"mkinitramfs: /{path} is both a directory and a "
                             f"{'file' if entry.kind == stat.S_IFREG else 'symlink'}")
        if old is not None and entry.kind == stat.S_IFDIR and entry.perm is None:
            return
        if entry.kind == stat.S_IFDIR and entry.perm is None:
            entry.perm = 0o755
        self.entries[path] = entry

    def add_parents(self, path):
        parts = path.split("/")[:-1]
        for i in range(1, len(parts) + 1):
            parent = "/".join(parts[:i])
            old = self.entries.get(parent)
            if old is None:
                self.entries[parent] = Entry(stat.S_IFDIR, 0o755)
            elif old.kind != stat.S_IFDIR:
                raise SystemExit(f"mkinitramfs: /{parent} is not a directory but /{path} needs it")

    def add_dir(self, path, perm=None):
        self.add(path, Entry(stat.S_IFDIR, perm))

    def add_file(self, path, data, perm=0o644, source=None):
        self.add(path, Entry(stat.S_IFREG, perm, data, source))

    def add_symlink(self, path, target):
        self.add(path, Entry(stat.S_IFLNK, 0o777, target.encode()))

    def add_host_file(self, path, host_path, perm=None):
        st = os.stat(host_path)
        with open(host_path, "rb") as f:
            data = f.read()
        self.add_file(path, data, stat.S_IMODE(st.st_mode) if perm is None else perm, host_path)

    def add_tree(self, dest, root):
        """Copies the tree at 'root' to 'dest', keeping modes and symlinks."""
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames.sort()
            rel = os.path.relpath(dirpath, root)
            base = norm(os.path.join(dest, rel)) if rel != "." else norm(dest)
            if base:
                self.add_dir(base, stat.S_IMODE(os.lstat(dirpath).st_mode))
            for name in sorted(dirnames + filenames):
                host = os.path.join(dirpath, name)
                path = f"{base}/{name}" if base else name
                st = os.lstat(host)
                if stat.S_ISLNK(st.st_mode):
                    self.add_symlink(path, os.readlink(host))
                    if name in dirnames:
                        dirnames.remove(name)   # os.walk would not descend anyway
                elif stat.S_ISREG(st.st_mode):
                    self.add_host_file(path, host)
                elif not stat.S_ISDIR(st.st_mode):
                    print(f"mkinitramfs: {host}: not a file, directory or symlink; skipped",
                          file=sys.stderr)


def norm(path):
    parts = [p for p in path.split("/") if p not in ("", ".")]
    if ".." in parts:
        raise SystemExit(f"mkinitramfs: '{path}': '..' is not allowed in archive paths")
    return "/".join(parts)


def busybox_applets(busybox):
    """The applet paths BusyBox installs, e.g. 'bin/ls', 'usr/bin/awk'."""
    try:
        out = subprocess.run([busybox, "--list-full"], check=True, capture_output=True,
                             text=True).stdout
    except (OSError, subprocess.CalledProcessError) as e:
        raise SystemExit(f"mkinitramfs: cannot list the applets of {busybox}: {e}")
    applets = sorted({norm(line.strip()) for line in out.splitlines() if line.strip()})
    if not applets:
        raise SystemExit(f"mkinitramfs: {busybox} --list-full listed no applets")
    return applets


def build(args):
    img = Image()
    for path, perm in BASE_DIRS.items():
        img.add_dir(path, perm)
    img.add_host_file("bin/busybox", args.busybox, 0o755)
    for applet in busybox_applets(args.busybox):
        if applet != "bin/busybox":
            img.add_symlink(applet, "/bin/busybox")
    img.add_file("init", INIT.encode(), 0o755)
    img.add_file("etc/passwd", PASSWD.encode())
    img.add_file("etc/group", GROUP.encode())
    if args.tests:
        img.add_tree(TESTS_DIR, args.tests)
    if args.init_script:
        img.add_host_file(SCRIPT_PATH, args.init_script, 0o755)
    for extra in args.extra:
        img.add_tree("", extra)
    return img


# ------------------------------------------------------------ cpio "newc"
NEWC_MAGIC = b"070701"
TRAILER = "TRAILER!!!"


def pad4(n):
    return (4 - n % 4) % 4


def newc_member(name, mode, data, ino, nlink, mtime):
    """One header + name + data, each padded to a multiple of 4 bytes."""
    bname = name.encode() + b"\0"
    fields = (ino, mode, 0, 0, nlink, mtime, len(data), 0, 0, 0, 0, len(bname), 0)
    header = NEWC_MAGIC + b"".join(b"%08X" % f for f in fields)
    assert len(header) == 110
    return (header + bname + b"\0" * pad4(len(header) + len(bname))
            + data + b"\0" * pad4(len(data)))


def newc_archive(img, mtime):
    out = []
    for ino, path in enumerate(sorted(img.entries), start=1):
        e = img.entries[path]
        nlink = 2 if e.kind == stat.S_IFDIR else 1
        data = b"" if e.kind == stat.S_IFDIR else e.data
        out.append(newc_member(path, e.mode, data, ino, nlink, mtime))
    out.append(newc_member(TRAILER, 0, b"", 0, 1, 0))
    return b"".join(out)


def newc_read(blob):
    """Parses an archive strictly: yields (name, mode, data) up to the
    trailer. Raises ValueError on anything malformed."""
    off = 0
    while True:
        if off + 110 > len(blob):
            raise ValueError(f"offset {off}: truncated header")
        h = blob[off:off + 110]
        if h[:6] != NEWC_MAGIC:
            raise ValueError(f"offset {off}: bad magic {h[:6]!r}")
        try:
            f = [int(h[6 + 8 * i:14 + 8 * i], 16) for i in range(13)]
        except ValueError:
            raise ValueError(f"offset {off}: header field is not hex")
        mode, size, namesize = f[1], f[6], f[11]
        name_end = off + 110 + namesize
        if namesize == 0 or name_end > len(blob) or blob[name_end - 1] != 0:
            raise ValueError(f"offset {off}: bad name")
        name = blob[off + 110:name_end - 1].decode()
        data_off = name_end + pad4(110 + namesize)
        if data_off + size > len(blob):
            raise ValueError(f"offset {off}: {name}: data runs past the end")
        if name == TRAILER:
            return
        yield name, mode, blob[data_off:data_off + size]
        off = data_off + size + pad4(size)


# ------------------------------------------------------------------ main
def inputs(args):
    """What the archive is made from, one line per host file: make compares
    this list between runs and rebuilds when it changes."""
    lines = [f"tool {os.path.abspath(__file__)}", f"options {vars(args)!r}"]
    paths = [args.busybox] + ([args.init_script] if args.init_script else [])
    for root in ([args.tests] if args.tests else []) + args.extra:
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames.sort()
            paths.append(dirpath)
            paths += [os.path.join(dirpath, n) for n in sorted(dirnames + filenames)]
    for p in paths:
        try:
            st = os.lstat(p)
        except OSError as e:
            lines.append(f"missing {p!r} {e.strerror}")
            continue
        link = os.readlink(p) if stat.S_ISLNK(st.st_mode) else ""
        size_time = "" if stat.S_ISDIR(st.st_mode) else f"{st.st_size} {st.st_mtime_ns}"
        lines.append(f"{p!r} {st.st_mode:o} {size_time} {link!r}")
    return "\n".join(lines) + "\n"


def list_archive(path):
    with open(path, "rb") as f:
        blob = f.read()
    for name, mode, data in newc_read(blob):
        kind = stat.filemode(mode)
        extra = f" -> {data.decode()}" if stat.S_ISLNK(mode) else ""
        size = "" if stat.S_ISDIR(mode) else f" {len(data)}"
        print(f"{kind}{size} /{name}{extra}")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-o", "--output", help="the archive to write")
    ap.add_argument("--busybox", default="/bin/busybox",
                    help="the static BusyBox to install as /bin/busybox (default %(default)s)")
    ap.add_argument("--init-script", help="the job: installed as /script, run by /init")
    ap.add_argument("--tests", help=f"directory of test programs, installed as /{TESTS_DIR}")
    ap.add_argument("--extra", action="append", default=[],
                    help="a tree copied over the root, modes and symlinks kept (repeatable)")
    ap.add_argument("--mtime", type=int,
                    default=int(os.environ.get("SOURCE_DATE_EPOCH", "0")),
                    help="mtime of every entry (default: SOURCE_DATE_EPOCH or 0)")
    ap.add_argument("--inputs", action="store_true",
                    help="print the input files and their state instead of building")
    ap.add_argument("--list", metavar="ARCHIVE", help="print the entries of an archive")
    args = ap.parse_args(argv)

    if args.list:
        try:
            list_archive(args.list)
        except (OSError, ValueError) as e:
            raise SystemExit(f"mkinitramfs: {args.list}: {e}")
        return 0
    for what, path in (("--init-script", args.init_script), ("--busybox", args.busybox)):
        if path and not os.path.isfile(path):
            raise SystemExit(f"mkinitramfs: {what} {path}: no such file")
    for what, path in [("--tests", args.tests)] + [("--extra", e) for e in args.extra]:
        if path and not os.path.isdir(path):
            raise SystemExit(f"mkinitramfs: {what} {path}: no such directory")
    if args.inputs:
        sys.stdout.write(inputs(args))
        return 0
    if not args.output:
        ap.error("-o is required")

    blob = newc_archive(build(args), args.mtime)
    tmp = args.output + ".tmp"
    with open(tmp, "wb") as f:
        f.write(blob)
    os.replace(tmp, args.output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
