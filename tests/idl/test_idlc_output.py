"""What idlc writes: determinism, all-or-nothing output, C that compiles,
and the real IDL files of the kernel."""

import json
import os
import shutil
import subprocess

import pytest

from idl_harness import (FIXTURES, PROFILES, REAL_IDL, ROOT, STUBS, run_idlc,
                         run_idlc_process, snapshot)

GCC = shutil.which("gcc")
needs_gcc = pytest.mark.skipif(GCC is None, reason="gcc is not installed")
CFLAGS = ["-std=gnu11", "-O2", "-Wall", "-Wextra", "-Werror", "-ffreestanding"]


def generate(out, profile, files=FIXTURES, extra=()):
    assert run_idlc(["--profile", profile, "--out", out, *extra, *files]) == 0
    return out


# ------------------------------------------------------------- determinism
@pytest.mark.parametrize("profile", PROFILES)
def test_two_runs_are_byte_identical(tmp_path, profile):
    a = snapshot(generate(tmp_path / "gen", profile))
    b = snapshot(generate(tmp_path / "gen", profile))
    assert a == b


def test_file_order_and_path_spelling_do_not_matter(tmp_path):
    a = snapshot(generate(tmp_path / "a", "balanced", files=FIXTURES))
    b = snapshot(generate(tmp_path / "b", "balanced",
                          files=[os.path.join(ROOT, f) for f in reversed(FIXTURES)]))
    a.pop("idlc.d")
    b.pop("idlc.d")
    assert a == b


def test_separate_processes_agree(tmp_path):
    for run in ("one", "two"):
        r = run_idlc_process(["--profile", "fortress", "--out", tmp_path / run, *FIXTURES])
        assert r.returncode == 0, r.stderr
    a, b = snapshot(tmp_path / "one"), snapshot(tmp_path / "two")
    a.pop("idlc.d")
    b.pop("idlc.d")
    assert a == b


# ------------------------------------------------------ all-or-nothing output
BAD = "capability A;\ninterface x { provider ring 1; guard B; }\n"


def test_failed_run_leaves_existing_output_untouched(tmp_path):
    out = generate(tmp_path / "gen", "fortress")
    before = snapshot(out, with_times=True)
    bad = tmp_path / "bad.idl"
    bad.write_text(BAD)
    assert run_idlc(["--profile", "fortress", "--out", out, *FIXTURES, bad]) == 1
    assert snapshot(out, with_times=True) == before
    assert sorted(os.listdir(tmp_path)) == ["bad.idl", "gen"], "temporary files left behind"


def test_failed_run_creates_nothing(tmp_path):
    bad = tmp_path / "bad.idl"
    bad.write_text(BAD)
    assert run_idlc(["--profile", "balanced", "--out", tmp_path / "gen", bad]) == 1
    assert os.listdir(tmp_path) == ["bad.idl"]


def test_out_that_is_a_file_is_an_error(tmp_path, capsys):
    out = tmp_path / "gen"
    out.write_text("precious")
    assert run_idlc(["--profile", "balanced", "--out", out, *FIXTURES]) == 1
    assert out.read_text() == "precious"
    assert "idlc: error: cannot write" in capsys.readouterr().err


def test_unchanged_files_keep_their_mtime_and_stale_files_go(tmp_path):
    out = generate(tmp_path / "gen", "balanced")
    stale = out / "include" / "ifc" / "gone.h"
    stale.write_text("from an interface that no longer exists")
    old = os.stat(out / "include" / "caps.h").st_mtime_ns - 10**9
    os.utime(out / "include" / "caps.h", ns=(old, old))
    generate(out, "balanced")
    assert os.stat(out / "include" / "caps.h").st_mtime_ns == old
    assert not stale.exists()


def test_depfile(tmp_path):
    out = generate(tmp_path / "gen", "balanced")
    dep = (out / "idlc.d").read_text()
    assert dep.startswith(f"{out}/manifest.json: \\\n")
    for needed in FIXTURES + ["tools/idlc/grammar.lark", "tools/idlc/templates/shims.c.j2",
                              "tools/idlc/checks.py"]:
        assert f"\t{needed}" in dep and f"\n{needed}:\n" in dep


