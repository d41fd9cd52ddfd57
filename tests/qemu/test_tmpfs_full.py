"""A full tmpfs, as Linux has it: a small size= mount stops dd with
"No space left on device", df shows the mount's real size and use, rm
gives the space back, remount changes the size; and a tmpfs holding
most of RAM cannot be reclaimed, so the OOM killer still takes the
largest process. One boot per profile with 256 MiB of RAM.

The exact system-call results are tests/user/tmpfs_size.c's, compared
with the host; this test is BusyBox's view, checked in Kevlar alone.
"""
import functools
import re

import pytest

from kevlar_qemu import GUEST_TESTS, PROFILES, run_job, userspace_enabled

pytestmark = pytest.mark.skipif(not userspace_enabled(),
                                reason="needs user space in Kevlar: KEVLAR_USERSPACE_TESTS=1")

SCRIPT = f"""\
mkdir -p /tmp/small /tmp/big
mount -t tmpfs -o size=256k small /tmp/small
echo "empty: $(df -k /tmp/small | tail -1)"
dd if=/dev/zero of=/tmp/small/f bs=4k 2>&1 | grep -o 'No space left on device'
echo "size: $(stat -c %s /tmp/small/f)"
echo "full: $(df -k /tmp/small | tail -1)"
rm /tmp/small/f
echo "freed: $(df -k /tmp/small | tail -1)"
mount -o remount,size=512k /tmp/small; echo "remount: $?"
echo "grown: $(df -k /tmp/small | tail -1)"
mount -t tmpfs -o size=90% big /tmp/big
dd if=/dev/zero of=/tmp/big/f bs=1M count=170 2>/dev/null; echo "big dd: $?"
{GUEST_TESTS}/helpers/memhog; echo "hog: $?"
echo "tmpfs kept: $(stat -c %s /tmp/big/f)"
"""


def df(out, label):
    m = re.search(rf"{label}: small\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)% /tmp/small", out)
    assert m, out
    return tuple(int(x) for x in m.groups())


@functools.lru_cache(maxsize=None)
def full_run(profile):
    return run_job(profile, SCRIPT, timeout=300, memory="256M")


@pytest.mark.parametrize("profile", PROFILES)
def test_dd_fills_a_small_tmpfs_and_rm_frees_it(profile):
    run = full_run(profile)
    out = run.output
    assert run.status == 0, out
    assert df(out, "empty") == (256, 0, 256, 0)
    assert "No space left on device" in out, out
    assert "size: 262144" in out, out
    assert df(out, "full") == (256, 256, 0, 100)
    assert df(out, "freed") == (256, 0, 256, 0)
    assert "remount: 0" in out, out
    assert df(out, "grown") == (512, 0, 512, 0)


@pytest.mark.parametrize("profile", PROFILES)
def test_tmpfs_holding_most_of_ram_leaves_the_killer_a_process(profile):
    out = full_run(profile).output
    assert "big dd: 0" in out, out
    assert "hog: 137" in out, out
    assert re.search(r"Out of memory: Killed process \d+ \(memhog\)", out), out
    assert "tmpfs kept: 178257920" in out, out
