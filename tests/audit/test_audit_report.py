"""The audit of real builds: what it says about klog and faulty, and that
it checks what each profile compiled."""

import json
import re
import subprocess

import pytest

import audit_harness as h

pytestmark = pytest.mark.usefixtures("built")


# ------------------------------------------------------------- fortress
@pytest.fixture(scope="module")
def fortress():
    rc, rep = h.report_json("fortress-ktest")
    assert rc == 0, rep["findings"]
    return rep


def test_json_shape(fortress):
    assert fortress["profile"] == "fortress"
    assert fortress["variant"] == "fortress-ktest"
    assert fortress["rings"] == 3
    for key in ("services", "guards", "containment", "checks", "findings", "summary",
                "ring_enter_callers", "capabilities"):
        assert key in fortress
    for s in fortress["services"]:
        for key in ("name", "ring", "provides", "holds", "tokens", "tokens_used",
                    "unused_tokens", "guarded_calls", "unguarded_calls"):
            assert key in s
    assert set(fortress["summary"]) >= {"services", "tokens_held", "tokens_used",
                                        "over_privileged", "checks_verified", "errors"}


def test_json_is_deterministic():
    a = h.report("fortress-ktest").stdout
    b = h.report("fortress-ktest").stdout
    assert a == b
    assert a == json.dumps(json.loads(a), indent=2, sort_keys=True) + "\n"


def test_klog(fortress):
    klog = h.service(fortress, "klog")
    assert klog["ring"] == 2
    assert klog["provides"] == ["console"]
    assert klog["holds"] == ["Console", "Heap"]
    assert h.calls(klog) == {"svcmem.alloc", "conout.write"}
    assert klog["tokens_used"] == ["Console", "Heap"]
    assert klog["unused_tokens"] == []
    by_op = {f"{c['interface']}.{c['operation']}": c for c in klog["guarded_calls"]}
    assert by_op["conout.write"]["symbols"] == ["conout_write"]
    assert by_op["svcmem.alloc"]["held"] is True
    assert all(c["in_kernel"] == "call" for c in klog["guarded_calls"])
    unguarded = {u["interface"] for u in klog["unguarded_calls"]}
    assert {"clock", "log"} <= unguarded


def test_faulty_holds_console_but_calls_the_console_service(fortress):
    # faulty writes through the console service (unguarded console.write),
    # never through the raw conout.write that its Console token guards.
    faulty = h.service(fortress, "faulty")
    assert faulty["test_only"] is True
    assert faulty["holds"] == ["Console", "Heap"]
    assert h.calls(faulty) == {"svcmem.alloc", "svcmem.free"}
    console = next(u for u in faulty["unguarded_calls"] if u["interface"] == "console")
    assert console["operations"] == ["write"]
    assert console["symbols"] == ["console_write"]
    assert faulty["unused_tokens"] == ["Console"]
    assert faulty["tokens"]["Console"]["used"] is False
    assert faulty["tokens"]["Heap"]["used_by"] == ["svcmem.alloc", "svcmem.free"]


def test_unused_token_is_a_warning(fortress):
    over = [f for f in fortress["findings"] if f["kind"] == "over-privilege"]
    assert [(f["subject"], f["severity"]) for f in over] == [("faulty", "warning")]
    assert "Console" in over[0]["message"]
    s = fortress["summary"]
    assert s["services"] == len(fortress["services"]) >= 2
    assert s["tokens_used"] == s["tokens_held"] - 1 and s["over_privileged"] == 1
    assert s["errors"] == 0


def test_fortress_shims_call_cap_check(fortress):
    guards = {f"{g['interface']}.{g['operation']}": g for g in fortress["guards"]}
    assert {"svcmem.alloc", "svcmem.zalloc", "svcmem.free", "conout.write"} <= set(guards)
    for g in guards.values():
        assert g["verified"] is True
        assert g["enforcement"] == "nonce check present"
        assert g["shim"] == f"{g['interface']}_{g['operation']}"
    assert all(c["result"] == "ok" for c in fortress["checks"])
    assert fortress["summary"]["checks_verified"] == fortress["summary"]["checks_total"] > 0


