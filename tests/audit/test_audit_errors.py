"""What the audit calls an error: a check the profile demands and the
kernel lacks, a call whose guard is not held, a shim bypassed. Real
kernels, with a manifest that claims what they do not do; and the
analysis itself on made-up objects."""

import json
import os
import sys

import pytest

import audit_harness as h

sys.path.insert(0, h.TOOL_DIR)
import surface  # noqa: E402
import surfacediff  # noqa: E402


def tampered(tmp_path, variant, change):
    """A copy of gen/<variant>/manifest.json, changed; returns its directory."""
    with open(os.path.join(h.ROOT, "gen", variant, "manifest.json")) as f:
        man = json.load(f)
    change(man)
    gen = tmp_path / "gen"
    gen.mkdir()
    (gen / "manifest.json").write_text(json.dumps(man))
    return str(gen)


def ifc(man, name):
    return next(i for i in man["interfaces"] if i["name"] == name)


@pytest.mark.usefixtures("built")
def test_missing_nonce_check_is_an_error(tmp_path):
    # Claim that console is guarded: its fortress shims have no cap_check.
    def guard_console(man):
        ifc(man, "console").update(guard="Heap")
        ifc(man, "console")["enforcement"]["token_check"] = "nonce"
    gen = tampered(tmp_path, "fortress-ktest", guard_console)
    res = h.report("fortress-ktest", "text", "--gen-dir", gen)
    assert res.returncode == 1
    assert "console_write never calls cap_check: the nonce check is missing" in res.stdout
    assert "NOT nonce check present" in res.stdout


@pytest.mark.usefixtures("built")
def test_call_without_the_guard_is_an_error(tmp_path):
    def revoke(man):
        klog = next(s for s in man["services"] if s["name"] == "klog")
        klog["holds"] = ["Heap"]
    gen = tampered(tmp_path, "fortress-ktest", revoke)
    rc, rep = h.report_json("fortress-ktest", "--gen-dir", gen)
    assert rc == 1
    msgs = [f["message"] for f in rep["findings"] if f["severity"] == "error"]
    assert msgs == ["klog calls conout.write but does not hold its guard Console"]
    klog = h.service(rep, "klog")
    assert next(c for c in klog["guarded_calls"] if c["interface"] == "conout")["held"] is False


@pytest.mark.usefixtures("built")
def test_missing_containment_is_an_error(tmp_path):
    # Claim conout is a Ring 2 interface: its shim does not enter a ring.
    def move(man):
        c = ifc(man, "conout")
        c.update(provider_ring=2, providers=["klog"])
        c["enforcement"]["containment"] = True
    gen = tampered(tmp_path, "fortress-ktest", move)
    rc, rep = h.report_json("fortress-ktest", "--gen-dir", gen)
    assert rc == 1
    failed = [c for c in rep["checks"] if c["result"] != "ok"]
    assert [(c["check"], c["subject"]) for c in failed] == [("containment", "conout.write")]


@pytest.mark.usefixtures("built")
def test_runtime_check_left_in_performance_is_an_error(tmp_path):
    # The fortress kernel, audited as if it were performance: its shims
    # are out of line and call cap_check and ring_enter.
    gen = tampered(tmp_path, "fortress-ktest", lambda m: m.update(profile="performance"))
    rc, rep = h.report_json("fortress-ktest", "--gen-dir", gen)
    assert rc == 1
    subjects = {f["subject"] for f in rep["findings"] if f["severity"] == "error"}
    assert {"cap_check", "ring_enter", "svcmem.alloc", "conout.write"} <= subjects


def test_no_build_is_status_2(tmp_path):
    res = h.capaudit("report", "--root", str(tmp_path), "--variant", "fortress")
    assert res.returncode == 2
    assert "no manifest" in res.stderr


