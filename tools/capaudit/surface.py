"""The capability surface of each service: what it holds, what it calls.

The manifest (gen/<variant>/manifest.json) says what a service is given;
its object (build/<variant>/svc/<name>.o) says what it uses. A call shows
in the object as a reference to one of an operation's symbols, whichever
the profile's shim calls:

  <ifc>_<op>             the shim (out of line in fortress and balanced)
  <ifc>_<op>_impl        a Ring 0/1 implementation, called by a macro or
                         static inline shim (performance, ludicrous)
  <svc>_<ifc>_<op>       a Ring 2 provider's function, called directly
  <ifc>_<op>_dispatch    a multi interface's ops-table dispatcher
  svc_ops                an inlined ops-table dispatch: the operation
                         cannot be told from the object code

Ludicrous links no svc/<name>.o: its objects are GCC LTO objects (IR,
no machine code), whose undefined symbols still name what the source
calls before the link-time inliner runs. attribution.py then says which
of those calls kernel.elf still makes from the service's own code, and
which were inlined away. A call that left no symbol at all (inlined all
the way, or through svc_ops) is looked for in the service's sources, and
reported as not visible.
"""

import os
import re

import binutils

# Names the generated code uses itself, never an interface of the IDL.
RUNTIME = {
    "cap_check": "capability runtime",
    "cap_mint": "capability runtime",
    "svc_ops": "service registry",
    "svc_fault_return": "service registry",
    "ring_enter": "containment",
    "ring_leave": "containment",
}


class Operation:
    def __init__(self, ifc, op):
        self.interface = ifc
        self.name = op["name"]
        self.shim = op.get("shim", "outline")

    @property
    def qualname(self):
        return f"{self.interface.name}.{self.name}"

    @property
    def symbol(self):
        return f"{self.interface.name}_{self.name}"


class Interface:
    def __init__(self, d):
        self.name = d["name"]
        self.ring = d.get("provider_ring", 0)
        self.callers = list(d.get("callers", []))
        self.guard = d.get("guard")
        self.multi = d.get("multiplicity") == "multi"
        self.providers = list(d.get("providers", []))
        self.externs = list(d.get("externs", []))
        self.enforcement = dict(d.get("enforcement", {}))
        self.ops = [Operation(self, op) for op in d.get("operations", [])]


class Manifest:
    """The parts of manifest.json the audit reads; missing keys (a manifest
    from an older generator) read as empty."""

    def __init__(self, data):
        self.data = data
        self.profile = data.get("profile", "unknown")
        self.rings = data.get("rings", 3)
        self.tests = bool(data.get("tests", False))
        self.capabilities = [c["name"] for c in data.get("capabilities", [])]
        self.interfaces = [Interface(d) for d in data.get("interfaces", [])]
        self.by_name = {i.name: i for i in self.interfaces}
        self.services = sorted(data.get("services", []), key=lambda s: s["name"])

    def guarded_by(self, cap):
        return [i for i in self.interfaces if i.guard == cap]

    def symbol_map(self):
        """{symbol: (interface, operation or None, how)} for every symbol a
        call into an interface can leave in an object."""
        syms = {}
        for ifc in self.interfaces:
            for ext in ifc.externs:
                syms[ext] = (ifc, None, "extern")
            for op in ifc.ops:
                syms[op.symbol] = (ifc, op, "shim")
                syms[f"{op.symbol}_impl"] = (ifc, op, "implementation")
                syms[f"{op.symbol}_dispatch"] = (ifc, op, "dispatcher")
                for p in ifc.providers:
                    syms[f"{p}_{ifc.name}_{op.name}"] = (ifc, op, f"provider {p}")
        return syms


_COMMENT_OR_LITERAL = re.compile(
    r'//[^\n]*|/\*.*?\*/|"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'', re.S)
_CALL = re.compile(r"\b([A-Za-z_][A-Za-z0-9_]*)\s*\(")


def source_calls(srcdir):
    """{identifier: [file:line, ...]} of the names a service's C sources
    call (an identifier followed by '('), comments and literals left out.
    Preprocessor conditionals are not evaluated: this is what the source
    says, not what one profile compiles."""
    found = {}
    if not os.path.isdir(srcdir):
        return found
    for dirpath, _, files in sorted(os.walk(srcdir)):
        for fname in sorted(files):
            if not fname.endswith((".c", ".h")):
                continue
            path = os.path.join(dirpath, fname)
            with open(path, errors="replace") as f:
                text = f.read()
            # Blank out comments and literals, keeping the line breaks.
            text = _COMMENT_OR_LITERAL.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)
            for m in _CALL.finditer(text):
                line = text.count("\n", 0, m.start()) + 1
                found.setdefault(m.group(1), []).append(f"{fname}:{line}")
    return found


