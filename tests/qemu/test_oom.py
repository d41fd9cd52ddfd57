"""Running out of memory, as Linux handles it: the OOM killer kills the
process with the most memory by SIGKILL (the shell sees 137), says so in
Linux's form, and everything else goes on; /proc/<pid>/oom_score ranks
the processes as the killer does. One boot per profile with
256 MiB of RAM, driving tests/user/helpers/memhog.

The host is no reference here (its RAM is another size), so the test
checks Kevlar's console itself.
"""
import functools
import re

import pytest

from kevlar_qemu import GUEST_TESTS, PROFILES, run_job, userspace_enabled

pytestmark = pytest.mark.skipif(not userspace_enabled(),
                                reason="needs user space in Kevlar: KEVLAR_USERSPACE_TESTS=1")

HOG = f"{GUEST_TESTS}/helpers/memhog"

# The hog in the foreground, again in the background, then one that holds
# 150 MiB and waits while another takes 100 MiB: the holder is the larger,
# so it is killed although the taker is the one that ran out.
SCRIPT = f"""\
{HOG}; echo "foreground: $?"
{HOG} & hog=$!; wait $hog; echo "background $hog: $?"
{HOG} 150 hold > /tmp/holder.out & holder=$!
while ! grep -q holding /tmp/holder.out; do sleep 0.1; done
echo "scores: holder $(cat /proc/$holder/oom_score) self $(cat /proc/self/oom_score)" \
     "init $(cat /proc/1/oom_score)"
{HOG} 100; echo "taker: $?"
wait $holder; echo "holder $holder: $?"
echo "shell still runs: $(echo ok)"
"""

KILLED = re.compile(r"Out of memory: Killed process (\d+) \((\S+)\) total-vm:\d+kB, "
                    r"anon-rss:(\d+)kB, file-rss:\d+kB, shmem-rss:\d+kB, UID:0")


@functools.lru_cache(maxsize=None)
def oom_run(profile):
    return run_job(profile, SCRIPT, timeout=300, memory="256M")


@pytest.mark.parametrize("profile", PROFILES)
def test_the_hog_is_killed_and_the_shell_goes_on(profile):
    run = oom_run(profile)
    out = run.output
    assert run.status == 0, out
    assert "foreground: 137" in out, out
    bg = re.search(r"background (\d+): 137", out)
    assert bg, out
    kills = KILLED.findall(out)
    assert len(kills) == 3, out
    assert all(name == "memhog" for _, name, _ in kills), out
    # Most of the 256 MiB was the hog's when it went.
    assert int(kills[0][2]) > 150 * 1024, out
    assert kills[1][0] == bg.group(1), out
    assert "shell still runs: ok" in out, out
    assert "kevlar: init exited with status 0" in out, out


@pytest.mark.parametrize("profile", PROFILES)
def test_the_largest_process_is_chosen_not_the_one_that_ran_out(profile):
    out = oom_run(profile).output
    holder = re.search(r"holder (\d+): (\d+)", out)
    assert holder and holder.group(2) == "137", out
    assert "taker: 0" in out, out
    assert KILLED.findall(out)[2][0] == holder.group(1), out


@pytest.mark.parametrize("profile", PROFILES)
def test_oom_score_ranks_the_holder_first_and_spares_init(profile):
    """Linux's scale: (1000 + badness * 1000 / RAM pages) * 2 / 3; 150 MiB
    of 256 MiB is above 1000, a small process near 666, init 0."""
    out = oom_run(profile).output
    scores = re.search(r"scores: holder (\d+) self (\d+) init (\d+)", out)
    assert scores, out
    holder, small, init = (int(x) for x in scores.groups())
    assert 1000 < holder < 1333, out
    assert 666 <= small < holder, out
    assert init == 0, out
