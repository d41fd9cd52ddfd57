"""The system-call layer as the templates lay it out.

syscalls.h.j2, syscalls.c.j2 (the dispatcher) and syscall_trace.c.j2 (the
tracer) read the views made here: for each system call, how every argument
is taken from its register, which user buffers are checked first (the
profile decides, profiles.user_checks), and how the tracer shows each
argument and the result.
"""

from model import Field, c_decl
from profiles import user_checks

# The x86_64 Linux ABI: the number in rax, the arguments in these.
ARG_REGS = ("rdi", "rsi", "rdx", "r10", "r8", "r9")

# C type -> the tracer's enum trace_ctype.
_CTYPES = {
    "bool": "CT_BOOL", "u8": "CT_U8", "s8": "CT_S8", "u16": "CT_U16",
    "s16": "CT_S16", "u32": "CT_U32", "s32": "CT_S32", "u64": "CT_U64",
    "s64": "CT_S64", "int": "CT_S32", "long": "CT_S64", "size_t": "CT_U64",
    "ssize_t": "CT_S64", "uptr_t": "CT_U64",
}
# Built-in decoders -> the tracer's enum trace_format.
_BUILTIN_FORMATS = {"dec": "TRACE_DEC", "hex": "TRACE_HEX", "octal": "TRACE_OCT"}
# Buffers of these elements are shown as quoted strings.
_TEXT_ELEMENTS = ("u8", "s8")


def register_value(ctype, reg):
    """The C expression that decodes argument register reg as ctype."""
    if ctype in ("u64", "uptr_t"):
        return f"f->{reg}"
    return f"({ctype})f->{reg}"