def _image(rings):
    return {3: "own Ring 2 image", 2: "folded into Core", 1: "one image"}.get(rings, "?")


def analyse_service(man, svc, refs, defined, sources):
    """One service's surface, and what is wrong with it.

    refs: {symbol: sections} the service object refers to (binutils.relocations);
    defined: the functions it defines; sources: source_calls() of its
    directory. Returns (entry, findings)."""
    name = svc["name"]
    held = list(svc.get("holds", []))
    may_call = {m["interface"] for m in svc.get("may_call", [])}
    symmap = man.symbol_map()
    findings = []
    guarded = {}      # qualname -> record
    unguarded = {}    # interface -> set of symbols
    runtime = {}
    unmatched = []

    def note_guarded(ifc, op, sym, how):
        rec = guarded.setdefault(op.qualname, {
            "interface": ifc.name, "operation": op.name, "guard": ifc.guard,
            "held": ifc.guard in held, "symbols": [], "seen_as": [],
            "evidence": "object", "note": None, "in_kernel": None})
        if sym and sym not in rec["symbols"]:
            rec["symbols"].append(sym)
        if how not in rec["seen_as"]:
            rec["seen_as"].append(how)

    own = set(defined)
    for sym in sorted(refs):
        if sym in own and sym not in symmap:
            continue        # its own static or global function
        hit = symmap.get(sym)
        if hit is None:
            if sym in RUNTIME:
                runtime[sym] = RUNTIME[sym]
            elif sym not in own:
                unmatched.append(sym)
            continue
        ifc, op, how = hit
        if sym in own and ifc.name in svc.get("provides", []):
            continue        # its own implementation of what it provides
        if op is not None and ifc.guard:
            note_guarded(ifc, op, sym, f"{sym} ({how})")
            if how == "implementation" and man.rings == 3:
                findings.append(error(name, "bypass",
                                      f"{name} calls {sym} directly, around the "
                                      f"{op.qualname} shim and its {ifc.guard} check"))
        else:
            rec = unguarded.setdefault(ifc.name, {"symbols": set(), "operations": set()})
            rec["symbols"].add(sym)
            if op is not None:
                rec["operations"].add(op.name)
        if 2 not in ifc.callers and ifc.name not in svc.get("provides", []):
            findings.append(error(name, "ring",
                                  f"{name} calls {sym} of interface {ifc.name}, which "
                                  f"Ring 2 may not call (callers: ring "
                                  f"{', '.join(map(str, ifc.callers)) or 'none'})"))

    # Calls the source makes that left no trace in the object code.
    for ifc in man.interfaces:
        for op in ifc.ops:
            if not ifc.guard or op.qualname in guarded or op.symbol not in sources:
                continue
            if "svc_ops" in refs and ifc.ring == 2:
                evidence, why = "inlined", "inlined ops-table dispatch through svc_ops"
            elif op.shim in ("inline", "macro"):
                evidence, why = "inlined", f"{op.shim} shim and its target inlined"
            else:
                # An out-of-line shim always leaves a symbol: the call was
                # not compiled (an #ifdef) or was optimised away.
                evidence, why = "source-only", "not in the object code"
            note_guarded(ifc, op, None, f"source {sources[op.symbol][0]}")
            guarded[op.qualname]["evidence"] = evidence
            guarded[op.qualname]["note"] = f"call not visible in the object code: {why}"

    for rec in guarded.values():
        if not rec["held"] and rec["evidence"] != "source-only":
            findings.append(error(name, "unheld",
                                  f"{name} calls {rec['interface']}.{rec['operation']} "
                                  f"but does not hold its guard {rec['guard']}"))
    for sym in runtime:
        if sym == "cap_check" and man.profile in ("performance", "ludicrous"):
            findings.append(error(name, "runtime",
                                  f"{name} refers to cap_check, which {man.profile} "
                                  f"compiles away"))
    for sym in unmatched:
        findings.append(warning(name, "undeclared",
                                f"{name} uses {sym}, which no interface declares"))

    tokens = {}
    for cap in held:
        ops = sorted(q for q, r in guarded.items()
                     if r["guard"] == cap and r["evidence"] != "source-only")
        guards = sorted(i.name for i in man.guarded_by(cap))
        tokens[cap] = {"used": bool(ops), "used_by": ops, "guards": guards}
    unused = [c for c in held if not tokens[c]["used"]]
    for cap in unused:
        ops = _ops_of(man, cap)
        which = "its guarded operation" if len(ops) == 1 else "any of its guarded operations"
        what = (f"never calls {which} {', '.join(ops)}" if ops
                else f"no interface is guarded by {cap}")
        findings.append(warning(name, "over-privilege",
                                f"over-privilege: {name} holds {cap} but {what}"))

    entry = {
        "name": name,
        "ring": svc.get("ring", 2),
        "image": _image(man.rings),
        "test_only": bool(svc.get("test_only", False)),
        "provides": sorted(svc.get("provides", [])),
        "holds": sorted(held),
        "tokens": tokens,
        "tokens_used": sorted(c for c in held if tokens[c]["used"]),
        "unused_tokens": sorted(unused),
        "guarded_calls": [dict(guarded[q], symbols=sorted(guarded[q]["symbols"]),
                               seen_as=sorted(guarded[q]["seen_as"]))
                          for q in sorted(guarded)],
        "unguarded_calls": [{"interface": i, "symbols": sorted(u["symbols"]),
                             "operations": sorted(u["operations"]),
                             "allowed": i in may_call or i in svc.get("provides", [])}
                            for i, u in sorted(unguarded.items())],
        "runtime_refs": sorted(runtime),
        "undeclared_symbols": sorted(unmatched),
    }
    return entry, findings


