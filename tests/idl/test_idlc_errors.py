"""Every kind of IDL error: the message, its position, the exit status.

In each case '@' marks where the error must point (it is removed before
the text is compiled): `file:line:col: error: message`, 1-based, at the
offending token.
"""

import pytest

from idl_harness import run_idlc, run_idlc_process

CAP = "capability Heap;\n"
RING2 = "interface c { provider ring 2; int f(); }\n"
MULTI = "interface m { provider ring 2; multi; int f(); }\n"

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
    ("syscall-unknown-param-type", "syscall 1 f(@foo a) -> long;", "unknown type 'foo'"),
    ("syscall-number-not-decimal", "syscall @010 f() -> long;", "write '010' in decimal"),
    ("syscall-negative-number", "syscall @-1 f() -> long;", "unexpected '-', expected a number"),
    ("syscall-length-not-integer", "syscall 1 f(user_in<u8>[@p] b, user_ptr p) -> long;",
     "buffer length 'p' must be an integer parameter, not 'user_ptr'"),
    ("syscall-length-is-fd", "syscall 1 f(user_in<u8>[@d] b, fd d) -> long;",
     "buffer length 'd' must be an integer parameter, not 'fd'"),
    ("syscall-length-unknown", "syscall 1 f(user_in<u8>[@n] b) -> long;",
     "buffer length 'n' is not a parameter of system call 'f'"),
    ("syscall-length-unit", "syscall 1 f(user_in<u8>[n @words] b, usize n) -> long;",
     "unexpected 'words' in the length of 'b'"),
    ("syscall-length-zero", "syscall 1 f(user_in<u8>[@0] b) -> long;", "a buffer length cannot be 0"),
    ("syscall-duplicate-marker", "pending @pending syscall 1 f() -> long;",
     "duplicate marker 'pending' on system call 'f'"),
    ("ring-not-decimal", "interface x { provider ring @0x1; }", "write '0x1' in decimal"),
    # --- structs and includes
    ("unknown-struct", 'include "kevlar/abi.h";\nstruct stat;\n'
     "syscall 5 fstat(fd fd, user_out<struct @stta> buf) -> int;",
     "unknown struct 'stta' (declare it: struct stta;)"),
    ("struct-without-include", "struct @stat;", "struct 'stat' is declared, but no file says"),
    ("duplicate-struct", 'include "a.h";\nstruct stat;\nstruct @stat;', "duplicate struct 'stat'"),
    ("duplicate-include", 'include "a.h";\ninclude @"a.h";', 'duplicate include "a.h"'),
    ("bad-include", 'include @"../a.h";', 'bad include "../a.h"'),
    ("struct-kernel-buffer", 'include "a.h";\nstruct s;\n'
     "interface x { provider ring 1; int f(in<struct @s>[n] a, usize n); }",
     "struct element types are only for user_in and user_out, not 'in'"),
    ("kernel-buffer-without-length", "interface x { provider ring 1; int f(@in<u8> a); }",
     "'in<u8>' needs a length: in<T>[n]"),
    # --- flag sets, enums and decoders
    ("unknown-flag-set", "syscall 1 f(int flags: @nope) -> long;", "unknown flag set or enum 'nope'"),
    ("unknown-return-decoder", "syscall 1 f() -> long: @nope;", "unknown flag set or enum 'nope'"),
    ("decode-pointer", "syscall 1 f(user_ptr p: @hex) -> long;",
     "'user_ptr' cannot be decoded with 'hex': decoders apply to integer types"),
    ("decode-fd", "syscall 1 f(fd d: @hex) -> long;", "'fd' cannot be decoded with 'hex'"),
    ("decode-fd-return", "syscall 1 f() -> fd: @hex;", "'fd' cannot be decoded with 'hex'"),
    ("decode-in-interface", "interface x { provider ring 1; int f(int a: @hex); }",
     "only system call parameters and results name a decoder"),
    ("duplicate-flag-name", "flagset f { A = 1, @A = 2 }", "duplicate name 'A' in flagset 'f'"),
    ("duplicate-flag-in-field", "flagset f { M = 3 { A = 1 }, @A = 4 }",
     "duplicate name 'A' in flagset 'f'"),
    ("duplicate-enum-name", "enum e { A = 1, @A = 2 }", "duplicate name 'A' in enum 'e'"),
    ("duplicate-enum-value", "enum e { A = 1, B = @1 }", "'B' has the same value as 'A' in enum 'e'"),
    ("duplicate-field-value", "flagset f { M = 3 { A = 1, B = @1 } }",
     "'B' has the same value as 'A' in field 'M'"),
    ("duplicate-set", "enum e { A = 1 }\nflagset @e { B = 1 }", "duplicate flag set or enum 'e'"),
    ("set-named-builtin", "enum @hex { A = 1 }", "'hex' is a built-in decoder"),
    ("set-c-keyword", "flagset @int { A = 1 }", "flag set name 'int' is a C keyword"),
    ("field-value-outside-mask", "flagset f { M = 03 { A = @4 } }",
     "'A' = 4 does not fit in the mask 0x3 of field 'M'"),
    ("field-zero-mask", "flagset f { M = @0 { A = 0 } }", "field 'M' needs a mask of 1 to 64 bits"),
    ("two-zero-flags", "flagset f { A = 0, B = @0 }", "'B' and 'A' both name 0 in flag set 'f'"),
    ("flag-too-big", "flagset f { A = @0x10000000000000000 }", "does not fit in 64 bits"),
    ("bad-octal", "flagset f { A = @08 }", "bad octal number '08'"),
    ("negative-flag", "flagset f { A = @-1 }", "unexpected '-', expected a number"),
    ("empty-enum", "enum e { @}", "unexpected '}', expected a name"),
    ("shown-if-unknown-param", "flagset o { C = 1 }\n"
     "syscall 1 f(int fl: o, u16 m: octal if @flags & C) -> long;",
     "'flags' is not a parameter of system call 'f'"),
    ("shown-if-not-flagset", "syscall 1 f(int fl: hex, u16 m: octal if @fl & C) -> long;",
     "'fl' has no flag set to test"),
    ("shown-if-unknown-flag", "flagset o { C = 1, M = 6 { A = 2 } }\n"
     "syscall 1 f(int fl: o, u16 m: octal if fl & (C | @A)) -> long;",
     "'A' is not a flag of flag set 'o'"),
    ("shown-if-itself", "flagset o { C = 1 }\nsyscall 1 f(int fl: o if @fl & C) -> long;",
     "'fl' cannot be shown depending on itself"),
    ("shown-if-on-result", "syscall 1 f() -> long: hex @if x & C;",
     "a result is always shown: 'if' applies only to parameters"),
    ("doc-in-parameter-list", "interface x { provider ring 1; int f(int a, @/// no\n int b); }",
     "doc comment does not follow a declaration"),
    # --- abi groups
    ("abi-keyword-as-name", "capability @abi;", "unexpected 'abi', expected a name"),
    ("abi-missing-header", "abi x @{ A = 1 }", "unexpected '{', expected a string"),
    ("abi-empty", "abi x \"x.h\" { @}", "unexpected '}', expected a name"),
    ("abi-bad-header", "abi x @\"abi/x.h\" { A = 1 }", "bad abi header \"abi/x.h\""),
    ("abi-bad-host", "abi x @\"x.h\" host \"../x.h\" { A = 1 }", "bad host header \"../x.h\""),
    ("abi-host-twice", "abi x @\"x.h\" host \"a.h\", \"a.h\" { A = 1 }",
     "host header \"a.h\" named twice in abi group 'x'"),
    ("abi-duplicate-group", "abi x \"x.h\" { A = 1 }\nabi @x \"y.h\" { B = 1 }",
     "duplicate abi group 'x'"),
    ("abi-duplicate-constant", "abi x \"x.h\" { A = 1 }\nabi y \"x.h\" { @A = 1 }",
     "duplicate abi constant 'A' (first declared at"),
    ("abi-c-keyword", "abi x \"x.h\" { @while = 1 }", "abi constant name 'while' is a C keyword"),
    ("abi-too-big", "abi x \"x.h\" { A = @0x10000000000000000 }", "does not fit in 64 bits"),
    ("abi-bad-octal", "abi x \"x.h\" { A = @09 }", "bad octal number '09'"),
    ("abi-errno-without-message", "abi errno \"errno.h\" { @EPERM = 1 }",
     "errno 'EPERM' needs its message"),
    ("abi-errno-out-of-range", "abi errno \"errno.h\" { EBIG = @4096 \"Too big\" }",
     "errno 'EBIG' = 4096 is not between 1 and 4095"),
    ("abi-message-outside-errno", "abi x \"x.h\" { A = @1 \"one\" }",
     "'A' has a message: only the abi group 'errno' has messages"),
    ("abi-names-duplicate-value", "abi x \"x.h\" names X_NAMES { A = 1, B = @1 }",
     "'B' has the same value as 'A' in the name table 'X_NAMES'"),
    ("abi-names-negative", "abi x \"x.h\" names X_NAMES { A = -@1 }",
     "'A' = -1 cannot index the name table 'X_NAMES'"),
    ("abi-names-collide", "abi x \"x.h\" names @A { A = 1 }",
     "C name 'A' of the name table of abi group 'x' collides with abi constant 'A'"),
    ("abi-constant-collides", "abi x \"x.h\" { @SYSCALL_MAX = 1 }",
     "collides with a name the generator defines"),
    ("flag-restates-abi-value", "abi x \"x.h\" { A = 1 }\nflagset f { @A = 1 }",
     ":1:15): write it without '= value' in flagset 'f'"),
    ("field-restates-abi-mask", "abi x \"x.h\" { M = 3, A = 1 }\nflagset f { @M = 3 { A } }",
     "'M' is declared by abi group 'x'"),
    ("enum-restates-abi-value", "abi x \"x.h\" { A = -1 }\nenum e { @A = -1 }",
     "'A' is declared by abi group 'x'"),
    ("flag-without-value", "flagset f { @A }", "'A' has no value, and no abi group declares it"),
    ("field-without-mask", "abi x \"x.h\" { A = 1 }\nflagset f { @M { A } }",
     "'M' has no value, and no abi group declares it"),
    ("enum-without-value", "enum e { @A }", "'A' has no value, and no abi group declares it"),
    ("abi-value-outside-mask", "abi x \"x.h\" { M = 3, A = 4 }\nflagset f { M { @A } }",
     "'A' = 4 does not fit in the mask 0x3 of field 'M'"),
    # --- providers found by a name or a number
    ("registered-unknown-interface", "service s { provides @nope \"x\"; }",
     "unknown interface 'nope'"),
    ("registered-single", RING2 + "service s { provides @c \"x\"; }",
     "interface 'c' is single: only the providers of a multi interface"),
    ("registered-ring1", "interface x { provider ring 1; int f(); }\n"
     "service s { provides @x major 1; }", "services provide only ring 2 interfaces"),
    ("registered-unknown-key", MULTI + "service s { provides m @minor 1; }",
     "unknown key 'minor': a provider is found by a name (a string) or by 'major'"),
    ("registered-major-range", MULTI + "service s { provides m major @4096; }",
     "major 4096 is out of range (1..4095)"),
    ("registered-major-zero", MULTI + "service s { provides m major @0; }",
     "major 0 is out of range"),
    ("registered-major-hex", MULTI + "service s { provides m major @0x1; }",
     "write '0x1' in decimal"),
    ("registered-bad-name", MULTI + "service s { provides m @\"a b\"; }",
     "bad provider name \"a b\""),
    ("registered-empty-name", MULTI + "service s { provides m @\"\"; }",
     "bad provider name \"\""),
    ("registered-twice", MULTI + "service s { provides m \"x\"; }\n"
     "service t { provides m @\"x\"; }", "'m' \"x\" is provided by both 's' ("),
    ("registered-major-twice", MULTI + "service s { provides m major 3; }\n"
     "service t { provides m major @3; }", "'m' major 3 is provided by both 's'"),
    ("registered-mixed-keys", MULTI + "service s { provides m \"x\"; }\n"
     "service t { provides m major @1; }", "'m' providers are found by name ("),
    ("registered-and-plain", MULTI + "service s { provides m; provides @m \"x\"; }",
     "'m' is in a plain 'provides' of 's' too"),
    ("registered-list", MULTI + "service s { provides m \"x\"@, n; }",
     "unexpected ',', expected ';'"),
    ("registered-c-name", MULTI + "interface m_by { provider ring 1; int name(); }\n"
     "service s { provides m @\"x\"; }", "C name 'm_by_name' of the providers of 'm' by name "
     "collides with operation 'm_by.name'"),
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


