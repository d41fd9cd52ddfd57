"""Tests of tools/ringlint/: each rule, its precision, the exceptions.

  /usr/bin/python3 -m pytest -q tests/lint
"""
import json
import os
import subprocess
import sys
import textwrap

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
RINGLINT = os.path.join(ROOT, "tools", "ringlint", "ringlint.py")
sys.path.insert(0, os.path.join(ROOT, "tools", "ringlint"))
import ringlint  # noqa: E402

PRELUDE = """\
#include <kevlar/types.h>
#include <kevlar/compiler.h>
"""


def lint(tmp_path, body, name="svc.c"):
    """Lints one file: ([(line, rule)], exceptions, findings)."""
    path = tmp_path / name
    path.write_text(PRELUDE + textwrap.dedent(body))
    result = ringlint.lint([str(path)])
    offset = PRELUDE.count("\n")
    errors = [(e.line - offset, e.rule) for e in result["errors"]]
    return errors, result["exceptions"], result["errors"]


def rules(tmp_path, body):
    return [rule for _, rule in lint(tmp_path, body)[0]]


# ------------------------------------------------------------------ asm

@pytest.mark.parametrize("stmt", ['asm("nop");', '__asm__("nop");', '__asm("nop");',
                                  '__asm__ __volatile__("cli" ::: "memory");',
                                  'asm volatile("hlt");', 'asm goto("jmp %l0" :::: out);'])
def test_asm_forms(tmp_path, stmt):
    errors, _, _ = lint(tmp_path, f"""\
        void f(void)
        {{
        	{stmt}
        out:
        	return;
        }}
        """)
    assert errors == [(3, "asm")]      # and no separate [volatile] for asm volatile


def test_asm_in_a_macro_body(tmp_path):
    assert rules(tmp_path, '#define PAUSE() __asm__ __volatile__("pause")\n') == ["asm"]


def test_asm_not_in_comments_strings_or_include_names(tmp_path):
    assert rules(tmp_path, """\
        #include <kevlar/asm.h>
        #include "asm/volatile.h"
        #error asm volatile: don't
        /* asm volatile(...) in a comment */
        // __asm__ too
        static const char *s = "asm volatile (u8 *)0x1000";
        static const char c = '"';
        static const char *t = "\\"asm\\"";
        int asm_count;
        """) == []


# ------------------------------------------------------------- volatile

def test_volatile_anywhere(tmp_path):
    errors, _, _ = lint(tmp_path, """\
        static volatile int flag;
        int *volatile p;
        void f(u64 *q)
        {
        	*(__volatile__ u64 *)q = 1;
        }
        struct s { volatile u32 reg; };
        """)
    assert errors == [(1, "volatile"), (2, "volatile"), (5, "volatile"), (7, "volatile")]


# ----------------------------------------------------------- int-to-ptr

INT_TO_PTR = [
    "(u8 *)0x1000",
    "(u8 *)-1",
    "(void *)~0UL",
    "(u8 *)a",
    "(u8 *)(a + 4)",
    "(u8 *)(a * 2 + off)",
    "(u8 *)(u64)p",
    "(u8 *)(uintptr_t)p",
    "(u8 *)(unsigned long)p",
    "(u8 *)d->base",
    "(u8 *)d.base",
    "(u8 *)get_addr()",
    "(u8 *)SLOT",
    "(u8 *)LIMIT",
    "(u8 *)MASKED(a)",
    "(u8 *)m",
    "(u8 *)len",
    "(u8 *)(paddr_t)0x1000",
    "(struct dev *)(a & ~0xfffUL)",
    "(void (*)(void))a",
    "(const volatile u32 __force *)a",
]


@pytest.mark.parametrize("expr", INT_TO_PTR)
def test_int_to_ptr(tmp_path, expr):
    found = rules(tmp_path, f"""\
        #define LIMIT (64UL << 20)
        #define MASKED(x) ((x) & 0xfffUL)
        enum {{ SLOT = 3 }};
        typedef u64 myaddr;
        struct dev {{ u64 base; u8 *buf; }};
        u64 get_addr(void);
        void *use(const void *p);
        void *f(struct dev *d, u64 a, u64 off, u8 *p, myaddr m, size_t len)
        {{
        	return use({expr});
        }}
        """)
    assert "int-to-ptr" in found, expr


