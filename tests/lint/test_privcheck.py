"""Tests of tools/privcheck.py on small assembled objects: every privileged
instruction is refused in the ring it is refused in, the unprivileged ones
(some with look-alike names) pass, and the exception list works.

  /usr/bin/python3 -m pytest -q tests/lint/test_privcheck.py
"""
import os
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PRIVCHECK = os.path.join(ROOT, "tools", "privcheck.py")
sys.path.insert(0, os.path.join(ROOT, "tools"))
import privcheck  # noqa: E402

# Refused in both rings: (assembly, mnemonic objdump shows, reason fragment).
PRIVILEGED = [
    ("hlt", "hlt", "halts the CPU"),
    ("inb $0x60, %al", "in", "port I/O"),
    ("inb %dx, %al", "in", "port I/O"),
    ("inl %dx, %eax", "in", "port I/O"),
    ("outb %al, $0x80", "out", "port I/O"),
    ("outw %ax, %dx", "out", "port I/O"),
    ("insb", "insb", "port I/O"),
    ("rep insw", "insw", "port I/O"),
    ("outsl", "outsl", "port I/O"),
    ("rep outsb", "outsb", "port I/O"),
    ("rdmsr", "rdmsr", "model-specific register"),
    ("wrmsr", "wrmsr", "model-specific register"),
    ("rdpmc", "rdpmc", "performance counter"),
    ("lgdt (%rax)", "lgdt", "descriptor table"),
    ("lidt (%rax)", "lidt", "descriptor table"),
    ("lldt %ax", "lldt", "descriptor table"),
    ("ltr %ax", "ltr", "task register"),
    ("lmsw %ax", "lmsw", "machine status word"),
    ("clts", "clts", "CR0.TS"),
    ("invd", "invd", "caches"),
    ("wbinvd", "wbinvd", "caches"),
    ("invlpg (%rax)", "invlpg", "TLB"),
    ("invpcid (%rax), %rcx", "invpcid", "TLB"),
    ("swapgs", "swapgs", "GS base"),
    ("sysretq", "sysret", "user mode"),
    ("sysretl", "sysret", "user mode"),
    ("sysexit", "sysexit", "user mode"),
    ("iretq", "iret", "interrupt"),
    ("iretl", "iret", "interrupt"),
    ("xsetbv", "xsetbv", "extended control register"),
    ("xsaves (%rdi)", "xsaves", "supervisor state"),
    ("xrstors (%rdi)", "xrstors", "supervisor state"),
    ("stac", "stac", "user memory"),
    ("clac", "clac", "user memory"),
    ("monitor", "monitor", "mwait"),
    ("mwait", "mwait", "mwait"),
    ("mov %cr0, %rax", "mov", "control register (%cr0)"),
    ("mov %rax, %cr3", "mov", "control register (%cr3)"),
    ("mov %cr4, %rax", "mov", "control register (%cr4)"),
    ("mov %cr2, %rax", "mov", "control register (%cr2)"),
    ("mov %db7, %rax", "mov", "debug register"),
    ("mov %rax, %db0", "mov", "debug register"),
    ("vmxon (%rax)", "vmxon", "VMX"),
    ("vmcall", "vmcall", "hypercall"),
    ("vmrun", "vmrun", "SVM"),
]

# Ring 1's interrupt-disabling locks; refused in Ring 2.
INTERRUPT_FLAG = [
    ("cli", "cli"),
    ("sti", "sti"),
    ("pushfq", "pushf"),
    ("popfq", "popf"),
]

# Any ring may run these; some have names close to privileged ones.
UNPRIVILEGED = [
    "nop", "pause", "rdtsc", "rdtscp", "cpuid", "sgdt (%rax)", "sidt (%rax)",
    "smsw %eax", "str %eax", "lar %ax, %eax", "lsl %ax, %eax", "ud2", "int3",
    "int $0x80", "inc %eax", "incq (%rdi)", "clc", "stc", "cld", "std", "cmc",
    "lock cmpxchg %rcx, (%rdi)", "rep stosb", "cs nopw 0x0(%rax,%rax,1)",
    "pushq %rax", "popq %rax", "mov %rax, %rbx", "movq %rax, (%rdi)",
    "xchg %rax, (%rdi)", "lfence", "mfence", "clflush (%rdi)", "wrpkru", "rdpkru",
    "xgetbv", "prefetchw (%rdi)",
]


def assemble(tmp_path, funcs, name="t"):
    """An object with one function per (name, instructions)."""
    src = [".text"]
    for fname, body in funcs:
        src += [f".globl {fname}", f".type {fname}, @function", f"{fname}:"]
        src += [f"\t{insn}" for insn in body] + ["\tret", f".size {fname}, .-{fname}"]
    s = tmp_path / f"{name}.s"
    s.write_text("\n".join(src) + "\n")
    obj = tmp_path / f"{name}.o"
    subprocess.run(["as", "--64", "-o", str(obj), str(s)], check=True)
    return str(obj)


def refused(obj, ring):
    """{function: mnemonic} of what `ring` refuses in obj."""
    return {f: m for f, _, _, _, m, _ in privcheck.scan(ring, privcheck.disassemble(obj))}


