"""What ringlint knows of C: the kind of each name, in its scope, from the
declarations (and object-like macros) it can read, and the kind of an
expression: int, uptr (a user address), ptr, user_ptr (a __user pointer),
other, or unknown. Only what is known for sure is ever reported."""
import re

from ctokens import match_brackets

C_KEYWORDS = frozenset("""auto break case char const continue default do double else enum
extern float for goto if inline int long register restrict return short signed sizeof
static struct switch typedef union unsigned void volatile while _Alignas _Alignof _Atomic
_Bool _Complex _Generic _Imaginary _Noreturn _Static_assert _Thread_local asm __asm__
__asm typeof __typeof__ __typeof __attribute__ __attribute __extension__ __inline__
__inline __restrict__ __restrict __volatile__ __volatile __const __signed__ __signed
__label__ __thread __auto_type __builtin_va_list""".split())
INT_KEYWORDS = frozenset(("char", "short", "int", "long", "signed", "unsigned", "_Bool",
                          "__signed__", "__signed", "bool"))
QUALIFIERS = frozenset(("const", "volatile", "restrict", "__restrict", "__restrict__",
                        "__const", "__volatile__", "__volatile", "__iomem", "__force",
                        "_Atomic"))
STORAGE = frozenset(("static", "extern", "inline", "__inline__", "__inline", "register",
                     "auto", "_Noreturn", "__extension__", "_Thread_local", "__thread"))
ATTRIBUTE_WORDS = frozenset(("__attribute__", "__attribute", "_Alignas", "alignas",
                             "__declspec"))
TYPEOF_WORDS = frozenset(("typeof", "__typeof__", "__typeof"))
UNEVALUATED = frozenset(("sizeof", "_Alignof", "__alignof__", "__alignof", "alignof",
                         "typeof", "__typeof__", "__typeof", "offsetof",
                         "__builtin_offsetof", "__builtin_types_compatible_p"))
ASM_WORDS = frozenset(("asm", "__asm__", "__asm"))
VOLATILE_WORDS = frozenset(("volatile", "__volatile__", "__volatile"))
# After these keywords an expression starts (a '(' is a cast, a '*' a dereference).
EXPR_KEYWORDS = frozenset(("return", "case", "else", "do"))
# After ')' of these a statement starts.
STMT_HEADS = frozenset(("if", "while", "for", "switch"))

# Integer typedefs every kernel file may see (<kevlar/types.h>, <stddef.h>,
# <stdint.h>); the headers may add more. uptr_t is a user address.
BUILTIN_TYPEDEFS = {name: "int" for name in (
    "u8 u16 u32 u64 s8 s16 s32 s64 size_t ssize_t ptrdiff_t intptr_t uintptr_t "
    "intmax_t uintmax_t int8_t int16_t int32_t int64_t uint8_t uint16_t uint32_t "
    "uint64_t paddr_t vaddr_t pfn_t nsec_t off_t loff_t pid_t uid_t gid_t mode_t "
    "dev_t ino_t time_t wchar_t bool").split()}
BUILTIN_TYPEDEFS["uptr_t"] = "uptr"
BUILTIN_TYPEDEFS["va_list"] = "other"
BUILTIN_TYPEDEFS["__builtin_va_list"] = "other"

ASSIGN_OPS = frozenset(("=", "*=", "/=", "%=", "+=", "-=", "<<=", ">>=", "&=", "^=", "|="))
INT_RESULT_OPS = frozenset(("==", "!=", "<", ">", "<=", ">=", "&&", "||", "&", "|", "^",
                            "<<", ">>"))
MUL_OPS = frozenset(("*", "/", "%"))
BINARY_OPS = INT_RESULT_OPS | MUL_OPS | {"+", "-"}

INT_LITERAL = re.compile(r"^(0[xX][0-9a-fA-F']+|0[bB][01']+|[0-9][0-9']*)[uUlLzZ]*$")


def literal_kind(text):
    if not INT_LITERAL.match(text):
        return "other"               # a floating constant
    digits = text.rstrip("uUlLzZ").replace("'", "")
    try:
        value = int(digits, 0) if not re.match(r"^0[0-7]+$", digits) else int(digits, 8)
    except ValueError:
        return "int"
    return "null" if value == 0 else "int"


