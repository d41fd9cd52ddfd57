"""Runs the generated system-call dispatcher and tracer on the host.

tests/idl/host/syscall_host.c fakes Ring 0 (printk, the user-copy
routines) and Core (sys_*, syscall_trace_pid) and makes a series of calls
through syscall_invoke(); what it prints is compared line by line with
what strace would print, plus the -ENOSYS reports and, in every profile
but ludicrous, the -EFAULT that access_ok() gives before the call.
"""

import os
import shutil
import subprocess

import pytest

from idl_harness import FIXTURES, HERE, PROFILES, STUBS, run_idlc

GCC = shutil.which("gcc")
pytestmark = pytest.mark.skipif(GCC is None, reason="gcc is not installed")
HOST = os.path.join(HERE, "host", "syscall_host.c")

TRACE = r'''
12 openat(AT_FDCWD, "/etc/passwd", O_RDONLY|O_CLOEXEC) = 3
12 open("/tmp/x", O_WRONLY|O_CREAT|O_TRUNC, 0644) = 3
12 write(1, "hello\n", 6) = 6
12 write(1, "01234567890123456789012345678901"..., 40) = 40
12 write(2, "say \"hi\"\\ \t\r\v\f\177\200", 16) = 16
12 read(3, 0x7ffd1234, 4096) = -1 ENOENT (No such file or directory)
12 read(4, "root:x:0:0\n", 100) = 11
12 read(5, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"..., 100) = 40
12 getrandom("\0001\1x\377", 5, 0x1) = 5
12 lseek(3, 10, SEEK_END) = 10
12 lseek(3, 0, 7) = 0
12 mmap(NULL, 4096, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f0000000000
12 mmap(0x1000, 8192, PROT_NONE, MAP_SHARED|MAP_FIXED|0x40000000, 3, 4096) = 0x1000
12 open("/tmp/x", 0x3) = 3
12 open("/tmp/x", O_WRONLY|O_SYNC) = 3
12 open("/tmp/x", O_RDONLY|O_DSYNC) = 3
12 open("/tmp", O_RDWR|O_TMPFILE, 0600) = 3
12 open("/", O_RDONLY|O_DIRECTORY) = 3
12 open("/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"..., O_RDONLY) = 3
12 open(NULL, O_RDONLY) = 3
12 open(0x1000, O_RDONLY) = -1 EFAULT (Bad address)
12 openat(-5, "x", O_RDONLY) = 3
12 clock_gettime(CLOCK_MONOTONIC, 0x7ffd0010) = 0
12 clock_gettime(CLOCK_BOGUS, 0x7ffd0010) = 0
12 clock_gettime(99, 0x7ffd0010) = -1 EINVAL (Invalid argument)
12 getpid() = 12
12 getdents64(7, 0x7ffd0000, 100) = -1 300 (Unknown error 300)
12 getdents64(8, 0x7ffd0000, 100) = -5000
syscall: 300 not implemented (-ENOSYS)
12 syscall_300(0x1, 0x2, 0x3, 0x4, 0x5, 0x6) = -1 ENOSYS (Function not implemented)
12 syscall_300(0x1, 0x2, 0x3, 0x4, 0x5, 0x6) = -1 ENOSYS (Function not implemented)
syscall: 7 (poll) not implemented (-ENOSYS)
12 poll(0x7ffd0000, 1, -1) = -1 ENOSYS (Function not implemented)
12 poll(0x7ffd0000, 1, -1) = -1 ENOSYS (Function not implemented)
syscall: 1000 not implemented (-ENOSYS)
12 syscall_1000(0x0, 0x0, 0x0, 0x0, 0x0, 0x0) = -1 ENOSYS (Function not implemented)
12 syscall_2000(0x0, 0x0, 0x0, 0x0, 0x0, 0x0) = -1 ENOSYS (Function not implemented)
'''

CHECKED = r'''
12 fstat(1, 0xffff800000000000) = -1 EFAULT (Bad address)
12 writev(1, 0x7ffd0000, -1) = -1 EFAULT (Bad address)
12 read(0, 0x7fffffffeff6, 100) = -1 EFAULT (Bad address)
'''

UNCHECKED = r'''
12 fstat(1, 0xffff800000000000) = 0
12 writev(1, 0x7ffd0000, -1) = -1 EINVAL (Invalid argument)
12 read(0, 0x7fffffffeff6, 100) = -1 EBADF (Bad file descriptor)
'''

END = r'''
12 exit_group(0) = ?
sys_exit_group(0) ran
-- untraced
write = 6
fstat = {fstat}
syscall: 301 not implemented (-ENOSYS)
unknown = -38
unknown = -38
syscall: 302 (prlimit64) not implemented (-ENOSYS)
pending = -38
sys_exit(3) ran
'''


def expected(profile):
    checked = profile != "ludicrous"
    text = TRACE + (CHECKED if checked else UNCHECKED) + END.format(fstat=-14 if checked else 0)
    return [line for line in text.split("\n") if line]


@pytest.mark.parametrize("profile", PROFILES)
def test_dispatcher_and_tracer(tmp_path, profile):
    out = tmp_path / "gen"
    assert run_idlc(["--profile", profile, "--out", out, *FIXTURES]) == 0
    exe = tmp_path / "syscall_host"
    r = subprocess.run([GCC, "-std=gnu11", "-O1", "-Wall", "-Wextra", "-Werror",
                        f"-I{STUBS}", f"-I{out}/include", str(out / "syscalls.c"),
                        str(out / "syscall_trace.c"), HOST, "-o", str(exe)],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    run = subprocess.run([str(exe)], capture_output=True, text=True, timeout=10)
    assert run.returncode == 0, run.stderr
    got = run.stdout.split("\n")
    assert got[-1] == "", "the last line has no newline"
    want = expected(profile)
    for i, (g, w) in enumerate(zip(got, want)):
        assert g == w, f"line {i + 1}: got {g!r}, want {w!r}"
    assert got[:-1] == want