def run(obj, ring, allowed=None):
    cmd = [sys.executable, PRIVCHECK, "--ring", ring, "--what", "test", "--object", obj]
    if allowed:
        cmd += ["--allowed", allowed]
    return subprocess.run(cmd, capture_output=True, text=True)


@pytest.mark.parametrize("ring", ["1", "2"])
def test_each_privileged_instruction_is_refused(tmp_path, ring):
    funcs = [(f"p{i}", [insn]) for i, (insn, _, _) in enumerate(PRIVILEGED)]
    obj = assemble(tmp_path, funcs)
    found = {f: (m, why) for f, _, _, _, m, why in
             privcheck.scan(ring, privcheck.disassemble(obj))}
    for i, (insn, mnem, why) in enumerate(PRIVILEGED):
        assert f"p{i}" in found, f"{insn} not refused in Ring {ring}"
        got_mnem, got_why = found[f"p{i}"]
        assert got_mnem.rstrip("bwlq") == mnem.rstrip("bwlq") or got_mnem == mnem, insn
        assert why in got_why, (insn, got_why)


def test_interrupt_flag_is_ring_1s_and_not_ring_2s(tmp_path):
    funcs = [(f"f{i}", [insn]) for i, (insn, _) in enumerate(INTERRUPT_FLAG)]
    obj = assemble(tmp_path, funcs)
    assert refused(obj, "1") == {}
    ring2 = refused(obj, "2")
    for i, (insn, mnem) in enumerate(INTERRUPT_FLAG):
        assert ring2.get(f"f{i}", "").startswith(mnem), insn


def test_ring_1s_lock_sequence_passes(tmp_path):
    obj = assemble(tmp_path, [("lock_irqsave", ["pushfq", "popq %rax", "cli"]),
                              ("unlock_irqrestore", ["pushq %rdi", "popfq", "sti"])])
    assert run(obj, "1").returncode == 0
    r = run(obj, "2")
    assert r.returncode == 1
    assert r.stderr.count("which Ring 2 may not do") == 4


@pytest.mark.parametrize("ring", ["1", "2"])
def test_unprivileged_instructions_pass(tmp_path, ring):
    obj = assemble(tmp_path, [(f"u{i}", [insn]) for i, insn in enumerate(UNPRIVILEGED)])
    assert refused(obj, ring) == {}
    assert run(obj, ring).returncode == 0


def test_message_names_function_offset_and_reason(tmp_path):
    obj = assemble(tmp_path, [("first", ["nop"]), ("idle_here", ["nop", "nop", "hlt"])])
    r = run(obj, "1")
    assert r.returncode == 1
    lines = r.stderr.splitlines()
    assert len(lines) == 1
    assert lines[0] == (f"privcheck: test: {obj}: idle_here+0x2: hlt: halts the CPU "
                        "(idling is Ring 0's cpu_idle()), which Ring 1 may not do")


def test_source_line_is_named_when_there_is_debug_information(tmp_path):
    src = tmp_path / "c.c"
    src.write_text("void stop(void) { __asm__ __volatile__(\"hlt\"); }\n")
    obj = tmp_path / "c.o"
    subprocess.run(["gcc", "-O2", "-g", "-c", str(src), "-o", str(obj)], check=True)
    r = subprocess.run([sys.executable, PRIVCHECK, "--ring", "2", "--what", "t",
                        "--object", str(obj), "--root", str(tmp_path)],
                       capture_output=True, text=True)
    assert r.returncode == 1
    assert "stop+0x" in r.stderr and "(c.c:1): hlt:" in r.stderr


def test_exception_list(tmp_path):
    obj = assemble(tmp_path, [("needs_cli", ["cli"]), ("other", ["cli"]),
                              ("rare.isra.0", ["hlt"])])
    allowed = tmp_path / "allowed.txt"
    allowed.write_text("# reviewed\n"
                       "2 needs_cli cli -- the test's reason\n"
                       "1 rare hlt -- applies to rare.isra.0 too\n")
    r = run(obj, "2", str(allowed))
    assert r.returncode == 1
    assert "needs_cli" not in r.stderr
    assert "other+0x0: cli" in r.stderr
    assert "rare.isra.0+0x0: hlt" in r.stderr       # a Ring 1 exception is not Ring 2's
    assert run(obj, "1", str(allowed)).returncode == 0


@pytest.mark.parametrize("line", ["2 needs_cli cli", "2 needs_cli cli --", "needs_cli cli -- why",
                                  "3 needs_cli cli -- why"])
def test_exception_without_ring_or_reason_is_an_error(tmp_path, line):
    obj = assemble(tmp_path, [("needs_cli", ["cli"])])
    allowed = tmp_path / "allowed.txt"
    allowed.write_text(line + "\n")
    r = run(obj, "2", str(allowed))
    assert r.returncode == 1
    assert "expected '<ring 1|2> <function> <instruction> -- <why>'" in r.stderr


def test_the_reviewed_list_is_well_formed():
    allowed, errors = privcheck.read_allowed(os.path.join(ROOT, "tools", "privcheck-allowed.txt"))
    assert errors == []
