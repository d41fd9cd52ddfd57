"""Reading IDL files: Lark (grammar.lark) into the model, with doc comments.

The parser is Lark's LALR(1) with its basic lexer. Lark's own exceptions
are turned into IdlError at the offending token. Doc comments are matched
to declarations afterwards, from the full token stream: a `///` comment on
its own line documents the declaration or clause that starts right after
it; one that follows a declaration or clause on the same line documents
that one. A doc comment that documents nothing is an error.
"""

import os
import re

from lark import Lark, Tree
from lark.exceptions import UnexpectedCharacters, UnexpectedInput, UnexpectedToken
from lark.lexer import PatternStr

from model import (AbiConst, AbiGroup, Capability, Clause, ExternGroup, Field, IdlError, Include,
                   Interface, Name, Operation, Param, Pos, Registration, Service, SetEntry,
                   SourceFile, StructDecl, Syscall, Type, ValueSet)

GRAMMAR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "grammar.lark")
_COMMENTS = {"DOC_COMMENT", "LINE_COMMENT", "BLOCK_COMMENT", "WS"}

_parser = None


def parser():
    global _parser
    if _parser is None:
        with open(GRAMMAR, encoding="utf-8") as f:
            _parser = Lark(f.read(), parser="lalr", lexer="basic",
                           propagate_positions=True, maybe_placeholders=False)
    return _parser


def _describe_terminal(name):
    if name == "NAME":
        return "a name"
    if name == "INT":
        return "a number"
    if name == "STRING":
        return "a string"
    if name == "$END":
        return "end of file"
    for t in parser().terminals:
        if t.name == name and isinstance(t.pattern, PatternStr):
            return f"'{t.pattern.value}'"
    return name


def _describe_token(tok):
    if tok.type == "NAME":
        return f"name '{tok.value}'"
    if tok.type == "INT":
        return f"number {tok.value}"
    if tok.type == "STRING":
        return f"string {tok.value}"
    if tok.type == "$END":
        return "end of file"
    return f"'{tok.value}'"


def _syntax_error(path, text, err):
    if isinstance(err, UnexpectedCharacters):
        pos = Pos(path, err.line, err.column)
        rest = text[err.pos_in_stream:]
        if rest.startswith("/*"):
            return IdlError(pos, "unterminated comment")
        return IdlError(pos, f"unexpected character {rest[:1]!r}")
    if isinstance(err, UnexpectedToken):
        tok = err.token
        expected = sorted({_describe_terminal(e) for e in err.expected})
        if len(expected) == 1:
            want = f"expected {expected[0]}"
        elif len(expected) <= 6:
            want = "expected one of " + ", ".join(expected)
        else:
            want = "expected a declaration, clause or operation"
        if tok.type == "$END":
            # Lark gives end of file the position of the last token.
            if tok.end_line is not None:
                pos = Pos(path, tok.end_line, tok.end_column)
            else:
                pos = Pos(path, 1, 1)
            return IdlError(pos, f"unexpected end of file, {want}")
        return IdlError(Pos(path, tok.line, tok.column),
                        f"unexpected {_describe_token(tok)}, {want}")
    line = getattr(err, "line", 1) or 1
    col = getattr(err, "column", 1) or 1
    return IdlError(Pos(path, line, col), "syntax error")


