"""Golden files: the fixture IDL's output, for every profile, byte for byte.

After a deliberate change to the generator or the fixture, regenerate with
    IDLC_UPDATE_GOLDEN=1 /usr/bin/python3 -m pytest tests/idl
and review the diff of tests/idl/golden/ like any other change.
"""

import difflib
import os
import shutil

import pytest

from idl_harness import FIXTURES, GOLDEN, PROFILES, run_idlc, snapshot

UPDATE = os.environ.get("IDLC_UPDATE_GOLDEN") == "1"
# (golden directory, extra idlc arguments)
VARIANTS = [(p, []) for p in PROFILES] + [("fortress-tests", ["--tests"]),
                                          ("ludicrous-tests", ["--tests"])]
# idlc.d names the output directory, which is a temporary one here.
NOT_GOLDEN = {"idlc.d"}


def generate(tmp_path, profile, extra):
    out = tmp_path / "gen"
    assert run_idlc(["--profile", profile, "--out", out] + extra + FIXTURES) == 0
    return {k: v for k, v in snapshot(out).items() if k not in NOT_GOLDEN}


@pytest.mark.parametrize("variant,extra", VARIANTS, ids=[v for v, _ in VARIANTS])
def test_golden(tmp_path, variant, extra):
    profile = variant.split("-")[0]
    got = generate(tmp_path, profile, extra)
    golden = os.path.join(GOLDEN, variant)
    if UPDATE:
        shutil.rmtree(golden, ignore_errors=True)
        for rel, data in got.items():
            path = os.path.join(golden, rel)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as f:
                f.write(data)
        return
    assert os.path.isdir(golden), f"no golden files for {variant}: run with IDLC_UPDATE_GOLDEN=1"
    want = snapshot(golden)
    assert sorted(got) == sorted(want), "the set of generated files changed"
    for rel in sorted(want):
        if got[rel] != want[rel]:
            diff = difflib.unified_diff(
                want[rel].decode().splitlines(), got[rel].decode().splitlines(),
                f"golden/{variant}/{rel}", f"generated/{rel}", lineterm="")
            pytest.fail("generated output differs from the golden file "
                        "(IDLC_UPDATE_GOLDEN=1 regenerates it):\n" + "\n".join(diff))


def test_every_template_is_used(tmp_path):
    """Each template is named after a file it emits."""
    from emit import TEMPLATES
    outputs = set()
    for profile in PROFILES:
        out = tmp_path / profile
        assert run_idlc(["--profile", profile, "--out", out, "--tests"] + FIXTURES) == 0
        outputs |= {os.path.basename(p) for p in snapshot(out)}
    stems = {"interface.h.j2": "blockdev.h", "abi.h.j2": "errno.h", "exports.txt.j2": "ring0-ring1.txt",
             "services.ld.j2": "services-data.ld"}
    for name in os.listdir(TEMPLATES):
        emitted = stems.get(name, name[:-len(".j2")])
        assert emitted in outputs, f"template {name} emits nothing"
