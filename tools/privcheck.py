#!/usr/bin/python3
"""Refuse privileged instructions in a partially linked ring object.

  privcheck.py --ring 1 --what "Ring 1" --object build/p/ring1.o \
      --allowed tools/privcheck-allowed.txt

Ring lint reads tokens; this reads what the compiler made of them, so a
pasted `asm`, a compiler builtin or an inline helper from a Ring 0 header
is seen as the instruction it became. The object is disassembled with
objdump and each instruction that needs CPL 0 (or IOPL, which Kevlar keeps
at 0) is refused by ring (docs/profiles.md):

  Ring 1  may save, clear and restore the interrupt flag (cli, sti, pushf,
          popf: its interrupt-disabling locks); nothing else privileged.
  Ring 2  nothing privileged, the interrupt flag included.

An exception names the ring, the function, the instruction and why, in one
reviewed list (--allowed). Exit 1, one line per refused instruction:

  build/p/ring1.o: foo+0x1c (core/x/foo.c:12): hlt: halts the CPU, ...
"""
import argparse
import os
import re
import subprocess
import sys

# Why each privileged instruction is refused. Sources: the Intel SDM,
# vol. 2 (each instruction's "Protected Mode Exceptions": #GP(0) if CPL > 0,
# or CPL > IOPL for the IOPL-sensitive ones) and vol. 3A section 2.8
# ("System Instruction Summary"), and AMD's APM vol. 3 for SVM and SNP.
# Not here, because any ring may run them: sgdt/sidt/sldt/str/smsw (only
# UMIP makes them privileged, and they change nothing), lar/lsl/verr/verw,
# rdtsc/rdtscp/rdpid, cpuid, wrpkru/rdpkru, pause, ud2, int3.
# Ring 1's interrupt-disabling locks save, clear and restore the flag
# through Ring 0's inline helpers (<kevlar/spinlock_irq.h>); a service's
# locks leave interrupts on, and its interrupt work is a threaded handler.
INTERRUPT_FLAG = {
    "cli": "clears the interrupt flag",
    "sti": "sets the interrupt flag",
    "pushf": "reads the interrupt flag",
    "popf": "can set or clear the interrupt flag",
}

PRIVILEGED = {
    "hlt": "halts the CPU (idling is Ring 0's cpu_idle())",
    "in": "port I/O", "ins": "port I/O", "out": "port I/O", "outs": "port I/O",
    "rdmsr": "reads a model-specific register",
    "wrmsr": "writes a model-specific register",
    "wrmsrns": "writes a model-specific register",
    "rdmsrlist": "reads model-specific registers",
    "wrmsrlist": "writes model-specific registers",
    "rdpmc": "reads a performance counter (CPL 0 unless CR4.PCE)",
    "lgdt": "loads a descriptor table register", "lidt": "loads a descriptor table register",
    "lldt": "loads a descriptor table register", "ltr": "loads the task register",
    "lmsw": "writes the machine status word (CR0)",
    "clts": "clears CR0.TS",
    "invd": "invalidates the caches without writing them back",
    "wbinvd": "writes back and invalidates the caches",
    "wbnoinvd": "writes back the caches",
    "invlpg": "invalidates a TLB entry (paging is Ring 0's)",
    "invlpga": "invalidates a TLB entry (paging is Ring 0's)",
    "invlpgb": "invalidates TLB entries (paging is Ring 0's)",
    "tlbsync": "waits for TLB invalidation (paging is Ring 0's)",
    "invpcid": "invalidates TLB entries (paging is Ring 0's)",
    "swapgs": "swaps the GS base (entry and exit are Ring 0's)",
    "lkgs": "loads the kernel GS base (entry and exit are Ring 0's)",
    "sysret": "returns to user mode (entry and exit are Ring 0's)",
    "sysexit": "returns to user mode (entry and exit are Ring 0's)",
    "iret": "returns from an interrupt (entry and exit are Ring 0's)",
    "erets": "returns from an event (entry and exit are Ring 0's)",
    "eretu": "returns from an event (entry and exit are Ring 0's)",
    "xsetbv": "writes an extended control register",
    "xsaves": "saves supervisor state (the FPU is Ring 0's)",
    "xrstors": "restores supervisor state (the FPU is Ring 0's)",
    "stac": "opens user memory to the kernel (user copies are Ring 0's)",
    "clac": "closes user memory to the kernel (user copies are Ring 0's)",
    "monitor": "monitor/mwait idling (CPL 0 unless enabled for user mode)",
    "mwait": "monitor/mwait idling (CPL 0 unless enabled for user mode)",
    "hreset": "resets processor history",
    "pconfig": "configures platform features",
    "encls": "a supervisor SGX operation",
    "wrussd": "writes a user shadow stack", "wrussq": "writes a user shadow stack",
    "setssbsy": "marks a shadow stack busy", "clrssbsy": "clears a shadow stack's busy flag",
    "rsm": "resumes from system management mode",
    "vmxon": "VMX", "vmxoff": "VMX", "vmlaunch": "VMX", "vmresume": "VMX",
    "vmptrld": "VMX", "vmptrst": "VMX", "vmclear": "VMX", "vmread": "VMX",
    "vmwrite": "VMX", "invept": "VMX", "invvpid": "VMX", "vmcall": "a hypercall",
    "vmrun": "SVM", "vmload": "SVM", "vmsave": "SVM", "stgi": "SVM", "clgi": "SVM",
    "skinit": "SVM", "vmmcall": "a hypercall",
    "pvalidate": "SEV-SNP", "rmpadjust": "SEV-SNP", "rmpupdate": "SEV-SNP",
    "psmash": "SEV-SNP", "tdcall": "TDX", "seamcall": "TDX",
}

