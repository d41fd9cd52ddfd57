#!/usr/bin/python3
"""Enforce a ring boundary on a partially linked ring object.

  ringcheck.py --ring 2 --what services/klog --object klog.o \
      --exports gen/p/exports/ring0-ring2.txt gen/p/exports/ring1-ring2.txt \
      --deps build/p/obj/services/klog/*.d \
      --headers platform/include gen/p/include services/klog \
      --deny-headers platform/include/kevlar/irq.h

Fails (exit 1, one line per problem) if the object needs a symbol that no
export list offers it, or if any of its sources included a header outside
the directories its ring may see, or one of the headers named as closed
to it inside them (--deny-headers).
"""
import argparse
import os
import re
import subprocess
import sys


def undefined_symbols(obj):
    out = subprocess.run(["nm", "-u", obj], check=True, capture_output=True, text=True).stdout
    return sorted({line.split()[-1] for line in out.splitlines() if line.strip()})


def read_exports(paths):
    names = set()
    for path in paths:
        with open(path) as f:
            names.update(line.strip() for line in f
                         if line.strip() and not line.startswith("#"))
    return names


def linker_symbols(paths):
    """Names a linker script assigns (`name = ...;`), and the symbol table's."""
    names = {"ksyms_count", "ksyms_addrs", "ksyms_name_offsets", "ksyms_names"}
    for path in paths:
        with open(path) as f:
            names.update(re.findall(r"^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=", f.read(), re.M))
    return names


def headers_of(dep_file):
    """The prerequisites make would see in a gcc -MMD file, minus the source."""
    with open(dep_file) as f:
        text = f.read().replace("\\\n", " ")
    first_rule = text.split("\n\n")[0]
    _, _, prereqs = first_rule.partition(":")
    files = prereqs.split()
    return files[0] if files else None, files[1:]


def inside(path, dirs):
    path = os.path.realpath(path)
    return any(path == d or path.startswith(d + os.sep) for d in dirs)


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--ring", required=True)
    ap.add_argument("--what", required=True, help="name used in messages")
    ap.add_argument("--object", required=True)
    ap.add_argument("--exports", nargs="*", default=[])
    ap.add_argument("--allow", nargs="*", default=[], help="extra symbol names")
    ap.add_argument("--ldscripts", nargs="*", default=[],
                    help="linker scripts whose symbols the final link defines")
    ap.add_argument("--deps", nargs="*", default=[])
    ap.add_argument("--headers", nargs="*", default=[])
    ap.add_argument("--deny-headers", nargs="*", default=[],
                    help="headers inside --headers that this ring still may not see")
    args = ap.parse_args()

    problems = []
    allowed = read_exports(args.exports) | set(args.allow) | linker_symbols(args.ldscripts)
    for sym in undefined_symbols(args.object):
        if sym not in allowed:
            problems.append(f"{args.what}: uses '{sym}', which no inner ring exports "
                            f"to Ring {args.ring} (declare it in idl/)")

    root = os.path.realpath(".")
    header_dirs = [os.path.realpath(d) for d in args.headers]
    denied = {os.path.realpath(h) for h in args.deny_headers}
    for dep in args.deps:
        source, headers = headers_of(dep)
        for h in headers:
            if not inside(h, [root]):
                continue
            if inside(h, header_dirs) and os.path.realpath(h) not in denied:
                continue
            problems.append(f"{source}: includes {os.path.relpath(os.path.realpath(h), root)}, "
                            f"which Ring {args.ring} may not see")
    for p in problems:
        print(f"ringcheck: {p}", file=sys.stderr)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
