"""The `abi` groups as the header template sees them: one view per
emitted header (gen/<p>/include/abi/<header>), its groups in declaration
order, each constant as a `#define` line.
"""

from abi_checks import header_guard


def _define(c, width):
    line = f"#define {c.name.text:<{width}} {c.c_value}"
    if not c.doc:
        return line
    pad = max(1, (48 - len(line.expandtabs(8)) + 7) // 8)
    doc = " ".join(c.doc.split("\n")).replace("*/", "* /")
    return f"{line}{chr(9) * pad}/* {doc} */"


class AbiGroupView:
    def __init__(self, group):
        self.name = group.name.text
        self.doc = group.doc
        self.hosts = group.hosts
        width = max(len(c.name.text) for c in group.consts) if group.consts else 0
        self.defines = [_define(c, width) for c in group.consts]
        self.names_macro = group.names.text if group.names is not None else None
        self.names = [(c.value, c.name.text) for c in group.consts]


class AbiHeaderView:
    def __init__(self, header):
        self.header = header
        self.guard = header_guard(header)
        self.groups = []
        self.files = []


def abi_header_views(mod):
    """One view per header, in the order the headers are first named."""
    views = {}
    for group in mod.abi_groups:
        v = views.setdefault(group.header, AbiHeaderView(group.header))
        v.groups.append(AbiGroupView(group))
        if group.pos.file not in v.files:
            v.files.append(group.pos.file)
    return list(views.values())
