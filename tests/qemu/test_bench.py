"""make bench's machinery on Kevlar, once, as a check and not a
measurement: every profile boots the benchmark image in quick mode
(tools/bench.py run --quick --no-linux) and every benchmark either gives a
figure or says why it is unsupported; none fails. bench=ring prints its
line in every profile. No figure is compared with anything."""
import json
import os
import subprocess
import sys

import pytest

from kevlar_qemu import PROFILES, ROOT, make_command


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory):
    subprocess.run(make_command() + ["-s", "bench-programs"], check=True)
    out = tmp_path_factory.mktemp("bench")
    res = subprocess.run([sys.executable, os.path.join(ROOT, "tools", "bench.py"), "run",
                          "--quick", "--no-linux", "--repeat", "1", "--timeout", "300",
                          "--out", str(out)], capture_output=True, text=True)
    assert res.returncode == 0, res.stdout + res.stderr
    with open(out / "latest.json") as f:
        return json.load(f), res.stdout


def test_every_profile_finishes_the_suite(quick_run):
    data, _ = quick_run
    assert data["kernels"] == list(PROFILES)
    for p in PROFILES:
        assert [r["finished"] for r in data["runs"][p]] == [True]


def test_no_benchmark_fails(quick_run):
    data, table = quick_run
    failed = {(row, k): why for row, by in data["notes"].items() for k, why in by.items()
              if not why.startswith("unsupported")}
    assert not failed, table
    listing = subprocess.run([os.path.join(ROOT, "build", "bench", "bin", "kbench"), "-l"],
                             capture_output=True, text=True, check=True).stdout.split()
    for p in PROFILES:
        for name in listing:
            assert data["results"][name][p] is not None or name in data["notes"], (name, p)


def test_ring_crossing_is_measured_in_every_profile(quick_run):
    data, _ = quick_run
    for p in PROFILES:
        assert data["results"]["ring_direct"][p] > 0
        assert data["results"]["ring_shim"][p] >= 0
    assert data["results"]["boot_wall"]["balanced"] > 0
