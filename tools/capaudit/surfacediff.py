"""audit-diff: how the capability surface changed between a git ref and
the working tree.

BASE is checked out into a temporary `git worktree` under /tmp and built
there, in its own build/ and gen/, so the working tree's are never
touched; the worktree is removed afterwards, whatever happens. Both
builds are audited by *this* tool (BASE may predate it), and the two
audits compared fact by fact.
"""

import os
import shutil
import signal
import subprocess
import sys
import tempfile

import audit

# Environment a nested make must not inherit from a make that runs us.
_MAKE_ENV = ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES", "GNUMAKEFLAGS")


class DiffError(Exception):
    pass


def _git(root, *args, check=True):
    res = subprocess.run(["git", "-C", root] + list(args), capture_output=True, text=True)
    if check and res.returncode != 0:
        raise DiffError(f"git {' '.join(args)}: {res.stderr.strip()}")
    return res.stdout.strip()


def variant_of(profile, ktest):
    return f"{profile}-ktest" if ktest else profile


def build(root, profile, ktest, log=sys.stderr, jobs=None):
    """Builds the kernel of one tree; returns the variant whose artifacts
    are there (an old Makefile may not know KTEST), or raises DiffError."""
    env = {k: v for k, v in os.environ.items() if k not in _MAKE_ENV}
    variant = variant_of(profile, ktest)
    jobs = jobs or os.cpu_count() or 1
    base = ["make", "-C", root, "--no-print-directory", f"-j{jobs}",
            f"PROFILE={profile}", f"KTEST={1 if ktest else 0}"]
    for target in (f"build/{variant}/kernel.elf", "kernel", "all"):
        res = subprocess.run(base + [target], stdout=log, stderr=log, env=env)
        if res.returncode == 0 and os.path.exists(os.path.join(root, "build", variant)):
            break
    for v in (variant, profile):
        if os.path.exists(os.path.join(root, "build", v, "kernel.elf")):
            return v
    raise DiffError(f"{root}: the {variant} kernel did not build")


def audit_tree(root, profile, ktest, log=sys.stderr, do_build=True):
    """The JSON audit of one tree (built first unless do_build is False)."""
    variant = build(root, profile, ktest, log) if do_build else variant_of(profile, ktest)
    gen, _ = audit.paths(root, variant)
    if not os.path.exists(os.path.join(gen, "manifest.json")):
        return audit.empty(profile, variant,
                           "no manifest.json: this tree predates the IDL, so it has no "
                           "declared capability surface")
    return audit.run(root, variant)


class _Stop(Exception):
    pass


def _on_signal(signum, frame):
    raise _Stop(f"stopped by signal {signum}")


def audit_ref(root, ref, profile, ktest, log=sys.stderr):
    """Builds and audits ref in a temporary worktree; always removes it."""
    sha = _git(root, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}", check=False)
    if not sha:
        raise DiffError(f"BASE={ref}: not a commit in {root}")
    tmp = tempfile.mkdtemp(prefix="kevlar-audit-base-", dir="/tmp")
    old = {s: signal.signal(s, _on_signal) for s in (signal.SIGTERM, signal.SIGHUP)}
    added = False
    try:
        _git(root, "worktree", "add", "--detach", "--quiet", tmp, sha)
        added = True
        print(f"  AUDIT   building BASE {ref} ({sha[:12]}) in {tmp}", file=log)
        report = audit_tree(tmp, profile, ktest, log)
        report["tree"] = f"{ref} ({sha[:12]})"
        return report
    finally:
        if added:
            _git(root, "worktree", "remove", "--force", tmp, check=False)
        shutil.rmtree(tmp, ignore_errors=True)
        _git(root, "worktree", "prune", check=False)
        for s, h in old.items():
            signal.signal(s, h)


