"""The benchmark programs, run once on this Linux in quick mode (a check
that every benchmark works and prints a well-formed line, not a
measurement), and the runner's parsing, medians, ratios and comparison
on made-up figures. `make test-bench` builds the programs first."""
import importlib.util
import os
import re
import subprocess

import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BIN = os.path.join(ROOT, "build", "bench", "bin")
KBENCH = os.path.join(BIN, "kbench")

spec = importlib.util.spec_from_file_location("bench", os.path.join(ROOT, "tools", "bench.py"))
bench = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bench)

# What the issue asks for, by kbench name.
REQUIRED = {
    "getpid", "read_null", "read_zero", "write_null", "open_close", "stat", "fstat", "lseek",
    "dup_close", "pipe_pingpong", "fork_exit_wait", "fork_exec", "mmap_munmap", "page_fault",
    "mprotect", "brk", "sigaction", "signal_delivery", "sched_yield", "clock_gettime", "uname",
    "sh_true", "pipeline", "cp_tree", "find", "gzip_1m", "tar_extract", "dd_16m",
}
LINE = re.compile(r"kbench (\S+) (\d+\.\d) ([1-9]\d*)")


@pytest.fixture(scope="module")
def programs():
    if not os.path.exists(KBENCH):
        pytest.fail(f"{KBENCH} is missing: run `make bench-programs`")
    return KBENCH


def kbench(*args, scratch):
    return subprocess.run([KBENCH, "-s", str(scratch)] + list(args), capture_output=True,
                          text=True, timeout=300)


def names():
    out = subprocess.run([KBENCH, "-l"], capture_output=True, text=True, check=True).stdout
    return out.split()


def test_every_required_benchmark_exists(programs):
    assert REQUIRED <= set(names())
    assert len(names()) == len(set(names()))


def test_quick_run_on_this_linux(programs, tmp_path):
    res = kbench("-q", scratch=tmp_path / "scratch")
    assert res.returncode == 0, res.stderr
    lines = res.stdout.splitlines()
    assert lines[-1] == f"kbench-done {len(names())} 0", res.stdout
    got = [LINE.fullmatch(line) for line in lines[:-1]]
    assert all(got), f"malformed or failed lines:\n{res.stdout}"
    assert [m.group(1) for m in got] == names()
    # Everything a run creates is removed again.
    assert os.listdir(tmp_path / "scratch") == []


def test_a_subset_runs_alone(programs, tmp_path):
    res = kbench("-q", "brk", "getpid", scratch=tmp_path)
    lines = res.stdout.splitlines()
    assert [line.split()[1] for line in lines[:-1]] == ["getpid", "brk"]
    assert lines[-1] == "kbench-done 2 0"


def test_iterations_grow_to_the_target(programs, tmp_path):
    # A 20 ms target: one getpid takes far less, so the count must grow
    # past the first run's single iteration (how far is not the point).
    res = kbench("-t", "20", "getpid", scratch=tmp_path)
    m = LINE.fullmatch(res.stdout.splitlines()[0])
    assert m and int(m.group(3)) > 1, res.stdout


def test_a_benchmark_past_its_time_is_failed_and_the_rest_run(programs, tmp_path):
    # -w 0: no benchmark may take any time; gzip of 1 MiB certainly does.
    res = kbench("-q", "-w", "0", "gzip_1m", scratch=tmp_path)
    assert res.stdout.splitlines() == ["kbench gzip_1m failed timeout", "kbench-done 1 1"]


def test_uptime_line(programs, tmp_path):
    res = kbench("-u", scratch=tmp_path)
    assert re.fullmatch(r"kbench-uptime \d+\n", res.stdout)


def test_bad_option_is_an_error(programs, tmp_path):
    assert kbench("-z", scratch=tmp_path).returncode == 2


def test_tiny_exits_42(programs):
    assert subprocess.run([os.path.join(BIN, "tiny")]).returncode == 42


def test_job_script_is_valid_sh():
    subprocess.run(["/bin/busybox", "sh", "-n", os.path.join(ROOT, "tests", "bench", "bench.sh")],
                   check=True)