class _Builder:
    """Walks one file's parse tree and builds its SourceFile."""

    def __init__(self, path):
        self.path = path
        self.src = SourceFile(path)
        # Things a doc comment can document, by the position of their
        # first and of their last token.
        self.by_start = {}
        self.by_end = {}

    def pos(self, tok):
        return Pos(self.path, tok.line, tok.column)

    def name(self, tok):
        return Name(str(tok), self.pos(tok))

    def documentable(self, tree, obj):
        m = tree.meta
        self.by_start[(m.line, m.column)] = obj
        self.by_end[(m.end_line, m.end_column)] = obj
        return obj

    def number(self, tok):
        """A number literal, read by C's rules (0x1f, 017, 15)."""
        text = str(tok)
        if text[:2] in ("0x", "0X"):
            return int(text, 16)
        if len(text) > 1 and text[0] == "0":
            if not re.fullmatch(r"[0-7]+", text):
                raise IdlError(self.pos(tok), f"bad octal number '{text}'")
            return int(text, 8)
        return int(text)

    def decimal(self, tok):
        """A number that must be written in decimal: a ring or system call
        number."""
        if not re.fullmatch(r"0|[1-9][0-9]*", str(tok)):
            raise IdlError(self.pos(tok), f"write '{tok}' in decimal")
        return int(str(tok))

    def type(self, tree):
        toks = tree.children
        if tree.data == "plain_type":
            return Type(self.name(toks[0]))
        elem = toks[1]
        t = Type(self.name(toks[0]), self.name(elem.children[0]),
                 elem_struct=elem.data == "elem_struct")
        if len(toks) > 2:
            length = toks[2].children
            if length[0].type == "INT":
                t.fixed = self.decimal(length[0])
                if t.fixed == 0:
                    raise IdlError(self.pos(length[0]), "a buffer length cannot be 0")
            else:
                t.length = self.name(length[0])
            if len(length) > 1:
                t.unit = self.name(length[1])
        return t

    def params(self, trees):
        out = []
        for p in trees:
            kids = p.children
            param = Param(self.type(kids[0]), self.name(kids[1]))
            if len(kids) > 2:
                param.decode = self.name(kids[2].children[0])
                param.shown_if = self.shown_if(kids[2])
            out.append(param)
        return out

    def shown_if(self, decode):
        if len(decode.children) < 2:
            return None
        names = [self.name(t) for t in decode.children[1].children]
        return names[0], names[1:]

    def build(self, tree):
        for decl in tree.children:
            getattr(self, "decl_" + decl.data)(decl)
        return self.src

    def decl_capability(self, tree):
        cap = Capability(self.name(tree.children[0]))
        self.src.capabilities.append(self.documentable(tree, cap))

    def decl_interface(self, tree):
        ifc = Interface(self.name(tree.children[0]))
        self.documentable(tree, ifc)
        for item in tree.children[1:]:
            kind = item.data
            first = item.meta
            kpos = Pos(self.path, first.line, first.column)
            if kind in ("provider", "callers"):
                for t in item.children:
                    self.decimal(t)
            if kind == "operation":
                ret = self.type(item.children[0])
                op = Operation(ret, self.name(item.children[1]),
                               self.params(item.children[2:]), interface=ifc)
                ifc.ops.append(self.documentable(item, op))
            elif kind == "extern":
                group = ExternGroup([self.name(t) for t in item.children], kpos)
                ifc.externs.append(self.documentable(item, group))
            else:
                clause = Clause(kind, kpos, [self.name(t) for t in item.children])
                ifc.clauses.append(self.documentable(item, clause))
        self.src.interfaces.append(ifc)

    def decl_service(self, tree):
        svc = Service(self.name(tree.children[0]))
        self.documentable(tree, svc)
        for item in tree.children[1:]:
            m = item.meta
            kpos = Pos(self.path, m.line, m.column)
            if item.data in ("provides_named", "provides_numbered"):
                svc.registrations.append(self.documentable(item, self.registration(item, kpos)))
                continue
            clause = Clause(item.data, kpos, [self.name(t) for t in item.children])
            svc.clauses.append(self.documentable(item, clause))
        self.src.services.append(svc)

    def registration(self, item, kpos):
        kids = item.children
        ifc, key = self.name(kids[0]), kids[-1]
        if item.data == "provides_named":
            return Registration(ifc, kpos, self.pos(key), name=str(key)[1:-1])
        return Registration(ifc, kpos, self.pos(key), word=self.name(kids[1]),
                            number=self.decimal(key))

    def decl_syscall(self, tree):
        kids = list(tree.children)
        marks = []
        while kids[0].type in ("PENDING", "NORETURN"):
            marks.append(self.name(kids.pop(0)))
        num, name = kids[0], kids[1]
        params = [c for c in kids[2:] if isinstance(c, Tree) and c.data == "param"]
        ret_decode = None
        if kids[-1].data == "decode":
            decode = kids.pop()
            ret_decode = self.name(decode.children[0])
            if self.shown_if(decode) is not None:
                raise IdlError(self.pos(decode.children[1].meta), "a result is always shown: "
                               "'if' applies only to parameters")
        ret = self.type(kids[-1])
        sc = Syscall(self.decimal(num), self.pos(num), self.name(name),
                     self.params(params), ret, ret_decode=ret_decode, marks=marks)
        self.src.syscalls.append(self.documentable(tree, sc))

    def decl_include(self, tree):
        tok = tree.children[0]
        inc = Include(str(tok)[1:-1], self.pos(tok))
        self.src.includes.append(self.documentable(tree, inc))

    def decl_struct_decl(self, tree):
        st = StructDecl(self.name(tree.children[0]))
        self.src.structs.append(self.documentable(tree, st))

    def signed_number(self, kids):
        """`[-] INT` at the start of kids: (value, literal, INT token)."""
        value = kids[-1]
        number, literal = self.number(value), str(value)
        if len(kids) == 2:          # with a minus sign
            number, literal = -number, "-" + literal
        return number, literal, value

    def set_entry(self, tree, mask=None):
        kids = tree.children
        name = self.name(kids[0])
        if len(kids) == 1:          # the value of the abi constant `name`
            entry = SetEntry(name, None, name.pos, None, mask)
        else:
            number, literal, value = self.signed_number(kids[1:])
            entry = SetEntry(name, number, self.pos(value), literal, mask)
        return self.documentable(tree, entry)

    def decl_flagset(self, tree):
        vs = ValueSet("flagset", self.name(tree.children[0]))
        self.documentable(tree, vs)
        for item in tree.children[1:]:
            if item.data == "flag":
                vs.items.append(self.set_entry(item))
                continue
            kids = item.children
            name = self.name(kids[0])
            if isinstance(kids[1], Tree):   # the mask of the abi constant `name`
                fld = Field(name, None, name.pos, None)
                flags = kids[1:]
            else:
                fld = Field(name, self.number(kids[1]), self.pos(kids[1]), str(kids[1]))
                flags = kids[2:]
            fld.entries = [self.set_entry(e, fld.mask) for e in flags]
            vs.items.append(self.documentable(item, fld))
        self.src.value_sets.append(vs)

    def decl_abi(self, tree):
        kids = tree.children
        header = kids[1]
        group = AbiGroup(self.name(kids[0]), str(header)[1:-1], self.pos(header))
        self.documentable(tree, group)
        for item in kids[2:]:
            if item.data == "abi_host":
                group.hosts = [str(t)[1:-1] for t in item.children]
                continue
            if item.data == "abi_names":
                group.names = self.name(item.children[0])
                continue
            parts = item.children
            message = None
            if parts[-1].type == "STRING":
                message = str(parts[-1])[1:-1]
                parts = parts[:-1]
            number, literal, value = self.signed_number(parts[1:])
            const = AbiConst(self.name(parts[0]), number, self.pos(value), literal, message)
            group.consts.append(self.documentable(item, const))
        self.src.abi_groups.append(group)

    def decl_enum(self, tree):
        vs = ValueSet("enum", self.name(tree.children[0]))
        self.documentable(tree, vs)
        vs.items = [self.set_entry(e) for e in tree.children[1:]]
        self.src.value_sets.append(vs)