# ---------------------------------------------------------------- contents
def test_manifest(tmp_path):
    man = json.loads((generate(tmp_path / "f", "fortress") / "manifest.json").read_text())
    assert man["profile"] == "fortress"
    ifcs = {i["name"]: i for i in man["interfaces"]}
    assert ifcs["frames"]["enforcement"] == {
        "token_check": "nonce", "containment": False, "dispatch": "direct", "shims": ["outline"]}
    assert ifcs["blockdev"]["enforcement"]["containment"] is True
    assert ifcs["blockdev"]["multiplicity"] == "multi"
    assert ifcs["plog"]["externs"] == ["printk", "ksnprintf", "kpanic"]
    assert ifcs["frames"]["operations"][0]["doc"] == "2^order contiguous frames, or PADDR_NONE."
    svcs = {s["name"]: s for s in man["services"]}
    assert "crashy" not in svcs
    may = {m["interface"] for m in svcs["ext2"]["may_call"]}
    # Guarded interfaces whose token it holds, and unguarded ones ring 2 may call.
    assert may == {"plog", "frames", "stats", "blockdev", "selfcheck"}
    assert {m["interface"] for m in svcs["idle"]["may_call"]} == {"plog", "stats", "selfcheck"}
    assert svcs["ext2"]["unused_tokens"] == []
    sc = {s["name"]: s for s in man["syscalls"]}
    assert [s["number"] for s in man["syscalls"]] == [0, 1, 2, 5, 7, 8, 9, 20, 39, 60, 217,
                                                      228, 231, 257, 302, 318]
    assert man["syscall_user_check"] == "access_ok"
    assert man["syscall_includes"] == [{"path": "kevlar/abi.h",
                                        "doc": "Where the ABI structs are defined."}]
    assert [s["name"] for s in man["syscall_structs"]] == ["stat", "iovec", "timespec"]
    assert man["syscall_structs"][2]["doc"] == "Filled by clock_gettime."
    assert sc["poll"]["pending"] and not sc["read"]["pending"]
    assert sc["exit_group"]["noreturn"] and not sc["read"]["noreturn"]
    assert sc["read"]["access_ok"] == [{"param": "buf", "bytes": "count"}]
    assert sc["fstat"]["access_ok"] == [{"param": "statbuf", "bytes": "sizeof(struct stat)"}]
    assert sc["writev"]["access_ok"] == [{"param": "iov",
                                          "bytes": "iovcnt * sizeof(struct iovec)"}]
    assert sc["getdents64"]["access_ok"] == [{"param": "dirp", "bytes": "count"}]
    assert sc["poll"]["access_ok"] == [] and sc["open"]["access_ok"] == []
    assert sc["open"]["params"][1] == {"name": "flags", "idl": "int", "c": "int",
                                       "decode": "open_flags"}
    assert sc["mmap"]["returns"]["decode"] == "hex"
    for profile, check in (("balanced", "type"), ("performance", "none"), ("ludicrous", "none")):
        m = json.loads((generate(tmp_path / profile, profile) / "manifest.json").read_text())
        e = {i["name"]: i["enforcement"] for i in m["interfaces"]}
        assert e["frames"]["token_check"] == check
        assert e["fs"]["containment"] is (profile == "balanced")
        assert e["fs"]["dispatch"] == {"balanced": "ops-table", "performance": "direct",
                                       "ludicrous": "inline"}[profile]
        assert e["blockdev"]["dispatch"] == "ops-table"
        sc = {s["name"]: s for s in m["syscalls"]}
        checked = profile != "ludicrous"
        assert m["syscall_user_check"] == ("access_ok" if checked else "copy-fixup")
        assert bool(sc["read"]["access_ok"]) is checked


def test_manifest_is_sorted_and_ends_in_newline(tmp_path):
    text = (generate(tmp_path / "g", "ludicrous") / "manifest.json").read_text()
    assert text == json.dumps(json.loads(text), indent=2, sort_keys=True) + "\n"


