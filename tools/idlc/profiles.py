"""What each profile makes of a checked Module.

This is the generator's policy: for every operation, which shape its shim
takes (out-of-line function, macro, static inline, or none), how a token
is checked, whether a call into Ring 2 is contained, which symbols each
ring exports to each other ring, and the manifest that records it all.
The templates only lay out what is decided here.
"""

from dataclasses import dataclass

from model import c_decl


@dataclass(frozen=True)
class Profile:
    name: str
    token: str          # "nonce" (runtime check), "type" (compiler), "none"
    containment: bool   # calls into Ring 2 set a recovery point
    rings: int          # separate images the build links
    access_check: bool  # system calls check user buffers with access_ok()

    @property
    def outline(self):
        """Shims are out-of-line functions (fortress, balanced)."""
        return self.containment


PROFILES = {
    "fortress": Profile("fortress", "nonce", True, 3, True),
    "balanced": Profile("balanced", "type", True, 3, True),
    "performance": Profile("performance", "none", False, 2, True),
    # Ludicrous relies on the fault fixup in copy_*_user() alone.
    "ludicrous": Profile("ludicrous", "none", False, 1, False),
}

# The pairs of rings that have an export list: (exporting ring, importing ring).
EXPORT_PAIRS = ((0, 1), (0, 2), (1, 0), (1, 2), (2, 1))

# What a shim returns when it cannot call, by the IDL error value.
_FAILED = {"errno": None, "NULL": "NULL", "PADDR_NONE": "PADDR_NONE"}


def _clause_args(clause):
    args = ", ".join(a.text for a in clause.args)
    if clause.keyword in ("provider", "callers"):
        return f"ring {args}"
    return args


def _join(items):
    return ", ".join(items) if items else "void"


class OpView:
    """One operation as a profile emits it; what the templates read."""

    def __init__(self, prof, ifc, op):
        self.op = op
        self.ifc = ifc
        self.name = op.name.text
        self.doc = op.doc
        self.shim = f"{ifc.name}_{op.name}"
        self.impl = f"{ifc.name}_{op.name}_impl"
        self.dispatch = f"{ifc.name}_{op.name}_dispatch"
        self.what = f"{ifc.name}.{op.name}"
        self.ret = op.ret.c()
        self.void = op.ret.is_void
        err = op.ret.error_value()
        self.errno_ret = err == "errno"
        # The value returned when the call cannot be made: a failed token
        # check returns -EPERM (or this), a missing or faulted service -EIO.
        self.fail_value = _FAILED.get(err) if err else None
        self.eperm = "-EPERM" if self.errno_ret else self.fail_value
        self.eio = "-EIO" if self.errno_ret else self.fail_value
        self.uses_paddr_none = err == "PADDR_NONE"

        self.param_decls = [p.c() for p in op.params]
        self.arg_names = [p.name.text for p in op.params]
        self.args = ", ".join(self.arg_names)
        self.params = _join(self.param_decls)       # the implementation's

        guard = ifc.guard.text if ifc.guard is not None else None
        self.guard = guard
        self.cap_type = f"cap_{guard}" if guard else None
        self.cap_id = f"CAP_{guard}" if guard else None
        tok = [f"cap_{guard} tok"] if guard else []
        ref = [f"const struct {ifc.name}_ref *ref"] if ifc.multi else []
        # The caller-facing shim takes the token, then the provider's ref,
        # then the operation's parameters; the dispatcher the same without
        # the token.
        self.shim_params = _join(tok + ref + self.param_decls)
        self.dispatch_params = _join(ref + self.param_decls)
        self.macro_params = ", ".join((["tok"] if guard else []) +
                                      (["ref"] if ifc.multi else []) + self.arg_names)
        self.dispatch_args = ", ".join((["ref"] if ifc.multi else []) + self.arg_names)
        # Ops-table member and provider function parameters.
        inst = ["void *inst"] if ifc.multi else []
        self.ops_params = _join(inst + self.param_decls)
        self.ops_args = ", ".join((["ref->inst"] if ifc.multi else []) + self.arg_names)
        self.ret_decl = c_decl(self.ret, "")       # "int ", "void *"
        self.ops_member = c_decl(self.ret, f"(*{self.name})")

        # The shape of the shim.
        ring2 = ifc.provider == 2
        self.contained = ring2 and prof.containment
        self.dispatch_form = None
        if ring2 and not ifc.multi and not ifc.live_providers:
            self.form = "none"
        elif prof.outline:
            self.form = "outline"
        elif guard:
            self.form = "macro"
            if ring2 and ifc.multi:
                self.dispatch_form = "outline" if prof.name == "performance" else "inline"
        elif ring2 and ifc.multi:
            self.form = "outline" if prof.name == "performance" else "inline"
        else:
            self.form = "macro" if prof.name == "performance" else "inline"
        # How the shim reaches the implementation.
        if not ring2:
            self.call = "direct"
            self.target = self.impl
        elif ifc.multi:
            self.call = "entry" if self.contained else "table"
            self.target = self.dispatch if self.dispatch_form else None
        elif self.contained:
            self.call = "entry"
            self.target = None
        else:
            self.call = "direct"
            self.target = (f"{ifc.live_providers[0].name}_{ifc.name}_{op.name}"
                           if ifc.live_providers else None)
        self.check = prof.token if guard and self.form == "outline" else None

    def provider_fn(self, svc):
        return f"{svc.name}_{self.ifc.name}_{self.name}"


