"""The IDL's data model: what a parsed file says, before any profile.

Every declaration and every name in it keeps the position (file, line,
column; 1-based) of the token it came from, so that the checker can point
at the offending token. The model knows the IDL's types and how each one
is spelled in C; what a profile makes of an interface lives in profiles.py.
"""

from dataclasses import dataclass, field
from typing import List, Optional


class IdlError(Exception):
    """One error in an IDL file, reported as `file:line:col: error: msg`."""

    def __init__(self, pos, message):
        super().__init__(message)
        self.pos = pos
        self.message = message

    def __str__(self):
        return f"{self.pos}: error: {self.message}"


@dataclass(frozen=True)
class Pos:
    file: str
    line: int
    col: int

    def __str__(self):
        return f"{self.file}:{self.line}:{self.col}"

    def key(self, file_order):
        return (file_order.get(self.file, len(file_order)), self.line, self.col)


@dataclass
class Name:
    """An identifier as written, with where it was written."""
    text: str
    pos: Pos

    def __str__(self):
        return self.text


# --------------------------------------------------------------------- types

# IDL scalar type -> C type. Every C name here comes from <kevlar/types.h>.
INTEGER_TYPES = {
    "u8": "u8", "u16": "u16", "u32": "u32", "u64": "u64",
    "s8": "s8", "s16": "s16", "s32": "s32", "s64": "s64",
    "int": "int", "long": "long", "usize": "size_t", "isize": "ssize_t",
}
VALUE_TYPES = dict(INTEGER_TYPES)
VALUE_TYPES.update({
    "bool": "bool",
    "fd": "int",            # a file descriptor number
    "frame": "paddr_t",     # a physical frame
    "ptr": "void *",        # a kernel pointer
    "str": "const char *",  # a NUL-terminated kernel string
})
# Plain user addresses: only in system calls and Ring 1 interfaces.
USER_TYPES = {
    "user_ptr": "uptr_t",   # an untyped user address (brk, mmap)
    "user_str": "uptr_t",   # a NUL-terminated string in user memory
}
# Element types a buffer may have: in<T>[n], out<T>[n], user_in<T>[n], ...
ELEMENT_TYPES = set(INTEGER_TYPES) | {"bool", "frame", "fd"}
BUFFER_KINDS = ("in", "out", "user_in", "user_out")

# Return types that have an error value, and what it is in C ("errno": a
# negative errno). A contained or guarded operation must return one of
# these (or void).
ERROR_VALUES = {"int": "errno", "long": "errno", "isize": "errno",
                "fd": "errno", "ptr": "NULL", "frame": "PADDR_NONE"}
SYSCALL_RETURNS = ("int", "long", "isize", "fd")

# Identifiers the generated shims use for their own parameters and locals.
RESERVED_PARAMS = {"tok", "ref", "inst", "ops", "rf", "ret"}

# Decoders every integer parameter may name besides the declared flag sets
# and enums: how the tracer prints it.
BUILTIN_DECODERS = ("dec", "hex", "octal")

C_KEYWORDS = {
    "auto", "break", "case", "char", "const", "continue", "default", "do",
    "double", "else", "enum", "extern", "float", "for", "goto", "if",
    "inline", "int", "long", "register", "restrict", "return", "short",
    "signed", "sizeof", "static", "struct", "switch", "typedef", "union",
    "unsigned", "void", "volatile", "while", "_Alignas", "_Alignof",
    "_Atomic", "_Bool", "_Complex", "_Generic", "_Imaginary", "_Noreturn",
    "_Static_assert", "_Thread_local", "asm", "typeof", "__typeof__",
    "bool", "true", "false", "NULL",
}


@dataclass
class Type:
    """A type as written: `u8`, `in<u8>[len]`, `user_out<struct stat>`,
    `user_out<u64>[size bytes]`."""
    name: Name                      # u8, in, user_out, ...
    elem: Optional[Name] = None     # element type of a buffer
    length: Optional[Name] = None   # parameter holding a buffer's length
    elem_struct: bool = False       # elem names a `struct NAME;` declaration
    unit: Optional[Name] = None     # `bytes` in [n bytes]: n counts bytes
    fixed: Optional[int] = None     # [2]: a length that is a number

    @property
    def pos(self):
        return self.name.pos

    @property
    def is_buffer(self):
        return self.elem is not None

    @property
    def is_single(self):
        """user_in<T> or user_out<T>: one T, no length."""
        return self.elem is not None and self.length is None and self.fixed is None

    @property
    def is_user(self):
        return self.name.text.startswith("user_")

    @property
    def is_void(self):
        return not self.is_buffer and self.name.text == "void"

    @property
    def length_in_bytes(self):
        return self.unit is not None

    def elem_c(self):
        """The C type of one element: `u8`, `struct stat`."""
        if self.elem_struct:
            return f"struct {self.elem}"
        return VALUE_TYPES[self.elem.text]

    def idl(self):
        """The type as IDL spells it."""
        if self.is_buffer:
            elem = f"struct {self.elem}" if self.elem_struct else self.elem.text
            text = f"{self.name}<{elem}>"
            if not self.is_single:
                unit = f" {self.unit}" if self.unit is not None else ""
                count = self.length if self.length is not None else self.fixed
                text += f"[{count}{unit}]"
            return text
        return self.name.text

    def c(self):
        """The C type; the type must have passed the checker."""
        n = self.name.text
        if self.is_buffer:
            if n == "in":
                return f"const {self.elem_c()} *"
            if n == "out":
                return f"{self.elem_c()} *"
            return "uptr_t"
        if n == "void":
            return "void"
        if n in VALUE_TYPES:
            return VALUE_TYPES[n]
        return USER_TYPES[n]

    def error_value(self):
        """IDL name of the error value as a return type: "errno", "NULL",
        "PADDR_NONE", or None if the type has none."""
        if self.is_buffer:
            return None
        return ERROR_VALUES.get(self.name.text)