def test_doc_comments_reach_the_c(tmp_path):
    out = generate(tmp_path / "g", "balanced")
    caps = (out / "include" / "caps.h").read_text()
    assert "/* Physical page frames. */\ntypedef struct { } cap_Frames;" in caps
    stats = (out / "include" / "ifc" / "stats.h").read_text()
    assert " * callers ring 0, 2: both neighbours" in stats
    plog = (out / "include" / "ifc" / "plog.h").read_text()
    assert " * printk.h\n *\tprintk, ksnprintf\n" in plog
    for path in snapshot(out):
        if path.endswith((".h", ".c", ".ld")):
            text = (out / path).read_text()
            assert "Generated by tools/idlc from tests/idl/fixtures/" in text.split("\n")[1]
            assert ": do not edit." in text.split("\n")[1]


@pytest.mark.parametrize("profile", PROFILES)
def test_exports(tmp_path, profile):
    out = generate(tmp_path / "g", profile)
    lists = {}
    for name in os.listdir(out / "exports"):
        text = (out / "exports" / name).read_text()
        syms = text.split()
        assert syms == sorted(set(syms)) and (text == "" or text.endswith("\n"))
        lists[name[:-len(".txt")]] = set(syms)
    assert sorted(lists) == ["ring0-ring1", "ring0-ring2", "ring1-ring0", "ring1-ring2",
                             "ring2-ring1"]
    assert {"printk", "ksnprintf", "kpanic"} <= lists["ring0-ring1"] & lists["ring0-ring2"]
    assert lists["ring2-ring1"] == {"ramdisk_init", "vblk_init", "ext2_init", "idle_init",
                                    "ramdisk_blockdev_read", "ramdisk_blockdev_name",
                                    "ramdisk_blockdev_flush", "vblk_blockdev_read",
                                    "vblk_blockdev_name", "vblk_blockdev_flush",
                                    "ext2_fs_read", "ext2_fs_map", "ext2_fs_sync",
                                    "ext2_fstype_mount"}
    if profile in ("fortress", "balanced"):
        # Shims go out; the _impl behind a shim reaches only Ring 1.
        assert "frames_get_impl" in lists["ring0-ring1"]
        assert {"frames_get", "stats_uptime", "blockdev_read"} <= lists["ring1-ring2"]
        assert not any(s.endswith("_impl") for s in lists["ring1-ring2"] | lists["ring0-ring2"])
        assert lists["ring1-ring0"] == {"stats_uptime", "stats_name", "stats_peek"}
    else:
        assert {"frames_get_impl", "frames_put_impl"} <= lists["ring0-ring2"]
        assert "stats_uptime_impl" in lists["ring1-ring2"] & lists["ring1-ring0"]
        assert "frames_get" not in lists["ring1-ring2"]
        multi = "blockdev_read_dispatch" if profile == "performance" else "svc_ops"
        assert multi in lists["ring1-ring2"]


def test_test_only_services(tmp_path):
    plain = generate(tmp_path / "plain", "fortress")
    tests = generate(tmp_path / "tests", "fortress", extra=["--tests"])
    svc = (plain / "include" / "services.h").read_text()
    assert "SVC_crashy" not in svc and "SVC_idle = 3," in svc
    svc = (tests / "include" / "services.h").read_text()
    assert "SVC_idle = 3,\n\tSVC_crashy = 4," in svc
    assert "__svc_crashy_data_start" in (tests / "services-data.ld").read_text()
    assert "__svc_crashy_data_start" not in (plain / "services-data.ld").read_text()
    sc = (plain / "include" / "ifc" / "selfcheck.h").read_text()
    assert "no provider in this build" in sc and "int selfcheck_run(" not in sc


