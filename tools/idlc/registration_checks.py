"""The checks of registered providers: `provides filesystem "tmpfs";` and
`provides chardev major 1;`, the services Core finds by a name or a
number. A mixin of checks.Checker, whose error() it uses; it runs as part
of the service checks and fills in Module.registries.
"""

import re

from model import RegistryTable

# What a provider may be found by, besides a name: the word before the
# number, and the numbers it allows (a Linux device major is 12 bits).
NUMBER_KEYS = {"major": (1, 4095)}
# A name: what mount(2) and /proc/filesystems show, so printable and short.
NAME_RE = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,30}")


def _where(pos):
    return f"{pos.file}:{pos.line}:{pos.col}"


class RegistrationChecks:
    def check_registrations(self, svc, plain):
        """A service's registrations; 'plain' maps the interfaces of its
        plain `provides` to where they were named."""
        registered = set()
        for reg in svc.registrations:
            name = reg.interface
            ifc = self.ifcs.get(name.text)
            if ifc is None:
                self.error(name.pos, f"unknown interface '{name}'")
                continue
            if ifc.provider is None:
                continue
            if ifc.provider != 2:
                self.error(name.pos, f"service '{svc.name}' cannot provide '{name}': "
                           f"it is a ring {ifc.provider} interface, and services "
                           "provide only ring 2 interfaces")
                continue
            if name.text in plain:
                self.error(name.pos, f"'{name}' is in a plain 'provides' of '{svc.name}' "
                           f"too ({_where(plain[name.text].pos)}); "
                           f"the registration alone provides it")
                continue
            # A bad key still provides the interface, so that one mistake
            # gives one message.
            if name.text not in registered:
                registered.add(name.text)
                svc.provides.append(name)
                svc.interfaces.append(ifc)
            if not ifc.multi:
                self.error(name.pos, f"interface '{name}' is single: only the providers "
                           "of a multi interface are found by a name or number")
            elif self.registration_key_ok(reg):
                reg.service = svc     # checked: it goes into the tables

    def registration_key_ok(self, reg):
        if reg.name is not None:
            if not NAME_RE.fullmatch(reg.name):
                self.error(reg.key_pos, f"bad provider name \"{reg.name}\": 1 to 31 "
                           "letters, digits, '_', '.' or '-', not starting with '.' or '-'")
                return False
            return True
        word = reg.word.text
        if word not in NUMBER_KEYS:
            known = ", ".join(f"'{w}'" for w in sorted(NUMBER_KEYS))
            self.error(reg.word.pos, f"unknown key '{word}': a provider is found by a "
                       f"name (a string) or by {known} and a number")
            return False
        low, high = NUMBER_KEYS[word]
        if not low <= reg.number <= high:
            self.error(reg.key_pos, f"{word} {reg.number} is out of range "
                       f"({low}..{high})")
            return False
        return True

    def check_registries(self):
        """Across services: one kind of key per interface, each key once.
        Then the tables of the services in this build."""
        by_ifc = {}
        for svc in self.mod.services:
            for reg in svc.registrations:
                if reg.service is None:
                    continue
                by_ifc.setdefault(reg.interface.text, []).append(reg)
        tables = []
        for ifc in self.mod.interfaces:
            regs = by_ifc.get(ifc.name.text)
            if not regs:
                continue
            first_kind = regs[0]
            keys = {}
            for reg in regs:
                if reg.kind != first_kind.kind:
                    self.error(reg.key_pos, f"'{ifc.name}' providers are found by "
                               f"{first_kind.kind} ({_where(first_kind.key_pos)}), "
                               f"not by {reg.kind}")
                    continue
                first = keys.get(reg.key)
                if first is not None:
                    key = f'"{reg.key}"' if reg.name is not None else f"{reg.kind} {reg.key}"
                    self.error(reg.key_pos, f"'{ifc.name}' {key} is provided by both "
                               f"'{first.service.name}' ({_where(first.key_pos)}) and "
                               f"'{reg.service.name}'")
                    continue
                keys[reg.key] = reg
            built = [r for r in keys.values() if r.service in self.mod.built_services]
            tables.append(RegistryTable(ifc, first_kind.kind,
                                        sorted(built, key=lambda r: r.key)))
        self.mod.registries = tables