class InterfaceView:
    def __init__(self, prof, ifc):
        self.ifc = ifc
        self.name = ifc.name.text
        self.doc = ifc.doc
        self.index = ifc.index
        self.ring = ifc.provider
        self.callers = ifc.caller_rings
        self.guard = ifc.guard.text if ifc.guard is not None else None
        self.multi = ifc.multi
        self.file = ifc.pos.file
        self.clause_docs = [(c.keyword, _clause_args(c), c.doc)
                            for c in ifc.clauses if c.doc]
        self.extern_groups = [([n.text for n in g.names], g.doc) for g in ifc.externs]
        self.ops = [OpView(prof, ifc, op) for op in ifc.ops]
        self.providers = ifc.live_providers
        self.all_providers = ifc.providers
        self.unbuilt = [s for s in ifc.providers if s not in ifc.live_providers]

    @property
    def enforcement(self):
        return enforcement(self)


def enforcement(view):
    """The manifest's account of how calls to an interface are policed."""
    prof = view.profile
    ring2 = view.ring == 2
    token = prof.token if view.guard else "none"
    if ring2 and (view.multi or prof.containment):
        dispatch = "ops-table"
    elif prof.name == "ludicrous":
        dispatch = "inline"
    else:
        dispatch = "direct"
    shims = sorted({op.form for op in view.ops}) if view.ops else []
    return {
        "token_check": token,
        "containment": ring2 and prof.containment,
        "dispatch": dispatch,
        "shims": shims,
    }


# -------------------------------------------------------------- syscalls
@dataclass(frozen=True)
class UserCheck:
    """One access_ok() a system call makes before it runs: the user buffer
    `param` spans `count` elements of `elem` (a C type): count is the
    parameter that holds it, a number, or None for one element; with
    `in_bytes`, count is the length in bytes."""
    param: object           # model.Param
    count: object           # model.Param, or None
    elem: str
    in_bytes: bool

    @property
    def byte_sized(self):
        return self.in_bytes or self.elem in ("u8", "s8", "bool")

    def describe(self):
        """The length in bytes, in C, for the manifest."""
        if self.count is None:
            return f"sizeof({self.elem})"
        count = self.count if isinstance(self.count, int) else self.count.name.text
        if self.byte_sized:
            return str(count)
        return f"{count} * sizeof({self.elem})"


def user_checks(prof, sc):
    """The access_ok() checks of a system call in this profile: every user
    buffer whose size is known (user_in/user_out, not user_ptr or
    user_str, which only the copy routines can check), none in a profile
    without access_check."""
    if not prof.access_check or sc.pending:
        return []
    by_name = {p.name.text: p for p in sc.params}
    checks = []
    for p in sc.params:
        t = p.type
        if t.is_buffer and t.is_user:
            count = by_name[t.length.text] if t.length is not None else t.fixed
            checks.append(UserCheck(p, count, t.elem_c(), t.length_in_bytes))
    return checks


def interface_views(prof, mod):
    views = []
    for ifc in mod.interfaces:
        v = InterfaceView(prof, ifc)
        v.profile = prof
        views.append(v)
    return views