def test_registered_providers(tmp_path):
    """`provides blockdev major 1;` and `provides fstype "ext2";`: tables
    sorted by key, of the services in the build, and the manifest."""
    plain = generate(tmp_path / "plain", "balanced")
    tests = generate(tmp_path / "tests", "balanced", extra=["--tests"])
    reg = (plain / "registry.c").read_text()
    assert ("const struct svc_by_number blockdev_by_major[] = {\n"
            "\t{ 1, SVC_ramdisk },\n\t{ 254, SVC_vblk },\n};") in reg
    assert ("const struct svc_by_name fstype_by_name[] = {\n"
            "\t{ \"ext2\", SVC_ext2 },\n\t{ \"ext3\", SVC_ext2 },\n};") in reg
    assert "#define BLOCKDEV_BY_MAJOR_COUNT 2\n" in (plain / "include" / "services.h").read_text()
    # The test_only crashy (major 7) is in the table of a test build only.
    assert "\t{ 7, SVC_crashy },\n\t{ 254, SVC_vblk }," in (tests / "registry.c").read_text()
    assert "#define BLOCKDEV_BY_MAJOR_COUNT 3\n" in (tests / "include" / "services.h").read_text()
    # A registration provides the interface: ext2 has the fstype ops.
    assert "{ IFC_fstype, &ext2_fstype_ops }," in reg
    m = json.loads((plain / "manifest.json").read_text())
    ext2 = next(s for s in m["services"] if s["name"] == "ext2")
    assert ext2["provides"] == ["fs", "fstype"]
    assert ext2["registered"] == [{"interface": "fstype", "by": "name", "key": "ext2"},
                                  {"interface": "fstype", "by": "name", "key": "ext3"}]


def test_kernel_filesystems_and_devices_are_registered(tmp_path):
    """The kernel's IDL names its filesystems and device majors: Core's
    tables come from it alone."""
    out = generate(tmp_path / "gen", "balanced", files=REAL_IDL)
    reg = (out / "registry.c").read_text()
    assert ('{ "devtmpfs", SVC_devfs },\n\t{ "proc", SVC_procfs },\n'
            '\t{ "tmpfs", SVC_tmpfs },') in reg
    assert "const struct svc_by_number chardev_by_major[] = {\n\t{ 1, SVC_devfs },\n};" in reg


# --------------------------------------------------------------- compiling
def gcc(args, cwd):
    return subprocess.run([GCC, *args], cwd=cwd, capture_output=True, text=True)


USES = r"""
#include <caps.h>
#include <services.h>
#include <ifc/blockdev.h>
#include <ifc/frames.h>
#include <ifc/fs.h>
#include <ifc/plog.h>
#include <ifc/stats.h>

/* Calls every shim the way a service does, with tokens from its caps. */
long use_all(const struct ext2_caps *caps, const struct blockdev_ref *ref)
{
	u8 buf[8];
	paddr_t f = frames_get(caps->Frames, 0);
	long sum = 0;

	frames_put(caps->Frames, f, 0);
	sum += frames_copy_out(caps->Frames, f, buf, sizeof(buf));
	sum += (long)stats_uptime();
	sum += stats_name(buf, sizeof(buf));
	sum += stats_peek(0, 1, 0);
	sum += blockdev_read(caps->Block, ref, 0, 1, f);
	sum += blockdev_name(caps->Block, ref) != NULL;
	blockdev_flush(caps->Block, ref);
	sum += fs_read("x", buf, sizeof(buf));
	sum += (long)fs_map(0);
	sum += fs_sync();
	return sum;
}
"""


GENERATED_C = ("shims.c", "registry.c", "syscalls.c", "syscall_trace.c")
# As the kernel compiles Ring 1 (the Makefile's KCFLAGS, less the defines).
KERNEL_CFLAGS = ["-std=gnu11", "-O2", "-Wall", "-Wextra", "-Werror", "-ffreestanding",
                 "-fno-builtin", "-fno-pic", "-fno-pie", "-mcmodel=kernel", "-mno-red-zone",
                 "-mno-sse", "-mno-sse2", "-mno-mmx", "-mno-80387", "-mno-avx",
                 "-mgeneral-regs-only", "-fno-stack-protector", "-fno-omit-frame-pointer",
                 "-fno-strict-aliasing", "-fno-common", "-Wstack-usage=1024"]


def compile_output(tmp_path, out, include_dirs, cflags=CFLAGS):
    """Compiles every header, every generated .c file and a caller."""
    incs = [f"-I{d}" for d in include_dirs] + [f"-I{out}/include"]
    headers = sorted(p for p in snapshot(out) if p.endswith(".h"))
    all_h = tmp_path / "all_headers.c"
    all_h.write_text("".join(f'#include "{out}/{h}"\n' for h in headers))
    sources = [all_h] + [out / c for c in GENERATED_C]
    for src in sources:
        r = gcc([*cflags, *incs, "-c", str(src), "-o", str(tmp_path / "x.o")], tmp_path)
        assert r.returncode == 0, f"{src}:\n{r.stderr}"
    return incs


