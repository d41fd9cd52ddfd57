#!/usr/bin/python3
"""Copy host programs with the shared libraries they need into a tree for
ROOTFS_EXTRA=, so that a dynamically linked program runs in Kevlar as it
runs here.

  rootfs-programs.py [--bindir DIR] DEST PROGRAM...

Each PROGRAM (a path, or a name looked up in PATH) goes to the same path
under DEST, or into DIR (a guest path such as /opt/host/bin) with
--bindir, so as not to replace BusyBox's applets of the same name; its ELF interpreter and every library the interpreter would
load (what `ldd` prints: glibc's loader answers with --list, musl's with
`ldd` as its name) go under DEST at the paths the loader asked for, so
that the default search path finds them without an ld.so.cache. Files are
copied with their contents, never as symlinks into the host, and keep
their modes; the names are the names the loader uses (the sonames and the
interpreter path from PT_INTERP), and directories made on the way are
plain directories (Debian's /lib -> usr/lib is not reproduced).

Prints what it copied, one path per line; exits 1 if a program or a
library cannot be found.
"""
import os
import shutil
import subprocess
import sys

ELF_MAGIC = b"\x7fELF"
PT_INTERP = 3


def interpreter(path):
    """The PT_INTERP path of an ELF64 little-endian file, or None."""
    with open(path, "rb") as f:
        head = f.read(64)
        if head[:4] != ELF_MAGIC or head[4] != 2 or head[5] != 1:
            return None
        phoff = int.from_bytes(head[32:40], "little")
        phentsize = int.from_bytes(head[54:56], "little")
        phnum = int.from_bytes(head[56:58], "little")
        for i in range(phnum):
            f.seek(phoff + i * phentsize)
            ph = f.read(56)
            if int.from_bytes(ph[0:4], "little") == PT_INTERP:
                offset = int.from_bytes(ph[8:16], "little")
                size = int.from_bytes(ph[32:40], "little")
                f.seek(offset)
                return f.read(size).rstrip(b"\0").decode()
    return None


def needed_libraries(program, interp):
    """(name the loader uses, host file) for every library program needs,
    as the interpreter itself resolves them."""
    if "ld-musl" in os.path.basename(interp):
        cmd, exe = ["ldd", program], interp    # musl's loader is ldd by that name
    else:
        cmd, exe = [interp, "--list", program], None
    proc = subprocess.run(cmd, executable=exe, capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"rootfs-programs: {' '.join(cmd)}: {proc.stderr.strip()}")
    libs = []
    for line in proc.stdout.splitlines():
        words = line.split()
        if "=>" in words:
            name, target = words[0], words[words.index("=>") + 1]
            if target == "not":
                raise SystemExit(f"rootfs-programs: {program}: {name} not found")
            if target.startswith("/") and not os.path.samefile(target, interp):
                libs.append((target, target))
    return libs


def copy_file(src, dest_root, guest_path, copied):
    """Copies src's contents (following symlinks) to guest_path under
    dest_root, once."""
    if guest_path in copied:
        return
    dest = os.path.join(dest_root, guest_path.lstrip("/"))
    os.makedirs(os.path.dirname(dest), exist_ok=True)
    if os.path.lexists(dest):
        os.unlink(dest)
    shutil.copyfile(src, dest)
    os.chmod(dest, os.stat(src).st_mode & 0o7777)
    copied.append(guest_path)


def find_program(name):
    if "/" in name:
        return os.path.abspath(name)
    found = shutil.which(name)
    if not found:
        raise SystemExit(f"rootfs-programs: {name}: not found in PATH")
    return found


def collect(dest, programs, bindir=None):
    copied = []
    for name in programs:
        program = find_program(name)
        if not os.path.isfile(program):
            raise SystemExit(f"rootfs-programs: {program}: no such file")
        guest = os.path.join(bindir, os.path.basename(program)) if bindir else program
        copy_file(program, dest, guest, copied)
        interp = interpreter(program)
        if interp is None:
            continue
        copy_file(interp, dest, interp, copied)
        for guest_path, host_file in needed_libraries(program, interp):
            copy_file(host_file, dest, guest_path, copied)
    return copied


def main(argv):
    bindir = None
    args = argv[1:]
    if args[:1] == ["--bindir"] and len(args) > 1:
        bindir, args = args[1], args[2:]
    if len(args) < 2 or args[0].startswith("-") or (bindir and not bindir.startswith("/")):
        print("usage: rootfs-programs.py [--bindir /DIR] DEST PROGRAM...", file=sys.stderr)
        return 2
    for path in collect(args[0], args[1:], bindir):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