def test_syscall_declarations_parse(tmp_path):
    from syntax import parse_text
    src = parse_text("t.idl", 'include "kevlar/abi.h";\nstruct stat;\n'
                     "flagset o {\n  M = 03 { R = 0, W = 01 }, /// the mode\n"
                     "  C = 0x40, /// create\n}\n"
                     "enum e { A = -1, B = 0x10, }\n"
                     "pending noreturn syscall 9 f(user_out<struct stat> s, int fl: o,\n"
                     "    u16 m: octal if fl & (C), user_in<u64>[n bytes] b, usize n,\n"
                     "    user_out<fd>[2] fds) -> long: hex;\n")
    assert [i.path for i in src.includes] == ["kevlar/abi.h"]
    assert [s.name.text for s in src.structs] == ["stat"]
    o, e = src.value_sets
    assert (o.kind, e.kind) == ("flagset", "enum")
    field, flag = o.items
    assert (field.mask, field.doc, flag.value, flag.doc) == (3, "the mode", 0x40, "create")
    assert [(x.name.text, x.value, x.mask) for x in field.entries] == [("R", 0, 3), ("W", 1, 3)]
    assert [(x.name.text, x.value, x.literal) for x in e.items] == [("A", -1, "-1"),
                                                                   ("B", 16, "0x10")]
    sc = src.syscalls[0]
    assert [m.text for m in sc.marks] == ["pending", "noreturn"]
    assert sc.ret_decode.text == "hex"
    s, fl, m, b, n, fds = sc.params
    assert s.type.is_single and s.type.elem_struct and s.type.idl() == "user_out<struct stat>"
    assert fl.decode.text == "o" and m.decode.text == "octal"
    assert m.shown_if[0].text == "fl" and [f.text for f in m.shown_if[1]] == ["C"]
    assert b.type.length_in_bytes and b.type.idl() == "user_in<u64>[n bytes]"
    assert fds.type.fixed == 2 and fds.type.idl() == "user_out<fd>[2]"
    path = tmp_path / "ok.idl"
    path.write_text('include "kevlar/abi.h";\nstruct stat;\n' + "flagset o { C = 0x40 }\n"
                    "pending noreturn syscall 9 f(user_out<struct stat> s, int fl: o,\n"
                    "    u16 m: octal if fl & C) -> long: hex;\n")
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


