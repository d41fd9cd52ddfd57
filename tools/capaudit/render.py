"""An audit (audit.run's dict) as text, JSON or a Graphviz graph."""

import json

PROFILE_SAYS = {
    "fortress": "tokens are runtime nonces, checked in out-of-line shims; "
                "calls into Ring 2 are contained",
    "balanced": "tokens are zero-size types, checked by the compiler; "
                "calls into Ring 2 are contained",
    "performance": "tokens are compiled away; services are folded into Core, uncontained",
    "ludicrous": "tokens are compiled away; one image, shims inlined, uncontained",
}


def to_json(report):
    return json.dumps(report, indent=2, sort_keys=True) + "\n"


def table(headers, rows, indent="  "):
    """Rows of strings as aligned columns under upper-case headers."""
    rows = [[str(c) for c in r] for r in rows]
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h)
              for i, h in enumerate(headers)]
    lines = [indent + "  ".join(h.upper().ljust(w) for h, w in zip(headers, widths)).rstrip()]
    for r in rows:
        lines.append(indent + "  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip())
    return lines


def _list(items):
    return ", ".join(items) if items else "-"


def summary_line(report):
    s = report["summary"]
    return (f"summary: {_n(s['services'], 'service')}, {_n(s['tokens_held'], 'token')} held, "
            f"{s['tokens_used']} used, {s['over_privileged']} over-privileged, "
            f"{s['checks_verified']}/{_n(s['checks_total'], 'check')} verified, "
            f"{_n(s['errors'], 'error')}, {_n(s['warnings'], 'warning')}")


def _n(count, noun):
    return f"{count} {noun}{'' if count == 1 else 's'}"


def to_text(report):
    out = []
    kernel = f"build/{report['variant']}/kernel.elf"
    out.append(f"Capability audit: profile {report['profile']} ({report['variant']}, "
               f"{report['rings']} ring{'s' if report['rings'] != 1 else ''})")
    if report["profile"] in PROFILE_SAYS:
        out.append(f"  {PROFILE_SAYS[report['profile']]}")
    if report.get("note"):
        out.append(f"  {report['note']}")

    svcs = report["services"]
    out += ["", "Services"]
    out += table(["service", "ring", "image", "test", "provides", "holds", "uses", "unused"],
                 [[s["name"], s["ring"], s["image"], "yes" if s["test_only"] else "no",
                   _list(s["provides"]), _list(s["holds"]), _list(s["tokens_used"]),
                   _list(s["unused_tokens"])] for s in svcs])

    out += ["", "Guarded operations called (from each service's object code)"]
    rows, notes = [], []
    for s in svcs:
        for c in s["guarded_calls"]:
            rows.append([s["name"], f"{c['interface']}.{c['operation']}", c["guard"],
                         "yes" if c["held"] else "NO", ", ".join(c["seen_as"]),
                         c.get("in_kernel") or "-"])
            if c["note"]:
                notes.append(f"  {s['name']} -> {c['interface']}.{c['operation']}: {c['note']}")
    out += table(["service", "operation", "guard", "held", "in the object as", "in kernel.elf"],
                 rows) + notes if rows else ["  (none)"]

    out += ["", "Unguarded interfaces called"]
    rows = [[s["name"], u["interface"], _list(u.get("operations", [])),
             ", ".join(sym + (" (inlined)" if sym in u.get("inlined_symbols", []) else "")
                       for sym in u["symbols"])]
            for s in svcs for u in s["unguarded_calls"]]
    out += table(["service", "interface", "operations", "symbols"], rows) if rows \
        else ["  (none)"]

    out += ["", f"Guards, as compiled (verified in {kernel})"]
    rows = []
    for g in report["guards"]:
        mark = {True: "ok", False: "FAILED", None: "-"}[g["verified"]]
        rows.append([f"{g['interface']}.{g['operation']}", g["guard"], g["shim_form"],
                     g["shim"] or "-", g["enforcement"], mark])
    out += table(["operation", "guard", "shim", "symbol", "enforcement", "verified"], rows) \
        if rows else ["  (no guarded interfaces)"]

    out += ["", f"Containment of calls into Ring 2 (verified in {kernel})"]
    rows = []
    for c in report["containment"]:
        mark = {True: "ok", False: "FAILED", None: "-"}[c["verified"]]
        rows.append([f"{c['interface']}.{c['operation']}", _list(c["providers"]),
                     c["shim"] or "-", c["containment"], mark])
    out += table(["operation", "provider", "symbol", "containment", "verified"], rows) \
        if rows else ["  (no Ring 2 interfaces)"]
    out.append(f"  ring_enter is called by: {_list(report['ring_enter_callers'])}")

    out += ["", "Findings"]
    if report["findings"]:
        out += [f"  {f['severity']}: {f['message']}" for f in report["findings"]]
    else:
        out.append("  none")
    out += ["", summary_line(report)]
    return "\n".join(out) + "\n"


def _q(s):
    return '"' + str(s).replace("\\", "\\\\").replace('"', '\\"') + '"'


def to_dot(report):
    """Services as boxes, interfaces as ellipses, capabilities as diamonds."""
    svcs = report["services"]
    guards_by_ifc = {}
    for g in report["guards"]:
        guards_by_ifc.setdefault(g["interface"], {"guard": g["guard"], "how": set()})
        guards_by_ifc[g["interface"]]["how"].add(g["enforcement"])
    ifcs = set(guards_by_ifc)
    for s in svcs:
        ifcs.update(s["provides"])
        ifcs.update(c["interface"] for c in s["guarded_calls"])
        ifcs.update(u["interface"] for u in s["unguarded_calls"])
    caps = sorted(set(report["capabilities"]) | {c for s in svcs for c in s["holds"]})

    title = f"capability surface: {report['profile']} ({report['variant']})"
    lines = ["digraph capaudit {",
             f"  label={_q(title)};",
             "  labelloc=t;",
             "  rankdir=LR;",
             "  node [fontname=Helvetica];",
             "  edge [fontname=Helvetica, fontsize=10];"]
    for s in svcs:
        label = f"{s['name']}\\nring {s['ring']}" + (" (test)" if s["test_only"] else "")
        lines.append(f"  {_q('svc:' + s['name'])} [shape=box, label=\"{label}\"];")
    for i in sorted(ifcs):
        lines.append(f"  {_q('ifc:' + i)} [shape=ellipse, label={_q(i)}];")
    for c in caps:
        lines.append(f"  {_q('cap:' + c)} [shape=diamond, label={_q(c)}];")
    for s in svcs:
        sid = _q("svc:" + s["name"])
        for i in s["provides"]:
            lines.append(f"  {sid} -> {_q('ifc:' + i)} [label=\"provides\"];")
        for c in s["holds"]:
            if c in s["unused_tokens"]:
                lines.append(f"  {sid} -> {_q('cap:' + c)} "
                             f"[label=\"holds (unused)\", style=dashed, color=red, fontcolor=red];")
            else:
                lines.append(f"  {sid} -> {_q('cap:' + c)} [label=\"holds\"];")
        called = {}
        for c in s["guarded_calls"]:
            called.setdefault(c["interface"], []).append(c["operation"])
        for u in s["unguarded_calls"]:
            called.setdefault(u["interface"], []).extend(u.get("operations", []))
        for i in sorted(called):
            label = "calls" + (": " + ", ".join(sorted(called[i])) if called[i] else "")
            lines.append(f"  {sid} -> {_q('ifc:' + i)} [label={_q(label)}];")
    for i in sorted(guards_by_ifc):
        g = guards_by_ifc[i]
        how = "; ".join(sorted(g["how"]))
        bad = any(h.startswith("NOT ") for h in g["how"])
        style = ", color=red, fontcolor=red" if bad else ""
        lines.append(f"  {_q('cap:' + g['guard'])} -> {_q('ifc:' + i)} "
                     f"[label={_q('guards: ' + how)}, style=bold{style}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


RENDERERS = {"text": to_text, "json": to_json, "dot": to_dot}
