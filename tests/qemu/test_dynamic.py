"""Dynamically linked programs in Kevlar print what they print on Linux.

Debian's own glibc programs (ls, cat, env, sort, bash) are copied from the
host with their interpreter and shared libraries (tools/rootfs-programs.py)
into /opt/host/bin, next to two musl programs built here with musl-gcc
(not -static: their interpreter is /lib/ld-musl-x86_64.so.1), one of which
needs a shared library of its own. dynamic/run-dynamic.sh runs each case
in one boot per profile, and the same driver runs the same copies on the
host under BusyBox's sh with a PATH of the programs and BusyBox applets;
the outputs must match case by case.
"""
import functools
import os
import re
import shutil
import subprocess
import tempfile

import pytest

from kevlar_qemu import (INIT_EXIT, NO_INIT_STATUS, PROFILES, ROOT, run_job, sections,
                         user_lines, userspace_enabled)

BUSYBOX = "/bin/busybox"
HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.join(HERE, "dynamic")
DRIVER = os.path.join(SRC, "run-dynamic.sh")
COLLECT = os.path.join(ROOT, "tools", "rootfs-programs.py")
GLIBC_PROGRAMS = ("/bin/ls", "/bin/cat", "/usr/bin/env", "/usr/bin/sort", "/bin/bash")
GUEST_BIN = "/opt/host/bin"
GUEST_DRIVER_DIR = "/usr/share/kevlar-tests/dynamic"
GUEST_WORK = "/tmp/kevlar-dyn"
CASES = ("ls", "cat", "env", "sort", "bash", "musl", "loader")
BEGIN = r"=== begin (?P<name>\S+)"
END = r"=== end (?P<name>\S+): status (?P<status>\d+)"
MUSL_LOADER = "/lib/ld-musl-x86_64.so.1"

needs_userspace = pytest.mark.skipif(
    not userspace_enabled(), reason="needs user space in Kevlar: KEVLAR_USERSPACE_TESTS=1")


def interpreter_of(path):
    out = subprocess.run(["readelf", "-l", path], check=True, capture_output=True,
                         text=True).stdout
    m = re.search(r"Requesting program interpreter: (\S+)\]", out)
    return m.group(1) if m else None


def build_tree(root):
    """The programs and everything they load under root (a ROOTFS_EXTRA
    tree); returns the host path of its bin directory."""
    subprocess.run([COLLECT, "--bindir", GUEST_BIN, root] + list(GLIBC_PROGRAMS),
                   check=True, capture_output=True)
    bindir = os.path.join(root, GUEST_BIN.lstrip("/"))
    libdir = os.path.join(os.path.dirname(bindir), "lib")
    os.makedirs(libdir, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="kevlar-musl-") as tmp:
        def cc(*args):
            subprocess.run(["musl-gcc", "-O2", "-Wall", "-Werror"] + list(args), check=True,
                           cwd=tmp)
        cc("-shared", "-fPIC", "-o", "libgreet.so", os.path.join(SRC, "libgreet.c"))
        cc("-o", "musl-hello", os.path.join(SRC, "musl-hello.c"))
        cc("-o", "musl-greet", os.path.join(SRC, "musl-greet.c"), "-L.", "-lgreet")
        subprocess.run([COLLECT, "--bindir", GUEST_BIN, root, os.path.join(tmp, "musl-hello")],
                       check=True, capture_output=True)
        # Its library is found through LD_LIBRARY_PATH, which the
        # collector does not follow: copied by hand.
        shutil.copy(os.path.join(tmp, "libgreet.so"), libdir)
        shutil.copy(os.path.join(tmp, "musl-greet"), bindir)
    return bindir


def normalize(text, work, bindir):
    return text.replace(work, GUEST_WORK).replace(bindir, GUEST_BIN)


def run_on_host(cases=CASES):
    """The driver on the host, with the same copies: (status, output)."""
    with tempfile.TemporaryDirectory(prefix="kevlar-dyn-host-") as tmp:
        bindir = build_tree(os.path.join(tmp, "root"))
        bbdir = os.path.join(tmp, "busybox")
        os.mkdir(bbdir)
        applets = subprocess.run([BUSYBOX, "--list"], check=True, capture_output=True,
                                 text=True).stdout.split()
        for applet in applets:
            os.symlink(BUSYBOX, os.path.join(bbdir, applet))
        work = os.path.join(tmp, "work")
        env = {"PATH": bbdir, "HOME": "/root", "TERM": "vt100"}
        proc = subprocess.run([BUSYBOX, "sh", DRIVER, bindir, work] + list(cases), cwd=tmp,
                              env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, timeout=120)
        return proc.returncode, normalize(proc.stdout.decode("utf-8", "replace"), work, bindir)


@functools.lru_cache(maxsize=None)
def host_run():
    status, out = run_on_host(CASES + ("auxv",))
    return status, sections(out.splitlines(), BEGIN, END), out


