"""One audit of one build: the manifest, the service objects, the kernel.

The result is a plain dict (what FORMAT=json prints); the text and dot
renderings and audit-diff all read this dict and nothing else.
"""

import json
import os

import attribution
import binutils
import enforcement
import surface

_SEVERITY_ORDER = {"error": 0, "warning": 1}


class AuditError(Exception):
    """The build to audit is not there (no manifest)."""


def paths(root, variant):
    """(gen dir, build dir) of a variant, under root."""
    return os.path.join(root, "gen", variant), os.path.join(root, "build", variant)


def load_manifest(path):
    try:
        with open(path) as f:
            return surface.Manifest(json.load(f))
    except FileNotFoundError:
        raise AuditError(f"{path}: no manifest (run make first)") from None
    except json.JSONDecodeError as e:
        raise AuditError(f"{path}: not JSON: {e}") from None


def run(root, variant, gen=None, build=None):
    """Audits build/<variant> and gen/<variant> of the tree at root (or the
    gen and build directories given)."""
    dgen, dbuild = paths(root, variant)
    gen, build = gen or dgen, build or dbuild
    man = load_manifest(os.path.join(gen, "manifest.json"))
    services, findings, defined = surface.analyse_services(man, build, root)
    kernel = os.path.join(build, "kernel.elf")
    try:
        graph = binutils.CallGraph(kernel)
    except binutils.ToolError as e:
        raise AuditError(f"cannot read the kernel: {e}") from None
    symmap = man.symbol_map()
    targets = set(surface.RUNTIME) | {sym for s in services
                                      for sym in _referenced(s) if sym in symmap}
    attrib = attribution.Attribution(graph, root, targets, defined)
    attribution.mark_kernel_calls(services, attrib)
    verified, kfindings = enforcement.verify(man, graph, attrib)
    findings = sorted(findings + kfindings,
                      key=lambda f: (_SEVERITY_ORDER.get(f["severity"], 9), f["subject"],
                                     f["kind"], f["message"]))
    checks = verified["checks"]
    summary = {
        "services": len(services),
        "tokens_held": sum(len(s["holds"]) for s in services),
        "tokens_used": sum(len(s["tokens_used"]) for s in services),
        "over_privileged": sum(len(s["unused_tokens"]) for s in services),
        "checks_total": len(checks),
        "checks_verified": sum(1 for c in checks if c["result"] == "ok"),
        "errors": sum(1 for f in findings if f["severity"] == "error"),
        "warnings": sum(1 for f in findings if f["severity"] == "warning"),
    }
    return {
        "tool": "tools/capaudit",
        "profile": man.profile,
        "variant": variant,
        "rings": man.rings,
        "tests": man.tests,
        "capabilities": sorted(man.capabilities),
        "services": services,
        "guards": sorted(verified["guards"], key=lambda g: (g["interface"], g["operation"])),
        "containment": sorted(verified["containment"],
                              key=lambda c: (c["interface"], c["operation"])),
        "ring_enter_callers": verified["ring_enter_callers"],
        "checks": sorted(checks, key=lambda c: (c["check"], c["subject"])),
        "findings": findings,
        "summary": summary,
    }


def empty(profile, variant, why):
    """The audit of a tree that has no capability surface at all (a BASE
    from before the IDL)."""
    return {
        "tool": "tools/capaudit", "profile": profile, "variant": variant, "rings": None,
        "tests": None, "capabilities": [], "services": [], "guards": [], "containment": [],
        "ring_enter_callers": [], "checks": [], "note": why,
        "findings": [],
        "summary": {"services": 0, "tokens_held": 0, "tokens_used": 0, "over_privileged": 0,
                    "checks_total": 0, "checks_verified": 0, "errors": 0, "warnings": 0},
    }


def _referenced(service):
    for c in service["guarded_calls"]:
        yield from c["symbols"]
    for u in service["unguarded_calls"]:
        yield from u["symbols"]


def exit_status(report):
    return 1 if report["summary"]["errors"] else 0
