"""Reading IDL files: Lark (grammar.lark) into the model, with doc comments.

The parser is Lark's LALR(1) with its basic lexer. Lark's own exceptions
are turned into IdlError at the offending token. Doc comments are matched
to declarations afterwards, from the full token stream: a `///` comment on
its own line documents the declaration or clause that starts right after
it; one that follows a declaration or clause on the same line documents
that one. A doc comment that documents nothing is an error.
"""

import os

from lark import Lark, Tree
from lark.exceptions import UnexpectedCharacters, UnexpectedInput, UnexpectedToken
from lark.lexer import PatternStr

from model import (Capability, Clause, ExternGroup, IdlError, Interface,
                   Name, Operation, Param, Pos, Service, SourceFile, Syscall,
                   Type)

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

    def type(self, tree):
        toks = tree.children
        if tree.data == "plain_type":
            return Type(self.name(toks[0]))
        return Type(self.name(toks[0]), self.name(toks[1]), self.name(toks[2]))

    def params(self, trees):
        return [Param(self.type(p.children[0]), self.name(p.children[1]))
                for p in trees]

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
            clause = Clause(item.data, Pos(self.path, m.line, m.column),
                            [self.name(t) for t in item.children])
            svc.clauses.append(self.documentable(item, clause))
        self.src.services.append(svc)

    def decl_syscall(self, tree):
        num, name = tree.children[0], tree.children[1]
        params = [c for c in tree.children[2:] if isinstance(c, Tree) and c.data == "param"]
        ret = self.type(tree.children[-1])
        sc = Syscall(int(num), self.pos(num), self.name(name),
                     self.params(params), ret)
        self.src.syscalls.append(self.documentable(tree, sc))


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
        prev = next((toks[j] for j in reversed(significant) if j < i), None)
        if prev is not None and prev.end_line == tok.line:
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
