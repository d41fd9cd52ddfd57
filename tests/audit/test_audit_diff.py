"""audit-diff: BASE built in a temporary worktree, compared with a tree
that changed the IDL."""

import json
import os
import re
import subprocess

import pytest

import audit_harness as h


def git(*args, cwd=h.ROOT):
    return subprocess.run(["git"] + list(args), cwd=cwd, capture_output=True, text=True,
                          check=True).stdout


def audit_worktrees():
    return [ln for ln in git("worktree", "list", "--porcelain").splitlines()
            if ln.startswith("worktree ") and "kevlar-audit-base-" in ln]


@pytest.fixture
def tree(tmp_path):
    """A worktree of HEAD of its own, removed afterwards."""
    path = tmp_path / "tree"
    git("worktree", "add", "--detach", "--quiet", str(path), "HEAD")
    try:
        yield path
    finally:
        subprocess.run(["git", "worktree", "remove", "--force", str(path)], cwd=h.ROOT,
                       capture_output=True)
        subprocess.run(["git", "worktree", "prune"], cwd=h.ROOT, capture_output=True)


def diff(tree, *extra):
    before = audit_worktrees()
    res = h.capaudit("diff", "--root", str(tree), "--base", "HEAD", "--profile", "fortress",
                     *extra)
    assert res.returncode == 0, res.stderr
    # The BASE worktree is gone again, and so is its directory.
    assert audit_worktrees() == before
    made = re.search(r"building BASE \S+ \(\w+\) in (\S+)", res.stderr)
    assert made and not os.path.exists(made.group(1))
    return res.stdout


def test_same_tree_is_no_change(tree):
    assert "no change in the capability surface" in diff(tree)


def test_granting_a_capability_shows(tree):
    idl = tree / "idl" / "services.idl"
    text = idl.read_text()
    klog = re.search(r"service klog \{.*?\}", text, re.S).group(0)
    assert "holds Heap, Console;" in klog
    text = text.replace(klog, klog.replace("holds Heap, Console;", "holds Heap, Console, Probe;"))
    idl.write_text(text + "\n/// Granted by the audit-diff test.\ncapability Probe;\n")

    out = diff(tree)
    assert "no change" not in out
    assert re.search(r"^  klog:\n    \+ token granted: Probe$", out, re.M)
    assert "over-privilege: holds Probe but never uses it" in out

    res = h.capaudit("diff", "--root", str(tree), "--base", "HEAD", "--profile", "fortress",
                     "--format", "json", "--no-build")
    data = json.loads(res.stdout)
    assert data["identical"] is False
    assert {"kind": "token-granted", "subject": "klog", "detail": "Probe"} in data["changes"]
    assert h.service(data["new"], "klog")["holds"] == ["Console", "Heap", "Probe"]
    assert h.service(data["base"], "klog")["holds"] == ["Console", "Heap"]


def test_bad_ref_is_status_2():
    res = h.capaudit("diff", "--base", "no-such-ref-anywhere", "--profile", "fortress",
                     "--no-build")
    assert res.returncode == 2
    assert "not a commit" in res.stderr