# ------------------------------------------------------------------- compare
def _facts(report):
    svcs = {}
    for s in report["services"]:
        svcs[s["name"]] = {
            "holds": set(s["holds"]),
            "provides": set(s["provides"]),
            "calls": {f"{c['interface']}.{c['operation']}": c["guard"]
                      for c in s["guarded_calls"] if c.get("evidence") != "source-only"},
            "unguarded": {u["interface"] for u in s["unguarded_calls"]},
            "unused": set(s["unused_tokens"]),
            "test_only": s["test_only"],
        }
    guards = {f"{g['interface']}.{g['operation']}": g for g in report["guards"]}
    entries = {f"{c['interface']}.{c['operation']}": c for c in report["containment"]}
    findings = {(f["severity"], f["message"]) for f in report["findings"]}
    return svcs, guards, entries, findings


def _change(kind, subject, detail):
    return {"kind": kind, "subject": subject, "detail": detail}


def compare(old, new):
    """The list of changes from audit old to audit new (empty: the same
    capability surface)."""
    osvc, oguard, oent, ofind = _facts(old)
    nsvc, nguard, nent, nfind = _facts(new)
    ch = []
    for name in sorted(set(nsvc) - set(osvc)):
        s = nsvc[name]
        ch.append(_change("service-added", name,
                          f"holds {', '.join(sorted(s['holds'])) or 'nothing'}; "
                          f"provides {', '.join(sorted(s['provides'])) or 'nothing'}"))
        for cap in sorted(s["holds"]):
            ch.append(_change("token-granted", name, cap))
        for op in sorted(s["calls"]):
            ch.append(_change("call-added", name, f"{op} (guard {s['calls'][op]})"))
    for name in sorted(set(osvc) - set(nsvc)):
        s = osvc[name]
        ch.append(_change("service-removed", name,
                          f"held {', '.join(sorted(s['holds'])) or 'nothing'}"))
    for name in sorted(set(osvc) & set(nsvc)):
        o, n = osvc[name], nsvc[name]
        for cap in sorted(n["holds"] - o["holds"]):
            ch.append(_change("token-granted", name, cap))
        for cap in sorted(o["holds"] - n["holds"]):
            ch.append(_change("token-revoked", name, cap))
        for ifc in sorted(n["provides"] - o["provides"]):
            ch.append(_change("provides-added", name, ifc))
        for ifc in sorted(o["provides"] - n["provides"]):
            ch.append(_change("provides-removed", name, ifc))
        for op in sorted(set(n["calls"]) - set(o["calls"])):
            ch.append(_change("call-added", name, f"{op} (guard {n['calls'][op]})"))
        for op in sorted(set(o["calls"]) - set(n["calls"])):
            ch.append(_change("call-removed", name, f"{op} (guard {o['calls'][op]})"))
        for ifc in sorted(n["unguarded"] - o["unguarded"]):
            ch.append(_change("unguarded-call-added", name, ifc))
        for ifc in sorted(o["unguarded"] - n["unguarded"]):
            ch.append(_change("unguarded-call-removed", name, ifc))
        for cap in sorted(n["unused"] - o["unused"]):
            ch.append(_change("over-privilege-added", name, cap))
        for cap in sorted((o["unused"] - n["unused"]) & n["holds"]):
            ch.append(_change("over-privilege-removed", name, cap))
        if o["test_only"] != n["test_only"]:
            ch.append(_change("test-only-changed", name, f"{o['test_only']} -> {n['test_only']}"))
    for op in sorted(set(nguard) - set(oguard)):
        g = nguard[op]
        ch.append(_change("guard-added", op, f"guard {g['guard']}: {g['enforcement']}"))
    for op in sorted(set(oguard) - set(nguard)):
        ch.append(_change("guard-removed", op, f"was guard {oguard[op]['guard']}"))
    for op in sorted(set(oguard) & set(nguard)):
        o, n = oguard[op], nguard[op]
        if o["guard"] != n["guard"]:
            ch.append(_change("guard-changed", op, f"{o['guard']} -> {n['guard']}"))
        if (o["enforcement"], o["verified"]) != (n["enforcement"], n["verified"]):
            ch.append(_change("enforcement-changed", op,
                              f"{o['enforcement']} -> {n['enforcement']}"))
    for op in sorted(set(oent) & set(nent)):
        o, n = oent[op], nent[op]
        if (o["containment"], o["verified"]) != (n["containment"], n["verified"]):
            ch.append(_change("containment-changed", op,
                              f"{o['containment']} -> {n['containment']}"))
    ocaps, ncaps = set(old.get("capabilities", [])), set(new.get("capabilities", []))
    for cap in sorted(ncaps - ocaps):
        ch.append(_change("capability-added", "capabilities", cap))
    for cap in sorted(ocaps - ncaps):
        ch.append(_change("capability-removed", "capabilities", cap))
    for sev, msg in sorted(nfind - ofind):
        ch.append(_change("finding-added", sev, msg))
    for sev, msg in sorted(ofind - nfind):
        ch.append(_change("finding-resolved", sev, msg))
    return ch


