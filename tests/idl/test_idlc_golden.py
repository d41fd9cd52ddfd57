"""Golden files: the fixture IDL's output, for every profile, byte for byte.

A file every variant generates alike but for the profile named in its
header is kept once, in golden/common/ (with @PROFILE@ there); the files
that differ are kept per variant, in golden/<variant>/. After a
deliberate change to the generator or the fixture, regenerate with
    IDLC_UPDATE_GOLDEN=1 /usr/bin/python3 -m pytest tests/idl
and review the diff of tests/idl/golden/ like any other change.
"""

import difflib
import functools
import os
import shutil
import tempfile

import pytest

from idl_harness import FIXTURES, GOLDEN, PROFILES, run_idlc, snapshot

UPDATE = os.environ.get("IDLC_UPDATE_GOLDEN") == "1"
# (golden directory, extra idlc arguments)
VARIANTS = [(p, []) for p in PROFILES] + [("fortress-tests", ["--tests"]),
                                          ("ludicrous-tests", ["--tests"])]
COMMON = "common"
# idlc.d names the output directory, which is a temporary one here.
NOT_GOLDEN = {"idlc.d"}


def generate(out, profile, extra):
    assert run_idlc(["--profile", profile, "--out", out] + extra + FIXTURES) == 0
    return {k: v for k, v in snapshot(out).items() if k not in NOT_GOLDEN}


@functools.lru_cache(maxsize=None)
def generated():
    """Every variant's output: {variant: {path: bytes}}."""
    with tempfile.TemporaryDirectory() as tmp:
        return {v: generate(os.path.join(tmp, v), v.split("-")[0], extra) for v, extra in VARIANTS}


PLACEHOLDER = b"@PROFILE@"


def profile_of(variant):
    return variant.split("-")[0]


def neutral(variant, data):
    """The file with its header's profile name as the placeholder."""
    return data.replace(b" * Profile: " + profile_of(variant).encode() + b".",
                        b" * Profile: " + PLACEHOLDER + b".", 1)


def specific(variant, data):
    return data.replace(b" * Profile: " + PLACEHOLDER + b".",
                        b" * Profile: " + profile_of(variant).encode() + b".", 1)


def split_common(outputs):
    """The files every variant generates alike (but for the profile in the
    header), with the placeholder, and each variant's others."""
    first_variant, first = next(iter(outputs.items()))
    common = {}
    for rel, data in first.items():
        shape = neutral(first_variant, data)
        if all(rel in out and neutral(v, out[rel]) == shape for v, out in outputs.items()):
            common[rel] = shape
    own = {v: {rel: data for rel, data in out.items() if rel not in common}
           for v, out in outputs.items()}
    return common, own


def write_tree(path, files):
    shutil.rmtree(path, ignore_errors=True)
    for rel, data in files.items():
        dst = os.path.join(path, rel)
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        with open(dst, "wb") as f:
            f.write(data)


@pytest.fixture(scope="module")
def golden():
    """What each variant must generate, from golden/common and its own."""
    if UPDATE:
        common, own = split_common(generated())
        write_tree(os.path.join(GOLDEN, COMMON), common)
        for v, files in own.items():
            write_tree(os.path.join(GOLDEN, v), files)
    common = snapshot(os.path.join(GOLDEN, COMMON))
    want = {}
    for v, _ in VARIANTS:
        path = os.path.join(GOLDEN, v)
        assert os.path.isdir(path), f"no golden files for {v}: run with IDLC_UPDATE_GOLDEN=1"
        own = snapshot(path)
        both = sorted(set(own) & set(common))
        assert not both, f"golden/{v} and golden/{COMMON} both hold {both}"
        want[v] = {**{rel: specific(v, data) for rel, data in common.items()}, **own}
    return want


@pytest.mark.parametrize("variant", [v for v, _ in VARIANTS])
def test_golden(golden, variant):
    got = generated()[variant]
    want = golden[variant]
    assert sorted(got) == sorted(want), "the set of generated files changed"
    for rel in sorted(want):
        if got[rel] != want[rel]:
            where = variant if os.path.exists(os.path.join(GOLDEN, variant, rel)) else COMMON
            diff = difflib.unified_diff(
                want[rel].decode().splitlines(), got[rel].decode().splitlines(),
                f"golden/{where}/{rel}", f"generated/{variant}/{rel}", lineterm="")
            pytest.fail("generated output differs from the golden file "
                        "(IDLC_UPDATE_GOLDEN=1 regenerates it):\n" + "\n".join(diff))


def test_common_files_are_only_the_shared_ones(golden):
    """A file kept per variant really differs somewhere: otherwise it
    belongs in golden/common once."""
    common, _ = split_common(generated())
    for v, _ in VARIANTS:
        for rel in snapshot(os.path.join(GOLDEN, v)):
            assert rel not in common, f"golden/{v}/{rel} is the same in every variant"


def test_split_common():
    common, own = split_common({
        "balanced": {"x": b" * Profile: balanced.\n1", "y": b"2"},
        "fortress-tests": {"x": b" * Profile: fortress.\n1", "y": b"3"}})
    assert common == {"x": b" * Profile: @PROFILE@.\n1"}
    assert own == {"balanced": {"y": b"2"}, "fortress-tests": {"y": b"3"}}
    assert specific("ludicrous-tests", common["x"]) == b" * Profile: ludicrous.\n1"


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
