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
    assert [s["number"] for s in man["syscalls"]] == [0, 1, 2, 60]
    for profile, check in (("balanced", "type"), ("performance", "none"), ("ludicrous", "none")):
        m = json.loads((generate(tmp_path / profile, profile) / "manifest.json").read_text())
        e = {i["name"]: i["enforcement"] for i in m["interfaces"]}
        assert e["frames"]["token_check"] == check
        assert e["fs"]["containment"] is (profile == "balanced")
        assert e["fs"]["dispatch"] == {"balanced": "ops-table", "performance": "direct",
                                       "ludicrous": "inline"}[profile]
        assert e["blockdev"]["dispatch"] == "ops-table"


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
                                    "ext2_fs_read", "ext2_fs_map", "ext2_fs_sync"}
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


def compile_output(tmp_path, out, include_dirs):
    """Compiles every header, shims.c, registry.c and a caller."""
    incs = [f"-I{d}" for d in include_dirs] + [f"-I{out}/include"]
    headers = sorted(p for p in snapshot(out) if p.endswith(".h"))
    all_h = tmp_path / "all_headers.c"
    all_h.write_text("".join(f'#include "{out}/{h}"\n' for h in headers))
    sources = [all_h, out / "shims.c", out / "registry.c"]
    for src in sources:
        r = gcc([*CFLAGS, *incs, "-c", str(src), "-o", str(tmp_path / "x.o")], tmp_path)
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
HAVE_REAL_HEADERS = all(os.path.exists(os.path.join(ROOT, p)) for p in (
    "platform/include/kevlar/ring.h", "caps/include/kevlar/cap.h", "core/include/kevlar/svc.h"))


@pytest.mark.parametrize("tests", [False, True], ids=["plain", "tests"])
@pytest.mark.parametrize("profile", PROFILES)
def test_real_idl(tmp_path, profile, tests):
    out = generate(tmp_path / "gen", profile, files=REAL_IDL, extra=["--tests"] if tests else [])
    man = json.loads((out / "manifest.json").read_text())
    names = {s["name"] for s in man["services"]}
    assert names == ({"klog", "faulty"} if tests else {"klog"})
    assert "core_main" in (out / "exports" / "ring1-ring0.txt").read_text().split()
    if GCC is None or not HAVE_REAL_HEADERS:
        pytest.skip("gcc or the kernel's ring.h/cap.h/svc.h is missing")
    compile_output(tmp_path, out, REAL_HEADERS)
