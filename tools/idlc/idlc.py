#!/usr/bin/python3
"""idlc: the Kevlar IDL compiler.

    idlc.py --profile {fortress,balanced,performance,ludicrous} --out gen/<profile>
            [--tests] idl/*.idl
    idlc.py --check idl/*.idl

Reads every boundary of the kernel from the IDL files, checks them as one
whole, and writes the C headers, shims, registry tables, system-call
dispatcher and tracer, linker-script fragments, export lists and manifest
of one profile into --out. idl/README.md
describes the language and every emitted file.

An error in the IDL is printed as `file:line:col: error: message` and
exits with status 1. Output is all or nothing: it is generated into a
temporary sibling of --out and renamed into place only when complete, so
a failed run leaves an existing --out exactly as it was. Files whose
contents did not change keep their old modification time, so make rebuilds
only what a change in the IDL really touches.
"""

import argparse
import os
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from checks import IdlErrors, check  # noqa: E402
from emit import HERE, render_all, template_paths  # noqa: E402
from model import IdlError  # noqa: E402
from profiles import PROFILES  # noqa: E402
from syntax import GRAMMAR, parse_file  # noqa: E402


def display_path(path):
    """path relative to the working directory if it lies below it, so that
    generated text does not depend on where the tree is checked out."""
    path = os.path.normpath(path)
    if os.path.isabs(path):
        rel = os.path.relpath(path)
        if not rel.startswith(".."):
            return rel
    return path


def _umask():
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_tree(out, files):
    """Writes {relative path: text} as directory 'out', atomically."""
    out = os.path.normpath(out)
    if os.path.lexists(out) and not os.path.isdir(out):
        raise OSError(f"'{out}' exists and is not a directory")
    parent = os.path.dirname(out) or "."
    base = os.path.basename(out)
    os.makedirs(parent, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix=f".{base}.tmp-", dir=parent)
    try:
        os.chmod(tmp, 0o777 & ~_umask())
        for rel in sorted(files):
            data = files[rel].encode("utf-8")
            path = os.path.join(tmp, rel)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as f:
                f.write(data)
            old = os.path.join(out, rel)
            try:
                with open(old, "rb") as f:
                    same = f.read() == data
                if same:
                    st = os.stat(old)
                    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
            except OSError:
                pass
        if os.path.isdir(out):
            trash = tempfile.mkdtemp(prefix=f".{base}.old-", dir=parent)
            os.rmdir(trash)
            os.rename(out, trash)
            try:
                os.rename(tmp, out)
            except OSError:
                os.rename(trash, out)
                raise
            shutil.rmtree(trash, ignore_errors=True)
        else:
            os.rename(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def generator_files():
    """Everything the output depends on besides the IDL: for idlc.d."""
    mods = sorted(os.path.join(HERE, n) for n in os.listdir(HERE) if n.endswith(".py"))
    return [display_path(p) for p in mods + [GRAMMAR] + template_paths()]


def main(argv=None):
    ap = argparse.ArgumentParser(
        prog="idlc", description="Compile Kevlar IDL files into C for one profile.")
    ap.add_argument("--profile", choices=sorted(PROFILES),
                    help="the profile to generate for")
    ap.add_argument("--out", help="output directory, e.g. gen/balanced")
    ap.add_argument("--tests", action="store_true",
                    help="include test_only services (a test build)")
    ap.add_argument("--check", action="store_true",
                    help="only check the IDL; write nothing")
    ap.add_argument("files", nargs="+", metavar="FILE.idl")
    args = ap.parse_args(argv)
    if not args.check and (args.profile is None or args.out is None):
        ap.error("--profile and --out are required (or --check)")

    # The files are one whole, read in a fixed order whatever the order
    # of the command line, so the output never depends on it.
    paths = sorted({display_path(p) for p in args.files})
    errors = []
    parsed = []
    for path in paths:
        try:
            parsed.append(parse_file(path))
        except IdlError as err:
            errors.append(err)
    if not errors:
        try:
            mod = check(parsed, tests=args.tests)
        except IdlErrors as errs:
            errors = errs.errors
    if errors:
        for err in errors:
            print(err, file=sys.stderr)
        return 1
    if args.check:
        return 0

    prof = PROFILES[args.profile]
    out = os.path.normpath(args.out)
    files = render_all(mod, prof, paths, args.tests,
                       dep_target=os.path.join(out, "manifest.json"),
                       dep_sources=paths + generator_files())
    try:
        write_tree(out, files)
    except OSError as err:
        print(f"idlc: error: cannot write {out}: {err.strerror or err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
