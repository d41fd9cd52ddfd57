#!/usr/bin/python3
"""Benchmark Kevlar's profiles against Linux in the same QEMU.

  bench.py run [--profiles P,P] [--repeat N] [--bench NAME,NAME] [--icount]
               [--target-ms MS] [--linux VMLINUZ] [--out DIR] ...
  bench.py table FILE.json            print a saved run's table again
  bench.py compare A B                how run B differs from run A

`run` builds one initramfs (BusyBox, tests/bench/bench.sh as the job, the
kbench programs), boots it under each Kevlar profile (through GRUB, with
`bench=ring` on the command line) and under Debian's Linux kernel (-kernel
and -initrd), with the same QEMU -cpu, -m and -smp, `--repeat` times each,
and prints one table of medians: each benchmark, each kernel, and each
profile's ratio to Linux, with the geometric mean of the ratios last.

Figures are nanoseconds per operation measured in the guest with
CLOCK_MONOTONIC; with --icount QEMU counts instructions (-icount shift=0:
one nanosecond per instruction), so they are guest instructions and the
same from run to run. Boot time is the host's wall time from starting
QEMU to the first line of the job (Kevlar boots through SeaBIOS and GRUB
from a CD image, Linux straight from -kernel), and the guest's own clock
when the job starts. The ring rows are Kevlar's kernel-side `bench=ring`:
cycles of a null call through a generated Ring 1 to Ring 2 shim, and of a
plain direct call.

Each run is saved as JSON in --out (default build/bench/): `<rev>-<time>.json`
and `latest.json`. `compare` takes two such files, or a name prefix of
one in --out (a git revision).
"""
import argparse
import datetime
import glob
import json
import math
import os
import re
import selectors
import shutil
import statistics
import subprocess
import sys
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
PROFILES = ("fortress", "balanced", "performance", "ludicrous")
LINUX = "linux"

# What the guest prints (tests/bench/harness.c, bench.sh, core/bench/ring.c).
RESULT = re.compile(r"kbench (\S+) (\d+(?:\.\d+)?) (\d+)\s*$")
NO_RESULT = re.compile(r"kbench (\S+) (unsupported|failed) ?(.*?)\s*$")
HELLO = "kbench-hello"
UPTIME = re.compile(r"kbench-uptime (\d+)")
DONE = re.compile(r"kbench-done (\d+) (\d+)")
RING = re.compile(r"bench: ring shim=(\d+\.\d+) direct=(\d+\.\d+) cycles/call")

# Rows that are not benchmarks of the system-call suite: kept out of the
# geometric mean.
BOOT_ROWS = ("boot_wall", "boot_guest")
RING_ROWS = ("ring_shim", "ring_direct")


def say(msg):
    print(f"bench: {msg}", file=sys.stderr, flush=True)


# ------------------------------------------------------------ one boot
def parse_console(lines):
    """What one boot printed: {row: value} and {row: why it has none}, both
    in the order the guest printed them."""
    values, missing = {}, {}
    for line in lines:
        m = RESULT.search(line)
        if m:
            values[m.group(1)] = float(m.group(2))
            missing.pop(m.group(1), None)
            continue
        m = NO_RESULT.search(line)
        if m:
            missing[m.group(1)] = f"{m.group(2)}: {m.group(3)}".rstrip(": ")
            values[m.group(1)] = None
            continue
        m = UPTIME.search(line)
        if m:
            values["boot_guest"] = float(m.group(1))
            continue
        m = RING.search(line)
        if m:
            values["ring_shim"] = float(m.group(1))
            values["ring_direct"] = float(m.group(2))
    return values, missing


