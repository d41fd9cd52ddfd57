"""Semantic checks: turns parsed files into one checked Module.

Every rule the IDL has beyond its grammar is here and, for system calls
and what only they use, in syscall_checks.py; idl/README.md lists them. All errors are collected (sorted by file, line, column) rather than
stopping at the first, and a check that depends on a failed one is skipped
so that one mistake gives one message.
"""

from model import (BUFFER_KINDS, C_KEYWORDS, ELEMENT_TYPES, INTEGER_TYPES,
                   RESERVED_PARAMS, USER_TYPES, VALUE_TYPES, IdlError, Module)
from abi_checks import AbiChecks
from registration_checks import RegistrationChecks
from syscall_checks import SYSCALL_MAX, SyscallChecks

__all__ = ["Checker", "IdlErrors", "SYSCALL_MAX", "check"]

RINGS = (0, 1, 2)
# Who may call an interface, by its provider's ring, and the default.
ALLOWED_CALLERS = {0: (1, 2), 1: (0, 2), 2: (1, 2)}
DEFAULT_CALLERS = {0: [1, 2], 1: [2], 2: [1, 2]}
# Names the generator itself defines in every output.
GENERATED_NAMES = ("cap_names", "svc_table", "svc_mint_tokens",
                   "CAP_COUNT", "SVC_COUNT", "IFC_COUNT", "SYSCALL_MAX",
                   "SVC_TEST_BUILD", "syscall_invoke", "syscall_dispatch",
                   "syscall_traced", "syscall_trace", "syscall_trace_pid")


class IdlErrors(Exception):
    """All errors found in one run, in file order."""

    def __init__(self, errors):
        super().__init__("\n".join(str(e) for e in errors))
        self.errors = errors


def _describe(pos):
    return f"{pos.file}:{pos.line}:{pos.col}"