def value_kind(base, user, ptr, array):
    """The kind of a value: int, uptr, ptr, user_ptr, other or unknown."""
    if ptr or array:
        return "user_ptr" if user and ptr + (1 if array else 0) == 1 else "ptr"
    if base in ("int", "uptr", "ptr", "user_ptr", "unknown"):
        return base
    return "other"


class Env:
    """What the headers declare: typedef kinds and the kinds of names."""

    def __init__(self):
        self.typedefs = dict(BUILTIN_TYPEDEFS)
        self.names = {}

    def add(self, name, kind):
        self.names.setdefault(name, set()).add(kind)

    def kind(self, name):
        kinds = self.names.get(name)
        return next(iter(kinds)) if kinds and len(kinds) == 1 else None


class Spec:
    __slots__ = ("base", "user", "typedef", "end")

    def __init__(self, base, user, typedef, end):
        self.base, self.user, self.typedef, self.end = base, user, typedef, end


class Declarator:
    __slots__ = ("name", "index", "ptr", "array", "func", "user", "params", "end")

    def __init__(self):
        self.name = None
        self.index = None
        self.ptr = 0
        self.array = False
        self.func = False
        self.user = False
        self.params = None
        self.end = None


class Unit:
    """One token stream (a file's code, or one #define body) and what its
    declarations say about its names."""

    def __init__(self, toks, env, outer=None, src=None):
        self.src = src if src is not None else (outer.src if outer is not None else None)
        self.toks = toks
        self.n = len(toks)
        self.env = env
        self.outer = outer                 # the file's Unit, for a macro body
        self.match = match_brackets(toks)
        self.decls = {}                    # name -> [(lo, hi, kind)]
        self.typedefs = {}
        self.functions = []                # (name, first token, last token)

    # ---- names and types

    def typedef_kind(self, name):
        if name in self.typedefs:
            return self.typedefs[name]
        if self.outer and name in self.outer.typedefs:
            return self.outer.typedefs[name]
        if name == "uptr_t":
            return "uptr"
        return self.env.typedefs.get(name)

    def is_type_name(self, name):
        if self.typedef_kind(name) is not None:
            return True
        if name in C_KEYWORDS or self.declared(name):
            return False
        # By convention: foo_t, and the generated token types cap_Name.
        return name.endswith("_t") or re.match(r"^cap_[A-Z]\w*$", name) is not None

    def declared(self, name):
        return name in self.decls or (self.outer is not None and name in self.outer.decls)

    def record(self, name, kind, lo, hi):
        self.decls.setdefault(name, []).append((lo, hi, kind))

    def lookup(self, name, at):
        best, kinds = None, set()
        for lo, hi, kind in self.decls.get(name, ()):
            if lo <= at < hi:
                span = hi - lo
                if best is None or span < best:
                    best, kinds = span, {kind}
                elif span == best:
                    kinds.add(kind)
        if best is not None:
            return next(iter(kinds)) if len(kinds) == 1 else "unknown"
        if self.outer is not None:
            return self.outer.lookup(name, self.outer.n - 1)
        kind = self.env.kind(name)
        return kind if kind is not None else "unknown"

    # ---- declarations

    def text(self, i):
        return self.toks[i].text if 0 <= i < self.n else None

    def close(self, i):
        return self.match.get(i, self.n)

    def scan(self, lo, hi, block_end, params=False, scope=None, top=False):
        """Reads the declarations in toks[lo:hi]."""
        i = lo
        while i < hi:
            t = self.toks[i]
            boundary = i == lo or self.toks[i - 1].text in (";", "{", "}") or \
                (params and self.toks[i - 1].text == ",")
            if boundary and t.kind == "id" and self.starts_declaration(i):
                i = self.declaration(i, hi, block_end, params, scope, top)
                continue
            if t.text == "{":
                e = self.close(i)
                self.scan(i + 1, min(e, hi), e)
                i = e + 1
                continue
            if t.text in ("(", "["):
                e = self.close(i)
                self.scan(i + 1, min(e, hi), block_end, params=t.text == "(", scope=scope)
                i = e + 1
                continue
            i += 1

    def starts_declaration(self, i):
        s = self.toks[i].text
        if s in STORAGE or s in QUALIFIERS or s in INT_KEYWORDS or s == "typedef" or \
                s in ("struct", "union", "enum", "void", "float", "double", "__user") or \
                s in TYPEOF_WORDS:
            return True
        if s in C_KEYWORDS:
            return False
        if self.is_type_name(s):
            nxt = self.text(i + 1)
            nk = self.toks[i + 1].kind if i + 1 < self.n else None
            return nk == "id" or nxt in ("*", "(", ")", ",")
        return False

    def specifiers(self, i, hi):
        base, user, typedef, saw = None, False, False, False
        j = i
        while j < hi:
            t = self.toks[j]
            s = t.text
            if t.kind != "id":
                break
            if s == "typedef":
                typedef = True
            elif s == "__user":
                user = True
            elif s in STORAGE or (s in QUALIFIERS and not (s == "_Atomic" and self.text(j + 1) == "(")):
                pass
            elif s in ATTRIBUTE_WORDS:
                if self.text(j + 1) == "(":
                    j = self.close(j + 1)
            elif s in TYPEOF_WORDS or s == "_Atomic":
                saw, base = True, "unknown"
                if self.text(j + 1) == "(":
                    j = self.close(j + 1)
            elif s in INT_KEYWORDS:
                saw = True
                base = "int" if base in (None, "int") else base
            elif s in ("float", "double", "_Complex"):
                saw, base = True, "other"
            elif s == "void":
                saw, base = True, "void"
            elif s in ("struct", "union", "enum"):
                saw, base = True, ("int" if s == "enum" else "other")
                j += 1
                while self.text(j) in ATTRIBUTE_WORDS:
                    j = self.close(j + 1) + 1
                if j < hi and self.toks[j].kind == "id" and self.toks[j].text not in C_KEYWORDS:
                    j += 1
                if self.text(j) == "{":
                    e = self.close(j)
                    if s == "enum":
                        self.enumerators(j + 1, e)
                    else:
                        self.scan(j + 1, e, self.n, scope=(0, self.n))
                    j = e + 1
                continue
            elif not saw and self.is_type_name(s):
                saw, base = True, self.typedef_kind(s) or "unknown"
            elif s.startswith("__") and s not in C_KEYWORDS and self.typedef_kind(s) is None:
                # An attribute macro: __packed, __aligned(16), __printf(1, 2), ...
                if self.text(j + 1) == "(":
                    j = self.close(j + 1)
            else:
                break
            j += 1
        return Spec(base, user, typedef, j) if saw else None

    def enumerators(self, lo, hi):
        expect = True
        i = lo
        while i < hi:
            t = self.toks[i]
            if expect and t.kind == "id":
                self.record(t.text, "int", 0, self.n)
                expect = False
            elif t.text == ",":
                expect = True
            elif t.text in ("(", "[", "{"):
                i = self.close(i)
            i += 1

    def declarator(self, j, hi):
        d = Declarator()
        while j < hi:
            s = self.text(j)
            if s == "*":
                d.ptr += 1
            elif s == "__user":
                d.user = True
            elif s in QUALIFIERS:
                pass
            elif s in ATTRIBUTE_WORDS or (s and s.startswith("__") and self.toks[j].kind == "id"
                                          and s not in C_KEYWORDS
                                          and self.typedef_kind(s) is None):
                if self.text(j + 1) == "(":
                    j = self.close(j + 1)
            else:
                break
            j += 1
        if self.text(j) == "(" and self.text(j + 1) in ("*", "(", "^"):
            e = self.close(j)
            inner = self.declarator(j + 1, e)
            d.name, d.index = inner.name, inner.index
            d.ptr += max(inner.ptr, 1)
            d.user = d.user or inner.user
            j = e + 1
            while j < hi and self.text(j) in ("(", "["):
                j = self.close(j) + 1
            d.end = j
            return d
        if j < hi and self.toks[j].kind == "id" and self.toks[j].text not in C_KEYWORDS:
            d.name, d.index = self.toks[j].text, j
            j += 1
        while j < hi:
            s = self.text(j)
            if s == "[":
                d.array = True
                j = self.close(j) + 1
            elif s == "(":
                if not d.func and not d.array:
                    d.func = True
                    d.params = (j + 1, self.close(j))
                j = self.close(j) + 1
            elif s in ATTRIBUTE_WORDS or s in ASM_WORDS:
                j = self.close(j + 1) + 1 if self.text(j + 1) == "(" else j + 1
            elif s and s.startswith("__") and self.toks[j].kind == "id" and s not in C_KEYWORDS:
                j = self.close(j + 1) + 1 if self.text(j + 1) == "(" else j + 1
            else:
                break
        d.end = j
        return d

    def declaration(self, i, hi, block_end, params, scope, top):
        spec = self.specifiers(i, hi)
        if spec is None:
            return i + 1
        j = spec.end
        while True:
            d = self.declarator(j, hi)
            if d.end == j and d.name is None and not d.ptr:
                return j + 1 if j < hi and self.text(j) not in (";", ",", ")") else j
            j = d.end
            user = spec.user or d.user
            if d.func:
                kind = "fn:" + value_kind(spec.base, user, d.ptr, False)
            else:
                kind = value_kind(spec.base, user, d.ptr, d.array)
            nxt = self.text(j)
            if d.func and nxt == "{" and d.name:
                body_end = self.close(j)
                self.record(d.name, kind, 0, self.n)
                if top:
                    self.functions.append((d.name, i, body_end))
                self.scan(d.params[0], d.params[1], body_end, params=True,
                          scope=(j, body_end + 1))
                self.scan(j + 1, body_end, body_end)
                return body_end + 1
            if d.func and d.params:
                self.scan(d.params[0], d.params[1], d.params[1], params=True,
                          scope=(d.params[0], d.params[1]))
            if d.name:
                if spec.typedef:
                    self.typedefs[d.name] = kind if not d.func else "other"
                elif scope is not None:
                    self.record(d.name, kind, scope[0], scope[1])
                elif top:
                    self.record(d.name, kind, 0, self.n)
                else:
                    self.record(d.name, kind, d.index, block_end)
            if nxt in ("=", ":"):
                j = self.skip_to_end(j + 1, hi)
                nxt = self.text(j)
            if nxt == "," and not params:
                j += 1
                continue
            return j

    def skip_to_end(self, j, hi):
        """Past an initializer or bit-field width: to the ',' or ';' that ends it."""
        while j < hi:
            s = self.text(j)
            if s in ("(", "[", "{"):
                j = self.close(j) + 1
                continue
            if s in (",", ";", ")", "]", "}"):
                return j
            j += 1
        return j

    # ---- expressions

    def cast_at(self, i):
        """If toks[i] opens a cast '(type-name)' applied to an operand, return
        (pointer?, user?, kind of the type, index of ')'); else None."""
        if self.text(i) != "(":
            return None
        if i > 0:
            p = self.toks[i - 1]
            if p.kind == "id" and p.text not in EXPR_KEYWORDS:
                return None
            if p.text == "]":
                return None
            if p.text == ")":
                # '(a)(b)' is a call, unless (a) is a cast or an if/while head.
                o = self.match.get(i - 1, -1)
                if not (0 <= o < i and (self.cast_at(o) is not None or
                                        (o > 0 and self.toks[o - 1].text in STMT_HEADS))):
                    return None
        e = self.close(i)
        if e >= self.n:
            return None
        spec = self.specifiers(i + 1, e)
        if spec is None:
            return None
        ptr, user, j = 0, spec.user, spec.end
        depth = 0
        while j < e:
            t = self.toks[j]
            s = t.text
            if s in ("(", "["):
                depth += 1
            elif s in (")", "]"):
                depth -= 1
            elif s == "*":
                ptr += 1
            elif s == "__user":
                user = True
            elif t.kind == "id" and depth == 0 and s not in QUALIFIERS and \
                    s not in ATTRIBUTE_WORDS and not s.startswith("__"):
                return None             # a declarator name: not a type-name
            elif t.kind not in ("id", "punct", "num") or (t.kind == "punct" and depth == 0
                                                         and s not in ("*",)):
                return None
            j += 1
        after = self.toks[e + 1] if e + 1 < self.n else None
        if after is None:
            return None
        if after.kind == "punct" and after.text not in ("(", "-", "~", "!", "+", "*", "&",
                                                        "++", "--", "{"):
            return None
        kind = value_kind(spec.base, user, ptr, False)
        return ptr > 0, user, kind, e

    def operand(self, i, end):
        """Reads one cast-expression at toks[i]: (its kind, index past it)."""
        if i >= end:
            return "unknown", i
        t = self.toks[i]
        s = t.text
        if t.kind == "punct":
            if s in ("-", "~", "!", "+"):
                _, j = self.operand(i + 1, end)
                return "int", j
            if s == "&":
                _, j = self.operand(i + 1, end)
                return "ptr", j
            if s == "*":
                _, j = self.operand(i + 1, end)
                return "unknown", j
            if s in ("++", "--"):
                return self.operand(i + 1, end)
            if s == "(":
                cast = self.cast_at(i)
                e = self.close(i)
                if cast is not None:
                    if self.text(e + 1) == "{":        # a compound literal
                        kind, j = "unknown", self.close(e + 1) + 1
                    else:
                        _, j = self.operand(e + 1, end)
                        return cast[2], j
                else:
                    kind, j = self.expression(i + 1, e), e + 1
            else:
                return "unknown", i + 1
        elif t.kind == "num":
            kind, j = literal_kind(s), i + 1
        elif t.kind == "str":
            j = i + 1
            while j < end and self.toks[j].kind == "str":
                j += 1
            kind = "ptr"
        elif t.kind == "chr":
            kind, j = "int", i + 1
        elif s in UNEVALUATED:
            if self.text(i + 1) == "(" and (self.cast_at(i + 1) is not None or
                                           self.specifiers(i + 2, self.close(i + 1))):
                return "int", self.close(i + 1) + 1
            _, j = self.operand(i + 1, end)
            return "int", j
        elif s in C_KEYWORDS or s.startswith("__builtin"):
            kind, j = "unknown", i + 1
        else:
            kind, j = self.lookup(s, i), i + 1
        while j < end:
            s = self.text(j)
            if s == "(":
                kind = kind[3:] if kind.startswith("fn:") else "unknown"
                j = self.close(j) + 1
            elif s == "[":
                kind, j = "unknown", self.close(j) + 1
            elif s in (".", "->") and j + 1 < end and self.toks[j + 1].kind == "id":
                kind = self.lookup(self.toks[j + 1].text, j + 1)
                if kind.startswith("fn:"):
                    kind = "unknown"
                j += 2
            elif s in ("++", "--"):
                j += 1
            else:
                break
        if kind.startswith("fn:"):
            kind = "ptr"                # a function designator
        return kind, j

    def expression(self, lo, hi):
        """The kind of the expression toks[lo:hi], or 'unknown'."""
        kind, j = self.operand(lo, hi)
        terms = [[kind]]      # additive terms, each a list of operand kinds
        signs = ["+"]
        int_result = False
        while j < hi:
            op = self.text(j)
            if op in ASSIGN_OPS or op in ("?", ":", ","):
                return "unknown"
            if op not in BINARY_OPS:
                return "unknown"
            kind, j = self.operand(j + 1, hi)
            if op in INT_RESULT_OPS:
                int_result = True
            if op in ("+", "-"):
                terms.append([kind])
                signs.append(op)
            else:
                terms[-1].append(kind)
        if int_result:
            return "int"
        kinds = []
        for term in terms:
            kinds.append(term[0] if len(term) == 1 else "int")   # x * y is arithmetic
        if len(kinds) == 1:
            return "int" if kinds[0] == "null" else kinds[0]
        if any(k not in ("int", "null", "uptr", "ptr", "user_ptr") for k in kinds):
            return "unknown"
        pointers = [k for k in kinds if k in ("ptr", "user_ptr")]
        if len(pointers) >= 2:
            return "int"                  # p - q
        if pointers:
            return pointers[0]
        return "uptr" if "uptr" in kinds else "int"


def parse_define(dtoks):
    """(name, parameters or None, body tokens) of a #define, else None."""
    if len(dtoks) < 3 or dtoks[1].text != "define" or dtoks[2].kind != "id":
        return None
    name = dtoks[2]
    if len(dtoks) > 3 and dtoks[3].text == "(" and dtoks[3].col == name.col + len(name.text) \
            and dtoks[3].line == name.line:
        m = match_brackets(dtoks).get(3, len(dtoks))
        params = tuple(t.text for t in dtoks[4:m] if t.kind == "id")
        return name.text, params, dtoks[m + 1:]
    return name.text, None, dtoks[3:]


def macro_kind(define, env, outer):
    """What a macro gives: its body's kind; 'fn:<kind>' for a function-like
    one (whatever its arguments). None if not known."""
    name, params, body = define
    if not body:
        return None
    mu = Unit(body, env, outer=outer)
    for p in params or ():
        mu.record(p, "unknown", 0, mu.n)
    kind = mu.expression(0, mu.n)
    if kind not in ("int", "uptr", "ptr", "user_ptr"):
        return None
    return kind if params is None else "fn:" + kind