FINE_CASTS = [
    "(void *)0",
    "(u8 *)p + 4",
    "(u8 *)(p + n)",
    "(const u8 *)\"text\"",
    "(u8 *)d->buf",
    "(u8 *)get_ptr()",
    "(u8 *)&a",
    "(u8 *)(n ? p : q)",
    "(u8 *)arr",
    "(u8 *)(arr + 1)",
    "(struct dev *)p - 1",
    "(void *)(long)p",           # a pointer through an integer is flagged below, not this
    "(u64)p",
    "(int)(long)p",
    "(u8 *)unknown_macro(a)",
    "(u8 *)external_thing",
]


@pytest.mark.parametrize("expr", FINE_CASTS)
def test_fine_casts(tmp_path, expr):
    found = rules(tmp_path, f"""\
        struct dev {{ u64 base; u8 *buf; }};
        void *get_ptr(void);
        u64 use(const void *p, u64 v);
        u64 f(struct dev *d, u64 a, u8 *p, u8 *q, int n)
        {{
        	u8 arr[8];
        	return use((const void *)0, (u64)({expr}));
        }}
        """)
    if expr == "(void *)(long)p":
        assert found == ["int-to-ptr"]   # (long)p is an integer: the round trip is caught
    else:
        assert found == [], expr


def test_scopes_keep_types_apart(tmp_path):
    # 'v' is an integer in one function and a pointer in the other.
    assert rules(tmp_path, """\
        void *f(u8 *v) { return (void *)v; }
        void *g(u64 v) { return (void *)v; }
        void *h(void *v) { u64 k = 1; { u8 *k = v; return (void *)k; } }
        """) == ["int-to-ptr"]


def test_calls_and_statements_are_not_casts(tmp_path):
    assert rules(tmp_path, """\
        void g(u8 *);
        int (*fp)(u64);
        u64 f(u8 *p, u64 a)
        {
        	g((u8 *)p);
        	if (a) (void)g(p);
        	a = sizeof(u8 *) + sizeof(a) * 2;
        	return (u64)(a * (u64)p);
        }
        """) == []


def test_compound_literal_is_not_a_cast_of_an_integer(tmp_path):
    assert rules(tmp_path, """\
        struct s { int x; };
        struct s f(void) { return (struct s){ 1 }; }
        """) == []


# ----------------------------------------------------------- user-deref

def test_user_deref(tmp_path):
    errors, _, _ = lint(tmp_path, """\
        struct req { const char __user *ubuf; };
        int f(const char __user *up, uptr_t ua, struct req *r, int n)
        {
        	n += *up;
        	n += up[2];
        	n += *(up + 1);
        	n += r->ubuf[0];
        	n += *(const char *)up;
        	n += *(const char *)ua;
        	n += *(const char *)(ua + 8);
        	n += *(const char *)(uptr_t)n;
        	return n;
        }
        """)
    assert errors == [(4, "user-deref"), (5, "user-deref"), (6, "user-deref"),
                      (7, "user-deref"), (8, "user-deref"), (9, "user-deref"),
                      (10, "user-deref"), (11, "user-deref")]


def test_user_pointers_may_be_passed_and_made(tmp_path):
    assert rules(tmp_path, """\
        long copy_from_user(void *dst, const void __user *src, size_t n);
        int f(const char __user *up, uptr_t ua)
        {
        	char k[8];
        	const char __user *u2 = (const char __user *)ua;
        	if (copy_from_user(k, up, sizeof(*up)) || copy_from_user(k, u2 + 1, 1))
        		return -1;
        	return k[0];
        }
        int g(char *up) { return *up + up[1]; }
        """) == []


# ------------------------------------------------------------ exceptions

def test_exception_on_the_line_before_and_the_same_line(tmp_path):
    errors, exceptions, _ = lint(tmp_path, """\
        void f(u64 a)
        {
        	/* ringlint: allow volatile, int-to-ptr -- the test's MMIO window */
        	*(volatile u32 *)a = 1;
        	*(u32 *)a = 2;    // ringlint: allow int-to-ptr -- the same, on one line
        }
        """)
    assert errors == []
    assert [(a.covers - PRELUDE.count("\n"), sorted(r for r in a.rules if a.used[r]))
            for a in exceptions] == [(4, ["int-to-ptr", "volatile"]), (5, ["int-to-ptr"])]
    assert exceptions[0].reason == "the test's MMIO window"
    assert exceptions[0].where == "f()"


