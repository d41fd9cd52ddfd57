"""/proc: the procfs service.

- ktest=procfs-restart: procfs faults in the middle of lookups; in fortress
  and balanced each caller gets -EIO, procfs restarts, /proc reads again;
- with user space (KEVLAR_USERSPACE_TESTS=1): a BusyBox script reads its
  own /proc files and runs ps, top, free, uptime, mount and df, in every
  profile; what it prints is checked against what the script knows ($$,
  its cwd, the QEMU memory size) and against the applets' shapes on Linux.
  tests/user/procfs.c is run by test_user.py with the other user tests.
"""
import re

import pytest

from kevlar_qemu import (BANNER, POWER_OFF, PROFILES, REBOOT, boot, run_job, user_lines,
                         userspace_enabled)

MEMORY_MIB = 192

SCRIPT = r"""
echo "pid=$$"
read -r stat < /proc/self/stat
echo "selfstat=$stat"
read -r stat < /proc/$$/stat
echo "pidstat=$stat"
echo "exe=$(readlink /proc/$$/exe)"
cd /tmp && echo "cwd=$(readlink /proc/$$/cwd)" && cd /
echo "cwd_after=$(readlink /proc/$$/cwd)"
read -r comm < /proc/$$/comm
echo "comm=$comm"
echo "cmdline=$(tr '\0' ' ' < /proc/$$/cmdline)"
echo "home=$(tr '\0' '\n' < /proc/$$/environ | grep '^HOME=')"
echo "statusline=$(grep '^Pid:' /proc/$$/status)"
echo "ppidline=$(grep '^PPid:' /proc/$$/status)"
echo "stack=$(grep -c '\[stack\]$' /proc/$$/maps)"
echo "binary=$(grep -c ' /bin/busybox$' /proc/$$/maps)"
echo "memtotal=$(awk '/^MemTotal:/ {print $2}' /proc/meminfo)"
echo "fds=$(ls /proc/$$/fd | sort -n | tr '\n' ' ')"
exec 7</proc/uptime
echo "fd7=$(readlink /proc/$$/fd/7)"
exec 7<&-
echo "root_has_pid=$(ls /proc | grep -cx "$$")"
echo "badpid=$(cat /proc/99999/stat 2>&1)"
echo "write=$( (echo x > /proc/self/stat) 2>&1)"
echo "touch=$(touch /proc/kevlar-new 2>&1)"
echo "rm=$(rm -f /proc/uptime 2>&1)"
mkdir -p /tmp/proc2 && mount -t proc proc /tmp/proc2
echo "mounted=$(cat /tmp/proc2/$$/comm)"
echo "=== ps"
ps
echo "=== top"
top -n 1 -b
echo "=== free"
free
echo "=== uptime"
uptime
echo "=== mount"
mount
echo "=== df"
df
echo "=== end"
"""


def values(lines):
    out = {}
    for line in lines:
        if "=" in line and not line.startswith("==="):
            key, _, val = line.partition("=")
            out.setdefault(key, val)
    return out


def section(lines, name):
    start = lines.index(f"=== {name}") + 1
    end = next(i for i in range(start, len(lines)) if lines[i].startswith("=== "))
    return lines[start:end]


@pytest.mark.parametrize("profile", ["fortress", "balanced"])
def test_procfs_restarts_after_a_fault(profile):
    run = boot(profile, "ktest=procfs-restart", ktest=True, timeout=120)
    assert run.search(BANNER), run.output
    for what in ("lookup (panic)", "lookup (page fault)"):
        assert f"procfs-restart: {what}: -EIO, procfs restarted" in run, run.output
    assert len(re.findall(r"svc: procfs failed: ", run.output)) == 2
    assert "svc: procfs restarted (epoch 3)" in run
    assert re.search(r"procfs-restart: \d+ checks, 0 failed", run.output), run.output
    assert "ktest: passed" in run and POWER_OFF in run
    assert REBOOT not in run and "Kernel panic" not in run


@pytest.mark.parametrize("profile", PROFILES)
def test_proc_costs_what_it_prints(profile):
    """ktest=proc-cost: the pid table's steps for each /proc file, with the
    tasks of boot and with 400 more: the same for the machine's files and
    for one process's, a few per task for the listing."""
    run = boot(profile, "ktest=proc-cost", ktest=True, timeout=180)
    assert run.search(BANNER), run.output
    costs = re.findall(r"proc-cost: (\d+) tasks: .* listing (\d+) steps", run.output)
    assert len(costs) == 2 and int(costs[1][0]) >= int(costs[0][0]) + 400, run.output
    assert re.search(r"proc-cost: \d+ checks, 0 failed", run.output), run.output
    assert "ktest: passed" in run and POWER_OFF in run, run.output