# ----------------------------------------------------------- the runner
KEVLAR_CONSOLE = """\
[    0.101234] bench: ring shim=345.20 direct=18.60 cycles/call calls=20000
kbench-hello\r
kbench-uptime 150000000
kbench getpid 3500.0 70000
kbench signal_delivery unsupported kill: Function not implemented
kbench-done 2 1
[    1.2] kevlar: init exited with status 0
""".splitlines()


def test_parse_console():
    values, missing = bench.parse_console(KEVLAR_CONSOLE)
    assert values == {"ring_shim": 345.2, "ring_direct": 18.6, "boot_guest": 150e6,
                      "getpid": 3500.0, "signal_delivery": None}
    assert missing == {"signal_delivery": "unsupported: kill: Function not implemented"}


def run_of(values, missing=None):
    return {"values": values, "missing": missing or {}, "finished": True}


def made_up():
    runs = {
        "balanced": [run_of({"getpid": 30.0, "fork": 100.0, "ring_shim": 300.0}),
                     run_of({"getpid": 10.0, "fork": 300.0, "ring_shim": 500.0}),
                     run_of({"getpid": 20.0, "fork": 200.0, "ring_shim": 400.0,
                             "sig": None}, {"sig": "unsupported: no"})],
        "linux": [run_of({"getpid": 10.0, "fork": 800.0, "sig": 5.0})] * 3,
    }
    results, notes = bench.summarize(runs, ["balanced", "linux"])
    return {"kernels": ["balanced", "linux"], "unit": "ns", "results": results,
            "notes": notes, "rows": list(results), "runs": runs}


def test_medians_ratios_and_geomean():
    data = made_up()
    assert data["results"]["getpid"] == {"balanced": 20.0, "linux": 10.0}
    assert data["results"]["fork"]["balanced"] == 200.0
    assert data["results"]["sig"] == {"balanced": None, "linux": 5.0}
    assert data["notes"]["sig"] == {"balanced": "unsupported: no"}
    text = bench.table(data)
    rows = {line.split("|")[1].strip(): [c.strip() for c in line.split("|")[2:-1]]
            for line in text.splitlines()[2:]}
    assert rows["getpid"] == ["20 ns", "10 ns", "2.00"]
    assert rows["fork"] == ["200 ns", "800 ns", "0.25"]
    assert rows["sig"] == ["-", "5 ns", "-"]
    assert rows["ring_shim (cycles)"] == ["400.0", "-", "-"]
    # sqrt(2.00 * 0.25): the ring row and the missing figure stay out of it.
    assert rows["geomean (suite)"] == ["", "", "0.71"]


def test_spread_is_the_noise_between_boots():
    data = made_up()
    noise = bench.spread(data)
    # getpid 10..30 around 20: 100%; fork 100..300 around 200: 100%.
    assert noise["balanced"] == (1.0, 1.0, "getpid")
    # Linux's three boots agree exactly; the ring row is left out.
    assert noise["linux"][0] == 0.0 and noise["linux"][1] == 0.0
    text = bench.describe_spread(data)
    assert "balanced     median 100.0%, largest 100.0% (getpid)" in text
    data["runs"]["balanced"] = data["runs"]["balanced"][:1]
    assert "balanced" not in bench.spread(data)


def test_compare():
    a = made_up()
    b = made_up()
    b["results"]["getpid"]["balanced"] = 10.0
    text = bench.compare(a, b)
    rows = {line.split("|")[1].strip(): [c.strip() for c in line.split("|")[2:-1]]
            for line in text.splitlines()[2:]}
    assert rows["getpid"] == ["0.50", "1.00"]
    assert rows["fork"] == ["1.00", "1.00"]
    assert rows["geomean (suite)"] == ["0.71", "1.00"]


def test_quantities():
    assert bench.fmt_quantity(None, "ns") == "-"
    assert bench.fmt_quantity(1534.0, "ns") == "1.53 us"
    assert bench.fmt_quantity(2.5e9, "ns") == "2.5 s"
    assert bench.fmt_quantity(4200.0, "insns") == "4.2k"
