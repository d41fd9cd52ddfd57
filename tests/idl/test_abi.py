"""The Linux ABI is declared once (idl/abi.idl), and it is Linux's.

Every constant of the generated gen/<p>/include/abi/*.h is compiled
against the host's headers that its group names (`host "..."`): one
translation unit per group, since some of those headers conflict with
each other, with `_Static_assert(NAME == <generated value>)`. A constant
the host header does not define fails too. And no hand-written source
defines a constant that the IDL declares.
"""

import os
import re
import shutil
import subprocess
import sys

import pytest

from idl_harness import REAL_IDL, ROOT, run_idlc

GCC = shutil.which("gcc")
needs_gcc = pytest.mark.skipif(GCC is None, reason="no gcc")
HAND_WRITTEN = ("boot", "platform", "caps", "core", "services")
DEFINE = re.compile(r"^\s*#\s*define\s+([A-Za-z_][A-Za-z0-9_]*)(\(?)[ \t]*(.*?)\s*(?:/\*.*\*/)?$",
                    re.M)


def abi_module():
    from checks import check
    from syntax import parse_file
    return check([parse_file(os.path.join(ROOT, f)) for f in REAL_IDL])


def generated_values(tmp_path):
    """{name: value as the generated headers define it}, from a fresh
    generation of the real IDL."""
    out = tmp_path / "gen"
    assert run_idlc(["--profile", "balanced", "--out", out, *REAL_IDL]) == 0
    values = {}
    for h in sorted((out / "include" / "abi").iterdir()):
        for name, fn, value in DEFINE.findall(h.read_text()):
            if not fn and not name.startswith("KEVLAR_ABI_") and not name.endswith("_NAMES"):
                values[name] = value
    return values


def check_source(hosts, values):
    """A C file that fails to compile unless every name in values is
    defined by the host headers, with that value."""
    lines = [f"#include <{h}>" for h in hosts] + [""]
    for name, value in values.items():
        lines += [f"#ifndef {name}",
                  f'#error "{name}: the host headers ({", ".join(hosts)}) do not define it"',
                  "#endif",
                  f'_Static_assert(({name}) == ({value}), '
                  f'"{name}: idl/abi.idl says {value}, the host says otherwise");']
    return "\n".join(lines) + "\n"


def compile_check(tmp_path, tag, hosts, values):
    src = tmp_path / f"abi_{tag}.c"
    src.write_text(check_source(hosts, values))
    return subprocess.run([GCC, "-std=gnu11", "-fsyntax-only", "-Werror", str(src)],
                          capture_output=True, text=True)


def groups_to_check(mod, values):
    for group in mod.abi_groups:
        if group.hosts:
            yield group, {c.name.text: values[c.name.text] for c in group.consts}


@needs_gcc
def test_every_constant_is_the_hosts(tmp_path):
    mod = abi_module()
    values = generated_values(tmp_path)
    declared = {c.name.text for g in mod.abi_groups for c in g.consts}
    assert len(declared) > 300
    assert set(values) == declared, "the generated headers and the IDL disagree"
    failures = []
    for group, vals in groups_to_check(mod, values):
        r = compile_check(tmp_path, group.name.text, group.hosts, vals)
        if r.returncode != 0:
            failures.append(f"abi {group.name} ({group.pos}):\n{r.stderr}")
    assert not failures, "\n".join(failures)


def test_unchecked_groups_say_why():
    """A group without `host` is not compared with anything: its doc
    comment must say why."""
    for group in abi_module().abi_groups:
        if not group.hosts:
            assert "not checked" in group.doc, \
                f"abi {group.name} ({group.pos}) has no host header and does not say why"


@needs_gcc
def test_a_wrong_value_fails(tmp_path):
    """The check is real: a value that differs from the host's, or a name
    the host header lacks, does not compile."""
    r = compile_check(tmp_path, "ok", ["asm-generic/errno.h"], {"EPERM": "1", "ENOENT": "2"})
    assert r.returncode == 0, r.stderr
    r = compile_check(tmp_path, "value", ["asm-generic/errno.h"], {"EPERM": "1", "ENOENT": "3"})
    assert r.returncode != 0 and "ENOENT: idl/abi.idl says 3" in r.stderr
    r = compile_check(tmp_path, "name", ["asm-generic/errno.h"], {"ENOTANERRNO": "1"})
    assert r.returncode != 0 and "ENOTANERRNO: the host headers" in r.stderr


@needs_gcc
def test_a_wrong_value_in_the_idl_fails(tmp_path):
    """The whole path: an abi.idl with one value changed gives a generated
    header that the host check rejects."""
    src = open(os.path.join(ROOT, "idl", "abi.idl")).read()
    assert "    SIGTERM = 15," not in src   # several signals share a line
    wrong = src.replace("SIGTERM = 15,", "SIGTERM = 99,", 1)
    assert wrong != src
    idl = tmp_path / "abi.idl"
    idl.write_text(wrong)
    out = tmp_path / "gen"
    assert run_idlc(["--profile", "balanced", "--out", out, idl]) == 0
    header = (out / "include" / "abi" / "signal.h").read_text()
    values = {n: v for n, fn, v in DEFINE.findall(header) if n.startswith("SIG") and
              not fn and not n.endswith("_NAMES") and n not in ("SIG_DFL", "SIG_IGN",
                                                                 "SIG_BLOCK", "SIG_UNBLOCK",
                                                                 "SIG_SETMASK", "SIGRTMIN")}
    assert values["SIGTERM"] == "99"
    r = compile_check(tmp_path, "signal", ["asm/signal.h"], values)
    assert r.returncode != 0 and "SIGTERM: idl/abi.idl says 99" in r.stderr


def hand_definitions(names):
    """(file, line, name) for each `#define NAME` of a hand-written source
    where NAME is in names."""
    found = []
    for top in HAND_WRITTEN:
        for d, _, files in os.walk(os.path.join(ROOT, top)):
            for f in sorted(files):
                if not f.endswith((".c", ".h", ".S")):
                    continue
                path = os.path.join(d, f)
                with open(path, encoding="utf-8") as fh:
                    text = fh.read()
                for m in DEFINE.finditer(text):
                    if m.group(1) in names:
                        line = text.count("\n", 0, m.start()) + 1
                        found.append((os.path.relpath(path, ROOT), line, m.group(1)))
    return found


def test_no_hand_definition_of_an_abi_constant():
    mod = abi_module()
    names = {c.name.text for g in mod.abi_groups for c in g.consts}
    names |= {g.names.text for g in mod.abi_groups if g.names is not None}
    found = hand_definitions(names)
    assert not found, "defined by hand, declared in idl/abi.idl:\n" + \
        "\n".join(f"{f}:{n}: {name}" for f, n, name in found)


def test_the_hand_definition_search_finds_one(tmp_path, monkeypatch):
    """The search above is real: it finds a definition where there is one."""
    tree = tmp_path / "core"
    tree.mkdir()
    (tree / "x.c").write_text("#include <abi/errno.h>\n#  define EPERM 1\n#define EPERMX 1\n")
    monkeypatch.setattr(sys.modules[__name__], "ROOT", str(tmp_path))
    assert hand_definitions({"EPERM"}) == [("core/x.c", 2, "EPERM")]