def c_decl(ctype, name):
    """`int x`, `void *p`: a C declaration of name with type ctype."""
    if ctype.endswith("*"):
        return f"{ctype}{name}"
    return f"{ctype} {name}"


# -------------------------------------------------------------- declarations

@dataclass
class Param:
    type: Type
    name: Name
    decode: Optional[Name] = None   # `: open_flags`: how the tracer shows it
    # `if flags & (O_CREAT | O_TMPFILE)`: the tracer shows the parameter
    # only when that parameter has one of those flags: (flags, [names]).
    shown_if: Optional[tuple] = None

    def c(self):
        return c_decl(self.type.c(), self.name.text)


@dataclass
class Operation:
    ret: Type
    name: Name
    params: List[Param]
    doc: str = ""
    interface: "Interface" = None

    @property
    def pos(self):
        return self.name.pos


@dataclass
class Clause:
    """A one-word or one-list clause (provider, callers, guard, single,
    multi, holds, provides, test_only): where it was, and its doc."""
    keyword: str
    pos: Pos
    args: List[Name] = field(default_factory=list)   # names or numbers
    doc: str = ""


@dataclass
class ExternGroup:
    """`extern a, b, c;`: symbols some C header already declares."""
    names: List[Name]
    pos: Pos
    doc: str = ""


@dataclass
class Capability:
    name: Name
    doc: str = ""
    index: int = -1


@dataclass
class Interface:
    name: Name
    doc: str = ""
    provider: Optional[int] = None
    callers: Optional[List[int]] = None     # None: the default
    guard: Optional[Name] = None
    multi: bool = False
    clauses: List[Clause] = field(default_factory=list)
    externs: List[ExternGroup] = field(default_factory=list)
    ops: List[Operation] = field(default_factory=list)
    # Filled in by the checker.
    index: int = -1
    caller_rings: List[int] = field(default_factory=list)
    providers: List["Service"] = field(default_factory=list)
    live_providers: List["Service"] = field(default_factory=list)  # built ones

    @property
    def pos(self):
        return self.name.pos

    @property
    def extern_names(self):
        return [n for g in self.externs for n in g.names]


@dataclass
class Registration:
    """`provides filesystem "tmpfs";` or `provides chardev major 1;`: the
    service provides a multi interface, and callers find it by that name
    (a string) or number (keyed by a word: `major`)."""
    interface: Name
    pos: Pos                    # of the `provides` keyword
    key_pos: Pos                # of the name or number
    name: Optional[str] = None  # by name
    word: Optional[Name] = None  # by number: what the number is
    number: Optional[int] = None
    doc: str = ""
    service: Optional["Service"] = None   # filled in by the checker

    @property
    def kind(self):
        return "name" if self.name is not None else self.word.text

    @property
    def key(self):
        return self.name if self.name is not None else self.number


@dataclass
class RegistryTable:
    """The providers of one interface that are registered by name or
    number, in this build, sorted by key: Core's lookup table."""
    interface: "Interface"
    kind: str                  # "name", or the number's word ("major")
    entries: List[Registration] = field(default_factory=list)

    @property
    def c_name(self):
        return f"{self.interface.name}_by_{self.kind}"


@dataclass
class Service:
    name: Name
    doc: str = ""
    provides: List[Name] = field(default_factory=list)
    holds: List[Name] = field(default_factory=list)
    test_only: bool = False
    clauses: List[Clause] = field(default_factory=list)
    registrations: List[Registration] = field(default_factory=list)
    # Filled in by the checker.
    interfaces: List[Interface] = field(default_factory=list)
    caps: List[Capability] = field(default_factory=list)
    index: int = -1         # SVC_ number, if built

    @property
    def pos(self):
        return self.name.pos