def _doc_text(tok):
    text = str(tok)[3:]
    if text.startswith(" "):
        text = text[1:]
    return text.rstrip()


def _attach_docs(path, text, builder):
    """Gives each documentable thing its `///` text (see the module doc)."""
    toks = list(parser().lex(text, dont_ignore=True))
    significant = [i for i, t in enumerate(toks) if t.type not in _COMMENTS]
    docs = {}
    for i, tok in enumerate(toks):
        if tok.type != "DOC_COMMENT":
            continue
        before = [toks[j] for j in reversed(significant) if j < i][:2]
        prev = before[0] if before else None
        if prev is not None and prev.end_line == tok.line:
            target = builder.by_end.get((prev.end_line, prev.end_column))
            if target is None and prev.type == "COMMA" and len(before) > 1:
                # `O_CREAT = 0100, /// doc`: a list item before its comma.
                prev = before[1]
                target = builder.by_end.get((prev.end_line, prev.end_column))
            if target is None:
                raise IdlError(Pos(path, tok.line, tok.column),
                               "doc comment does not follow a declaration, "
                               "clause or operation on its line")
        else:
            nxt = next((toks[j] for j in significant if j > i), None)
            target = None
            if nxt is not None:
                target = builder.by_start.get((nxt.line, nxt.column))
            if target is None:
                raise IdlError(Pos(path, tok.line, tok.column),
                               "doc comment is not followed by a declaration, "
                               "clause or operation")
        docs.setdefault(id(target), (target, []))[1].append(_doc_text(tok))
    for target, lines in docs.values():
        target.doc = "\n".join(lines).strip("\n")


def parse_text(path, text):
    """Parses one file's text into a SourceFile; raises IdlError."""
    try:
        tree = parser().parse(text)
    except UnexpectedInput as err:
        raise _syntax_error(path, text, err) from None
    builder = _Builder(path)
    src = builder.build(tree)
    _attach_docs(path, text, builder)
    return src


def parse_file(path):
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as err:
        raise IdlError(Pos(path, 1, 1), f"cannot read file: {err.strerror}") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data[:err.start].count(b"\n") + 1
        col = err.start - (data.rfind(b"\n", 0, err.start) + 1) + 1
        raise IdlError(Pos(path, line, col), "file is not UTF-8 text") from None
    return parse_text(path, text)
