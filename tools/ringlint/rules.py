"""The rules: what code outside Ring 0 may not do, and how each is found."""
import re

from cmodel import ASM_WORDS, EXPR_KEYWORDS, STMT_HEADS, UNEVALUATED, VOLATILE_WORDS

RULES = ("asm", "int-to-ptr", "volatile", "user-deref")

MESSAGES = {
    "asm": "inline assembly outside Ring 0: the only assembly is Ring 0's; "
           "ask platform/ for an interface",
    "volatile": "'{0}' outside Ring 0: device access belongs to Ring 0, and "
                "shared data wants atomics or a lock",
}


class Finding:
    __slots__ = ("path", "line", "col", "rule", "message")

    def __init__(self, path, line, col, rule, message):
        self.path, self.line, self.col, self.rule, self.message = path, line, col, rule, message

    def __str__(self):
        return f"{self.path}:{self.line}:{self.col}: error: [{self.rule}] {self.message}"


def describe(unit, lo, hi, limit=40):
    """The source text of toks[lo:hi], on one line and shortened."""
    if lo >= hi or unit.src is None:
        return " ".join(t.text for t in unit.toks[lo:hi])
    text = unit.src[unit.toks[lo].start:unit.toks[hi - 1].end]
    text = " ".join(re.sub(r"\\\n", " ", text).split())
    return text if len(text) <= limit else text[:limit - 4] + " ..."


def check_unit(unit, path, findings, sink_index, macro_params=()):
    """Applies the rules to one token stream."""
    toks, n = unit.toks, unit.n
    unevaluated = set()
    for i, t in enumerate(toks):
        if t.kind == "id" and t.text in UNEVALUATED:
            if unit.text(i + 1) == "(":
                unevaluated.update(range(i + 1, unit.close(i + 1) + 1))
            else:
                _, j = unit.operand(i + 1, n)
                unevaluated.update(range(i + 1, j))

    def report(i, rule, message):
        t = toks[i]
        findings.append((Finding(path, t.line, t.col, rule, message), sink_index(i)))

    after_asm = False
    for i, t in enumerate(toks):
        s = t.text
        if t.kind == "id":
            if s in ASM_WORDS:
                report(i, "asm", MESSAGES["asm"])
                after_asm = True
                continue
            if s in VOLATILE_WORDS and not after_asm:
                report(i, "volatile", MESSAGES["volatile"].format(s))
            if s in ("goto", "inline") or s in VOLATILE_WORDS:
                continue
        after_asm = False
        if i in unevaluated or t.kind != "punct":
            if t.kind == "id" and i not in unevaluated and s not in macro_params and \
                    unit.text(i + 1) in ("[", "->") and unit.lookup(s, i) == "user_ptr":
                report(i, "user-deref",
                       f"'{s}' is a __user pointer: '{unit.text(i + 1)}' reads user memory "
                       "directly; copy it in with the usercopy API")
            continue
        if s == "(":
            cast = unit.cast_at(i)
            if cast is None or not cast[0]:
                continue
            pointer, user, _, e = cast
            if unit.text(e + 1) == "{":
                continue
            kind, j = unit.operand(e + 1, n)
            tname = describe(unit, i + 1, e)
            what = describe(unit, e + 1, j)
            if kind == "int":
                report(i, "int-to-ptr",
                       f"cast of the integer '{what}' to the pointer type '{tname}': "
                       "outside Ring 0 pointers come from pointers, not from numbers")
            elif kind == "uptr" and not user:
                report(i, "user-deref",
                       f"cast of the user address '{what}' (uptr_t) to the pointer type "
                       f"'{tname}': user memory is reached only through the usercopy API")
            elif kind == "user_ptr" and not user:
                report(i, "user-deref",
                       f"cast of the __user pointer '{what}' to the kernel pointer type "
                       f"'{tname}': user memory is reached only through the usercopy API")
        elif s == "*" and i + 1 < n:
            p = toks[i - 1] if i > 0 else None
            unary = p is None or p.kind == "punct" and p.text not in (")", "]", "++", "--")
            if p is not None and p.kind == "id" and p.text in EXPR_KEYWORDS:
                unary = True
            if p is not None and p.text == ")":
                o = unit.close(i - 1)
                unary = o < n and (unit.cast_at(o) is not None or
                                   (o > 0 and toks[o - 1].text in STMT_HEADS))
            if not unary:
                continue
            nxt = toks[i + 1]
            if nxt.kind == "id" and nxt.text in macro_params:
                continue
            kind, _ = unit.operand(i + 1, n)
            if kind == "user_ptr":
                report(i, "user-deref",
                       f"dereference of the __user pointer '{describe(unit, i + 1, unit.operand(i + 1, n)[1])}': "
                       "copy it in with the usercopy API")