@dataclass
class Syscall:
    number: int
    number_pos: Pos
    name: Name
    params: List[Param]
    ret: Type
    doc: str = ""
    ret_decode: Optional[Name] = None   # `-> long: hex`
    marks: List[Name] = field(default_factory=list)   # pending, noreturn
    pending: bool = False       # declared, not implemented: -ENOSYS
    noreturn: bool = False      # never returns to the caller (exit)

    @property
    def pos(self):
        return self.name.pos


@dataclass
class Include:
    """`include "kevlar/abi.h";`: a header the system-call code includes,
    for the structs that `struct NAME;` declares."""
    path: str
    pos: Pos
    doc: str = ""


@dataclass
class StructDecl:
    """`struct stat;`: a C struct, defined by an included header, that
    system calls take through user_in<struct stat> and the like."""
    name: Name
    doc: str = ""

    @property
    def pos(self):
        return self.name.pos


@dataclass
class SetEntry:
    """`O_CREAT = 0100`: one name of a flag set or enum. In a field of a
    flag set, `mask` is the field's mask. A name written without a value
    (`O_CREAT`) takes the value of the `abi` constant of that name: value
    and literal are None until the checker fills them in, and value_pos
    is the name's position."""
    name: Name
    value: Optional[int]
    value_pos: Pos
    literal: Optional[str]      # the value as written (C syntax)
    mask: Optional[int] = None
    doc: str = ""


@dataclass
class Field:
    """`O_ACCMODE = 03 { O_RDONLY = 0, ... }`: bits of a flag set that
    hold one value rather than independent flags. Without a mask
    (`O_ACCMODE { ... }`), mask and mask_literal come from the `abi`
    constant of that name."""
    name: Name
    mask: Optional[int]
    mask_pos: Pos
    mask_literal: Optional[str]     # the mask as written (C syntax)
    entries: List[SetEntry] = field(default_factory=list)
    doc: str = ""


@dataclass
class ValueSet:
    """`flagset NAME { ... }` or `enum NAME { ... }`: how the tracer names
    an integer's value. items are SetEntry (and Field, in a flag set)."""
    kind: str                   # "flagset" or "enum"
    name: Name
    items: list = field(default_factory=list)
    doc: str = ""
    index: int = -1             # filled in by the checker

    @property
    def pos(self):
        return self.name.pos

    @property
    def entries(self):
        """Every name, fields flattened, in declaration order."""
        out = []
        for item in self.items:
            out += item.entries if isinstance(item, Field) else [item]
        return out


@dataclass
class AbiConst:
    """`EPERM = 1 "Operation not permitted"`: one constant of the Linux
    ABI, its value as written, and (errno values) its message."""
    name: Name
    value: int
    value_pos: Pos
    literal: str                # the value as written (C syntax)
    message: Optional[str] = None
    doc: str = ""
    group: Optional["AbiGroup"] = None      # filled in by the checker

    @property
    def pos(self):
        return self.name.pos

    @property
    def c_value(self):
        """The value as the generated header spells it."""
        return f"({self.literal})" if self.literal.startswith("-") else self.literal


@dataclass
class AbiGroup:
    """`abi signals "signal.h" host "asm/signal.h" { ... }`: constants of
    the Linux ABI that go into gen/<p>/include/abi/<header>, and the host
    headers that the ABI check compares them with."""
    name: Name
    header: str
    header_pos: Pos
    hosts: List[str] = field(default_factory=list)
    names: Optional[Name] = None    # `names SIGNAL_NAMES`: the table's macro
    consts: List[AbiConst] = field(default_factory=list)
    doc: str = ""

    @property
    def pos(self):
        return self.name.pos


@dataclass
class SourceFile:
    path: str
    capabilities: List[Capability] = field(default_factory=list)
    interfaces: List[Interface] = field(default_factory=list)
    services: List[Service] = field(default_factory=list)
    syscalls: List[Syscall] = field(default_factory=list)
    includes: List[Include] = field(default_factory=list)
    structs: List[StructDecl] = field(default_factory=list)
    value_sets: List[ValueSet] = field(default_factory=list)
    abi_groups: List[AbiGroup] = field(default_factory=list)


@dataclass
class Module:
    """Every file of one idlc run, checked: the whole set of boundaries."""
    files: List[SourceFile]
    capabilities: List[Capability] = field(default_factory=list)
    interfaces: List[Interface] = field(default_factory=list)
    services: List[Service] = field(default_factory=list)
    syscalls: List[Syscall] = field(default_factory=list)
    built_services: List[Service] = field(default_factory=list)
    includes: List[Include] = field(default_factory=list)
    structs: List[StructDecl] = field(default_factory=list)
    value_sets: List[ValueSet] = field(default_factory=list)
    abi_groups: List[AbiGroup] = field(default_factory=list)
    # Every abi constant by name, filled in by the checker.
    abi_consts: dict = field(default_factory=dict)
    registries: List[RegistryTable] = field(default_factory=list)
