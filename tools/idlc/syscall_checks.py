"""The checks of system calls and of what only they use: includes,
structs, flag sets and enums, decoders. A mixin of checks.Checker, whose
error(), identifier(), unique() and check_params() these use.
"""

import re

from model import (BUFFER_KINDS, BUILTIN_DECODERS, INTEGER_TYPES, SYSCALL_RETURNS,
                   USER_TYPES, VALUE_TYPES, Field)

SYSCALL_MAX = 512        # syscall numbers are 0 .. SYSCALL_MAX - 1
SYSCALL_MAX_ARGS = 6     # the x86_64 Linux ABI passes six
U64_LIMIT = 1 << 64      # flag values and masks are below this
S64_LOW = -(1 << 63) + 1  # enum values are at least this


def _where(pos):
    return f"{pos.file}:{pos.line}:{pos.col}"


class SyscallChecks:
    # ------------------------------------------- includes, structs, sets
    def check_includes(self):
        seen = {}
        kept = []
        for inc in self.mod.includes:
            if not re.fullmatch(r"[A-Za-z0-9_][A-Za-z0-9_./-]*\.h", inc.path) or \
                    ".." in inc.path.split("/"):
                self.error(inc.pos, f"bad include \"{inc.path}\": name a header "
                           "relative to an include directory, like \"kevlar/abi.h\"")
            elif inc.path in seen:
                self.error(inc.pos, f"duplicate include \"{inc.path}\" (first at "
                           f"{_where(seen[inc.path].pos)})")
            else:
                seen[inc.path] = inc
                kept.append(inc)
        self.mod.includes = kept

    def check_structs(self):
        kept = []
        for st in self.mod.structs:
            if self.identifier(st.name, "struct") and \
                    self.unique(self.structs, st.name, "struct"):
                kept.append(st)
        self.mod.structs = kept
        if kept and not self.mod.includes and not self.errors:
            self.error(kept[0].name.pos, f"struct '{kept[0].name}' is declared, but no "
                       "file says which header defines it: add "
                       "include \"kevlar/abi.h\"; (or the header that does)")

    def check_value_sets(self):
        seen = {}
        kept = []
        for vs in self.mod.value_sets:
            what = "flag set" if vs.kind == "flagset" else "enum"
            if not self.identifier(vs.name, what):
                continue
            if vs.name.text in BUILTIN_DECODERS:
                self.error(vs.name.pos, f"'{vs.name}' is a built-in decoder "
                           f"({', '.join(BUILTIN_DECODERS)}); name the {what} otherwise")
                continue
            if not self.unique(seen, vs.name, "flag set or enum"):
                continue
            vs.index = len(kept) + 1      # 0 means none in the tracer's tables
            kept.append(vs)
            self.sets[vs.name.text] = vs
            errors = len(self.errors)
            self.resolve_abi_names(vs)
            if len(self.errors) != errors:
                continue
            if vs.kind == "flagset":
                self.check_flagset(vs)
            else:
                self.check_enum(vs)
        self.mod.value_sets = kept

    def set_names(self, vs, names):
        """Each name of a flag set or enum (and its fields) is unique."""
        seen = {}
        for name in names:
            self.unique(seen, name, "name", f" in {vs.kind} '{vs.name}'")

    def check_flagset(self, vs):
        names = []
        zero = None
        for item in vs.items:
            names.append(item.name)
            if isinstance(item, Field):
                if not 0 < item.mask < U64_LIMIT:
                    self.error(item.mask_pos, f"field '{item.name}' needs a mask of 1 to 64 bits")
                    continue
                values = {}
                for e in item.entries:
                    names.append(e.name)
                    if e.value & ~item.mask:
                        self.error(e.value_pos, f"'{e.name}' = {e.literal} does not fit in "
                                   f"the mask {item.mask:#x} of field '{item.name}'")
                    elif e.value in values:
                        self.error(e.value_pos, f"'{e.name}' has the same value as "
                                   f"'{values[e.value].name}' in field '{item.name}'")
                    else:
                        values[e.value] = e
            elif item.value >= U64_LIMIT:
                self.error(item.value_pos, f"'{item.name}' = {item.literal} does not fit in 64 bits")
            elif item.value == 0:
                if zero is not None:
                    self.error(item.value_pos, f"'{item.name}' and '{zero.name}' both name 0 "
                               f"in flag set '{vs.name}'")
                zero = item
        self.set_names(vs, names)

    def check_enum(self, vs):
        values = {}
        for e in vs.items:
            if not S64_LOW <= e.value < U64_LIMIT:
                self.error(e.value_pos, f"'{e.name}' = {e.literal} does not fit in 64 bits")
            elif e.value in values:
                self.error(e.value_pos, f"'{e.name}' has the same value as "
                           f"'{values[e.value].name}' in enum '{vs.name}'")
            else:
                values[e.value] = e
        self.set_names(vs, [e.name for e in vs.items])

    def check_decode(self, decode, t, what, syscall):
        """`: open_flags` after an integer parameter or result of a system call."""
        if not syscall:
            self.error(decode.pos, f"only system call parameters and results name a "
                       f"decoder (for the tracer), not {what}")
        elif t.is_buffer or t.name.text not in INTEGER_TYPES:
            self.error(decode.pos, f"'{t.idl()}' cannot be decoded with '{decode}': "
                       "decoders apply to integer types")
        elif decode.text not in BUILTIN_DECODERS and decode.text not in self.sets:
            self.error(decode.pos, f"unknown flag set or enum '{decode}'")

    def check_shown_if(self, p, by_name, where):
        """`if flags & (A | B)`: flags is another parameter with a flag set
        that has the plain flags A and B."""
        name, flags = p.shown_if
        other = by_name.get(name.text)
        if other is None:
            self.error(name.pos, f"'{name}' is not a parameter of {where}")
            return
        if other is p:
            self.error(name.pos, f"'{p.name}' cannot be shown depending on itself")
            return
        vs = self.sets.get(other.decode.text) if other.decode is not None else None
        if vs is None or vs.kind != "flagset":
            self.error(name.pos, f"'{name}' has no flag set to test: declare it "
                       f"'{other.type.idl()} {name}: <flagset>'")
            return
        plain = {e.name.text for e in vs.items if not isinstance(e, Field) and e.value}
        for f in flags:
            if f.text not in plain:
                self.error(f.pos, f"'{f}' is not a flag of flag set '{vs.name}'")

    # ------------------------------------------------------------ syscalls
    def check_syscalls(self):
        names = {}
        numbers = {}
        kept = []
        for sc in self.mod.syscalls:
            ok = self.identifier(sc.name, "system call") and \
                self.unique(names, sc.name, "system call")
            if not 0 <= sc.number < SYSCALL_MAX:
                self.error(sc.number_pos, f"system call number {sc.number} is out of "
                           f"range (0 to {SYSCALL_MAX - 1})")
                ok = False
            elif sc.number in numbers:
                first = numbers[sc.number]
                self.error(sc.number_pos, f"duplicate system call number {sc.number} "
                           f"('{first.name}' at {_where(first.number_pos)})")
                ok = False
            else:
                numbers[sc.number] = sc
            where = f"system call '{sc.name}'"
            marks = {}
            for m in sc.marks:
                if self.unique(marks, m, "marker", f" on {where}"):
                    setattr(sc, m.text, True)
            if len(sc.params) > SYSCALL_MAX_ARGS:
                self.error(sc.params[SYSCALL_MAX_ARGS].name.pos,
                           f"{where} has {len(sc.params)} parameters; the ABI passes at "
                           f"most {SYSCALL_MAX_ARGS}")
            self.check_params(sc.params, where, user_ok=True, syscall=True)
            if sc.ret.is_buffer or sc.ret.name.text not in SYSCALL_RETURNS:
                if sc.ret.is_buffer or sc.ret.name.text in VALUE_TYPES or \
                        sc.ret.name.text in USER_TYPES or sc.ret.name.text in ("void",) + BUFFER_KINDS:
                    self.error(sc.ret.pos, f"{where} must return one of "
                               + ", ".join(SYSCALL_RETURNS) + f", not '{sc.ret.idl()}'")
                else:
                    self.error(sc.ret.pos, f"unknown type '{sc.ret.name}'")
            elif sc.ret_decode is not None:
                self.check_decode(sc.ret_decode, sc.ret, f"{where}", True)
            if ok:
                kept.append(sc)
        self.mod.syscalls = sorted(kept, key=lambda s: s.number)
