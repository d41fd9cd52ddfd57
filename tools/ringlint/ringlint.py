#!/usr/bin/python3
"""ringlint: what code outside Ring 0 may not do.

  tools/ringlint/ringlint.py [--profile P] [-I DIR]... [--json] PATH...

Checks the C sources (.c and .h) of Ring 1 and Ring 2 -- core/, caps/,
services/ and the generated gen/<profile>/ -- and rejects:

  asm         inline assembly (asm, __asm__, __asm);
  volatile    any volatile (device access belongs to Ring 0);
  int-to-ptr  a cast to a pointer type of an integer: a literal other than
              0, an integer-typed cast such as (u64)x, or a name, call or
              expression whose type is an integer type;
  user-deref  *, -> or [] applied to a pointer declared __user, a cast that
              turns a __user pointer into a kernel one, or a uptr_t (user
              address) cast to a pointer (other than a __user one).

A deliberate exception is annotated with a comment on the same line, or
alone on the line(s) just before it:

    /* ringlint: allow volatile, int-to-ptr -- why this is needed */

Each exception is counted and listed; an exception without a reason, with
an unknown rule, or that allows nothing is itself an error. Errors are
printed as `file:line:col: error: [rule] message`, then a summary; the exit
status is 1 if there was any.

How it works: the source is tokenized as C (comments, strings, character
constants, continued lines, preprocessor directives), declarations are
read to learn the type of each name (in its scope: parameters and locals
belong to their function or block; members and file-scope names to the
file), and the public headers (-I, default platform/include, caps/include,
core/include and the include/ of any gen/ directory checked) give the
types of the names a file uses from outside. A cast's operand is then
classified as integer, user address, pointer, __user pointer or unknown;
only a known integer is an error, so it never guesses. Only #define bodies
among the directives are checked. Macros are not expanded: what a Ring 0
header's macro expands to is Ring 0's responsibility.

With --profile ludicrous (or RINGLINT_PROFILE=ludicrous in the
environment) the lint is off, as the design says, and it says so.
"""
import argparse
import json
import os
import re
import signal
import sys

from cmodel import BUILTIN_TYPEDEFS, Env, Unit, macro_kind, parse_define
from ctokens import tokenize
from rules import RULES, Finding, check_unit

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
RING0_DIRS = ("boot", "platform")
DEFAULT_HEADER_DIRS = ("platform/include", "caps/include", "core/include")


class Annotation:
    """A `ringlint: allow <rules> -- <reason>` comment, and what it allowed."""

    def __init__(self, path, comment, rules, reason, bad):
        self.path = path
        self.line = comment.line
        self.col = comment.col
        self.trailing = comment.trailing
        self.end_line = comment.end_line
        self.rules = rules
        self.reason = reason
        self.bad = bad               # why it is malformed, or None
        self.used = {r: [] for r in rules}
        self.covers = None           # the code line it applies to
        self.span = None             # the lines it makes trusted (first, last)
        self.where = None            # 'name()', '#define NAME' or 'line'

    def as_dict(self):
        return {"path": self.path, "line": self.covers, "comment_line": self.line,
                "rules": [r for r in self.rules if self.used[r]], "reason": self.reason,
                "count": sum(len(v) for v in self.used.values()),
                "span": list(self.span), "where": self.where}


ANNOTATION = re.compile(r"ringlint:\s*allow\b(.*)", re.S)


def parse_annotation(path, comment):
    m = ANNOTATION.search(comment.text)
    if not m:
        return None
    body = m.group(1)
    body = re.sub(r"\*/\s*$", "", body)
    body = " ".join(part.strip().lstrip("*").strip() for part in body.splitlines())
    rules_text, sep, reason = body.partition("--")
    rules = [r for r in re.split(r"[\s,]+", rules_text.strip()) if r]
    reason = reason.strip()
    bad = None
    if not rules:
        bad = "names no rule (one of: " + ", ".join(RULES) + ")"
    elif any(r not in RULES for r in rules):
        unknown = [r for r in rules if r not in RULES]
        bad = f"names an unknown rule '{unknown[0]}' (one of: " + ", ".join(RULES) + ")"
    elif not sep or not reason:
        bad = "has no reason: write `ringlint: allow <rule> -- <why>`"
    return Annotation(path, comment, rules, reason, bad)


