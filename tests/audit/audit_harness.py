"""Shared by the capability audit tests: building kernels, running the tool."""

import json
import os
import subprocess

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
TOOL_DIR = os.path.join(ROOT, "tools", "capaudit")
TOOL = os.path.join(TOOL_DIR, "capaudit.py")
PYTHON = "/usr/bin/python3"
# A make that runs these tests must not hand its jobserver or its command
# line variables to the makes the tests start.
MAKE_ENV = {k: v for k, v in os.environ.items()
            if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES", "GNUMAKEFLAGS")}


def make(*args, root=ROOT, check=True):
    res = subprocess.run(["make", "-C", root, "--no-print-directory", f"-j{os.cpu_count() or 1}"]
                         + list(args), capture_output=True, text=True, env=MAKE_ENV)
    if check and res.returncode != 0:
        raise AssertionError(f"make {' '.join(args)} failed:\n{res.stdout}\n{res.stderr}")
    return res


def build(profile, ktest=False, root=ROOT):
    make(f"PROFILE={profile}", f"KTEST={1 if ktest else 0}", "kernel", root=root)


def capaudit(*args, root=ROOT):
    """Runs the tool as the build does; returns the CompletedProcess."""
    return subprocess.run([PYTHON, TOOL] + list(args), cwd=root, capture_output=True,
                          text=True, env=MAKE_ENV)


def report(variant, fmt="json", *extra):
    res = capaudit("report", "--variant", variant, "--format", fmt, *extra)
    assert res.returncode in (0, 1), res.stderr
    return res


def report_json(variant, *extra):
    res = report(variant, "json", *extra)
    return res.returncode, json.loads(res.stdout)


def service(rep, name):
    return next(s for s in rep["services"] if s["name"] == name)


def calls(svc):
    return {f"{c['interface']}.{c['operation']}" for c in svc["guarded_calls"]}