def test_multiline_exception_comment(tmp_path):
    errors, exceptions, _ = lint(tmp_path, """\
        /*
         * ringlint: allow volatile -- a long reason
         * that goes on
         */
        static volatile int x;
        """)
    assert errors == []
    assert exceptions[0].reason == "a long reason that goes on"


def test_trailing_exception_covers_only_its_own_line(tmp_path):
    errors, _, _ = lint(tmp_path, """\
        static int y;   /* ringlint: allow volatile -- not for the next line */
        static volatile int x;
        """)
    assert sorted(errors) == [(1, "annotation"), (2, "volatile")]


@pytest.mark.parametrize("comment, message", [
    ("/* ringlint: allow volatile */", "has no reason"),
    ("/* ringlint: allow volatile -- */", "has no reason"),
    ("/* ringlint: allow -- why */", "names no rule"),
    ("/* ringlint: allow volitile -- typo */", "unknown rule 'volitile'"),
])
def test_bad_exceptions_are_errors(tmp_path, comment, message):
    _, exceptions, findings = lint(tmp_path, f"{comment}\nstatic volatile int x;\n")
    assert exceptions == []
    assert findings[0].rule == "annotation" and message in findings[0].message
    # A malformed exception is reported; whatever it names stays allowed,
    # and what it does not name is still an error.
    names_volatile = "allow volatile" in comment
    assert [f.rule for f in findings[1:]] == ([] if names_volatile else ["volatile"])


def test_an_exception_that_allows_nothing_is_an_error(tmp_path):
    errors, exceptions, findings = lint(tmp_path, """\
        /* ringlint: allow volatile, asm -- only one of these is needed */
        static volatile int x;
        """)
    assert errors == [(1, "annotation")]
    assert "[asm]" in findings[0].message


# --------------------------------------------------------------- the tool

def run(*args, env=None):
    return subprocess.run([sys.executable, RINGLINT, *args], capture_output=True, text=True,
                          env=env, cwd=ROOT)


def test_output_format_and_exit_status(tmp_path):
    src = tmp_path / "bad.c"
    src.write_text("void f(void)\n{\n\t__asm__(\"nop\");\n}\n")
    p = run(str(src))
    assert p.returncode == 1
    assert p.stdout.splitlines()[0] == (
        f"{src}:3:2: error: [asm] inline assembly outside Ring 0: the only assembly is "
        "Ring 0's; ask platform/ for an interface")
    assert "1 files, 1 error, 0 exceptions" in p.stdout


def test_clean_file_exits_0(tmp_path):
    src = tmp_path / "ok.c"
    src.write_text("int f(int *p) { return *p; }\n")
    p = run(str(src))
    assert p.returncode == 0, p.stdout


def test_json(tmp_path):
    src = tmp_path / "x.c"
    src.write_text("/* ringlint: allow volatile -- why */\nstatic volatile int x;\n")
    p = run("--json", str(src))
    data = json.loads(p.stdout)
    assert p.returncode == 0
    assert data["errors"] == []
    assert data["exceptions"][0]["rules"] == ["volatile"]
    assert data["exceptions"][0]["line"] == 2


def test_ludicrous_turns_it_off(tmp_path):
    src = tmp_path / "bad.c"
    src.write_text("static volatile int x;\n")
    p = run("--profile", "ludicrous", str(src))
    assert (p.returncode, p.stdout.strip()) == (0, "ringlint: ring lint is off in the ludicrous profile")
    env = dict(os.environ, RINGLINT_PROFILE="ludicrous")
    assert run(str(src), env=env).returncode == 0
    assert run("--profile", "fortress", str(src)).returncode == 1


def test_ring0_paths_are_skipped():
    p = run(os.path.join(ROOT, "platform", "x86_64"))
    assert "Ring 0 is the trusted base" in p.stderr
    assert p.returncode == 1          # nothing was checked: that is no pass


def test_tokenizer_survives_odd_input():
    main, directives, comments = ringlint.tokenize(
        "#define X \\\n  (1 + \\\n   2)\nchar *s = \"a\\\"b\nint x = 'q; /* open")
    assert [t.text for t in directives[0]] == ["#", "define", "X", "(", "1", "+", "2", ")"]
    assert main[-1].line == 4 or any(t.text == "x" for t in main)
