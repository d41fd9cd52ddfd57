#!/usr/bin/env python3
"""tokencheck: a service calls only what its tokens allow, in its objects.

    tokencheck.py --manifest gen/<p>/manifest.json --service <name> OBJ...

The compiler refuses a token type a service does not hold (its view of
caps.h); this is the backstop for every other way a call could get in (a
prototype written by hand, a header included by path, a token reached
through memory), in every profile. It reads the symbols the service's
objects leave undefined (`nm -u`, less what the service's other objects
define: what `ld -r` into svc/<name>.o leaves undefined) and looks each
one up among the symbols a call into an IDL interface can leave:

  <ifc>_<op>, <ifc>_<op>_impl, <ifc>_<op>_dispatch, <provider>_<ifc>_<op>
  and the interface's extern names (memcpy, printk, ...)

A symbol of an interface the manifest's may_call for the service does not
list is refused, naming the interface and its guard. Symbols of no
interface (the registry's own, svc_ops, ring_enter, ...) are left to
ringcheck, which holds each ring to its export lists.

The objects may be GCC LTO objects (ludicrous): nm reads their symbol
tables through the linker plugin, which name what the source calls
before any inlining.

Exit status: 0 if every call is allowed, 1 if not (one line each on
stderr), 2 on a usage or tool error.
"""

import argparse
import json
import os
import subprocess
import sys

NM = os.environ.get("NM", "nm")


def nm(args, obj):
    try:
        res = subprocess.run([NM, *args, obj], capture_output=True, text=True)
    except OSError as e:
        raise SystemExit(f"tokencheck: {NM}: {e.strerror}") from e
    if res.returncode != 0:
        print(f"tokencheck: {NM} {' '.join(args)} {obj}: {res.stderr.strip() or 'failed'}",
              file=sys.stderr)
        sys.exit(2)
    return res.stdout


def undefined(objs):
    """What the objects need from outside themselves, together."""
    need, have = set(), set()
    for obj in objs:
        for line in nm(["-u"], obj).splitlines():
            if line.strip():
                need.add(line.split()[-1])
        for line in nm(["--defined-only"], obj).splitlines():
            parts = line.split()
            if len(parts) == 3:
                have.add(parts[2])
    return sorted(need - have)


def interface_symbols(manifest):
    """{symbol: [(interface, guard)]}: every symbol a call into an
    interface can leave in an object, and whose it is."""
    syms = {}
    for ifc in manifest.get("interfaces", []):
        name, guard = ifc["name"], ifc.get("guard")
        names = list(ifc.get("externs", []))
        for op in ifc.get("operations", []):
            base = f"{name}_{op['name']}"
            names += [base, f"{base}_impl", f"{base}_dispatch"]
            names += [f"{p}_{name}_{op['name']}" for p in ifc.get("providers", [])]
        for n in names:
            syms.setdefault(n, []).append((name, guard))
    return syms


def check(manifest, service, symbols):
    """The refusals, one line each, for the undefined symbols of the
    service's objects."""
    svc = next((s for s in manifest.get("services", []) if s["name"] == service), None)
    if svc is None:
        return [f"services/{service}: no such service in the manifest"]
    allowed = {m["interface"] for m in svc.get("may_call", [])}
    by_symbol = interface_symbols(manifest)
    errors = []
    for sym in symbols:
        owners = by_symbol.get(sym)
        if not owners or any(ifc in allowed for ifc, _ in owners):
            continue
        ifc, guard = owners[0]
        if guard:
            errors.append(f"services/{service}: calls {sym} (interface {ifc}, guarded by "
                          f"{guard}), which it does not hold")
        else:
            errors.append(f"services/{service}: calls {sym} (interface {ifc}), "
                          f"which Ring 2 may not call")
    return errors


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--manifest", required=True)
    ap.add_argument("--service", required=True)
    ap.add_argument("objects", nargs="*")
    args = ap.parse_args(argv)
    try:
        with open(args.manifest) as f:
            manifest = json.load(f)
    except (OSError, ValueError) as e:
        print(f"tokencheck: {args.manifest}: {e}", file=sys.stderr)
        return 2
    errors = check(manifest, args.service, undefined(args.objects))
    for e in errors:
        print(e, file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