# ------------------------------------------------------------------ exports
def exports(prof, mod, views):
    """{(from_ring, to_ring): sorted symbols} (see idl/README.md)."""
    lists = {pair: set() for pair in EXPORT_PAIRS}
    for v in views:
        for caller in v.callers:
            if v.ring < 2:
                lists[(v.ring, caller)].update(n for names, _ in v.extern_groups for n in names)
            for op in v.ops:
                if op.form == "none":
                    continue
                if v.ring < 2 and op.form != "outline":
                    # A macro or inline shim calls the implementation itself.
                    lists[(v.ring, caller)].add(op.impl)
                    continue
                if v.ring == 0:
                    # Out-of-line shims all live in Ring 1, next to the
                    # capability runtime; Ring 0 hands it the _impl.
                    lists[(0, 1)].add(op.impl)
                if caller == 1:
                    continue
                if op.form == "outline":
                    lists[(1, caller)].add(op.shim)
                if op.dispatch_form == "outline":
                    lists[(1, caller)].add(op.dispatch)
                if op.call == "table" and "inline" in (op.form, op.dispatch_form):
                    lists[(1, caller)].add("svc_ops")
    for svc in mod.built_services:
        lists[(2, 1)].add(f"{svc.name}_init")
        for ifc in svc.interfaces:
            for op in ifc.ops:
                lists[(2, 1)].add(f"{svc.name}_{ifc.name}_{op.name}")
    return {pair: sorted(syms) for pair, syms in lists.items()}


# ----------------------------------------------------------------- manifest
def _type_json(t):
    return {"idl": t.idl(), "c": t.c()}


def _params_json(params):
    out = []
    for p in params:
        j = dict(name=p.name.text, **_type_json(p.type))
        if p.decode is not None:
            j["decode"] = p.decode.text
        out.append(j)
    return out


def _returns_json(t, decode=None):
    j = {"idl": t.idl(), "c": t.c(), "error": t.error_value()}
    if decode is not None:
        j["decode"] = decode.text
    return j


def manifest(prof, mod, views, sources, tests):
    caps = [{"name": c.name.text, "doc": c.doc} for c in mod.capabilities]
    ifcs = []
    for v in views:
        ifcs.append({
            "name": v.name,
            "doc": v.doc,
            "source": v.file,
            "id": v.index,
            "provider_ring": v.ring,
            "callers": v.callers,
            "guard": v.guard,
            "multiplicity": "multi" if v.multi else "single",
            "providers": [s.name.text for s in v.providers],
            "providers_not_built": [s.name.text for s in v.unbuilt],
            "externs": [n for names, _ in v.extern_groups for n in names],
            "operations": [{
                "name": op.name,
                "doc": op.doc,
                "params": _params_json(op.op.params),
                "returns": _returns_json(op.op.ret),
                "shim": op.form,
            } for op in v.ops],
            "enforcement": v.enforcement,
        })
    svcs = []
    for svc in mod.built_services:
        held = {c.name.text for c in svc.caps}
        may_call = []
        for v in views:
            if 2 not in v.callers:
                continue
            if v.guard is not None and v.guard not in held:
                continue
            may_call.append({
                "interface": v.name,
                "guard": v.guard,
                "operations": [op.name for op in v.ops],
                "externs": [n for names, _ in v.extern_groups for n in names],
            })
        svcs.append({
            "name": svc.name.text,
            "doc": svc.doc,
            "id": svc.index,
            "ring": 2,
            "provides": [i.name.text for i in svc.interfaces],
            "registered": [{"interface": r.interface.text, "by": r.kind, "key": r.key}
                           for r in svc.registrations if r.service is svc],
            "holds": [c.name.text for c in svc.caps],
            "test_only": svc.test_only,
            "may_call": may_call,
            "unused_tokens": [],
        })
    syscalls = [{
        "number": sc.number,
        "name": sc.name.text,
        "doc": sc.doc,
        "params": _params_json(sc.params),
        "returns": _returns_json(sc.ret, sc.ret_decode),
        "pending": sc.pending,
        "noreturn": sc.noreturn,
        "access_ok": [{"param": c.param.name.text, "bytes": c.describe()}
                      for c in user_checks(prof, sc)],
    } for sc in mod.syscalls]
    return {
        "generator": "tools/idlc",
        "profile": prof.name,
        "rings": prof.rings,
        "tests": tests,
        "sources": sources,
        "capabilities": caps,
        "interfaces": ifcs,
        "services": svcs,
        "syscalls": syscalls,
        # How system calls check user pointers: access_ok() before the
        # call and the copy routines' own checks, or the copies alone.
        "syscall_user_check": "access_ok" if prof.access_check else "copy-fixup",
        # The C structs system calls take, and the headers defining them.
        "syscall_structs": [{"name": st.name.text, "doc": st.doc} for st in mod.structs],
        "syscall_includes": [{"path": inc.path, "doc": inc.doc} for inc in mod.includes],
    }
