#!/usr/bin/python3
"""tcb: how much of the kernel is trusted.

  tcb.py --profile P --gen gen/<variant> [--json]

The trusted computing base is the code whose mistakes can break the ring
boundaries: all of Ring 0 (boot/, platform/), and outside it every
ringlint exception (`ringlint: allow ...`), counted as the whole function
that holds it -- the exception does a Ring 0 thing, and the function
around it is what a reviewer must read to trust it. An exception in a
#define counts that macro's lines; one at file scope, its own line. In
ludicrous ring lint is off: nothing outside Ring 0 is checked, so the
whole kernel is trusted.

Code lines are cloc's (`cloc --json --by-file`): lines that are neither
blank nor only comment. The kernel is what this variant builds: boot/
and platform/ (C, headers, assembly, the linker script), core/ and caps/,
the services the generated manifest lists, and the generated C
(gen/<variant>/*.c and its headers).
"""
import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "ringlint"))
import ringlint  # noqa: E402

ROOT = os.path.dirname(HERE)
SOURCE_EXTS = (".c", ".h", ".S", ".ld")


def files_under(path, exts=SOURCE_EXTS):
    out = []
    for dirpath, dirnames, filenames in os.walk(path):
        dirnames.sort()
        out.extend(os.path.join(dirpath, f) for f in sorted(filenames) if f.endswith(exts))
    return out


