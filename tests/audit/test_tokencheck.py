"""tools/tokencheck.py: the build's backstop for tokens, on small objects.

Each test compiles a few lines of C with gcc into an object and checks it
against a manifest written here, as the services rule does with
svc/<name>.o (the real kernel's services pass it on every build).
"""

import json
import os
import shutil
import subprocess
import sys

import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
TOOL = os.path.join(ROOT, "tools", "tokencheck.py")
sys.path.insert(0, os.path.join(ROOT, "tools"))
import tokencheck  # noqa: E402

pytestmark = pytest.mark.skipif(shutil.which("gcc") is None, reason="gcc is not installed")

MANIFEST = {
    "interfaces": [
        {"name": "svcmem", "guard": "Heap", "providers": [], "externs": [],
         "operations": [{"name": "alloc"}]},
        {"name": "fsstore", "guard": "FsStore", "providers": [], "externs": [],
         "operations": [{"name": "root"}]},
        {"name": "console", "guard": None, "providers": ["klog"], "externs": [],
         "operations": [{"name": "write"}]},
        {"name": "string", "guard": None, "providers": [], "externs": ["memcpy"],
         "operations": []},
        {"name": "frames", "guard": None, "providers": [], "externs": [],
         "operations": [{"name": "get"}]},
    ],
    "services": [{
        "name": "demo",
        "holds": ["Heap"],
        "may_call": [
            {"interface": "svcmem", "guard": "Heap", "operations": ["alloc"], "externs": []},
            {"interface": "console", "guard": None, "operations": ["write"], "externs": []},
            {"interface": "string", "guard": None, "operations": [], "externs": ["memcpy"]},
        ],
    }],
}


def build(tmp_path, name, calls, defines=""):
    src = tmp_path / f"{name}.c"
    protos = "".join(f"extern long {c}();\n" for c in calls)
    body = "".join(f"\tsum += {c}();\n" for c in calls)
    src.write_text(f"{protos}{defines}\nlong {name}(void)\n{{\n\tlong sum = 0;\n{body}\treturn sum;\n}}\n")
    obj = tmp_path / f"{name}.o"
    subprocess.run(["gcc", "-O2", "-c", str(src), "-o", str(obj)], check=True)
    return str(obj)


def run(tmp_path, *objs, service="demo"):
    man = tmp_path / "manifest.json"
    man.write_text(json.dumps(MANIFEST))
    return subprocess.run(["/usr/bin/python3", TOOL, "--manifest", str(man), "--service", service,
                           *objs], capture_output=True, text=True)


def test_allowed_calls_pass(tmp_path):
    obj = build(tmp_path, "ok", ["svcmem_alloc", "svcmem_alloc_impl", "klog_console_write",
                                 "memcpy", "svc_ops", "ring_enter"])
    r = run(tmp_path, obj)
    assert r.returncode == 0, r.stderr
    assert r.stderr == ""


@pytest.mark.parametrize("sym", ["fsstore_root", "fsstore_root_impl", "fsstore_root_dispatch"])
def test_a_guarded_call_not_held_fails(tmp_path, sym):
    r = run(tmp_path, build(tmp_path, "bad", [sym]))
    assert r.returncode == 1
    assert r.stderr == (f"services/demo: calls {sym} (interface fsstore, guarded by FsStore), "
                        "which it does not hold\n")


def test_an_interface_ring_2_may_not_call_fails(tmp_path):
    r = run(tmp_path, build(tmp_path, "bad", ["frames_get"]))
    assert r.returncode == 1
    assert "services/demo: calls frames_get (interface frames), which Ring 2 may not call" in r.stderr


def test_what_another_object_of_the_service_defines_is_not_a_call(tmp_path):
    """As ld -r into svc/<name>.o would resolve it."""
    caller = build(tmp_path, "caller", ["fsstore_root"])
    src = tmp_path / "own.c"
    src.write_text("long fsstore_root(void) { return 1; }\n")
    subprocess.run(["gcc", "-c", str(src), "-o", str(tmp_path / "own.o")], check=True)
    assert run(tmp_path, caller, str(tmp_path / "own.o")).returncode == 0


def test_unknown_service_is_an_error(tmp_path):
    r = run(tmp_path, build(tmp_path, "ok", ["memcpy"]), service="nobody")
    assert r.returncode == 1
    assert "services/nobody: no such service in the manifest" in r.stderr


def test_every_refusal_is_reported(tmp_path):
    errors = tokencheck.check(MANIFEST, "demo", ["fsstore_root", "frames_get", "memcpy"])
    assert len(errors) == 2


@pytest.mark.parametrize("profile", ["fortress", "balanced", "performance", "ludicrous"])
def test_the_built_services_pass(profile):
    """The kernel's own services, where a build of the profile exists."""
    man = os.path.join(ROOT, "gen", profile, "manifest.json")
    if not os.path.exists(man):
        pytest.skip(f"no gen/{profile}: make PROFILE={profile} first")
    with open(man) as f:
        services = [s["name"] for s in json.load(f)["services"]]
    for svc in services:
        if profile == "ludicrous":
            objdir = os.path.join(ROOT, "build", profile, "obj", "services", svc)
            objs = [os.path.join(objdir, o) for o in sorted(os.listdir(objdir))
                    if o.endswith(".o")] if os.path.isdir(objdir) else []
        else:
            obj = os.path.join(ROOT, "build", profile, "svc", f"{svc}.o")
            objs = [obj] if os.path.exists(obj) else []
        if not objs:
            pytest.skip(f"services/{svc} is not built in {profile}")
        r = subprocess.run(["/usr/bin/python3", TOOL, "--manifest", man, "--service", svc, *objs],
                           capture_output=True, text=True)
        assert r.returncode == 0, r.stderr
