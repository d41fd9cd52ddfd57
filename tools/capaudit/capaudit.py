#!/usr/bin/python3
"""The capability audit: what each service holds, what it calls, and how
every guard and Ring 2 entry compiled in one profile's kernel.

  capaudit.py report --variant fortress-ktest [--format text|json|dot] [-o FILE]
  capaudit.py diff --base REF --profile fortress [--ktest] [--format text|json]

`report` reads gen/<variant>/manifest.json, build/<variant>/svc/*.o and
build/<variant>/kernel.elf (build them first: `make audit` does); it exits
1 if any check the profile demands is missing or a service calls an
operation whose guard it does not hold, 0 otherwise (over-privilege is a
warning). `diff` builds BASE in a temporary git worktree and the working
tree in place, audits both with this tool, and prints what changed.
Status 2: the audit could not be made (no build, bad ref, build failed).
"""

import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import audit  # noqa: E402
import binutils  # noqa: E402
import render  # noqa: E402
import surfacediff  # noqa: E402


def _emit(text, path):
    if path:
        tmp = path + ".tmp"
        with open(tmp, "w") as f:
            f.write(text)
        os.replace(tmp, path)
    else:
        sys.stdout.write(text)


def cmd_report(args):
    variant = args.variant or surfacediff.variant_of(args.profile, args.ktest)
    report = audit.run(args.root, variant, gen=args.gen_dir, build=args.build_dir)
    _emit(render.RENDERERS[args.format](report), args.output)
    return audit.exit_status(report)


def cmd_diff(args):
    old = surfacediff.audit_ref(args.root, args.base, args.profile, args.ktest)
    new = surfacediff.audit_tree(args.root, args.profile, args.ktest,
                                 do_build=not args.no_build)
    new["tree"] = "working tree"
    changes = surfacediff.compare(old, new)
    if args.format == "json":
        text = json.dumps({"base": old, "new": new, "changes": changes,
                           "identical": not changes}, indent=2, sort_keys=True) + "\n"
    else:
        text = surfacediff.to_text(old, new, changes)
    _emit(text, args.output)
    return 0


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)

    def common(p):
        p.add_argument("--root", default=".", help="the source tree (default: .)")
        p.add_argument("--profile", default="balanced",
                       choices=("fortress", "balanced", "performance", "ludicrous"))
        p.add_argument("--ktest", action="store_true", help="the KTEST=1 build")
        p.add_argument("-o", "--output", help="write here instead of stdout")

    rp = sub.add_parser("report", help="audit one build")
    common(rp)
    rp.add_argument("--variant", help="build/<variant> (default: from --profile, --ktest)")
    rp.add_argument("--format", default="text", choices=sorted(render.RENDERERS))
    rp.add_argument("--gen-dir", help="read manifest.json here (default: gen/<variant>)")
    rp.add_argument("--build-dir", help="read the objects and kernel.elf here "
                    "(default: build/<variant>)")
    rp.set_defaults(func=cmd_report)

    dp = sub.add_parser("diff", help="compare BASE's surface with the working tree's")
    common(dp)
    dp.add_argument("--base", required=True, help="a git ref")
    dp.add_argument("--format", default="text", choices=("text", "json"))
    dp.add_argument("--no-build", action="store_true",
                    help="the working tree is already built")
    dp.set_defaults(func=cmd_diff)

    args = ap.parse_args(argv)
    try:
        return args.func(args)
    except (audit.AuditError, binutils.ToolError, surfacediff.DiffError,
            surfacediff._Stop) as e:
        print(f"capaudit: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