@needs_gcc
@pytest.mark.parametrize("tests", [False, True], ids=["plain", "tests"])
@pytest.mark.parametrize("profile", PROFILES)
def test_fixture_output_compiles(tmp_path, profile, tests):
    out = generate(tmp_path / "gen", profile, extra=["--tests"] if tests else [])
    incs = compile_output(tmp_path, out, [STUBS])
    uses = tmp_path / "uses.c"
    uses.write_text(USES)
    r = gcc([*CFLAGS, *incs, "-c", str(uses), "-o", str(tmp_path / "uses.o")], tmp_path)
    assert r.returncode == 0, r.stderr


@needs_gcc
@pytest.mark.parametrize("profile", PROFILES)
def test_fixture_output_compiles_as_the_kernel(tmp_path, profile):
    """With the kernel's flags, and the tracer's stack frame under 1 KiB."""
    out = generate(tmp_path / "gen", profile)
    compile_output(tmp_path, out, [STUBS], cflags=KERNEL_CFLAGS)


@needs_gcc
def test_no_syscalls_compiles(tmp_path):
    idl = tmp_path / "none.idl"
    idl.write_text("capability A;\n")
    out = generate(tmp_path / "gen", "balanced", files=[idl])
    for c in ("syscalls.c", "syscall_trace.c"):
        r = gcc([*CFLAGS, f"-I{STUBS}", f"-I{out}/include", "-c", str(out / c),
                 "-o", str(tmp_path / "x.o")], tmp_path)
        assert r.returncode == 0, r.stderr


def test_ludicrous_has_no_access_ok(tmp_path):
    for profile in PROFILES:
        text = (generate(tmp_path / profile, profile) / "syscalls.c").read_text()
        if profile == "ludicrous":
            assert "access_ok" not in text.split("*/", 2)[2]
            assert "#include <kevlar/mmu.h>" not in text
        else:
            assert "if (!access_ok(f->rsi, (size_t)f->rdx))\n\t\t\treturn -EFAULT;" in text
            assert "access_ok_array(f->rsi, (int)f->rdx, sizeof(struct iovec))" in text
        # The calls themselves are the same in every profile.
        assert "return sys_read((int)f->rdi, f->rsi, (size_t)f->rdx);" in text
        assert 'case SYS_poll:\n\t\treturn syscall_enosys(nr, "poll");' in text


def test_pending_syscalls_have_no_prototype(tmp_path):
    h = (generate(tmp_path / "g", "fortress") / "include" / "syscalls.h").read_text()
    assert "SYS_poll = 7," in h and "sys_poll(" not in h
    assert "ssize_t sys_read(int fd, uptr_t buf, size_t count);" in h
    assert "long syscall_invoke(struct trap_frame *f);" in h
    assert "extern bool syscall_trace;" in h and "int syscall_trace_pid(void);" in h


@needs_gcc
@pytest.mark.parametrize("profile", PROFILES)
def test_wrong_token_does_not_compile(tmp_path, profile):
    out = generate(tmp_path / "gen", profile)
    bad = tmp_path / "bad.c"
    bad.write_text("#include <services.h>\n#include <ifc/frames.h>\n"
                   "paddr_t f(const struct ext2_caps *caps) { return frames_get(caps->Block, 0); }\n")
    r = gcc([*CFLAGS, f"-I{STUBS}", f"-I{out}/include", "-c", str(bad), "-o",
             str(tmp_path / "bad.o")], tmp_path)
    assert r.returncode != 0
    assert "cap_Block" in r.stderr or "_Generic" in r.stderr


RUN_UNEVALUATED = r"""
#include <services.h>
#include <ifc/frames.h>

paddr_t frames_get_impl(u32 order) { return order + 1; }

int main(void)
{
	struct ext2_caps caps;
	int evaluated = 0;
	paddr_t f = frames_get((evaluated++, caps.Frames), 3);

	return evaluated * 10 + (f == 4 ? 0 : 1);
}
"""