def boot(cmd, timeout, grace=15.0, log=None):
    """Runs QEMU until the job says it is done (then gives it 'grace'
    seconds to power off) or 'timeout' passes. Returns (lines, seconds
    from start to the job's first line or None, finished)."""
    start = time.monotonic()
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT)
    sel = selectors.DefaultSelector()
    sel.register(proc.stdout, selectors.EVENT_READ)
    lines, partial = [], b""
    hello_at, done_at = None, None
    try:
        while True:
            now = time.monotonic()
            deadline = start + timeout if done_at is None else done_at + grace
            if now >= deadline:
                break
            if not sel.select(deadline - now):
                continue
            chunk = os.read(proc.stdout.fileno(), 65536)
            if not chunk:
                break
            if log:
                log.write(chunk)
            parts = (partial + chunk).split(b"\n")
            partial = parts.pop()
            for raw in parts:
                line = raw.decode("utf-8", "replace").replace("\r", "")
                lines.append(line)
                if hello_at is None and HELLO in line:
                    hello_at = time.monotonic() - start
                if done_at is None and DONE.search(line):
                    done_at = time.monotonic()
    finally:
        sel.close()
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
    if partial:
        lines.append(partial.decode("utf-8", "replace").replace("\r", ""))
    return lines, hello_at, done_at is not None


# ----------------------------------------------------------- the image
def build_image(out_dir, programs, args_line):
    """The one initramfs every kernel boots: BusyBox, the job, kbench."""
    root = os.path.join(out_dir, "root")
    shutil.rmtree(root, ignore_errors=True)
    dest = os.path.join(root, "usr", "libexec", "kbench")
    os.makedirs(dest)
    for name in ("kbench", "tiny"):
        shutil.copy2(os.path.join(programs, name), dest)
    os.makedirs(os.path.join(root, "etc"))
    with open(os.path.join(root, "etc", "kbench.args"), "w") as f:
        f.write(args_line + "\n")
    cpio = os.path.join(out_dir, "initramfs.cpio")
    subprocess.run([sys.executable, os.path.join(ROOT, "tools", "mkinitramfs.py"),
                    "-o", cpio, "--init-script", os.path.join(ROOT, "tests", "bench", "bench.sh"),
                    "--extra", root], check=True)
    return cpio


def kevlar_iso(profile, cpio, out_dir):
    kernel = os.path.join(ROOT, "build", profile, "kernel.elf")
    if not os.path.exists(kernel):
        raise SystemExit(f"bench: {kernel} is missing: run `make PROFILE={profile} kernel`")
    iso = os.path.join(out_dir, f"{profile}.iso")
    subprocess.run([os.path.join(ROOT, "tools", "mkiso.sh"), "--initramfs", cpio,
                    kernel, iso, profile, "bench=ring"], check=True)
    return iso


def newest_linux():
    found = sorted(glob.glob("/boot/vmlinuz-*"), key=version_key)
    return found[-1] if found else None


def version_key(path):
    return [int(x) if x.isdigit() else x for x in re.split(r"(\d+)", path)]


def qemu_version(qemu):
    try:
        out = subprocess.run([qemu, "--version"], capture_output=True, text=True).stdout
    except OSError:
        return "unknown"
    return out.splitlines()[0].strip() if out else "unknown"


def host_cpu():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown"