def read_env(header_dirs):
    env = Env()
    seen = set()
    for d in header_dirs:
        for path in walk(d, exts=(".h",)):
            real = os.path.realpath(path)
            if real in seen:
                continue
            seen.add(real)
            with open(path, errors="replace") as f:
                main, directives, _ = tokenize(f.read())
            unit = Unit(main, env)
            unit.scan(0, unit.n, unit.n, top=True)
            for name, entries in unit.decls.items():
                for lo, hi, kind in entries:
                    if lo == 0 and hi == unit.n:
                        env.add(name, kind)
            for name, kind in unit.typedefs.items():
                if name not in BUILTIN_TYPEDEFS:
                    env.typedefs[name] = kind
            for dtoks in directives:
                define = parse_define(dtoks)
                kind = define and macro_kind(define, env, unit)
                if kind:
                    env.add(define[0], kind)
    return env


def lint_file(path, env, display=None):
    """Lints one file: (errors, the exceptions that allowed something).

    A malformed exception is an error itself, but still covers the rules it
    names, so that one mistake is reported once."""
    display = display or path
    with open(path, errors="replace") as f:
        src = f.read()
    main, directives, comments = tokenize(src)
    unit = Unit(main, env, src=src)
    unit.scan(0, unit.n, unit.n, top=True)
    defines = [(k, parse_define(d)) for k, d in enumerate(directives)]
    defines = [(k, d) for k, d in defines if d]
    for _, define in defines:
        kind = macro_kind(define, env, unit)
        if kind:
            unit.record(define[0], kind, 0, unit.n)
    raw = []
    check_unit(unit, display, raw, lambda i: ("main", i))
    for k, (_, params, body) in defines:
        params = params or ()
        mu = Unit(body, env, outer=unit)
        for p in params:
            mu.record(p, "unknown", 0, len(body))
        check_unit(mu, display, raw, lambda i, k=k: ("define", k), macro_params=params)

    annotations = []
    for c in comments:
        a = parse_annotation(display, c)
        if a is not None:
            annotations.append(a)
    code_lines = sorted({t.line for t in main} | {t.line for d in directives for t in d})
    for a in annotations:
        if a.trailing:
            a.covers = a.line
        else:
            later = [ln for ln in code_lines if ln > a.end_line]
            a.covers = later[0] if later else a.end_line
    by_line = {}
    for a in annotations:
        by_line.setdefault(a.covers, []).append(a)

    findings = []
    seen = set()
    for f, where in raw:
        key = (f.line, f.col, f.rule)
        if key in seen:
            continue
        seen.add(key)
        allowed = False
        for a in by_line.get(f.line, ()):
            if f.rule in a.rules:
                a.used[f.rule].append((f, where))
                allowed = True
        if not allowed:
            findings.append(f)

    for a in annotations:
        a.span, a.where = exception_span(a, unit, directives, main)
        if a.bad:
            findings.append(Finding(display, a.line, a.col, "annotation", f"this exception {a.bad}"))
            continue
        idle = [r for r in a.rules if not a.used[r]]
        if idle:
            findings.append(Finding(display, a.line, a.col, "annotation",
                                    f"this exception allows [{', '.join(idle)}] on line "
                                    f"{a.covers}, but nothing there needs it: remove it"))
    findings.sort(key=lambda f: (f.line, f.col))
    good = [a for a in annotations if not a.bad and any(a.used.values())]
    return findings, good


def exception_span(a, unit, directives, main):
    """The lines an exception makes trusted: its enclosing function, else
    its #define, else its own line."""
    wheres = [w for uses in a.used.values() for _, w in uses]
    for kind, idx in wheres:
        if kind == "main":
            for name, first, last in unit.functions:
                if first <= idx <= last:
                    return (main[first].line, main[min(last, len(main) - 1)].line), f"{name}()"
        elif kind == "define":
            d = directives[idx]
            return (d[0].line, d[-1].line), f"#define {d[2].text}"
    return (a.covers, a.covers), "line"