@needs_gcc
@pytest.mark.parametrize("profile", ["performance", "ludicrous"])
def test_token_is_never_evaluated(tmp_path, profile):
    out = generate(tmp_path / "gen", profile)
    src = tmp_path / "run.c"
    src.write_text(RUN_UNEVALUATED)
    exe = tmp_path / "run"
    r = gcc(["-std=gnu11", "-O0", f"-I{STUBS}", f"-I{out}/include", str(src), "-o", str(exe)],
            tmp_path)
    assert r.returncode == 0, r.stderr
    assert subprocess.run([str(exe)]).returncode == 0


# ---------------------------------------------------------- the real IDL
def test_real_idl_checks():
    r = run_idlc_process(["--check", *REAL_IDL])
    assert r.returncode == 0, r.stderr
    assert r.stdout == "" and r.stderr == ""


REAL_HEADERS = [os.path.join(ROOT, d) for d in ("platform/include", "caps/include",
                                                 "core/include")]
HAVE_REAL_ABI = os.path.exists(os.path.join(ROOT, "core/include/kevlar/abi.h"))
HAVE_REAL_HEADERS = all(os.path.exists(os.path.join(ROOT, p)) for p in (
    "platform/include/kevlar/ring.h", "caps/include/kevlar/cap.h", "core/include/kevlar/svc.h"))


@pytest.mark.parametrize("tests", [False, True], ids=["plain", "tests"])
@pytest.mark.parametrize("profile", PROFILES)
def test_real_idl(tmp_path, profile, tests):
    out = generate(tmp_path / "gen", profile, files=REAL_IDL, extra=["--tests"] if tests else [])
    man = json.loads((out / "manifest.json").read_text())
    names = {s["name"] for s in man["services"]}
    assert "klog" in names and ("faulty" in names) == tests
    assert "core_main" in (out / "exports" / "ring1-ring0.txt").read_text().split()
    if GCC is None or not HAVE_REAL_HEADERS:
        pytest.skip("gcc or the kernel's ring.h/cap.h/svc.h is missing")
    dirs = list(REAL_HEADERS)
    if not HAVE_REAL_ABI:
        # Until Core has <kevlar/abi.h>, the test stub's structs stand in.
        abi = tmp_path / "abi" / "kevlar"
        abi.mkdir(parents=True)
        shutil.copy(os.path.join(STUBS, "kevlar", "abi.h"), abi / "abi.h")
        dirs.append(abi.parent)
    compile_output(tmp_path, out, dirs, cflags=KERNEL_CFLAGS)


# ------------------------------------------------------- the Linux tables
UNISTD = "/usr/include/x86_64-linux-gnu/asm/unistd_64.h"
ERRNO_HEADERS = ("/usr/include/asm-generic/errno-base.h", "/usr/include/asm-generic/errno.h")


@pytest.mark.skipif(not os.path.exists(UNISTD), reason="no Linux UAPI headers")
def test_real_syscall_numbers_are_linux(tmp_path):
    import re
    with open(UNISTD) as f:
        linux = {m[1]: int(m[2]) for m in re.finditer(r"#define __NR_(\w+) (\d+)", f.read())}
    man = json.loads((generate(tmp_path / "g", "balanced", files=REAL_IDL)
                      / "manifest.json").read_text())
    assert man["syscalls"], "idl/syscalls.idl declares nothing"
    for sc in man["syscalls"]:
        assert linux.get(sc["name"]) == sc["number"], sc["name"]


@pytest.mark.skipif(not all(os.path.exists(h) for h in ERRNO_HEADERS),
                    reason="no Linux UAPI headers")
def test_errno_table_is_linux():
    """The tracer's table is idl/abi.idl's errno group: Linux's names and
    numbers, and glibc's messages."""
    import re
    from checks import check
    from errnos import errno_table
    from syntax import parse_file
    linux = {}
    for h in ERRNO_HEADERS:
        with open(h) as f:
            linux.update({m[1]: int(m[2]) for m in
                          re.finditer(r"#define\s+(E\w+)\s+(\d+)", f.read())})
    table = errno_table(check([parse_file(os.path.join(ROOT, f)) for f in REAL_IDL]))
    numbers = [n for n, _, _ in table]
    assert len(numbers) > 70 and numbers == sorted(set(numbers))
    for n, name, msg in table:
        assert linux[name] == n, name
        # glibc's strerror(), where the host has it, is what strace prints.
        if os.strerror(38) == "Function not implemented":
            assert os.strerror(n) == msg, name