def wrap_call(indent, head, args, width=80):
    """`head(args)` as C lines starting with indent; continuation lines
    line up under the first argument (tabs, then spaces)."""
    one = f"{indent}{head}({', '.join(args)})"
    if len(one.expandtabs(8)) <= width or not args:
        return one
    col = len(f"{indent}{head}(".expandtabs(8))
    cont = "\t" * (col // 8) + " " * (col % 8)
    lines, cur = [], f"{indent}{head}("
    for i, a in enumerate(args):
        item = a + ("," if i < len(args) - 1 else ")")
        if cur.endswith("(") or len(cur.expandtabs(8)) + 1 + len(item) <= width:
            cur += item if cur.endswith("(") else f" {item}"
        else:
            lines.append(cur)
            cur = cont + item
    lines.append(cur)
    return "\n".join(lines)


def align_comment(indent, code, comment, col=56):
    """indent + code, then `/* comment */` in column col (tabs of 8)."""
    line = indent + code
    width = len(line.expandtabs(8))
    tabs = max(1, (col - width + 7) // 8)
    return f"{line}{chr(9) * tabs}/* {comment} */"


def idl_comment(indent, text, width=80):
    """A one-line C comment holding text, or a block wrapped at its
    commas (after an open parenthesis, continued under it)."""
    one = f"{indent}/* {text} */"
    if len(one.expandtabs(8)) <= width:
        return one
    head, _, rest = text.partition("(")
    lines, cur = [], f"{indent} * {head}("
    col = len(cur.expandtabs(8))
    parts = rest.split(", ")
    for i, part in enumerate(parts):
        item = part + ("," if i < len(parts) - 1 else "")
        if cur.endswith("(") or len(cur.expandtabs(8)) + 1 + len(item) <= width:
            cur += item if cur.endswith("(") else f" {item}"
        else:
            lines.append(cur)
            cur = f"{indent} *" + " " * (col - len(f"{indent} *".expandtabs(8))) + item
    lines.append(cur)
    return f"{indent}/*\n" + "\n".join(lines) + f"\n{indent} */"


def _param_idl(p):
    text = f"{p.type.idl()} {p.name}"
    if p.decode is not None:
        text += f": {p.decode}"
    if p.shown_if is not None:
        name, flags = p.shown_if
        names = " | ".join(f.text for f in flags)
        text += f" if {name} & " + (f"({names})" if len(flags) > 1 else names)
    return text


def _conditions(sc, p, sets):
    """trace_conds[] rows for `p: ... if flags & (A | B)`: one per flag."""
    name, flags = p.shown_if
    index = [q.name.text for q in sc.params].index(name.text)
    other = sc.params[index]
    values = {e.name.text: e for e in sets[other.decode.text].entries}
    return [align_comment("\t", f"{{ {index}, {values[f.text].literal} }},",
                          f"{sc.name}: {p.name} if {name} has {f}", col=40) for f in flags]


def _trace_arg(t, decode, params, sets, conds=(0, 0)):
    """The tracer's struct trace_arg initializer for a value of type t;
    sets maps each flag set or enum name to its ValueSet; conds is the
    first index and the number of its conditions in trace_conds[]."""
    ctype = _CTYPES.get(t.c(), "CT_U64")
    fmt, len_arg, vset = _trace_format(t, decode, sets), 0, "SET_NONE"
    if fmt == "TRACE_BUF_IN":
        len_arg = [p.name.text for p in params].index(t.length.text)
    if fmt in ("TRACE_FLAGS", "TRACE_ENUM"):
        vset = f"SET_{decode}"
    return f"{{ {fmt}, {ctype}, {len_arg}, {vset}, {conds[0]}, {conds[1]} }}"


def _trace_format(t, decode, sets):
    n = t.name.text
    if t.is_buffer:
        text = t.elem.text in _TEXT_ELEMENTS and not t.elem_struct and t.length is not None
        if text and n == "user_in":
            return "TRACE_BUF_IN"
        if text and n == "user_out":
            return "TRACE_BUF_OUT"
        return "TRACE_PTR"
    if n == "user_str":
        return "TRACE_STR"
    if n == "user_ptr":
        return "TRACE_PTR"
    if n == "fd":
        return "TRACE_FD"
    if decode is None:
        return "TRACE_DEC"
    if decode.text in _BUILTIN_FORMATS:
        return _BUILTIN_FORMATS[decode.text]
    return "TRACE_FLAGS" if sets[decode.text].kind == "flagset" else "TRACE_ENUM"


class SyscallView:
    def __init__(self, prof, sc, sets, conds):
        self.name = sc.name.text
        self.number = sc.number
        self.doc = sc.doc
        self.pending = sc.pending
        self.noreturn = sc.noreturn
        self.ret_decl = c_decl(sc.ret.c(), "")
        self.params = ", ".join(p.c() for p in sc.params) or "void"
        self.idl = (f"{self.name}({', '.join(_param_idl(p) for p in sc.params)})"
                    f" -> {sc.ret.idl()}"
                    + (f": {sc.ret_decode}" if sc.ret_decode is not None else ""))
        regs = dict(zip((p.name.text for p in sc.params), ARG_REGS))
        values = {p.name.text: register_value(p.type.c(), regs[p.name.text])
                  for p in sc.params}
        self.checks = []
        for c in user_checks(prof, sc):
            ptr = f"f->{regs[c.param.name.text]}"
            if c.count is None or isinstance(c.count, int):
                self.checks.append(f"access_ok({ptr}, {c.describe()})")
            elif c.byte_sized:
                self.checks.append(f"access_ok({ptr}, {values[c.count.name.text]})")
            else:
                self.checks.append(f"access_ok_array({ptr}, {values[c.count.name.text]}, "
                                   f"sizeof({c.elem}))")
        self.call = wrap_call("\t\t", f"return sys_{self.name}",
                              [values[p.name.text] for p in sc.params])
        # The tracer's descriptor.
        self.nargs = len(sc.params)
        self.trace_ret = _trace_arg(sc.ret, sc.ret_decode, [], sets)
        self.trace_args = []
        for p in sc.params:
            span = (0, 0)
            if p.shown_if is not None:
                span = (len(conds), len(p.shown_if[1]))
                conds += _conditions(sc, p, sets)
            init = _trace_arg(p.type, p.decode, sc.params, sets, span)
            self.trace_args.append(align_comment("\t\t", init + ",", _param_idl(p), col=64))
        self.comment = idl_comment("\t", self.idl)

    @property
    def uses_array_check(self):
        return any(c.startswith("access_ok_array") for c in self.checks)


def _c_value(value, literal):
    """A flag set or enum value as a C u64 initializer, as the IDL wrote it."""
    if value < 0:
        return f"(u64){literal}"
    if value >= 1 << 63:
        return literal + "ULL"
    return literal


class ValueSetView:
    """A flag set or enum: the tracer's table of names. rows are
    ("comment", text) and ("entry", initializer) in declaration order."""

    def __init__(self, vs):
        self.name = vs.name.text
        self.kind = vs.kind
        self.doc = vs.doc
        self.rows = []
        for item in vs.items:
            if isinstance(item, Field):
                note = f"{item.name}: a field under the mask {item.mask_literal}"
                self.rows.append(("comment", note + (f". {item.doc}" if item.doc else "")))
                for e in item.entries:
                    self._entry(e, item.mask_literal)
            else:
                self._entry(item, "0")
        self.count = sum(1 for kind, _ in self.rows if kind == "entry")

    def _entry(self, e, mask):
        if e.doc:
            self.rows.append(("comment", e.doc))
        self.rows.append(("entry", f'{{ {_c_value(e.value, e.literal)}, {mask}, "{e.name}" }}'))


def syscall_views(prof, mod):
    """The views of every system call, and the tracer's trace_conds[] rows
    that they index (row 0 is a placeholder)."""
    sets = {vs.name.text: vs for vs in mod.value_sets}
    conds = [align_comment("\t", "{ 0, 0 },", "none", col=40)]
    return [SyscallView(prof, sc, sets, conds) for sc in mod.syscalls], conds


def value_set_views(mod):
    return [ValueSetView(vs) for vs in mod.value_sets]


def dispatcher_includes(mod, views):
    """syscalls.c's headers: the kernel's, the IDL's `include`s, then the
    generated syscalls.h."""
    kevlar = {"kevlar/types.h", "kevlar/compiler.h", "kevlar/errno.h",
              "kevlar/printk.h", "kevlar/trapframe.h"}
    if any(v.checks for v in views):
        kevlar.add("kevlar/mmu.h")
    others = []
    for inc in mod.includes:
        if inc.path.startswith("kevlar/"):
            kevlar.add(inc.path)
        else:
            others.append(inc.path)
    first = ["kevlar/types.h"] + sorted(kevlar - {"kevlar/types.h"})
    return first + others + ["syscalls.h"]


TRACE_INCLUDES = ["kevlar/types.h", "kevlar/compiler.h", "kevlar/errno.h",
                  "kevlar/printk.h", "kevlar/trapframe.h", "kevlar/uaccess.h",
                  "syscalls.h"]