@pytest.mark.skipif(not userspace_enabled(),
                    reason="needs user space in Kevlar: KEVLAR_USERSPACE_TESTS=1")
@pytest.mark.parametrize("profile", PROFILES)
def test_busybox_reads_proc(profile):
    run = run_job(profile, SCRIPT, tests=False, memory=f"{MEMORY_MIB}M", timeout=300)
    assert run.status == 0, run.output
    lines = user_lines(run.output)
    v = values(lines)
    pid = v["pid"]

    # The shell's own files, read by the shell itself (read is a builtin).
    stat = v["selfstat"].split()
    assert stat[0] == pid and stat[1] == "(sh)" and stat[2] == "R", v["selfstat"]
    assert len(stat) == 52
    assert v["pidstat"].split()[0] == pid
    assert v["exe"] == "/bin/busybox"
    assert v["cwd"] == "/tmp" and v["cwd_after"] == "/"
    assert v["comm"] == "sh"
    assert v["cmdline"] == "/bin/sh /script "
    assert v["home"] == "HOME=/root"
    assert v["statusline"] == f"Pid:\t{pid}"
    assert v["ppidline"] == f"PPid:\t{stat[3]}"
    assert v["stack"] == "1" and int(v["binary"]) >= 2
    memtotal = int(v["memtotal"])
    assert MEMORY_MIB * 1024 * 0.9 <= memtotal <= MEMORY_MIB * 1024, memtotal
    assert v["fds"].split()[:3] == ["0", "1", "2"]
    assert v["fd7"] == "/proc/uptime"
    assert v["root_has_pid"] == "1"
    assert v["badpid"] == "cat: can't open '/proc/99999/stat': No such file or directory"
    assert v["write"].endswith("/proc/self/stat: Permission denied"), v["write"]
    assert v["touch"] == "touch: /proc/kevlar-new: No such file or directory"
    assert v["rm"] == "rm: can't remove '/proc/uptime': Operation not permitted"
    assert v["mounted"] == "sh"

    ps = section(lines, "ps")
    assert ps[0].split() == ["PID", "USER", "COMMAND"]
    assert any(re.fullmatch(rf"\s*{pid} root\s+/bin/sh /script", l) for l in ps), ps
    assert any(re.fullmatch(r"\s*1 root\s+\{init\} /bin/sh /init", l) for l in ps), ps

    top = section(lines, "top")
    assert re.fullmatch(r"Mem: \d+K used, \d+K free, \d+K shrd, 0K buff, \d+K cached", top[0])
    assert re.fullmatch(r"CPU:\s+\d+% usr\s+\d+% sys .* idle .*", top[1]), top
    assert re.fullmatch(r"Load average: \d+\.\d\d \d+\.\d\d \d+\.\d\d \d+/\d+ \d+", top[2])
    assert top[3].split() == ["PID", "PPID", "USER", "STAT", "VSZ", "%VSZ", "%CPU", "COMMAND"]
    assert any(re.match(rf"\s*{pid}\s+1 root\s+S\s+\d+", l) for l in top), top

    free = section(lines, "free")
    assert free[0].split() == ["total", "used", "free", "shared", "buff/cache", "available"]
    assert free[1].split()[0] == "Mem:" and int(free[1].split()[1]) == memtotal
    assert free[-1].split() == ["Swap:", "0", "0", "0"]

    uptime = section(lines, "uptime")
    assert re.fullmatch(r" \d\d:\d\d:\d\d up\s+\d+ min,\s+0 users,\s+load average: "
                        r"\d+\.\d\d, \d+\.\d\d, \d+\.\d\d", uptime[0]), uptime

    mount = section(lines, "mount")
    assert "proc on /proc type proc (rw)" in mount
    assert "devtmpfs on /dev type devtmpfs (rw)" in mount
    assert "proc on /tmp/proc2 type proc (rw)" in mount

    df = section(lines, "df")
    assert df[0].split() == ["Filesystem", "1K-blocks", "Used", "Available", "Use%",
                             "Mounted", "on"]
    assert any(l.split()[0] == "devtmpfs" and l.split()[-1] == "/dev" for l in df[1:]), df
    assert not any("proc" in l for l in df), df   # no blocks: df leaves it out, as on Linux
    assert "error" not in "\n".join(lines).lower()