def cloc_code_lines(paths):
    """{path: code lines} for each path, from one cloc run."""
    if not paths:
        return {}
    with tempfile.NamedTemporaryFile("w", suffix=".txt") as lst:
        lst.write("\n".join(paths) + "\n")
        lst.flush()
        try:
            out = subprocess.run(["cloc", "--json", "--by-file", "--quiet", "--skip-uniqueness",
                                  "--force-lang=C,ld", "--list-file=" + lst.name],
                                 check=True, capture_output=True, text=True).stdout
        except FileNotFoundError:
            sys.exit("tcb: cloc is not installed (Debian package cloc; make deps)")
        except subprocess.CalledProcessError as e:
            sys.exit(f"tcb: cloc failed: {e.stderr.strip()}")
    data = json.loads(out) if out.strip() else {}
    counts = {p: 0 for p in paths}     # cloc leaves out files with no code
    for path, v in data.items():
        if path not in ("header", "SUM"):
            counts[path] = v["code"]
    return counts


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--profile", required=True)
    ap.add_argument("--gen", required=True, help="gen/<variant> of the build")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)

    os.chdir(ROOT)
    gen = os.path.normpath(args.gen)
    with open(os.path.join(gen, "manifest.json")) as f:
        manifest = json.load(f)
    built = [s["name"] for s in manifest["services"]]
    nrings = manifest.get("rings")
    variant = os.path.basename(gen)
    lint_on = args.profile != "ludicrous"

    rows = [
        ("Ring 0", "Platform: boot/, platform/", files_under("boot") + files_under("platform")),
        ("Ring 1", "Core: core/, caps/", files_under("core", (".c", ".h")) +
         files_under("caps", (".c", ".h"))),
        ("", f"generated: {gen}/",
         [os.path.join(gen, f) for f in sorted(os.listdir(gen)) if f.endswith(".c")] +
         files_under(os.path.join(gen, "include"), (".h",))),
        ("Ring 2", "Services: " + (", ".join(built) or "none") +
         ("" if nrings == 3 else " (folded into Core)"),
         [f for s in built for f in files_under(os.path.join("services", s), (".c", ".h"))]),
    ]
    unbuilt = sorted(d for d in os.listdir("services")
                     if os.path.isdir(os.path.join("services", d)) and d not in built)

    # The exceptions, and the code they make trusted.
    checked = ["core", "caps"] + [os.path.join("services", s) for s in built] + [gen]
    headers = [os.path.join(ROOT, d) for d in ringlint.DEFAULT_HEADER_DIRS] + \
        [os.path.join(gen, "include")]
    result = ringlint.lint(checked, headers)
    exceptions = result["exceptions"]
    spans = {}
    for a in exceptions:
        key = (a.path, a.span[0], a.span[1])
        spans.setdefault(key, []).append(a)
    with tempfile.TemporaryDirectory() as tmp:
        span_files = {}
        for k, (path, first, last) in enumerate(sorted(spans)):
            with open(path) as f:
                lines = f.read().splitlines()[first - 1:last]
            piece = os.path.join(tmp, f"span{k}.c")
            with open(piece, "w") as f:
                f.write("\n".join(lines) + "\n")
            span_files[(path, first, last)] = piece
        counts = cloc_code_lines([p for _, _, fs in rows for p in fs] + list(span_files.values()))
        span_lines = {key: counts[piece] for key, piece in span_files.items()}

    table = []
    for ring, what, fs in rows:
        code = sum(counts[p] for p in fs)
        if ring == "Ring 0" or not lint_on:
            trusted = code
        else:
            trusted = sum(n for (path, _, _), n in span_lines.items() if path in fs)
        table.append({"ring": ring, "what": what, "files": len(fs), "code": code,
                      "trusted": trusted})
    total = sum(r["code"] for r in table)
    tcb = sum(r["trusted"] for r in table)
    share = 100.0 * tcb / total if total else 0.0
    listed = []
    seen = set()
    for a in exceptions:
        key = (a.path, a.span[0], a.span[1])
        listed.append({"path": a.path, "line": a.covers,
                       "rules": [r for r in a.rules if a.used[r]], "where": a.where,
                       "lines": list(a.span), "code": span_lines[key],
                       "counted": key not in seen, "reason": a.reason})
        seen.add(key)

    if args.json:
        print(json.dumps({"variant": variant, "profile": args.profile, "rings": nrings,
                          "ring_lint": lint_on, "rows": table, "kernel": total, "tcb": tcb,
                          "share": round(share, 2), "exceptions": listed,
                          "lint_errors": len(result["errors"]), "not_built": unbuilt},
                         indent=1))
        return 0

    lint_state = "ring lint enforced" if lint_on else "ring lint off: all of it is trusted"
    print(f"Trusted computing base of the {variant} kernel ({nrings} ring"
          f"{'' if nrings == 1 else 's'}; {lint_state})")
    print()
    w = max(len(r["what"]) for r in table) + 2
    print(f"  {'':7}{'':{w}}{'files':>6}{'code lines':>12}{'in TCB':>9}{'share':>8}")
    for r in table:
        pct = 100.0 * r["trusted"] / r["code"] if r["code"] else 0.0
        print(f"  {r['ring']:7}{r['what']:{w}}{r['files']:>6}{r['code']:>12}"
              f"{r['trusted']:>9}{pct:>7.1f}%")
    print("  " + "-" * (7 + w + 35))
    print(f"  {'kernel':7}{'':{w}}{sum(r['files'] for r in table):>6}{total:>12}"
          f"{tcb:>9}{share:>7.1f}%")
    print()
    outside = tcb - table[0]["trusted"]
    if lint_on:
        nfun = len(span_lines)
        print(f"TCB: {tcb} of {total} code lines ({share:.1f}%): Ring 0's {table[0]['trusted']}"
              f" + {outside} in {nfun} place{'' if nfun == 1 else 's'} outside it with a "
              f"ringlint exception.")
    else:
        print(f"TCB: {tcb} of {total} code lines ({share:.1f}%): without ring lint every "
              "line can do what Ring 0 does.")
    print()
    if listed:
        print("Ringlint exceptions (each makes its enclosing function trusted):")
        lw = max(len(f"{e['path']}:{e['line']}") for e in listed) + 2
        rw = max(len(", ".join(e["rules"])) for e in listed) + 2
        ww = max(len(e["where"]) for e in listed) + 2
        for e in listed:
            n = f"{e['code']} lines" if e["counted"] else "(counted)"
            print(f"  {e['path'] + ':' + str(e['line']):{lw}}{', '.join(e['rules']):{rw}}"
                  f"{e['where']:{ww}}{n:>10}   {e['reason']}")
    else:
        print("Ringlint exceptions: none in this kernel.")
    if unbuilt:
        print()
        print("Not in this kernel: " + ", ".join(f"services/{s}" for s in unbuilt) +
              ("" if manifest.get("tests") else " (test-only ones: make tcb KTEST=1)"))
    if result["errors"]:
        print()
        print(f"Note: ringlint reports {len(result['errors'])} error(s) here (make lint); "
              "unannotated violations are not counted in the TCB.")
    return 0


if __name__ == "__main__":
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)     # quiet when piped into head
    sys.exit(main())
