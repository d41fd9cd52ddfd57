"""Set-up from a bare machine: the Debian packages are checked (and, as
root, installed) before anything else make does, the generator included.

Nothing is uninstalled: each test copies the committed tree into a fresh
directory (no gen/, no build/) and runs make there with a stand-in for the
package checker and for Python, which only log that they ran.
"""
import os
import shutil
import subprocess

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def fresh_tree(tmp_path):
    """The committed files (and the working copy's edits) without gen/ or build/."""
    tree = tmp_path / "kevlar"
    files = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                           cwd=ROOT, check=True, capture_output=True).stdout.split(b"\0")
    for f in filter(None, files):
        src = os.path.join(ROOT, os.fsdecode(f))
        if not os.path.isfile(src):
            continue
        dst = tree / os.fsdecode(f)
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, dst)
    return tree


def stand_in(path, line, status, log):
    path.write_text(f"#!/bin/sh\necho {line} >> {log}\nexit {status}\n")
    path.chmod(0o755)
    return str(path)


def clean_env(**extra):
    """A top-level make's environment: not one run from inside make test."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "KEVLAR_DEPS_CHECKED")}
    env.update(extra)
    return env


def run_make(tree, goal, deps, python, env=None):
    return subprocess.run(["make", "--no-print-directory", goal, f"DEPS={deps}", f"PYTHON={python}"],
                          cwd=tree, env=env or clean_env(), capture_output=True, text=True,
                          timeout=120)


@pytest.mark.parametrize("goal", ["test", "run", "bench", "all"])
def test_packages_come_before_the_generator(tmp_path, goal):
    tree = fresh_tree(tmp_path)
    log = tmp_path / "order.log"
    deps = stand_in(tmp_path / "deps", "deps", 0, log)
    python = stand_in(tmp_path / "python", "python", 1, log)
    run_make(tree, goal, deps, python)
    order = log.read_text().split()
    assert order, "neither the package check nor Python ran"
    assert order[0] == "deps", f"make {goal} ran {order[0]} before the package check: {order}"
    assert order.count("deps") == 1, f"the package check ran {order.count('deps')} times"


def test_missing_packages_stop_make_before_anything_runs(tmp_path):
    tree = fresh_tree(tmp_path)
    log = tmp_path / "order.log"
    deps = stand_in(tmp_path / "deps", "deps", 1, log)
    python = stand_in(tmp_path / "python", "python", 0, log)
    r = run_make(tree, "test", deps, python)
    assert r.returncode != 0
    assert log.read_text().split() == ["deps"]
    assert "Debian packages" in r.stderr


def test_goals_that_need_nothing_installed_skip_the_check(tmp_path):
    tree = fresh_tree(tmp_path)
    log = tmp_path / "order.log"
    deps = stand_in(tmp_path / "deps", "deps", 1, log)
    python = stand_in(tmp_path / "python", "python", 1, log)
    for goal in ("help", "clean", "distclean"):
        r = run_make(tree, goal, deps, python)
        assert r.returncode == 0, (goal, r.stderr)
    assert not log.exists()


def test_a_user_is_told_the_apt_get_line(tmp_path):
    """Not root and packages missing: deps.sh names every one of them in
    one apt-get line and fails, before make generates anything."""
    tree = fresh_tree(tmp_path)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    # A machine on which nothing is installed and the user is not root.
    (bin_dir / "dpkg-query").write_text("#!/bin/sh\nexit 1\n")
    (bin_dir / "id").write_text("#!/bin/sh\necho 1000\n")
    for f in bin_dir.iterdir():
        f.chmod(0o755)
    log = tmp_path / "order.log"
    python = stand_in(tmp_path / "python", "python", 1, log)
    env = clean_env(PATH=f"{bin_dir}:{os.environ['PATH']}")
    r = subprocess.run(["make", "--no-print-directory", "test", f"PYTHON={python}"],
                       cwd=tree, env=env, capture_output=True, text=True, timeout=120)
    assert r.returncode != 0
    assert not log.exists(), "the generator ran although packages are missing"
    line = [l for l in r.stderr.splitlines() if "apt-get install" in l]
    assert len(line) == 1, r.stderr
    named = set(line[0].split("apt-get install -y", 1)[1].split())
    listed = open(os.path.join(ROOT, "tools/deps.sh")).read().split('PACKAGES="', 1)[1].split('"', 1)[0].split()
    assert named == set(listed)
    for needed in ("gcc", "libc6-dev", "linux-libc-dev", "python3", "python3-jinja2", "qemu-system-x86"):
        assert needed in named
