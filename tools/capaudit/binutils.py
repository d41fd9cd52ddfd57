"""What the object code says: symbols, relocations and call graphs.

Everything here runs GNU binutils (nm, objdump) on the build's objects and
turns their output into plain Python data. Nothing here knows about
capabilities; surface.py and enforcement.py give the data its meaning.
"""

import os
import re
import subprocess

NM = os.environ.get("NM", "nm")
OBJDUMP = os.environ.get("OBJDUMP", "objdump")
ADDR2LINE = os.environ.get("ADDR2LINE", "addr2line")


class ToolError(Exception):
    """A binutils command failed, or an input file is missing."""


def _run(argv):
    try:
        res = subprocess.run(argv, capture_output=True, text=True)
    except OSError as e:
        raise ToolError(f"{argv[0]}: {e.strerror}") from e
    if res.returncode != 0:
        raise ToolError(f"{' '.join(argv)}: {res.stderr.strip() or 'failed'}")
    return res.stdout


# Sections whose relocations are not references made by the code: debug
# information, unwind tables, notes.
_IGNORED_SECTIONS = (".debug", ".rela.debug", ".eh_frame", ".rela.eh_frame",
                     ".comment", ".note")

_RELOC_HEADER = re.compile(r"^RELOCATION RECORDS FOR \[(.+)\]:$")
_RELOC_LINE = re.compile(r"^[0-9a-f]+\s+(\S+)\s+(\S+)$")
_ADDEND = re.compile(r"[+-]0x[0-9a-f]+$")


def relocations(obj):
    """{symbol: sorted sections referring to it} for the named symbols the
    object's code and data refer to (section-relative references, which
    are the object's own static data and functions, are left out)."""
    if not os.path.exists(obj):
        raise ToolError(f"{obj}: no such file")
    refs = {}
    section = None
    for line in _run([OBJDUMP, "-r", obj]).splitlines():
        m = _RELOC_HEADER.match(line)
        if m:
            section = m.group(1)
            continue
        m = _RELOC_LINE.match(line.strip())
        if not m or section is None or section.startswith(_IGNORED_SECTIONS):
            continue
        value = _ADDEND.sub("", m.group(2))
        if not value or value.startswith(".") or value in ("VALUE", "*ABS*"):
            continue
        refs.setdefault(value, set()).add(section)
    return {sym: sorted(secs) for sym, secs in refs.items()}


def undefined_symbols(obj):
    """The symbols the object needs from elsewhere (`nm -u`)."""
    if not os.path.exists(obj):
        raise ToolError(f"{obj}: no such file")
    out = _run([NM, "-u", obj])
    return sorted({line.split()[-1] for line in out.splitlines() if line.strip()})


def is_lto(obj):
    """Is this an object of GCC's link-time optimizer (IR, no machine code)?"""
    return ".gnu.lto_" in _run([OBJDUMP, "-h", obj])


def defined_functions(obj):
    """The names of the functions the object defines (global and static)."""
    out = _run([NM, "--defined-only", obj])
    names = set()
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[1] in "tTwW":
            names.add(parts[2])
    return sorted(names)


def symbol_table(elf):
    """{name: (address, size, type letter)} of every defined symbol."""
    if not os.path.exists(elf):
        raise ToolError(f"{elf}: no such file")
    syms = {}
    for line in _run([NM, "-S", "--defined-only", elf]).splitlines():
        parts = line.split()
        if len(parts) == 4:
            addr, size, kind, name = parts
            syms[name] = (int(addr, 16), int(size, 16), kind)
        elif len(parts) == 3:
            addr, kind, name = parts
            syms[name] = (int(addr, 16), 0, kind)
    return syms


_FUNC_HEADER = re.compile(r"^([0-9a-f]+) <([^>]+)>:$")
# A direct control transfer and its target: `call ffff... <cap_check>`,
# `jmp ffff... <svcmem_alloc_impl>`, `jne ffff... <foo+0x12>`.
_BRANCH = re.compile(r"^\s*[0-9a-f]+:\s+((?:call|jmp|j[a-z]{1,3})[a-z]*)\s+"
                     r"(?:\*?0x)?[0-9a-f]+ <([^>+]+)(?:\+0x[0-9a-f]+)?>")


def fragment_owner(name):
    """The function a compiler-split fragment belongs to: `foo.cold`,
    `foo.part.0`, `foo.isra.0` and `foo.constprop.0` are all `foo`."""
    return name.split(".", 1)[0] if "." in name and not name.startswith(".") else name


class CallGraph:
    """Direct calls and jumps between the functions of a linked image.

    Built from one `objdump -d` of the whole image: for each function,
    the set of other functions it calls or jumps to (a tail call is a
    jump). Compiler-split fragments (`.cold`, `.part.N`) count as part of
    the function they were split from. Indirect calls through a pointer
    (an ops table) are not edges: they are counted in `indirect`.
    """

    def __init__(self, elf):
        if not os.path.exists(elf):
            raise ToolError(f"{elf}: no such file")
        self.elf = elf
        self.symbols = symbol_table(elf)
        self.functions = {}     # name -> {callee: {mnemonics}}
        self.indirect = {}      # name -> count of indirect calls
        self.sites = {}         # callee -> [(address, caller)]
        current = None
        text = _run([OBJDUMP, "-d", "--no-show-raw-insn", "-w", elf])
        for line in text.splitlines():
            m = _FUNC_HEADER.match(line)
            if m:
                current = fragment_owner(m.group(2))
                self.functions.setdefault(current, {})
                continue
            if current is None:
                continue
            m = _BRANCH.match(line)
            if m:
                target = fragment_owner(m.group(2))
                if target != current:
                    self.functions[current].setdefault(target, set()).add(m.group(1))
                    addr = int(line.split(":", 1)[0], 16)
                    self.sites.setdefault(target, []).append((addr, current))
            elif re.search(r"\bcall[a-z]*\s+\*", line):
                self.indirect[current] = self.indirect.get(current, 0) + 1

    def has(self, name):
        """Is there a function of this name in the image?"""
        return name in self.functions or name in self.symbols

    def calls(self, caller, callee):
        return callee in self.functions.get(caller, {})

    def callees(self, caller):
        return sorted(self.functions.get(caller, {}))

    def callers_of(self, callee):
        return sorted(f for f, out in self.functions.items() if callee in out)

    def address_range(self, start_sym, end_sym):
        """[start, end) between two symbols, or None if either is missing."""
        if start_sym in self.symbols and end_sym in self.symbols:
            return self.symbols[start_sym][0], self.symbols[end_sym][0]
        return None

    def functions_in(self, lo, hi):
        """The functions whose symbol lies in [lo, hi)."""
        return sorted({fragment_owner(n) for n, (addr, _, kind) in self.symbols.items()
                       if kind in "tTwW" and lo <= addr < hi})


def inline_chains(elf, addrs):
    """{address: [(function, file), ...]}: where each address's code came
    from, innermost first, through every level of inlining (addr2line -i
    on the image's debug information). An address without line
    information has an empty chain."""
    addrs = sorted(set(addrs))
    if not addrs:
        return {}
    out = _run([ADDR2LINE, "-a", "-i", "-f", "-e", elf] + [f"{a:#x}" for a in addrs])
    chains, cur, func = {}, None, None
    for line in out.splitlines():
        if line.startswith("0x") and func is None:
            cur = int(line, 16)
            chains[cur] = []
        elif func is None:
            func = line.strip()
        else:
            path = line.rsplit(":", 1)[0]
            if func != "??" and cur is not None:
                chains[cur].append((func, path))
            func = None
    return chains