def test_fortress_shims_really_call_cap_check():
    # The same fact, read straight from the disassembly.
    out = subprocess.run(["objdump", "-d", "--disassemble=conout_write",
                          "build/fortress-ktest/kernel.elf"], cwd=h.ROOT,
                         capture_output=True, text=True, check=True).stdout
    assert "<cap_check>" in out


def test_fortress_entry_shims_are_contained(fortress):
    entries = {f"{c['interface']}.{c['operation']}": c for c in fortress["containment"]}
    assert {"console.write", "console.lines", "ktest_fault.run",
            "ktest_fault.ping"} <= set(entries)
    assert all(c["verified"] is True for c in entries.values())
    assert {"console_write", "ktest_fault_run"} <= set(fortress["ring_enter_callers"])


def test_without_ktest_faulty_is_not_built():
    rc, rep = h.report_json("fortress")
    assert rc == 0
    names = [s["name"] for s in rep["services"]]
    assert "klog" in names and "faulty" not in names
    run = next(c for c in rep["containment"] if c["operation"] == "run")
    assert run["verified"] is None


# ----------------------------------------------------------- performance
@pytest.fixture(scope="module")
def performance():
    rc, rep = h.report_json("performance-ktest")
    assert rc == 0, rep["findings"]
    return rep


def test_performance_calls_go_to_impl(performance):
    klog = h.service(performance, "klog")
    by_op = {f"{c['interface']}.{c['operation']}": c for c in klog["guarded_calls"]}
    assert by_op["svcmem.alloc"]["symbols"] == ["svcmem_alloc_impl"]
    assert by_op["conout.write"]["symbols"] == ["conout_write_impl"]
    faulty = h.service(performance, "faulty")
    console = next(u for u in faulty["unguarded_calls"] if u["interface"] == "console")
    assert console["symbols"] == ["klog_console_write"]
    assert faulty["unused_tokens"] == ["Console"]


def test_performance_checks_compiled_away(performance):
    for g in performance["guards"]:
        assert g["enforcement"] == "compiled away"
        assert g["shim"] is None and g["verified"] is True
    check = next(c for c in performance["checks"] if c["subject"] == "cap_check")
    assert check["result"] == "ok"
    for s in performance["services"]:
        assert "cap_check" not in s["runtime_refs"]


def test_performance_services_never_reference_cap_check():
    import glob
    for obj in glob.glob(f"{h.ROOT}/build/performance-ktest/svc/*.o"):
        out = subprocess.run(["nm", obj], capture_output=True, text=True, check=True).stdout
        assert "cap_check" not in out


def test_performance_has_no_containment(performance):
    assert all(c["verified"] is True and c["containment"].startswith("uncontained")
               for c in performance["containment"])
    check = next(c for c in performance["checks"] if c["subject"] == "ring_enter")
    assert check["result"] == "ok"
    shims = {f"{c['interface']}_{c['operation']}" for c in performance["containment"]}
    assert not shims & set(performance["ring_enter_callers"])


# ------------------------------------------------------------ renderings
def test_text_has_the_tables():
    res = h.report("fortress-ktest", "text")
    assert res.returncode == 0
    out = res.stdout
    assert re.search(r"^  SERVICE +RING +IMAGE +TEST +PROVIDES +HOLDS +USES +UNUSED$", out, re.M)
    assert re.search(r"^  faulty +2 +own Ring 2 image +yes +ktest_fault +Console, Heap +Heap "
                     r"+Console$", out, re.M)
    assert re.search(r"^  klog +conout\.write +Console +yes +conout_write \(shim\) +call$",
                     out, re.M)
    assert re.search(r"^  svcmem\.alloc +Heap +outline +svcmem_alloc +nonce check present +ok$",
                     out, re.M)
    assert "warning: over-privilege: faulty holds Console" in out
    assert re.search(r"^summary: \d+ services, \d+ tokens held, \d+ used, 1 over-privileged, "
                     r"(\d+)/\1 checks verified, 0 errors", out, re.M)


def test_text_performance():
    out = h.report("performance-ktest", "text").stdout
    assert re.search(r"^  conout\.write +Console +macro +- +compiled away +ok$", out, re.M)