# Written with an operand-size suffix by objdump (-M suffix, or when the
# operands do not say): inb, outsl, pushfq, iretq, sysretq, lgdtq, ...
SUFFIXES = "bwlq"

PREFIXES = {"rep", "repz", "repe", "repnz", "repne", "lock", "cs", "ds", "es", "ss", "fs",
            "gs", "data16", "data32", "addr16", "addr32", "notrack", "bnd", "xacquire",
            "xrelease", "{disp8}", "{disp32}", "{vex}", "{vex3}", "{evex}"}

CONTROL_REG = re.compile(r"%(cr|db|dr|tr)[0-9]+\b")

# Per ring: the instructions refused and why.
RULES = {
    "1": dict(PRIVILEGED),
    "2": {**PRIVILEGED, **INTERRUPT_FLAG},
}

FUNC_LINE = re.compile(r"^[0-9a-f]+ <(?P<name>[^>]+)>:$")
INSN_LINE = re.compile(r"^\s*(?P<addr>[0-9a-f]+):\t(?P<text>.*)$")
SRC_LINE = re.compile(r"^(?P<file>/\S+|\S+\.[chS]):(?P<line>[0-9]+)( \(discriminator [0-9]+\))?$")


def mnemonic_of(text):
    """(mnemonic, operands) of one objdump instruction text, prefixes dropped."""
    words = text.split("#")[0].split()
    while words and (words[0] in PREFIXES or words[0].startswith("rex")):
        words = words[1:]
    if not words:
        return None, ""
    return words[0], " ".join(words[1:])


def refusal(ring, text):
    """Why `text` (one instruction as objdump prints it) is refused in `ring`, or None."""
    rules = RULES[ring]
    mnem, operands = mnemonic_of(text)
    if mnem is None or mnem == "(bad)":
        return None
    if mnem.startswith("mov") and CONTROL_REG.search(operands):
        reg = CONTROL_REG.search(operands).group(0)
        kind = "a control register" if reg.startswith("%cr") else \
            "the task register" if reg.startswith("%tr") else "a debug register"
        return mnem, f"moves to or from {kind} ({reg})"
    if mnem in rules:
        return mnem, rules[mnem]
    if mnem[-1] in SUFFIXES and mnem[:-1] in rules:
        return mnem, rules[mnem[:-1]]
    return None


def disassemble(obj):
    """objdump's text of every code section of `obj`, with source lines."""
    return subprocess.run(["objdump", "-d", "-l", "-w", "--no-show-raw-insn", obj],
                          check=True, capture_output=True, text=True).stdout


def scan(ring, text, root=""):
    """(function, offset, source line, instruction, mnemonic, why) per refusal."""
    found = []
    func, start, where = None, 0, None
    for line in text.splitlines():
        m = FUNC_LINE.match(line)
        if m:
            func, start, where = m.group("name"), None, None
            continue
        m = SRC_LINE.match(line)
        if m:
            path = m.group("file")
            if root and path.startswith(root + "/"):
                path = path[len(root) + 1:]
            where = f"{path}:{m.group('line')}"
            continue
        m = INSN_LINE.match(line)
        if not m or func is None:
            continue
        addr = int(m.group("addr"), 16)
        if start is None:
            start = addr
        insn = " ".join(m.group("text").split("#")[0].split())
        r = refusal(ring, insn)
        if r:
            found.append((func, addr - start, where, insn, r[0], r[1]))
    return found


def base_name(func):
    """foo for foo.isra.0, foo.constprop.0, foo.cold, foo.part.0."""
    return func.split(".")[0]


def read_allowed(path):
    """{(ring, function, mnemonic)} from the exception list. Each line:
    `<ring> <function> <mnemonic> -- <why>`; a line without a reason is an error."""
    allowed, errors = set(), []
    with open(path) as f:
        for n, line in enumerate(f, 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            head, sep, why = line.partition("--")
            fields = head.split()
            if not sep or not why.strip() or len(fields) != 3 or fields[0] not in RULES:
                errors.append(f"{path}:{n}: expected '<ring 1|2> <function> <instruction> -- <why>'")
                continue
            allowed.add(tuple(fields))
    return allowed, errors


def is_allowed(allowed, ring, func, mnem):
    for name in (func, base_name(func)):
        for m in (mnem, mnem[:-1] if mnem[-1:] in SUFFIXES else mnem):
            if (ring, name, m) in allowed:
                return True
    return False


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--ring", required=True, choices=sorted(RULES))
    ap.add_argument("--what", required=True, help="name used in messages")
    ap.add_argument("--object", required=True)
    ap.add_argument("--allowed", help="the reviewed exception list")
    ap.add_argument("--root", default=".", help="source paths are shown relative to this")
    args = ap.parse_args()

    allowed, problems = set(), []
    if args.allowed:
        allowed, problems = read_allowed(args.allowed)
    root = os.path.realpath(args.root)
    for func, off, where, insn, mnem, why in scan(args.ring, disassemble(args.object), root):
        if is_allowed(allowed, args.ring, func, mnem):
            continue
        at = f" ({where})" if where else ""
        problems.append(f"{args.what}: {args.object}: {func}+{off:#x}{at}: {insn}: "
                        f"{why}, which Ring {args.ring} may not do")
    for p in problems:
        print(f"privcheck: {p}", file=sys.stderr)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