# ----------------------------------------------- the analysis on its own
MANIFEST = {
    "profile": "ludicrous", "rings": 1,
    "capabilities": [{"name": "Heap"}, {"name": "Console"}],
    "interfaces": [
        {"name": "svcmem", "provider_ring": 1, "callers": [2], "guard": "Heap",
         "operations": [{"name": "alloc", "shim": "macro"}],
         "enforcement": {"token_check": "none"}},
        {"name": "conout", "provider_ring": 0, "callers": [2], "guard": "Console",
         "operations": [{"name": "write", "shim": "macro"}],
         "enforcement": {"token_check": "none"}},
        {"name": "memory", "provider_ring": 0, "callers": [1], "externs": ["kmalloc"]},
    ],
    "services": [{"name": "s", "holds": ["Heap", "Console"], "provides": [],
                  "may_call": [{"interface": "svcmem"}, {"interface": "conout"}]}],
}


def analyse(refs, sources=None, man=MANIFEST, defined=()):
    m = surface.Manifest(json.loads(json.dumps(man)))
    return surface.analyse_service(m, m.services[0], refs, list(defined), sources or {})


def test_call_seen_only_in_source_is_reported_as_inlined():
    entry, findings = analyse({}, {"svcmem_alloc": ["s.c:12"]})
    call = entry["guarded_calls"][0]
    assert call["evidence"] == "inlined"
    assert "not visible in the object code" in call["note"]
    assert entry["tokens_used"] == ["Heap"]
    assert entry["unused_tokens"] == ["Console"]
    assert [f["kind"] for f in findings] == ["over-privilege"]


def test_impl_symbols_map_back_to_operations():
    entry, findings = analyse({"conout_write_impl": ["undefined"],
                               "svcmem_alloc_impl": [".text"]})
    assert {c["interface"] for c in entry["guarded_calls"]} == {"conout", "svcmem"}
    assert entry["unused_tokens"] == [] and findings == []


def test_bypassing_the_shim_in_a_three_ring_profile_is_an_error():
    man = dict(MANIFEST, profile="fortress", rings=3)
    _, findings = analyse({"svcmem_alloc_impl": [".svc.text"]}, man=man)
    assert [f["kind"] for f in findings if f["severity"] == "error"] == ["bypass"]


def test_calling_a_core_only_interface_is_an_error():
    _, findings = analyse({"kmalloc": ["undefined"]})
    assert any(f["kind"] == "ring" and "kmalloc" in f["message"] for f in findings)


def test_source_scan_ignores_comments_and_strings(tmp_path):
    (tmp_path / "s.c").write_text('/* svcmem_alloc(x) */\n// conout_write(a)\n'
                                  'const char *s = "svcmem_free(p)";\nint f(void)\n'
                                  '{\n\treturn svcmem_zalloc (4) != 0;\n}\n')
    found = surface.source_calls(str(tmp_path))
    assert found["svcmem_zalloc"] == ["s.c:6"]
    assert "svcmem_alloc" not in found and "conout_write" not in found
    assert "svcmem_free" not in found


def test_compare_reports_each_kind_of_change():
    def rep(holds, calls, enforcement):
        return {"profile": "fortress", "variant": "fortress",
                "capabilities": ["Heap"], "summary": {k: 0 for k in (
                    "services", "tokens_held", "tokens_used", "over_privileged", "errors",
                    "warnings")},
                "services": [{"name": "s", "holds": holds, "provides": [], "test_only": False,
                              "guarded_calls": [{"interface": "svcmem", "operation": op,
                                                 "guard": "Heap", "evidence": "object"}
                                                for op in calls],
                              "unguarded_calls": [], "unused_tokens": []}],
                "guards": [{"interface": "svcmem", "operation": "alloc", "guard": "Heap",
                            "enforcement": enforcement, "verified": True}],
                "containment": [], "findings": []}
    old = rep(["Heap"], ["alloc"], "nonce check present")
    assert surfacediff.compare(old, old) == []
    new = rep(["Heap", "Console"], ["free"], "compiled away")
    kinds = {(c["kind"], c["detail"]) for c in surfacediff.compare(old, new)}
    assert ("token-granted", "Console") in kinds
    assert ("call-added", "svcmem.free (guard Heap)") in kinds
    assert ("call-removed", "svcmem.alloc (guard Heap)") in kinds
    assert ("enforcement-changed", "nonce check present -> compiled away") in kinds
    text = surfacediff.to_text(old, new, surfacediff.compare(old, new))
    assert "+ token granted: Console" in text
    assert "no change" not in text
    assert "no change in the capability surface" in surfacediff.to_text(old, old, [])
