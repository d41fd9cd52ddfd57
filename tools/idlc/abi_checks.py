"""The checks of `abi` groups, and of the flag set and enum names that
take their values from them. A mixin of checks.Checker, whose error(),
identifier() and unique() these use.
"""

import re

from errnos import ERRNO_GROUP, MAX_ERRNO
from model import Field
from syscall_checks import S64_LOW, U64_LIMIT

NAME_TABLE_LIMIT = 4096  # a `names` table has values 0 .. this - 1


def _where(pos):
    return f"{pos.file}:{pos.line}:{pos.col}"


def header_guard(header):
    return "KEVLAR_ABI_" + re.sub(r"[^A-Za-z0-9]", "_", header).upper()


class AbiChecks:
    def check_abi_groups(self):
        seen = {}
        kept = []
        for group in self.mod.abi_groups:
            if not self.identifier(group.name, "abi group") or \
                    not self.unique(seen, group.name, "abi group"):
                continue
            if not re.fullmatch(r"[a-z0-9_]+\.h", group.header):
                self.error(group.header_pos, f"bad abi header \"{group.header}\": "
                           "name a file like \"signal.h\" (it goes into abi/)")
                continue
            self.check_abi_hosts(group)
            group.consts = [c for c in group.consts if self.check_abi_const(group, c)]
            if group.names is not None:
                self.check_name_table(group)
            kept.append(group)
        self.mod.abi_groups = kept

    def check_abi_hosts(self, group):
        seen = set()
        for host in group.hosts:
            if not re.fullmatch(r"[A-Za-z0-9_][A-Za-z0-9_./-]*\.h", host) or \
                    ".." in host.split("/"):
                self.error(group.header_pos, f"bad host header \"{host}\" in abi group "
                           f"'{group.name}': name a header like \"asm/signal.h\"")
            elif host in seen:
                self.error(group.header_pos, f"host header \"{host}\" named twice in "
                           f"abi group '{group.name}'")
            seen.add(host)

    def check_abi_const(self, group, c):
        if not self.identifier(c.name, "abi constant"):
            return False
        if not self.unique(self.mod.abi_consts, c.name, "abi constant"):
            return False
        self.mod.abi_consts[c.name.text] = c
        c.group = group
        if not S64_LOW <= c.value < U64_LIMIT:
            self.error(c.value_pos, f"'{c.name}' = {c.literal} does not fit in 64 bits")
        if group.name.text == ERRNO_GROUP:
            if c.message is None:
                self.error(c.name.pos, f"errno '{c.name}' needs its message "
                           f"(\"{c.name} = {c.literal} \"...\"\")")
            if not 0 < c.value <= MAX_ERRNO:
                self.error(c.value_pos, f"errno '{c.name}' = {c.literal} is not "
                           f"between 1 and {MAX_ERRNO}")
        elif c.message is not None:
            self.error(c.value_pos, f"'{c.name}' has a message: only the abi group "
                       f"'{ERRNO_GROUP}' has messages")
        return True

    def check_name_table(self, group):
        """A `names` table is an array indexed by value: the values must be
        distinct, and small enough to index it."""
        self.identifier(group.names, "name table")
        seen = {}
        for c in group.consts:
            if not 0 <= c.value < NAME_TABLE_LIMIT:
                self.error(c.value_pos, f"'{c.name}' = {c.literal} cannot index the name "
                           f"table '{group.names}' (0 to {NAME_TABLE_LIMIT - 1})")
            elif c.value in seen:
                self.error(c.value_pos, f"'{c.name}' has the same value as "
                           f"'{seen[c.value].name}' in the name table '{group.names}'")
            else:
                seen[c.value] = c

    def resolve_abi_names(self, vs):
        """Fills in the flag set or enum names written without a value from
        the abi constants of those names; a value written for a name that
        an abi group declares is an error (the ABI is declared once)."""
        for item in vs.items:
            if isinstance(item, Field):
                mask = self.abi_value(item.name, item.mask, vs)
                if mask is not None:
                    item.mask, item.mask_literal = mask.value, mask.literal
                for e in item.entries:
                    self.resolve_entry(e, vs)
                    e.mask = item.mask
            else:
                self.resolve_entry(item, vs)

    def resolve_entry(self, e, vs):
        c = self.abi_value(e.name, e.value, vs)
        if c is not None:
            e.value, e.literal = c.value, c.literal

    def abi_value(self, name, written, vs):
        """The abi constant a value-less name takes, or None."""
        c = self.mod.abi_consts.get(name.text)
        if written is not None:
            if c is not None:
                self.error(name.pos, f"'{name}' is declared by abi group '{c.group.name}' "
                           f"({_where(c.pos)}): write it without '= value' in "
                           f"{vs.kind} '{vs.name}'")
            return None
        if c is None:
            self.error(name.pos, f"'{name}' has no value, and no abi group declares it")
        return c