def test_abi_declarations_parse():
    from checks import check
    from syntax import parse_text
    src = parse_text("t.idl", '/// Errors.\nabi errno "errno.h" host "a/e.h", "b.h" names E_NAMES {\n'
                     '    EPERM = 1 "Not permitted", /// the first\n'
                     '    ENOENT = 02 "No entry",\n}\n'
                     'abi at "fcntl.h" { AT_FDCWD = -100, M = 0x3, R = 0 }\n'
                     'flagset f { M { R }, EPERM }\nenum w { AT_FDCWD, X = 7 }\n')
    errno, at = src.abi_groups
    assert (errno.name.text, errno.header, errno.hosts, errno.names.text, errno.doc) == \
        ("errno", "errno.h", ["a/e.h", "b.h"], "E_NAMES", "Errors.")
    assert [(c.name.text, c.value, c.literal, c.message, c.doc) for c in errno.consts] == \
        [("EPERM", 1, "1", "Not permitted", "the first"), ("ENOENT", 2, "02", "No entry", "")]
    assert (at.hosts, at.names, at.consts[0].c_value) == ([], None, "(-100)")
    f, w = src.value_sets
    assert (f.items[0].mask, f.items[0].entries[0].value, f.items[1].value) == (None, None, None)
    mod = check([src])
    assert (f.items[0].mask, f.items[0].mask_literal) == (3, "0x3")
    assert [(e.name.text, e.value, e.literal, e.mask) for e in f.entries] == \
        [("R", 0, "0", 3), ("EPERM", 1, "1", None)]
    assert [(e.value, e.literal) for e in w.items] == [(-100, "-100"), (7, "7")]
    assert sorted(mod.abi_consts) == ["AT_FDCWD", "ENOENT", "EPERM", "M", "R"]