# How each kind of change reads, under its subject.
_SAYS = {
    "token-granted": "+ token granted: {d}",
    "token-revoked": "- token revoked: {d}",
    "provides-added": "+ now provides {d}",
    "provides-removed": "- no longer provides {d}",
    "call-added": "+ newly calls {d}",
    "call-removed": "- no longer calls {d}",
    "unguarded-call-added": "+ newly calls unguarded interface {d}",
    "unguarded-call-removed": "- no longer calls unguarded interface {d}",
    "over-privilege-added": "! over-privilege: holds {d} but never uses it",
    "over-privilege-removed": "  no longer over-privileged: now uses {d}",
    "test-only-changed": "~ test_only: {d}",
    "guard-added": "+ newly guarded: {d}",
    "guard-removed": "- no longer guarded ({d})",
    "guard-changed": "~ guard changed: {d}",
    "enforcement-changed": "~ enforcement: {d}",
    "containment-changed": "~ containment: {d}",
    "capability-added": "+ declared {d}",
    "capability-removed": "- no longer declared: {d}",
}


def to_text(old, new, changes):
    out = [f"Capability surface, profile {new['profile']} ({new['variant']}): "
           f"BASE {old.get('tree', '?')} -> {new.get('tree', 'working tree')}"]
    if old.get("note"):
        out.append(f"  BASE: {old['note']}")
    if not changes:
        out.append("no change in the capability surface")
        return "\n".join(out) + "\n"
    services = [c for c in changes if c["kind"] in ("service-added", "service-removed")]
    for c in services:
        sign = "+" if c["kind"] == "service-added" else "-"
        word = "added" if sign == "+" else "removed"
        out.append(f"  {sign} service {c['subject']} {word} ({c['detail']})")
    groups = {}
    for c in changes:
        if c["kind"] in _SAYS:
            groups.setdefault(c["subject"], []).append(c)
    for subject in sorted(groups):
        out.append(f"  {subject}:")
        for c in groups[subject]:
            out.append("    " + _SAYS[c["kind"]].format(d=c["detail"]).rstrip())
    found = [c for c in changes if c["kind"] in ("finding-added", "finding-resolved")]
    if found:
        out.append("  findings:")
        for c in found:
            sign = "+" if c["kind"] == "finding-added" else "- resolved"
            out.append(f"    {sign} {c['subject']}: {c['detail']}")
    so, sn = old["summary"], new["summary"]
    keys = ("services", "tokens_held", "tokens_used", "over_privileged", "errors", "warnings")
    moved = [f"{k.replace('_', ' ')} {so[k]} -> {sn[k]}" for k in keys if so[k] != sn[k]]
    out.append("summary: " + (", ".join(moved) if moved else "same totals"))
    return "\n".join(out) + "\n"
