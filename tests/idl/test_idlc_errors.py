"""Every kind of IDL error: the message, its position, the exit status.

In each case '@' marks where the error must point (it is removed before
the text is compiled): `file:line:col: error: message`, 1-based, at the
offending token.
"""

import pytest

from idl_harness import run_idlc, run_idlc_process

CAP = "capability Heap;\n"
RING2 = "interface c { provider ring 2; int f(); }\n"

CASES = [
    # --- syntax
    ("missing-semicolon", "capability Heap@", "unexpected end of file, expected ';'"),
    ("unexpected-token", "interface x { provider ring 0 @}", "unexpected '}', expected ';'"),
    ("misspelt-keyword", "@intreface x { }", "unexpected name 'intreface'"),
    ("bad-character", "capability @$x;", "unexpected character '$'"),
    ("unterminated-comment", "capability A;\n  @/* no end\ncapability B;\n", "unterminated comment"),
    ("keyword-as-name", "capability @ring;", "unexpected 'ring', expected a name"),
    ("missing-arrow", "syscall 0 f() @long;", "unexpected name 'long', expected '->'"),
    ("doc-before-brace", "interface x {\n    provider ring 0;\n    @/// nothing\n}\n",
     "doc comment is not followed by a declaration"),
    ("doc-at-end", "capability A;\n@/// the end\n", "doc comment is not followed by"),
    ("doc-after-brace", "interface x { @/// what?\n provider ring 0; }",
     "doc comment does not follow a declaration"),
    # --- names
    ("duplicate-capability", "capability A;\ncapability @A;", "duplicate capability 'A' (first declared at"),
    ("duplicate-interface", "interface x { provider ring 0; }\ninterface @x { provider ring 1; }",
     "duplicate interface 'x'"),
    ("duplicate-operation", "interface x { provider ring 1; int f(); long @f(); }",
     "duplicate operation 'f' in interface 'x'"),
    ("duplicate-parameter", "interface x { provider ring 1; int f(int a, long @a); }",
     "duplicate parameter 'a' of operation 'x.f'"),
    ("duplicate-service", RING2 + "service s { provides c; }\nservice @s { }", "duplicate service 's'"),
    ("duplicate-extern", "interface x { provider ring 0; extern a; }\n"
     "interface y { provider ring 0; extern b, @a; }", "duplicate extern symbol 'a'"),
    ("duplicate-clause", "interface x { provider ring 0; callers ring 1; @callers ring 2; }",
     "duplicate 'callers' clause in 'x'"),
    ("duplicate-holds", CAP + RING2 + "service s { provides c; holds Heap, @Heap; }",
     "duplicate capability 'Heap' in 'holds' of 's'"),
    ("duplicate-provides", RING2 + "service s { provides c, @c; }", "duplicate interface 'c' in 'provides' of 's'"),
    ("duplicate-test-only", RING2 + "service s { provides c; test_only; @test_only; }",
     "duplicate 'test_only' clause"),
    ("duplicate-caller", "interface x { provider ring 0; callers ring 1, @1; }", "ring 1 is listed twice"),
    ("c-keyword", "interface x { provider ring 1; int @for(); }", "operation name 'for' is a C keyword"),
    ("reserved-parameter", "interface x { provider ring 1; int f(int @tok); }",
     "parameter name 'tok' is reserved"),
    ("c-name-collision", "interface a_b { provider ring 1; int c(); }\n"
     "interface a { provider ring 1; int @b_c(); }",
     "C name 'a_b_c' of operation 'a.b_c' collides with operation 'a_b.c'"),
    ("extern-collides-with-shim", "interface p { provider ring 0; extern c_f; }\n"
     "interface c { provider ring 2; int @f(); }\nservice s { provides c; }",
     "C name 'c_f' of operation 'c.f' collides with extern 'c_f'"),
    ("generated-name-collision", "service @COUNT { }", "collides with a name the generator defines"),
    # --- references
    ("unknown-capability-guard", "interface x { provider ring 1; guard @Hep; }", "unknown capability 'Hep'"),
    ("unknown-capability-holds", CAP + "service s { holds Heap, @Disk; }", "unknown capability 'Disk'"),
    ("unknown-interface", "service s { provides @nothing; }", "unknown interface 'nothing'"),
    # --- interfaces and rings
    ("missing-provider", "interface @x { int f(); }", "interface 'x' has no 'provider ring N;' clause"),
    ("bad-provider-ring", "interface x { provider ring @5; }", "provider ring must be 0, 1 or 2, not 5"),
    ("callers-ring-3", "interface x { provider ring 0; callers ring @3; }", "callers ring 3 does not exist"),
    ("callers-own-ring", "interface x { provider ring 1; callers ring 2, @1; }",
     "bad callers ring 1: ring 1 provides 'x'"),
    ("ring0-calls-ring2", "interface c { provider ring 2; callers ring @0; int f(); }\n"
     "service s { provides c; }", "bad callers ring 0: ring 0 may not call a ring 2 interface"),
    ("single-on-ring1", "interface x { provider ring 1; @single; }", "'single' applies only to ring 2"),
    ("single-and-multi", "interface c { provider ring 2; single; @multi; int f(); }\n"
     "service s { provides c; }", "declared both single and multi"),
    ("extern-in-ring2", "interface c { provider ring 2; @extern f; }\nservice s { provides c; }",
     "a ring 2 interface cannot have extern symbols"),
    ("extern-guarded", CAP + "interface x { provider ring 0; guard Heap; @extern f; }",
     "extern symbols cannot be guarded"),
    # --- services and providers
    ("provides-ring1", "interface x { provider ring 1; }\nservice s { provides @x; }",
     "service 's' cannot provide 'x': it is a ring 1 interface"),
    ("provides-ring0", "interface x { provider ring 0; }\nservice s { provides @x; }",
     "it is a ring 0 interface"),
    ("ring2-without-provider", "interface @c { provider ring 2; int f(); }",
     "interface 'c' is provided by ring 2, but no service provides it"),
    ("single-two-providers", "interface c { provider ring 2; single; int f(); }\n"
     "service a { provides c; }\nservice b { provides @c; }",
     "interface 'c' is single (one provider) but is provided by both 'a'"),
    ("default-single-two-providers", RING2 + "service a { provides c; }\n"
     "service b { test_only; provides @c; }", "is single"),
    # --- types
    ("guarded-without-error-value", CAP + "interface x { provider ring 1; guard Heap; @u64 f(); }",
     "operation 'x.f' returns 'u64', which has no error value; a guarded operation"),
    ("contained-without-error-value", "interface c { provider ring 2; @bool f(); }\n"
     "service s { provides c; }", "a contained (ring 2) operation must return"),
    ("unknown-parameter-type", "interface x { provider ring 1; int f(@foo a); }", "unknown type 'foo'"),
    ("unknown-return-type", "interface x { provider ring 1; @foo f(); }", "unknown type 'foo'"),
    ("unknown-element-type", "interface x { provider ring 1; int f(in<@foo>[n] a, usize n); }",
     "unknown type 'foo'"),
    ("bad-element-type", "interface x { provider ring 1; int f(in<@str>[n] a, usize n); }",
     "'str' cannot be a buffer element type"),
    ("unknown-buffer-kind", "interface x { provider ring 1; int f(@inout<u8>[n] a, usize n); }",
     "unknown buffer type 'inout'"),
    ("buffer-without-brackets", "interface x { provider ring 1; int f(@in a); }",
     "'in' needs an element type and a length"),
    ("buffer-length-unknown", "interface x { provider ring 1; int f(in<u8>[@len] a); }",
     "buffer length 'len' is not a parameter of operation 'x.f'"),
    ("buffer-length-not-integer", "interface x { provider ring 1; int f(in<u8>[@p] a, ptr p); }",
     "buffer length 'p' must be an integer parameter, not 'ptr'"),
    ("buffer-own-length", "interface x { provider ring 1; int f(in<u8>[@a] a); }",
     "buffer 'a' cannot be its own length"),
    ("void-parameter", "interface x { provider ring 1; int f(@void a); }", "'void' is only a return type"),
    ("buffer-return", "interface x { provider ring 1; @in<u8>[n] f(usize n); }", "cannot return a buffer"),
    ("user-type-in-ring2", "interface c { provider ring 2; int f(@user_in<u8>[n] a, usize n); }\n"
     "service s { provides c; }", "user type 'user_in' is allowed only in system calls and ring 1"),
    ("user-ptr-in-ring0", "interface x { provider ring 0; int f(@user_ptr p); }",
     "user type 'user_ptr' is allowed only"),
    # --- system calls
    ("syscall-number-too-big", "syscall @512 f() -> long;", "system call number 512 is out of range (0 to 511)"),
    ("syscall-duplicate-number", "syscall 1 f() -> long;\nsyscall @1 g() -> long;",
     "duplicate system call number 1 ('f' at"),
    ("syscall-duplicate-name", "syscall 1 f() -> long;\nsyscall 2 @f() -> long;", "duplicate system call 'f'"),
    ("syscall-kernel-pointer", "syscall 1 f(@ptr p) -> long;", "a system call cannot take a kernel 'ptr'"),
    ("syscall-kernel-buffer", "syscall 1 f(@in<u8>[n] b, usize n) -> long;",
     "a system call cannot take a kernel buffer 'in'"),
    ("syscall-too-many-args", "syscall 1 f(int a, int b, int c, int d, int e, int g, int @h) -> long;",
     "has 7 parameters; the ABI passes at most 6"),
    ("syscall-void-return", "syscall 1 f() -> @void;", "must return one of int, long, isize, fd, not 'void'"),
    ("syscall-unknown-return", "syscall 1 f() -> @foo;", "unknown type 'foo'"),
]


