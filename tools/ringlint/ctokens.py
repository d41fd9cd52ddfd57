"""C tokens for ringlint: comments, strings and character constants
stripped, continued lines joined, preprocessor directives apart."""

ID_START = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_$")
ID_CHARS = ID_START | frozenset("0123456789")
PUNCT3 = ("...", "<<=", ">>=")
PUNCT2 = frozenset(("->", "++", "--", "<<", ">>", "<=", ">=", "==", "!=", "&&",
                    "||", "*=", "/=", "%=", "+=", "-=", "&=", "^=", "|=", "##"))
STRING_PREFIXES = ("L", "u", "U", "u8")


class Tok:
    __slots__ = ("kind", "text", "line", "col", "end")

    def __init__(self, kind, text, line, col, end):
        self.kind = kind      # id num str chr punct
        self.text = text
        self.line = line
        self.col = col
        self.end = end        # offset just past it in the source

    @property
    def start(self):
        return self.end - len(self.text)

    def __repr__(self):
        return f"{self.text}@{self.line}:{self.col}"


class Comment:
    __slots__ = ("line", "end_line", "col", "text", "trailing")

    def __init__(self, line, end_line, col, text, trailing):
        self.line = line
        self.end_line = end_line
        self.col = col
        self.text = text
        self.trailing = trailing    # code precedes it on its first line


def tokenize(src):
    """C tokens of 'src': (main stream, [directive streams], comments).

    A directive stream starts with its '#'. Continued lines are joined
    (line numbers stay those of the source)."""
    main, directives, comments = [], [], []
    cur = main
    in_dir = False
    i, n = 0, len(src)
    line, bol = 1, 0
    line_has_code = False    # a token on this line so far
    at_line_start = True

    def advance(i, j):
        nonlocal line, bol
        nl = src.count("\n", i, j)
        if nl:
            line += nl
            bol = src.rfind("\n", i, j) + 1

    while i < n:
        c = src[i]
        if c == "\\" and (src.startswith("\n", i + 1) or src.startswith("\r\n", i + 1)):
            j = src.index("\n", i) + 1
            advance(i, j)
            i = j
            continue
        if c == "\n":
            i += 1
            line += 1
            bol = i
            at_line_start = True
            line_has_code = False
            if in_dir:
                in_dir = False
                cur = main
            continue
        if c in " \t\r\f\v":
            i += 1
            continue
        col = i - bol + 1
        if c == "/" and src.startswith("/*", i):
            j = src.find("*/", i + 2)
            j = n if j < 0 else j + 2
            start = line
            advance(i, j)
            comments.append(Comment(start, line, col, src[i:j], line_has_code))
            i = j
            continue
        if c == "/" and src.startswith("//", i):
            j = src.find("\n", i)
            j = n if j < 0 else j
            comments.append(Comment(line, line, col, src[i:j], line_has_code))
            i = j
            continue
        if c == "#" and at_line_start and not in_dir:
            in_dir = True
            cur = []
            directives.append(cur)
            cur.append(Tok("punct", "#", line, col, i + 1))
            at_line_start = False
            line_has_code = True
            i += 1
            continue
        at_line_start = False
        line_has_code = True
        start_line = line
        if c in ID_START:
            j = i + 1
            while j < n and src[j] in ID_CHARS:
                j += 1
            word = src[i:j]
            if j < n and src[j] in "\"'" and word in STRING_PREFIXES:
                c = src[j]
                k = _quoted_end(src, j)
                cur.append(Tok("str" if c == '"' else "chr", src[i:k], line, col, k))
                advance(i, k)
                i = k
                continue
            cur.append(Tok("id", word, line, col, j))
            i = j
            continue
        if c.isdigit() or (c == "." and i + 1 < n and src[i + 1].isdigit()):
            j = i + 1
            while j < n:
                if src[j] in "eEpP" and j + 1 < n and src[j + 1] in "+-":
                    j += 2
                elif src[j] in ID_CHARS or src[j] == ".":
                    j += 1
                else:
                    break
            cur.append(Tok("num", src[i:j], line, col, j))
            i = j
            continue
        if c in "\"'":
            k = _quoted_end(src, i)
            cur.append(Tok("str" if c == '"' else "chr", src[i:k], start_line, col, k))
            advance(i, k)
            i = k
            continue
        for p in PUNCT3:
            if src.startswith(p, i):
                break
        else:
            p = src[i:i + 2] if src[i:i + 2] in PUNCT2 else c
        cur.append(Tok("punct", p, line, col, i + len(p)))
        i += len(p)
    return main, directives, comments


def _quoted_end(src, i):
    """Just past the string or character constant opening at src[i]; an
    unterminated one ends at the end of its line."""
    q = src[i]
    j, n = i + 1, len(src)
    while j < n:
        c = src[j]
        if c == "\\":
            j += 2
        elif c == q:
            return j + 1
        elif c == "\n":
            return j
        else:
            j += 1
    return n


def match_brackets(toks):
    """For each opening bracket, the index of its partner (and back)."""
    pairs = {")": "(", "]": "[", "}": "{"}
    match = {}
    stack = []
    for i, t in enumerate(toks):
        if t.kind != "punct":
            continue
        if t.text in "([{":
            stack.append(i)
        elif t.text in pairs:
            # Unbalanced input (#if halves): pop to the partner if there is one.
            while stack and toks[stack[-1]].text != pairs[t.text]:
                match[stack.pop()] = i
            if stack:
                j = stack.pop()
                match[j] = i
                match[i] = j
    for j in stack:
        match[j] = len(toks)
    return match