# ------------------------------------------------ per-service token views
VIEW_OK = r"""
#include <caps.h>
#include <services.h>
#include <ifc/frames.h>
#include <ifc/blockdev.h>

static struct ramdisk_caps caps;

int ramdisk_init(const struct ramdisk_caps *c)
{
	caps = *c;
	return 0;
}

paddr_t use(void) { return frames_get(caps.Frames, 0); }
"""

# ramdisk holds Frames, not Block: each of these names a Block token.
VIEW_BAD = {
    "literal": "long bad(const struct blockdev_ref *r) { return blockdev_read((cap_Block){}, r, 0, 1, 0); }",
    "cast": "long bad(const struct blockdev_ref *r) { return blockdev_read(*(cap_Block *)&caps.Frames, r, 0, 1, 0); }",
    "declaration": "cap_Block kept;",
}


def view_flags(out, svc):
    return [*CFLAGS, f"-I{STUBS}", f"-I{out}/include/svc/{svc}", f"-I{out}/include"]


def test_views_hold_only_the_services_tokens(tmp_path):
    out = generate(tmp_path / "gen", "balanced")
    view = (out / "include/svc/ramdisk/caps.h").read_text()
    assert "typedef struct { } cap_Frames;" in view
    assert "typedef struct cap_Block_not_held_by_ramdisk cap_Block;" in view
    assert "#define GEN_CAPS_VIEW_ramdisk 1" in view
    full = (out / "include/caps.h").read_text()
    assert "typedef struct { } cap_Block;" in full and "GEN_CAPS_VIEW" not in full
    # One view per service of the build: the test_only one only with --tests.
    assert sorted(os.listdir(out / "include/svc")) == ["ext2", "idle", "ramdisk", "vblk"]


@needs_gcc
@pytest.mark.parametrize("profile", PROFILES)
def test_view_keeps_the_tokens_it_was_given(tmp_path, profile):
    out = generate(tmp_path / "gen", profile)
    src = tmp_path / "ok.c"
    src.write_text(VIEW_OK)
    r = gcc([*view_flags(out, "ramdisk"), "-c", str(src), "-o", str(tmp_path / "ok.o")], tmp_path)
    assert r.returncode == 0, r.stderr


@needs_gcc
@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("form", sorted(VIEW_BAD))
def test_view_refuses_a_token_not_held(tmp_path, profile, form):
    out = generate(tmp_path / "gen", profile)
    src = tmp_path / "bad.c"
    src.write_text(VIEW_OK + VIEW_BAD[form] + "\n")
    r = gcc([*view_flags(out, "ramdisk"), "-c", str(src), "-o", str(tmp_path / "bad.o")], tmp_path)
    assert r.returncode != 0
    # gcc names the type where it is used as a value; a variable of it is
    # only "storage size of 'kept' isn't known". In performance and
    # ludicrous a cast goes straight into the shim macro's _Generic.
    if form == "declaration":
        assert "kept" in r.stderr, r.stderr
    elif profile in ("fortress", "balanced") or form != "cast":
        assert "cap_Block_not_held_by_ramdisk" in r.stderr, r.stderr


@needs_gcc
def test_view_hides_other_services_tokens(tmp_path):
    out = generate(tmp_path / "gen", "balanced")
    src = tmp_path / "bad.c"
    src.write_text(VIEW_OK + "extern struct ext2_caps ext2_caps;\n"
                   "paddr_t bad(void) { return frames_get(ext2_caps.Frames, 0); }\n")
    r = gcc([*view_flags(out, "ramdisk"), "-c", str(src), "-o", str(tmp_path / "bad.o")], tmp_path)
    assert r.returncode != 0
    assert "struct ext2_caps" in r.stderr, r.stderr