def place(text):
    """Removes the '@' marker; returns the text and the marker's line, col."""
    at = text.index("@")
    before = text[:at]
    line = before.count("\n") + 1
    col = at - (before.rfind("\n") + 1) + 1
    return text[:at] + text[at + 1:], line, col


@pytest.mark.parametrize("name,text,message", CASES, ids=[c[0] for c in CASES])
def test_error(tmp_path, capsys, name, text, message):
    source, line, col = place(text)
    path = tmp_path / f"{name}.idl"
    path.write_text(source)
    out = tmp_path / "gen"
    assert run_idlc(["--profile", "fortress", "--out", out, path]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err, "no error message"
    want = f"{path}:{line}:{col}: error: "
    assert err[0].startswith(want), f"want {want!r}, got {err[0]!r}"
    assert message in err[0], f"want {message!r} in {err[0]!r}"
    assert not out.exists()


def test_every_error_is_reported_in_order(tmp_path, capsys):
    path = tmp_path / "two.idl"
    path.write_text("interface x { provider ring 1; guard A; int f(foo a); }\n"
                    "service s { holds B; }\n")
    assert run_idlc(["--check", path]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err == [f"{path}:1:38: error: unknown capability 'A'",
                   f"{path}:1:47: error: unknown type 'foo'",
                   f"{path}:2:19: error: unknown capability 'B'"]


def test_errors_across_files_name_their_file(tmp_path, capsys):
    a = tmp_path / "a.idl"
    b = tmp_path / "b.idl"
    a.write_text("capability Heap;\n")
    b.write_text("\n\ncapability  Heap;\n")
    assert run_idlc(["--check", b, a]) == 1
    err = capsys.readouterr().err
    assert err == f"{b}:3:13: error: duplicate capability 'Heap' (first declared at {a}:1:12)\n"


def test_syntax_errors_of_several_files(tmp_path, capsys):
    a = tmp_path / "a.idl"
    b = tmp_path / "b.idl"
    a.write_text("capability\n")
    b.write_text("/* open\n")
    assert run_idlc(["--check", a, b]) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"{a}:1:11: error: unexpected end of file, expected a name",
        f"{b}:1:1: error: unterminated comment"]


def test_missing_file(tmp_path, capsys):
    path = tmp_path / "none.idl"
    assert run_idlc(["--check", path]) == 1
    assert capsys.readouterr().err.startswith(f"{path}:1:1: error: cannot read file")


def test_not_utf8(tmp_path, capsys):
    path = tmp_path / "bin.idl"
    path.write_bytes(b"capability A;\ncapability \xff;\n")
    assert run_idlc(["--check", path]) == 1
    assert capsys.readouterr().err.startswith(f"{path}:2:12: error: file is not UTF-8 text")


def test_command_line_reports_and_exits_1(tmp_path):
    path = tmp_path / "bad.idl"
    path.write_text("capability Heap;\ninterface x {\n    provider ring 1;\n    guard Hepa;\n}\n")
    r = run_idlc_process(["--profile", "balanced", "--out", tmp_path / "gen", path])
    assert r.returncode == 1
    assert r.stdout == ""
    assert r.stderr == f"{path}:4:11: error: unknown capability 'Hepa'\n"
    assert not (tmp_path / "gen").exists()


def test_usage_errors(tmp_path):
    r = run_idlc_process(["--profile", "fast", "--out", tmp_path / "gen", "x.idl"])
    assert r.returncode == 2 and "invalid choice" in r.stderr
    r = run_idlc_process(["x.idl"])
    assert r.returncode == 2 and "--profile and --out are required" in r.stderr


# --- things that look odd but are fine
def test_ring2_interface_with_only_test_only_providers_is_fine(tmp_path):
    path = tmp_path / "ok.idl"
    path.write_text("interface c { provider ring 2; int f(); }\nservice t { provides c; test_only; }\n")
    assert run_idlc(["--check", path]) == 0
    assert run_idlc(["--check", "--tests", path]) == 0


def test_type_names_are_not_reserved(tmp_path):
    path = tmp_path / "ok.idl"
    path.write_text("syscall 0 read(fd fd, user_out<u8>[count] buf, usize count) -> isize;\n"
                    "interface x { provider ring 1; int frame(frame in, usize ptr); }\n")
    assert run_idlc(["--check", path]) == 0


def test_doc_comments_attach(tmp_path):
    from syntax import parse_text
    src = parse_text("t.idl", "/// lead 1\n/// lead 2\ncapability A; /// trail\n"
                     "//// not a doc\ncapability B;\n"
                     "interface x {\n  provider ring 0; /// clause\n  /// op\n  int f(); /// more\n}\n")
    assert src.capabilities[0].doc == "lead 1\nlead 2\ntrail"
    assert src.capabilities[1].doc == ""
    ifc = src.interfaces[0]
    assert ifc.clauses[0].doc == "clause"
    assert ifc.ops[0].doc == "op\nmore"


def test_one_collision_message_per_declaration(tmp_path, capsys):
    path = tmp_path / "c.idl"
    path.write_text("interface a_b { provider ring 1; int c(); }\n"
                    "interface a { provider ring 1; int b_c(); }\n")
    assert run_idlc(["--check", path]) == 1
    assert len(capsys.readouterr().err.splitlines()) == 1