def parse_dot(text):
    """A small check of Graphviz syntax for what the audit emits: returns
    ({node: attrs}, [(tail, head, attrs)])."""
    lines = [ln.strip() for ln in text.strip().splitlines()]
    assert re.fullmatch(r'digraph [A-Za-z_][A-Za-z0-9_]* \{', lines[0])
    assert lines[-1] == "}"
    quoted = r'"(?:[^"\\]|\\.)*"'
    attrs_re = rf'\[((?:[A-Za-z]+=(?:{quoted}|[A-Za-z0-9_.]+)(?:, )?)*)\]'
    nodes, edges = {}, []

    def attrs(s):
        return dict(re.findall(rf'([A-Za-z]+)=({quoted}|[A-Za-z0-9_.]+)', s))

    for ln in lines[1:-1]:
        assert ln.endswith(";"), ln
        if re.fullmatch(rf'(label={quoted}|labelloc=\w+|rankdir=\w+);', ln):
            continue
        if re.fullmatch(rf'(node|edge) {attrs_re};', ln):
            continue
        m = re.fullmatch(rf'({quoted}) -> ({quoted}) {attrs_re};', ln)
        if m:
            edges.append((m.group(1), m.group(2), attrs(m.group(3))))
            continue
        m = re.fullmatch(rf'({quoted}) {attrs_re};', ln)
        assert m, f"not a dot statement: {ln}"
        nodes[m.group(1)] = attrs(m.group(2))
    for tail, head, _ in edges:
        assert tail in nodes and head in nodes, (tail, head)
    return nodes, edges


def test_dot_is_a_digraph():
    res = h.report("fortress-ktest", "dot")
    assert res.returncode == 0
    nodes, edges = parse_dot(res.stdout)
    assert nodes['"svc:klog"']["shape"] == "box"
    assert nodes['"ifc:svcmem"']["shape"] == "ellipse"
    assert nodes['"cap:Heap"']["shape"] == "diamond"
    by = {(t, hd): a for t, hd, a in edges}
    assert by[('"svc:klog"', '"ifc:console"')]["label"] == '"provides"'
    unused = by[('"svc:faulty"', '"cap:Console"')]
    assert unused["style"] == "dashed" and unused["color"] == "red"
    assert by[('"svc:klog"', '"cap:Console"')]["label"] == '"holds"'
    assert by[('"cap:Heap"', '"ifc:svcmem"')]["label"] == '"guards: nonce check present"'
    assert ('"svc:klog"', '"ifc:conout"') in by


def test_dot_renders_with_graphviz_if_present():
    import shutil
    if not shutil.which("dot"):
        pytest.skip("graphviz is not installed")
    src = h.report("performance-ktest", "dot").stdout
    subprocess.run(["dot", "-Tsvg", "-o", "/dev/null"], input=src, text=True, check=True)


def test_make_audit_target():
    with open(f"{h.ROOT}/Makefile") as f:
        included = "mk/audit.mk" in f.read()
    files = [] if included else ["-f", "Makefile", "-f", "mk/audit.mk"]
    res = h.make(*files, "-s", "audit", "PROFILE=performance", "KTEST=1", "FORMAT=json")
    rep = json.loads(res.stdout)
    assert rep["variant"] == "performance-ktest"
    bad = h.make(*files, "audit", "FORMAT=xml", check=False)
    assert bad.returncode != 0 and "FORMAT must be one of" in bad.stderr


# ------------------------------------------------------------- ludicrous
def test_ludicrous_lto_objects_and_inlining():
    # Ludicrous links every object into one LTO image: there is no
    # svc/<name>.o, the service objects are GCC IR, and what the link-time
    # inliner folded away is said per call.
    h.build("ludicrous", True)
    rc, rep = h.report_json("ludicrous-ktest")
    assert rc == 0, rep["findings"]
    for s in rep["services"]:
        assert s["lto"] is True
        assert all(o.startswith("build/ludicrous-ktest/obj/services/") for o in s["objects"])
        for c in s["guarded_calls"]:
            assert c["in_kernel"] in ("call", "inlined")
            assert (c["in_kernel"] == "inlined") == bool(c["note"])
    assert h.calls(h.service(rep, "klog")) == {"svcmem.alloc", "conout.write"}
    assert h.service(rep, "faulty")["unused_tokens"] == ["Console"]
    assert all(g["enforcement"] == "compiled away" for g in rep["guards"])
    assert all(c["result"] == "ok" for c in rep["checks"])