def git_rev():
    try:
        rev = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"],
                             capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", ROOT, "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True).stdout.strip()
        return rev + ("-dirty" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


# ------------------------------------------------------------- results
def summarize(runs, kernels):
    """Medians over the repeats: {row: {kernel: median or None}}, and the
    reasons a kernel has no figure for a row: {row: {kernel: why}}."""
    rows = []
    for k in kernels:
        for run in runs.get(k, []):
            for row in run["values"]:
                if row not in rows:
                    rows.append(row)
    results, notes = {}, {}
    for row in rows:
        results[row], notes[row] = {}, {}
        for k in kernels:
            vals = [r["values"][row] for r in runs.get(k, [])
                    if r["values"].get(row) is not None]
            results[row][k] = statistics.median(vals) if vals else None
            whys = [r["missing"][row] for r in runs.get(k, []) if row in r["missing"]]
            if not vals and whys:
                notes[row][k] = whys[0]
    return results, notes


def ratio(a, b):
    return a / b if a is not None and b else None


def geomean(xs):
    xs = [x for x in xs if x is not None and x > 0]
    return math.exp(sum(math.log(x) for x in xs) / len(xs)) if xs else None


def fmt_quantity(v, unit):
    if v is None:
        return "-"
    if unit == "cycles":
        return f"{v:.1f}"
    if unit == "insns":
        for scale, suffix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
            if v >= scale:
                return f"{v / scale:.3g}{suffix}"
        return f"{v:.3g}"
    for scale, suffix in ((1e9, " s"), (1e6, " ms"), (1e3, " us")):
        if v >= scale:
            return f"{v / scale:.3g}{suffix}"
    return f"{v:.3g} ns"


def fmt_ratio(r):
    return "-" if r is None else f"{r:.2f}"


def row_order(results, order=None):
    """The suite's order (as the guest printed it), with boot time and the
    ring rows last."""
    order = [r for r in (order or []) if r in results] + \
        [r for r in results if r not in (order or [])]
    ordinary = [r for r in order if r not in BOOT_ROWS + RING_ROWS]
    return ordinary + [r for r in BOOT_ROWS + RING_ROWS if r in results]


def table(data):
    """The table as text: one row per benchmark, the kernels' medians, each
    profile's ratio to Linux, and the geometric means of those ratios."""
    kernels = data["kernels"]
    profiles = [k for k in kernels if k != LINUX]
    has_linux = LINUX in kernels
    unit = data["unit"]
    head = ["benchmark"] + kernels + ([f"{p[0]}/linux" for p in profiles] if has_linux else [])
    body = []
    for row in row_order(data["results"], data.get("rows")):
        vals = data["results"][row]
        u = "cycles" if row in RING_ROWS else ("ns" if row == "boot_wall" else unit)
        name = row + (" (cycles)" if row in RING_ROWS else "")
        cells = [name] + [fmt_quantity(vals.get(k), u) for k in kernels]
        if has_linux:
            cells += [fmt_ratio(ratio(vals.get(p), vals.get(LINUX))) for p in profiles]
        body.append(cells)
    if has_linux:
        means = ["geomean (suite)"] + [""] * len(kernels)
        for p in profiles:
            rs = [ratio(data["results"][r].get(p), data["results"][r].get(LINUX))
                  for r in data["results"] if r not in BOOT_ROWS + RING_ROWS]
            means.append(fmt_ratio(geomean(rs)))
        body.append(means)
    widths = [max(len(r[i]) for r in [head] + body) for i in range(len(head))]

    def line(cells):
        return "| " + " | ".join(c.ljust(w) if i == 0 else c.rjust(w)
                                 for i, (c, w) in enumerate(zip(cells, widths))) + " |"
    out = [line(head), "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    out += [line(r) for r in body]
    return "\n".join(out) + "\n"


def describe(data):
    return (f"{data['date']}  rev {data['rev']}  {data['qemu']}\n"
            f"host CPU: {data['host_cpu']}  QEMU: {' '.join(data['qemu_args'])}"
            f"{'  -icount shift=0 (figures in guest instructions)' if data['icount'] else ''}\n"
            f"median of {data['repeat']} boots per kernel; Linux: {data.get('linux_kernel')}\n")


def spread(data):
    """Run-to-run noise: for each kernel and benchmark, (max - min) / median
    over the boots. Returns {kernel: (median spread, largest spread, its
    benchmark)}, for kernels booted at least twice."""
    out = {}
    for k in data["kernels"]:
        runs = data.get("runs", {}).get(k, [])
        per_row = []
        for row in data["results"]:
            if row in BOOT_ROWS + RING_ROWS:
                continue
            vals = [r["values"][row] for r in runs if r["values"].get(row) is not None]
            if len(vals) >= 2 and statistics.median(vals) > 0:
                per_row.append(((max(vals) - min(vals)) / statistics.median(vals), row))
        if per_row:
            worst = max(per_row)
            out[k] = (statistics.median(x for x, _ in per_row), worst[0], worst[1])
    return out


def describe_spread(data):
    """One line per kernel: how far its boots disagree (the noise a ratio
    in the table carries)."""
    lines = []
    for k, (med, worst, row) in spread(data).items():
        lines.append(f"  {k:<12} median {med * 100:.1f}%, largest {worst * 100:.1f}% ({row})")
    if not lines:
        return ""
    return ("run-to-run spread over the boots, (max - min) / median per benchmark:\n"
            + "\n".join(lines) + "\n")


def unavailable(data):
    """Lines naming each figure missing and why."""
    out = []
    for row in row_order(data["results"], data.get("rows")):
        for k, why in sorted(data["notes"].get(row, {}).items()):
            out.append(f"  {row} on {k}: {why}")
    return out


# ---------------------------------------------------------------- run
def run(args):
    out_dir = os.path.abspath(args.out)
    os.makedirs(out_dir, exist_ok=True)
    kernels = [p for p in args.profiles.split(",") if p]
    for p in kernels:
        if p not in PROFILES:
            raise SystemExit(f"bench: unknown profile '{p}' (have: {', '.join(PROFILES)})")
    linux = None
    if not args.no_linux:
        linux = args.linux or newest_linux()
        if not linux or not os.path.exists(linux):
            raise SystemExit("bench: no Linux kernel in /boot: install linux-image-amd64 "
                             "(make deps does, as root)")
        kernels.append(LINUX)

    names = [b for b in (args.bench or "").split(",") if b]
    known = subprocess.run([os.path.join(args.programs, "kbench"), "-l"], capture_output=True,
                           text=True, check=True).stdout.split()
    unknown = [b for b in names if b not in known]
    if unknown:
        raise SystemExit(f"bench: no benchmark named {', '.join(unknown)} "
                         f"(have: {' '.join(known)})")
    guest_args = (["-q"] if args.quick else []) + \
        (["-t", str(args.target_ms)] if args.target_ms else []) + names
    cpio = build_image(out_dir, args.programs, " ".join(guest_args))

    base = ["-serial", "stdio", "-display", "none", "-no-reboot",
            "-m", args.memory, "-smp", str(args.smp), "-cpu", args.cpu]
    if args.icount:
        base += ["-icount", "shift=0,sleep=off"]
    commands = {}
    for k in kernels:
        if k == LINUX:
            append = "console=ttyS0 quiet panic=-1"
            commands[k] = [args.qemu, "-kernel", linux, "-initrd", cpio,
                           "-append", append] + base
        else:
            commands[k] = [args.qemu, "-cdrom", kevlar_iso(k, cpio, out_dir)] + base

    runs = {k: [] for k in kernels}
    logs = os.path.join(out_dir, "logs")
    os.makedirs(logs, exist_ok=True)
    for rep in range(args.repeat):
        for k in kernels:
            say(f"boot {rep + 1}/{args.repeat}: {k}")
            with open(os.path.join(logs, f"{k}.{rep + 1}.log"), "wb") as log:
                lines, hello, finished = boot(commands[k], args.timeout, log=log)
            values, missing = parse_console(lines)
            if hello is not None:
                values["boot_wall"] = hello * 1e9
            if not finished:
                say(f"{k}: the suite did not finish (see {log.name})")
            runs[k].append({"values": values, "missing": missing, "finished": finished})

    results, notes = summarize(runs, kernels)
    data = {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "rev": git_rev(), "qemu": qemu_version(args.qemu), "host_cpu": host_cpu(),
        "qemu_args": base, "icount": args.icount, "repeat": args.repeat,
        "unit": "insns" if args.icount else "ns", "linux_kernel": linux,
        "kernels": kernels, "benchmarks": names, "runs": runs,
        "results": results, "notes": notes, "rows": list(results),
    }
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    path = os.path.join(out_dir, f"{data['rev']}-{stamp}.json")
    for p in (path, os.path.join(out_dir, "latest.json")):
        with open(p, "w") as f:
            json.dump(data, f, indent=1, sort_keys=True)
            f.write("\n")
    sys.stdout.write(describe(data) + "\n" + table(data))
    noise = describe_spread(data)
    if noise:
        sys.stdout.write("\n" + noise)
    gaps = unavailable(data)
    if gaps:
        print("\nno figure (shown as -):")
        print("\n".join(gaps))
    print(f"\nsaved: {os.path.relpath(path)}")
    finished_all = all(r["finished"] for rs in runs.values() for r in rs)
    return 0 if finished_all or args.allow_unfinished else 1


# ------------------------------------------------------------ compare
def load(spec, out_dir):
    if os.path.isfile(spec):
        path = spec
    else:
        found = sorted(glob.glob(os.path.join(out_dir, f"{spec}*.json")), key=os.path.getmtime)
        if not found:
            raise SystemExit(f"bench: no saved run '{spec}' (a file, or a prefix in {out_dir})")
        path = found[-1]
    with open(path) as f:
        return path, json.load(f)


def compare(a, b):
    """B's medians over A's, per benchmark and kernel (below 1: B is faster)."""
    kernels = [k for k in a["kernels"] if k in b["kernels"]]
    head = ["benchmark"] + [f"{k} B/A" for k in kernels]
    body = []
    rows = [r for r in row_order(a["results"], a.get("rows")) if r in b["results"]]
    for row in rows:
        body.append([row] + [fmt_ratio(ratio(b["results"][row].get(k), a["results"][row].get(k)))
                             for k in kernels])
    means = ["geomean (suite)"]
    for k in kernels:
        means.append(fmt_ratio(geomean([ratio(b["results"][r].get(k), a["results"][r].get(k))
                                        for r in rows if r not in BOOT_ROWS + RING_ROWS])))
    body.append(means)
    widths = [max(len(r[i]) for r in [head] + body) for i in range(len(head))]

    def line(cells):
        return "| " + " | ".join(c.ljust(w) if i == 0 else c.rjust(w)
                                 for i, (c, w) in enumerate(zip(cells, widths))) + " |"
    out = [line(head), "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    return "\n".join(out + [line(r) for r in body]) + "\n"


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog=__doc__.split("\n\n", 1)[1])
    sub = ap.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("run", help="boot every kernel, run the suite, print the table")
    r.add_argument("--profiles", default=",".join(PROFILES))
    r.add_argument("--no-linux", action="store_true", help="Kevlar only")
    r.add_argument("--linux", help="the Linux kernel (default: the newest /boot/vmlinuz-*)")
    r.add_argument("--repeat", type=int, default=3, help="boots per kernel (median)")
    r.add_argument("--bench", help="only these benchmarks (comma-separated kbench names)")
    r.add_argument("--icount", action="store_true", help="QEMU -icount: guest instructions")
    r.add_argument("--target-ms", type=int, help="kbench -t: target time of one run")
    r.add_argument("--quick", action="store_true", help="kbench -q: check, do not measure")
    r.add_argument("--programs", default=os.path.join(ROOT, "build", "bench", "bin"),
                   help="where kbench and tiny are")
    r.add_argument("--out", default=os.path.join(ROOT, "build", "bench"))
    r.add_argument("--qemu", default="qemu-system-x86_64")
    r.add_argument("--memory", default="256M")
    r.add_argument("--smp", type=int, default=1)
    r.add_argument("--cpu", default="max")
    r.add_argument("--timeout", type=float, default=900, help="seconds per boot")
    r.add_argument("--allow-unfinished", action="store_true",
                   help="exit 0 even if a boot did not finish the suite")
    t = sub.add_parser("table", help="print a saved run's table")
    t.add_argument("file")
    c = sub.add_parser("compare", help="compare two saved runs")
    c.add_argument("a")
    c.add_argument("b")
    c.add_argument("--out", default=os.path.join(ROOT, "build", "bench"))
    args = ap.parse_args(argv)

    if args.cmd == "run":
        return run(args)
    if args.cmd == "table":
        _, data = load(args.file, os.path.join(ROOT, "build", "bench"))
        sys.stdout.write(describe(data) + "\n" + table(data))
        return 0
    pa, a = load(args.a, args.out)
    pb, b = load(args.b, args.out)
    print(f"A: {os.path.relpath(pa)} ({a['rev']}, {a['date']})")
    print(f"B: {os.path.relpath(pb)} ({b['rev']}, {b['date']})")
    if a["unit"] != b["unit"]:
        print(f"warning: A is in {a['unit']}, B in {b['unit']}")
    sys.stdout.write(compare(a, b))
    return 0


if __name__ == "__main__":
    sys.exit(main())