def _ops_of(man, cap):
    return [op.qualname for i in man.guarded_by(cap) for op in i.ops]


def error(subject, kind, message):
    return {"severity": "error", "kind": kind, "subject": subject, "message": message}


def warning(subject, kind, message):
    return {"severity": "warning", "kind": kind, "subject": subject, "message": message}


def service_objects(build, name):
    """The objects of one service: its partially linked svc/<name>.o, or
    (ludicrous links every object straight into one LTO image) the objects
    of its sources. A svc/<name>.o older than those objects is left over
    from a build that linked differently, and is not what the kernel has."""
    linked = os.path.join(build, "svc", f"{name}.o")
    objs = []
    for dirpath, _, files in sorted(os.walk(os.path.join(build, "obj", "services", name))):
        objs += [os.path.join(dirpath, f) for f in sorted(files) if f.endswith(".o")]
    if os.path.exists(linked) and all(os.path.getmtime(linked) >= os.path.getmtime(o)
                                      for o in objs):
        return [linked]
    return objs


def read_objects(objs):
    """({symbol: [where]}, defined functions, lto?) of a service's objects:
    named relocations, and the undefined symbols (all an LTO object, which
    has no machine code yet, can show)."""
    refs, defined, lto = {}, set(), False
    for obj in objs:
        for sym, secs in binutils.relocations(obj).items():
            refs.setdefault(sym, set()).update(secs)
        for sym in binutils.undefined_symbols(obj):
            refs.setdefault(sym, set()).add("undefined")
        defined.update(binutils.defined_functions(obj))
        lto = lto or binutils.is_lto(obj)
    return {k: sorted(v) for k, v in refs.items()}, sorted(defined), lto


def analyse_services(man, build, root):
    """Every service of the manifest, from its objects and services/<name>/.
    Returns (entries, findings, {service: functions it defines}); a missing
    object is an error finding, not a crash."""
    entries, findings, defined_by = [], [], {}
    for svc in man.services:
        objs = service_objects(build, svc["name"])
        refs, defined, lto = {}, [], False
        if not objs:
            findings.append(error(svc["name"], "object",
                                  f"no object for service {svc['name']} under {build}"))
        else:
            try:
                refs, defined, lto = read_objects(objs)
            except binutils.ToolError as e:
                findings.append(error(svc["name"], "object", f"cannot read the object: {e}"))
        sources = source_calls(os.path.join(root, "services", svc["name"]))
        entry, f = analyse_service(man, svc, refs, defined, sources)
        entry["objects"] = [os.path.relpath(o, root) for o in objs]
        entry["lto"] = lto
        entries.append(entry)
        findings.extend(f)
        defined_by[svc["name"]] = defined
    return entries, findings, defined_by
