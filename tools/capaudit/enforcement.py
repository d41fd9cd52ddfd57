"""How each guard and each entry into Ring 2 compiled, checked in kernel.elf.

The manifest says what the profile promises; the linked kernel shows what
the compiler made of it. Every promise becomes a check:

  guard      fortress: the shim calls cap_check ("nonce check present");
             balanced: the shim exists and does not call it ("type-checked
             at compile time, no runtime check"); performance, ludicrous:
             there is no shim, and no service or shim calls cap_check
             ("compiled away").
  entry      fortress, balanced: the entry shim of a Ring 2 operation calls
             ring_enter; performance, ludicrous: nothing on the way into a
             service does.

A check that fails is an error: the kernel does not do what its profile
says.
"""

from surface import error, warning

# What each profile demands of a guard, and how the report says it.
TOKEN_CHECK = {
    "fortress": ("nonce", "nonce check present"),
    "balanced": ("type", "type-checked at compile time, no runtime check"),
    "performance": ("none", "compiled away"),
    "ludicrous": ("none", "compiled away"),
}
CONTAINED = {"fortress": True, "balanced": True, "performance": False, "ludicrous": False}


def _check(kind, subject, expect, ok, detail):
    return {"check": kind, "subject": subject, "expect": expect,
            "result": "ok" if ok else "FAILED", "detail": detail}


def shim_functions(man):
    """The names an out-of-line shim or dispatcher of any operation has."""
    names = set()
    for ifc in man.interfaces:
        for op in ifc.ops:
            names.add(op.symbol)
            names.add(f"{op.symbol}_dispatch")
    return names


def verify_guards(man, graph, attrib):
    profile = man.profile
    want, says = TOKEN_CHECK.get(profile, ("?", "?"))
    checks, findings, guards = [], [], []
    shims = shim_functions(man)
    for ifc in man.interfaces:
        if not ifc.guard:
            continue
        claimed = ifc.enforcement.get("token_check", "?")
        for op in ifc.ops:
            rec = {"interface": ifc.name, "operation": op.name, "guard": ifc.guard,
                   "shim_form": op.shim, "token_check": claimed}
            if op.shim == "none":
                rec.update(enforcement="no provider in this build", verified=None,
                           shim=None)
                guards.append(rec)
                continue
            present = graph.has(op.symbol)
            calls = present and graph.calls(op.symbol, "cap_check")
            rec["shim"] = op.symbol if present else None
            if want == "nonce":
                ok = present and calls
                detail = (f"{op.symbol} calls cap_check" if ok else
                          f"{op.symbol} is missing from the kernel" if not present else
                          f"{op.symbol} never calls cap_check: the nonce check is missing")
            elif want == "type":
                ok = present and not calls
                detail = (f"{op.symbol} exists and does not call cap_check" if ok else
                          f"{op.symbol} is missing from the kernel" if not present else
                          f"{op.symbol} calls cap_check, which {profile} compiles out")
            else:
                disp = f"{op.symbol}_dispatch"
                disp_checks = graph.has(disp) and graph.calls(disp, "cap_check")
                ok = not present and not disp_checks
                detail = ("no shim symbol; the token is never evaluated" if ok else
                          f"{op.symbol} is an out-of-line function in {profile}" if present else
                          f"{disp} calls cap_check")
                if ok and graph.has(disp):
                    detail = f"no shim symbol; {disp} has no check"
            if claimed != want:
                ok = False
                detail = (f"the manifest says token_check '{claimed}' where {profile} "
                          f"demands '{want}'")
            rec.update(enforcement=says if ok else f"NOT {says}", verified=ok)
            guards.append(rec)
            checks.append(_check("guard", op.qualname, says, ok, detail))
            if not ok:
                findings.append(error(op.qualname, "guard", f"{op.qualname} (guard "
                                      f"{ifc.guard}): {detail}"))

    # Nothing on a service's or shim's path may still check a token that
    # the profile compiled away.
    if want == "none":
        on_path, _ = attrib.on_interface_path("cap_check")
        bad = sorted({c for c, _ in on_path} |
                     {f for f in graph.callers_of("cap_check") if f in shims})
        ok = not bad
        detail = ("no service or shim calls cap_check" if ok else
                  f"cap_check is called from service or shim code in {', '.join(bad)}")
        checks.append(_check("guard", "cap_check", "no references from services or shims",
                             ok, detail))
        if not ok:
            findings.append(error("cap_check", "guard", detail))
    return guards, checks, findings