@functools.lru_cache(maxsize=None)
def guest_run(profile):
    with tempfile.TemporaryDirectory(prefix="kevlar-dyn-extra-") as extra:
        build_tree(extra)
        dest = os.path.join(extra, GUEST_DRIVER_DIR.lstrip("/"))
        os.makedirs(dest)
        shutil.copy(DRIVER, dest)
        job = (f"sh {GUEST_DRIVER_DIR}/run-dynamic.sh {GUEST_BIN} {GUEST_WORK} "
               f"{' '.join(CASES)} auxv\n")
        run = run_job(profile, job, extra=[extra], tests=False, timeout=600)
    return run, sections(user_lines(run.output), BEGIN, END)


def tail(text, n=40):
    return "\n".join(text.splitlines()[-n:])


def test_the_tree_holds_every_loader_and_library():
    """The collector copies each program's interpreter and libraries to
    the paths the loader asks for, as files, not links into the host."""
    with tempfile.TemporaryDirectory(prefix="kevlar-dyn-tree-") as tmp:
        bindir = build_tree(tmp)
        for prog in GLIBC_PROGRAMS + ("musl-hello", "musl-greet"):
            path = os.path.join(bindir, os.path.basename(prog))
            assert os.path.isfile(path) and not os.path.islink(path), path
            interp = interpreter_of(path)
            assert interp, f"{prog} is not dynamically linked"
            assert os.path.isfile(os.path.join(tmp, interp.lstrip("/"))), interp
        assert interpreter_of(os.path.join(bindir, "musl-hello")) == MUSL_LOADER
        for lib in ("libc.so.6", "libselinux.so.1", "libpcre2-8.so.0", "libtinfo.so.6"):
            found = [d for d, _, files in os.walk(tmp) if lib in files]
            assert found, f"{lib} missing from the tree"
        for d, _, files in os.walk(tmp):
            for f in files:
                assert not os.path.islink(os.path.join(d, f)), os.path.join(d, f)


def test_the_collector_refuses_a_missing_program():
    with tempfile.TemporaryDirectory(prefix="kevlar-dyn-tree-") as tmp:
        proc = subprocess.run([COLLECT, tmp, "/no/such/program"], capture_output=True,
                              text=True)
        assert proc.returncode != 0 and "no such file" in proc.stderr


def test_host_runs_are_deterministic():
    first, second = run_on_host(), run_on_host()
    assert first == second
    status, secs, out = host_run()
    assert sorted(secs) == sorted(CASES + ("auxv",)), out
    assert all(st is not None for _, st in secs.values()), out
    for name in CASES:
        assert secs[name][0], f"case {name} printed nothing on the host"


@needs_userspace
@pytest.mark.parametrize("profile", PROFILES)
def test_every_case_finishes(profile):
    run, guest = guest_run(profile)
    assert INIT_EXIT.search(run.output), "init never reported its status:\n" + tail(run.output)
    assert run.status != NO_INIT_STATUS
    assert "kernel fault" not in run.output and "Kernel panic" not in run.output, \
        tail(run.output, 80)
    unfinished = [name for name, (_, st) in guest.items() if st is None]
    assert not unfinished, f"stopped inside {unfinished}:\n" + tail(run.output)
    assert sorted(guest) == sorted(CASES + ("auxv",))


@needs_userspace
@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("profile", PROFILES)
def test_output_matches_the_host(profile, case):
    _, host, _ = host_run()
    run, guest = guest_run(profile)
    assert case in guest, f"{case} never started in Kevlar:\n" + tail(run.output)
    g_lines, g_status = guest[case]
    h_lines, h_status = host[case]
    assert "\n".join(g_lines) == "\n".join(h_lines)
    assert g_status == h_status


@needs_userspace
@pytest.mark.parametrize("profile", PROFILES)
def test_auxiliary_vector(profile):
    """What glibc's loader was given: every entry Linux gives (but the vDSO
    and rseq ones), with values that make sense."""
    run, guest = guest_run(profile)
    lines, status = guest.get("auxv", ([], None))
    assert status == 0, tail(run.output)
    aux = {}
    for line in lines:
        key, _, value = line.partition(":")
        aux[key.strip()] = value.strip()
    for key in ("AT_MINSIGSTKSZ", "AT_HWCAP", "AT_PAGESZ", "AT_CLKTCK", "AT_PHDR",
                "AT_PHENT", "AT_PHNUM", "AT_BASE", "AT_FLAGS", "AT_ENTRY", "AT_UID",
                "AT_EUID", "AT_GID", "AT_EGID", "AT_SECURE", "AT_RANDOM", "AT_HWCAP2",
                "AT_EXECFN", "AT_PLATFORM"):
        assert key in aux, f"{key} missing: {aux}"
    assert aux["AT_PAGESZ"] == "4096"
    assert aux["AT_CLKTCK"] == "100"
    assert aux["AT_PHENT"] == "56"
    assert aux["AT_PLATFORM"] == "x86_64"
    assert aux["AT_EXECFN"] == f"{GUEST_BIN}/cat"
    assert aux["AT_SECURE"] == "0" and aux["AT_UID"] == "0"
    hwcap = int(aux["AT_HWCAP"], 16)
    assert hwcap & 1 and hwcap & (1 << 25) and hwcap & (1 << 26), "no FPU, SSE or SSE2"
    assert int(aux["AT_BASE"], 16) != 0, "the interpreter's base"
    assert int(aux["AT_MINSIGSTKSZ"]) >= 1024