def walk(path, exts=(".c", ".h")):
    if os.path.isfile(path):
        return [path]
    out = []
    for dirpath, dirnames, filenames in os.walk(path):
        dirnames.sort()
        for fn in sorted(filenames):
            if fn.endswith(exts):
                out.append(os.path.join(dirpath, fn))
    return out


def in_ring0(path):
    rel = os.path.relpath(os.path.realpath(path), ROOT)
    return rel.split(os.sep)[0] in RING0_DIRS


def relpath(path):
    rel = os.path.relpath(os.path.realpath(path), os.path.realpath("."))
    return path if rel.startswith("..") else rel


def lint(paths, header_dirs=None):
    """Lints 'paths' (files or directories): a dict with 'files',
    'errors' (Finding) and 'exceptions' (Annotation)."""
    notes = []
    files = []
    for p in paths:
        if not os.path.exists(p):
            notes.append(f"ringlint: {p}: no such file or directory")
            continue
        if in_ring0(p):
            notes.append(f"ringlint: skipping {p}: Ring 0 is the trusted base; the rules "
                         "are for the rings outside it")
            continue
        files.extend(walk(p))
    if header_dirs is None:
        header_dirs = [os.path.join(ROOT, d) for d in DEFAULT_HEADER_DIRS]
        for p in paths:        # a gen/<variant>/ checked: its headers too
            inc = os.path.join(p, "include")
            rel = os.path.relpath(os.path.realpath(p), ROOT)
            if rel.startswith("gen" + os.sep) and os.path.isdir(inc):
                header_dirs.append(inc)
    env = read_env(header_dirs)
    errors, exceptions = [], []
    seen = set()
    for f in files:
        real = os.path.realpath(f)
        if real in seen:
            continue
        seen.add(real)
        fe, fx = lint_file(f, env, relpath(f))
        errors.extend(fe)
        exceptions.extend(fx)
    return {"files": len(seen), "errors": errors, "exceptions": exceptions, "notes": notes}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 epilog="Rules: " + ", ".join(RULES))
    ap.add_argument("paths", nargs="*", help="files or directories (default: core caps services)")
    ap.add_argument("--profile", default=os.environ.get("RINGLINT_PROFILE"),
                    help="the build profile; ludicrous turns the lint off")
    ap.add_argument("-I", "--include", dest="includes", action="append",
                    help="header directory to learn types from (repeatable; "
                         "replaces the defaults)")
    ap.add_argument("--json", action="store_true", help="print the result as JSON")
    args = ap.parse_args(argv)

    if args.profile == "ludicrous":
        msg = "ringlint: ring lint is off in the ludicrous profile"
        print(json.dumps({"off": True, "message": msg}) if args.json else msg)
        return 0
    paths = args.paths or [os.path.join(ROOT, d) for d in ("core", "caps", "services")]
    result = lint(paths, args.includes)
    for note in result["notes"]:
        print(note, file=sys.stderr)
    errors, exceptions = result["errors"], result["exceptions"]
    if args.json:
        print(json.dumps({
            "profile": args.profile, "files": result["files"],
            "errors": [{"path": e.path, "line": e.line, "col": e.col, "rule": e.rule,
                        "message": e.message} for e in errors],
            "exceptions": [a.as_dict() for a in exceptions],
        }, indent=1))
        return 1 if errors else 0
    for e in errors:
        print(e)
    profile = f" ({args.profile})" if args.profile else ""
    uses = sum(len(v) for a in exceptions for v in a.used.values())
    print(f"ringlint{profile}: {result['files']} files, {len(errors)} error"
          f"{'' if len(errors) == 1 else 's'}, {len(exceptions)} exception"
          f"{'' if len(exceptions) == 1 else 's'} allowing {uses} finding"
          f"{'' if uses == 1 else 's'}")
    for a in exceptions:
        rules = ", ".join(r for r in a.rules if a.used[r])
        print(f"  {a.path}:{a.covers}: [{rules}] in {a.where}: {a.reason}")
    if not result["files"] and not result["notes"]:
        print("ringlint: nothing to check", file=sys.stderr)
    return 1 if errors or (not result["files"] and result["notes"]) else 0


if __name__ == "__main__":
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)     # quiet when piped into head
    sys.exit(main())