class Checker(SyscallChecks, AbiChecks, RegistrationChecks):
    def __init__(self, files, tests):
        self.files = files
        self.tests = tests
        self.errors = []
        self.mod = Module(files)
        self.caps = {}
        self.ifcs = {}
        self.svcs = {}
        self.structs = {}
        self.sets = {}

    def error(self, pos, msg):
        self.errors.append(IdlError(pos, msg))

    def identifier(self, name, what):
        if name.text in C_KEYWORDS:
            self.error(name.pos, f"{what} name '{name}' is a C keyword")
            return False
        return True

    def unique(self, table, name, what, where=""):
        """Enters name in table, or reports that it is already there."""
        first = table.get(name.text)
        if first is not None:
            self.error(name.pos, f"duplicate {what} '{name}'{where} "
                       f"(first declared at {_describe(first.pos)})")
            return False
        table[name.text] = _Named(name.pos)
        return True

    # ------------------------------------------------------------- running
    def run(self):
        for f in self.files:
            self.mod.capabilities += f.capabilities
            self.mod.interfaces += f.interfaces
            self.mod.services += f.services
            self.mod.syscalls += f.syscalls
            self.mod.includes += f.includes
            self.mod.structs += f.structs
            self.mod.value_sets += f.value_sets
            self.mod.abi_groups += f.abi_groups
        self.check_abi_groups()
        self.check_includes()
        self.check_structs()
        self.check_value_sets()
        self.check_capabilities()
        self.check_interfaces()
        self.check_services()
        self.check_providers()
        self.check_registries()
        self.check_syscalls()
        if not self.errors:
            self.check_c_names()
        if self.errors:
            order = {f.path: i for i, f in enumerate(self.files)}
            self.errors.sort(key=lambda e: e.pos.key(order))
            raise IdlErrors(self.errors)
        return self.mod

    # -------------------------------------------------------- capabilities
    def check_capabilities(self):
        seen = {}
        kept = []
        for cap in self.mod.capabilities:
            if self.identifier(cap.name, "capability") and \
                    self.unique(seen, cap.name, "capability"):
                cap.index = len(kept)
                kept.append(cap)
                self.caps[cap.name.text] = cap
        self.mod.capabilities = kept

    def capability(self, name):
        cap = self.caps.get(name.text)
        if cap is None:
            self.error(name.pos, f"unknown capability '{name}'")
        return cap

    # ---------------------------------------------------------- interfaces
    def check_interfaces(self):
        seen = {}
        kept = []
        for ifc in self.mod.interfaces:
            if not (self.identifier(ifc.name, "interface") and
                    self.unique(seen, ifc.name, "interface")):
                continue
            ifc.index = len(kept)
            kept.append(ifc)
            self.ifcs[ifc.name.text] = ifc
            self.check_interface(ifc)
        self.mod.interfaces = kept
        externs = {}
        for ifc in kept:
            for name in ifc.extern_names:
                if self.identifier(name, "extern"):
                    self.unique(externs, name, "extern symbol")

    def single_clause(self, owner, clause, seen):
        first = seen.get(clause.keyword)
        if first is not None:
            self.error(clause.pos, f"duplicate '{clause.keyword}' clause in "
                       f"'{owner.name}' (first at {_describe(first.pos)})")
            return False
        seen[clause.keyword] = clause
        return True

    def check_interface(self, ifc):
        seen = {}
        for c in ifc.clauses:
            if c.keyword == "provider" and self.single_clause(ifc, c, seen):
                ring = int(c.args[0].text)
                if ring not in RINGS:
                    self.error(c.args[0].pos, f"provider ring must be 0, 1 or 2, not {ring}")
                else:
                    ifc.provider = ring
        if ifc.provider is None:
            if "provider" not in seen:
                self.error(ifc.name.pos, f"interface '{ifc.name}' has no 'provider ring N;' clause")
            return
        ring = ifc.provider
        for c in ifc.clauses:
            if c.keyword == "provider":
                continue
            if not self.single_clause(ifc, c, seen):
                continue
            if c.keyword == "callers":
                self.check_callers(ifc, c)
            elif c.keyword == "guard":
                if self.capability(c.args[0]) is not None:
                    ifc.guard = c.args[0]
            elif c.keyword in ("single", "multi"):
                if ring != 2:
                    self.error(c.pos, f"'{c.keyword}' applies only to ring 2 interfaces; "
                               f"'{ifc.name}' is provided by ring {ring}")
                other = "multi" if c.keyword == "single" else "single"
                if other in seen:
                    self.error(c.pos, f"interface '{ifc.name}' is declared both single and multi")
                ifc.multi = c.keyword == "multi"
        if ifc.callers is None:
            ifc.caller_rings = list(DEFAULT_CALLERS[ring])
        else:
            ifc.caller_rings = sorted(ifc.callers)
        for group in ifc.externs:
            if ring == 2:
                self.error(group.pos, "a ring 2 interface cannot have extern symbols: "
                           "services implement operations")
            elif ifc.guard is not None:
                self.error(group.pos, f"extern symbols cannot be guarded: interface "
                           f"'{ifc.name}' has 'guard {ifc.guard};'")
        ops = {}
        for op in ifc.ops:
            if self.identifier(op.name, "operation") and \
                    self.unique(ops, op.name, "operation", f" in interface '{ifc.name}'"):
                self.check_operation(ifc, op)

    def check_callers(self, ifc, clause):
        rings = []
        allowed = ALLOWED_CALLERS[ifc.provider]
        for arg in clause.args:
            r = int(arg.text)
            if r not in RINGS:
                self.error(arg.pos, f"callers ring {r} does not exist (rings are 0, 1 and 2; "
                           "user space calls through 'syscall')")
            elif r in rings:
                self.error(arg.pos, f"ring {r} is listed twice in 'callers'")
            elif r not in allowed:
                if r == ifc.provider:
                    why = f"ring {r} provides '{ifc.name}' and calls it without an interface"
                else:
                    why = f"ring {r} may not call a ring {ifc.provider} interface"
                self.error(arg.pos, f"bad callers ring {r}: {why}")
            else:
                rings.append(r)
        ifc.callers = rings

    def check_operation(self, ifc, op):
        where = f"operation '{ifc.name}.{op.name}'"
        self.check_params(op.params, where, user_ok=ifc.provider == 1, syscall=False)
        ret = op.ret
        if not self.check_return(ret, where):
            return
        contained = ifc.provider == 2
        if (contained or ifc.guard is not None) and not ret.is_void \
                and ret.error_value() is None:
            why = "contained (ring 2)" if contained else "guarded"
            self.error(ret.pos, f"{where} returns '{ret.idl()}', which has no error value; "
                       f"a {why} operation must return void, int, long, isize, fd, "
                       "ptr or frame")

    def check_return(self, ret, where):
        n = ret.name.text
        if ret.is_buffer:
            self.error(ret.pos, f"{where} cannot return a buffer type")
            return False
        if n == "void" or n in VALUE_TYPES:
            return True
        if n in USER_TYPES or n in BUFFER_KINDS:
            self.error(ret.pos, f"{where} cannot return '{n}'")
        else:
            self.error(ret.pos, f"unknown type '{n}'")
        return False

    def check_params(self, params, where, user_ok, syscall):
        names = {}
        for p in params:
            if self.identifier(p.name, "parameter") and \
                    self.unique(names, p.name, "parameter", f" of {where}"):
                if p.name.text in RESERVED_PARAMS:
                    self.error(p.name.pos, f"parameter name '{p.name}' is reserved for the "
                               "generated shims (reserved: "
                               + ", ".join(sorted(RESERVED_PARAMS)) + ")")
        by_name = {p.name.text: p for p in params}
        for p in params:
            self.check_param_type(p, by_name, where, user_ok, syscall)
            if p.decode is not None:
                self.check_decode(p.decode, p.type, where, syscall)
            if p.shown_if is not None:
                self.check_shown_if(p, by_name, where)

    def check_param_type(self, p, by_name, where, user_ok, syscall):
        t = p.type
        n = t.name.text
        if not t.is_buffer:
            if n == "void":
                self.error(t.pos, "'void' is only a return type")
            elif n in BUFFER_KINDS:
                self.error(t.pos, f"'{n}' needs an element type and a length: {n}<T>[n]")
            elif n in USER_TYPES:
                if not user_ok:
                    self.error(t.pos, f"user type '{n}' is allowed only in system calls "
                               "and ring 1 interfaces")
            elif n not in VALUE_TYPES:
                self.error(t.pos, f"unknown type '{n}'")
            elif syscall and n in ("ptr", "str", "frame"):
                self.error(t.pos, f"a system call cannot take a kernel '{n}': "
                           "user space passes user_ptr, user_str or user_in/user_out")
            return
        if n not in BUFFER_KINDS:
            self.error(t.pos, f"unknown buffer type '{n}' (expected in, out, user_in or user_out)")
            return
        if t.is_user and not user_ok:
            self.error(t.pos, f"user type '{n}' is allowed only in system calls "
                       "and ring 1 interfaces")
        elif syscall and not t.is_user:
            self.error(t.pos, f"a system call cannot take a kernel buffer '{n}': "
                       "use user_in or user_out")
        if t.elem_struct:
            if not t.is_user:
                self.error(t.elem.pos, f"struct element types are only for user_in and "
                           f"user_out, not '{n}'")
            elif t.elem.text not in self.structs:
                self.error(t.elem.pos, f"unknown struct '{t.elem}' (declare it: struct {t.elem};)")
        elif t.elem.text not in ELEMENT_TYPES:
            if t.elem.text in VALUE_TYPES or t.elem.text in USER_TYPES:
                self.error(t.elem.pos, f"'{t.elem}' cannot be a buffer element type")
            else:
                self.error(t.elem.pos, f"unknown type '{t.elem}'")
        if t.is_single:
            if not t.is_user:
                self.error(t.pos, f"'{n}<{t.elem}>' needs a length: {n}<T>[n]")
            return
        if t.unit is not None and t.unit.text != "bytes":
            self.error(t.unit.pos, f"unexpected '{t.unit}' in the length of '{p.name}': "
                       "write [n] for n elements or [n bytes]")
        if t.fixed is not None:
            return
        length = by_name.get(t.length.text)
        if length is None:
            self.error(t.length.pos, f"buffer length '{t.length}' is not a parameter of {where}")
        elif length is p:
            self.error(t.length.pos, f"buffer '{p.name}' cannot be its own length")
        elif length.type.is_buffer or length.type.name.text not in INTEGER_TYPES:
            self.error(t.length.pos, f"buffer length '{t.length}' must be an integer "
                       f"parameter, not '{length.type.idl()}'")

    # ------------------------------------------------------------ services
    def check_services(self):
        seen = {}
        kept = []
        for svc in self.mod.services:
            if not (self.identifier(svc.name, "service") and
                    self.unique(seen, svc.name, "service")):
                continue
            kept.append(svc)
            self.svcs[svc.name.text] = svc
            self.check_service(svc)
        self.mod.services = kept

    def check_service(self, svc):
        provides = {}
        holds = {}
        test_only = None
        for c in svc.clauses:
            if c.keyword == "test_only":
                if test_only is not None:
                    self.error(c.pos, f"duplicate 'test_only' clause in '{svc.name}' "
                               f"(first at {_describe(test_only.pos)})")
                test_only = c
                svc.test_only = True
            elif c.keyword == "provides":
                for name in c.args:
                    if not self.unique(provides, name, "interface", f" in 'provides' of '{svc.name}'"):
                        continue
                    ifc = self.ifcs.get(name.text)
                    if ifc is None:
                        self.error(name.pos, f"unknown interface '{name}'")
                    elif ifc.provider is None:
                        pass
                    elif ifc.provider != 2:
                        self.error(name.pos, f"service '{svc.name}' cannot provide '{name}': "
                                   f"it is a ring {ifc.provider} interface, and services "
                                   "provide only ring 2 interfaces")
                    else:
                        svc.provides.append(name)
                        svc.interfaces.append(ifc)
            elif c.keyword == "holds":
                for name in c.args:
                    if not self.unique(holds, name, "capability", f" in 'holds' of '{svc.name}'"):
                        continue
                    cap = self.capability(name)
                    if cap is not None:
                        svc.holds.append(name)
                        svc.caps.append(cap)
        self.check_registrations(svc, provides)

    def check_providers(self):
        for svc in self.mod.services:
            for name, ifc in zip(svc.provides, svc.interfaces):
                if ifc.providers and not ifc.multi:
                    first = ifc.providers[0]
                    self.error(name.pos, f"interface '{ifc.name}' is single (one provider) "
                               f"but is provided by both '{first.name}' "
                               f"({_describe(first.name.pos)}) and '{svc.name}'; "
                               "declare it 'multi;' or drop one")
                    continue
                ifc.providers.append(svc)
        for ifc in self.mod.interfaces:
            if ifc.provider == 2 and not ifc.providers:
                self.error(ifc.name.pos, f"interface '{ifc.name}' is provided by ring 2, "
                           "but no service provides it")
        built = [s for s in self.mod.services if not s.test_only]
        if self.tests:
            built += [s for s in self.mod.services if s.test_only]
        self.mod.built_services = built
        for i, svc in enumerate(built):
            svc.index = i
        for ifc in self.mod.interfaces:
            ifc.live_providers = [s for s in ifc.providers if s in built]

    # ------------------------------------------------------------- C names
    def check_c_names(self):
        """Every C symbol the generator will define or rely on is unique."""
        taken = {}
        reported = set()    # one message per declaration is enough

        def claim(cname, what, pos):
            first = taken.get(cname)
            if first is None:
                taken[cname] = (what, pos)
            elif (what, pos) not in reported:
                reported.add((what, pos))
                where = f" ({_describe(first[1])})" if first[1] is not None else ""
                self.error(pos, f"C name '{cname}' of {what} collides with "
                           f"{first[0]}{where}")

        for n in GENERATED_NAMES:
            taken[n] = ("a name the generator defines", None)
        for group in self.mod.abi_groups:
            for c in group.consts:
                claim(c.name.text, f"abi constant '{c.name}'", c.name.pos)
            if group.names is not None:
                claim(group.names.text, f"the name table of abi group '{group.name}'",
                      group.names.pos)
        for cap in self.mod.capabilities:
            claim(f"cap_{cap.name}", f"capability '{cap.name}'", cap.name.pos)
        for ifc in self.mod.interfaces:
            for name in ifc.extern_names:
                claim(name.text, f"extern '{name}' of interface '{ifc.name}'", name.pos)
        for ifc in self.mod.interfaces:
            what = f"interface '{ifc.name}'"
            claim(f"IFC_{ifc.name}", what, ifc.name.pos)
            if ifc.provider == 2:
                claim(f"{ifc.name}_ops", what, ifc.name.pos)
            for op in ifc.ops:
                what = f"operation '{ifc.name}.{op.name}'"
                base = f"{ifc.name}_{op.name}"
                claim(base, what, op.name.pos)
                if ifc.provider == 2:
                    claim(f"{base}_dispatch", what, op.name.pos)
                else:
                    claim(f"{base}_impl", what, op.name.pos)
        for svc in self.mod.services:
            what = f"service '{svc.name}'"
            for cname in (f"SVC_{svc.name}", f"{svc.name}_init", f"{svc.name}_start",
                          f"{svc.name}_caps_held", f"{svc.name}_provides"):
                claim(cname, what, svc.name.pos)
            for name, ifc in zip(svc.provides, svc.interfaces):
                claim(f"{svc.name}_{ifc.name}_ops", what, name.pos)
                for op in ifc.ops:
                    claim(f"{svc.name}_{ifc.name}_{op.name}",
                          f"service '{svc.name}' providing '{ifc.name}.{op.name}'", name.pos)
        for table in self.mod.registries:
            what = f"the providers of '{table.interface.name}' by {table.kind}"
            pos = table.entries[0].key_pos if table.entries else table.interface.name.pos
            claim(table.c_name, what, pos)
            claim(table.c_name.upper() + "_COUNT", what, pos)
        for sc in self.mod.syscalls:
            what = f"system call '{sc.name}'"
            claim(f"sys_{sc.name}", what, sc.name.pos)
            claim(f"SYS_{sc.name}", what, sc.name.pos)


class _Named:
    def __init__(self, pos):
        self.pos = pos


def check(files, tests=False):
    """Checks parsed files; returns the Module or raises IdlErrors."""
    return Checker(files, tests).run()