def verify_containment(man, graph, attrib):
    profile = man.profile
    contained = CONTAINED.get(profile, True)
    checks, findings, entries = [], [], []
    path_funcs = set()
    for ifc in man.interfaces:
        if ifc.ring != 2:
            continue
        for op in ifc.ops:
            rec = {"interface": ifc.name, "operation": op.name,
                   "providers": list(ifc.providers), "shim_form": op.shim}
            if op.shim == "none":
                rec.update(containment="no provider in this build", verified=None, shim=None)
                entries.append(rec)
                continue
            present = graph.has(op.symbol)
            rec["shim"] = op.symbol if present else None
            provider_fns = [f"{p}_{ifc.name}_{op.name}" for p in ifc.providers]
            path = [op.symbol, f"{op.symbol}_dispatch"] + provider_fns
            path_funcs.update(path)
            if contained:
                says = "recovery point: the entry shim calls ring_enter"
                ok = present and graph.calls(op.symbol, "ring_enter")
                detail = (f"{op.symbol} calls ring_enter" if ok else
                          f"{op.symbol} is missing from the kernel" if not present else
                          f"{op.symbol} never calls ring_enter: calls into "
                          f"{'/'.join(ifc.providers)} are not contained")
            else:
                says = "uncontained: " + ("ops-table dispatch" if ifc.multi
                                          else "direct call to the provider")
                entering = [f for f in path if graph.calls(f, "ring_enter")]
                ok = not entering
                detail = ("no ring_enter on the way in" if ok else
                          f"{', '.join(entering)} call(s) ring_enter")
            claimed = ifc.enforcement.get("containment")
            if claimed is not None and bool(claimed) != contained:
                ok = False
                detail = (f"the manifest says containment {claimed} where {profile} "
                          f"demands {contained}")
            rec.update(containment=says if ok else f"NOT {says}", verified=ok)
            entries.append(rec)
            checks.append(_check("containment", op.qualname, says, ok, detail))
            if not ok:
                findings.append(error(op.qualname, "containment", f"{op.qualname}: {detail}"))

    callers = graph.callers_of("ring_enter")
    if not contained:
        sites_on, sites_off = attrib.on_interface_path("ring_enter")
        on_path = sorted({c for c, _ in sites_on} |
                         {f for f in callers if f in path_funcs})
        elsewhere = sorted({f"{c} ({w})" if w else c for c, w in sites_off
                            if c not in on_path})
        ok = not on_path
        detail = ("nothing on an interface path calls ring_enter" if ok else
                  f"ring_enter is called from service or shim code in {', '.join(on_path)}")
        checks.append(_check("containment", "ring_enter",
                             "no calls from shims or services", ok, detail))
        if not ok:
            findings.append(error("ring_enter", "containment", detail))
        if elsewhere:
            findings.append(warning("ring_enter", "containment",
                                    f"ring_enter is still called by {', '.join(elsewhere)}, "
                                    f"outside any interface path, although {profile} "
                                    f"has no containment"))
    return entries, {"ring_enter_callers": callers}, checks, findings


def verify(man, graph, attrib):
    """All the kernel.elf checks: (a dict for the report, findings)."""
    guards, gchecks, gfind = verify_guards(man, graph, attrib)
    entries, extra, cchecks, cfind = verify_containment(man, graph, attrib)
    out = {"guards": guards, "containment": entries, "checks": gchecks + cchecks}
    out.update(extra)
    return out, gfind + cfind
