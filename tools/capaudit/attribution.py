"""Whose code a call in kernel.elf is: the kernel's debug information.

A call instruction in the linked image may sit in code inlined from
somewhere else (a static inline shim, a service's function inlined into
the registry by LTO). addr2line -i gives each call site's chain of
inlined frames, innermost first, with their source files; the innermost
frame under services/<name>/ says the call is that service's, a frame
under gen/ that it passed through a generated shim. Without debug
information the calling function's name decides instead.
"""

import os

import binutils


def _owner(path, root):
    """'service:<name>', 'generated', or the top directory (core, platform, ...)."""
    if os.path.isabs(path):
        path = os.path.relpath(os.path.realpath(path), os.path.realpath(root))
    parts = path.split(os.sep)
    if parts[0] == "services" and len(parts) > 2:
        return f"service:{parts[1]}"
    if parts[0] == "gen":
        return "generated"
    return parts[0]


class Attribution:
    def __init__(self, graph, root, targets, service_funcs):
        """graph: binutils.CallGraph; targets: the callees whose call sites
        matter; service_funcs: {service: functions its objects define}."""
        self.graph = graph
        self.root = root
        self.func_owner = {f: f"service:{s}" for s, fs in service_funcs.items() for f in fs}
        self.sites = {t: graph.sites.get(t, []) for t in targets}
        addrs = [a for sites in self.sites.values() for a, _ in sites]
        try:
            self.chains = binutils.inline_chains(graph.elf, addrs)
        except binutils.ToolError:
            self.chains = {}

    def site_owners(self, target):
        """[(calling function, [owners, innermost first], source file of the
        call)] for each call site of target."""
        out = []
        for addr, caller in self.sites.get(target, []):
            chain = self.chains.get(addr, [])
            if chain:
                owners = [_owner(path, self.root) for _, path in chain]
                where = chain[0][1]
                if os.path.isabs(where):
                    where = os.path.relpath(where, os.path.realpath(self.root))
            else:
                owners = [self.func_owner.get(caller, "unknown")]
                where = None
            out.append((caller, owners, where))
        return out

    def service_calls(self, service, target):
        """Does kernel.elf have a call to target written in the service's
        own code (its innermost service frame)?"""
        tag = f"service:{service}"
        for _, owners, _ in self.site_owners(target):
            innermost = next((o for o in owners if o.startswith("service:")), None)
            if innermost == tag:
                return True
        return False

    def on_interface_path(self, target):
        """The call sites of target that are in service code or a generated
        shim, and the others: ([(caller, where)], [(caller, where)])."""
        on, off = [], []
        for caller, owners, where in self.site_owners(target):
            hit = any(o.startswith("service:") or o == "generated" for o in owners)
            (on if hit else off).append((caller, where))
        return sorted(set(on), key=str), sorted(set(off), key=str)


def mark_kernel_calls(services, attrib):
    """Says, for each call a service's objects make, whether kernel.elf still
    has it as a call from the service's code, or it was inlined away."""
    for s in services:
        for c in s["guarded_calls"]:
            if c["evidence"] == "inlined":
                c["in_kernel"] = "inlined"
                continue
            if not c["symbols"]:
                continue
            seen = any(attrib.service_calls(s["name"], sym) for sym in c["symbols"])
            c["in_kernel"] = "call" if seen else "inlined"
            if not seen and not c["note"]:
                present = [sym for sym in c["symbols"] if attrib.graph.has(sym)]
                c["note"] = ("inlined: kernel.elf has no call to "
                             f"{'/'.join(c['symbols'])} from {s['name']}'s code" if present else
                             f"inlined: {'/'.join(c['symbols'])} is not a function in kernel.elf")
        for u in s["unguarded_calls"]:
            u["inlined_symbols"] = sorted(sym for sym in u["symbols"]
                                          if not attrib.service_calls(s["name"], sym))
