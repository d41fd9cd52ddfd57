"""Shared by the idlc tests: where things are, and running idlc in-process."""

import os
import subprocess
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
IDLC_DIR = os.path.join(ROOT, "tools", "idlc")
IDLC = os.path.join(IDLC_DIR, "idlc.py")
HERE = os.path.dirname(os.path.abspath(__file__))
STUBS = os.path.join(HERE, "stubs")
GOLDEN = os.path.join(HERE, "golden")
PYTHON = "/usr/bin/python3"
PROFILES = ("fortress", "balanced", "performance", "ludicrous")
# Relative to ROOT, as the build passes them.
FIXTURES = ["tests/idl/fixtures/abi.idl", "tests/idl/fixtures/base.idl",
            "tests/idl/fixtures/services.idl", "tests/idl/fixtures/syscalls.idl"]
REAL_IDL = sorted(os.path.join("idl", n) for n in os.listdir(os.path.join(ROOT, "idl"))
                  if n.endswith(".idl"))

sys.path.insert(0, IDLC_DIR)
import idlc  # noqa: E402


def run_idlc(args, cwd=ROOT):
    """Runs idlc's main() in this process, from cwd; returns its status."""
    old = os.getcwd()
    os.chdir(cwd)
    try:
        return idlc.main([str(a) for a in args])
    finally:
        os.chdir(old)


def run_idlc_process(args, cwd=ROOT):
    """Runs idlc as the build does: a separate process."""
    return subprocess.run([PYTHON, IDLC] + [str(a) for a in args], cwd=cwd,
                          capture_output=True, text=True)


def snapshot(top, with_times=False):
    """{relative path: bytes (, mtime_ns)} of every file below top."""
    result = {}
    for dirpath, _, files in os.walk(top):
        for name in files:
            path = os.path.join(dirpath, name)
            rel = os.path.relpath(path, top)
            with open(path, "rb") as f:
                data = f.read()
            result[rel] = (data, os.stat(path).st_mtime_ns) if with_times else data
    return result
