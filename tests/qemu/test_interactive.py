"""An interactive BusyBox session on `make run`'s serial console, driven
like a person at a terminal: line editing, a pipeline, ^C interrupting a
foreground job, a background job listed by `jobs` and killed with
`kill %1`, ^Z stopping a job and `fg` resuming it, history, `ps` listing
the shell, /proc/meminfo, and `exit` powering the machine off with the
shell's status.
"""
import time

import pexpect
import pytest

from kevlar_qemu import PROFILES, make_command, userspace_enabled

pytestmark = pytest.mark.skipif(not userspace_enabled(),
                                reason="needs user space in Kevlar: KEVLAR_USERSPACE_TESTS=1")

PROMPT = r"/ # "
CTRL_C = "\x03"
CTRL_Z = "\x1a"
ERASE = "\x7f"


class Session:
    def __init__(self, profile):
        cmd = make_command() + ["-s", "run", f"PROFILE={profile}"]
        self.child = pexpect.spawn(cmd[0], cmd[1:], encoding="utf-8",
                                   codec_errors="replace", timeout=120)
        self.child.expect(PROMPT)

    def type(self, text):
        """Sends keys one by one, as typing does (the console is a serial
        line: a burst could outrun its input)."""
        for ch in text:
            self.child.send(ch)
            time.sleep(0.01)

    def run(self, line, expect, timeout=60):
        self.type(line + "\r")
        self.child.expect(expect, timeout=timeout)
        self.child.expect(PROMPT, timeout=timeout)

    def close(self):
        self.child.close(force=True)


@pytest.fixture(params=PROFILES)
def session(request):
    s = Session(request.param)
    yield s
    s.close()


def test_interactive_session(session):
    c = session.child

    # Line editing: a typo erased and retyped.
    session.type("echo helll")
    session.type(ERASE)
    session.type("o, world\r")
    c.expect("hello, world")
    c.expect(PROMPT)

    session.run("echo one two three | wc -w", r"\n3\r")
    session.run("X=41; echo $((X + 1))", r"\n42\r")

    # ^C interrupts the foreground job and the prompt comes back.
    session.type("sleep 100\r")
    time.sleep(1.5)
    started = time.monotonic()
    c.send(CTRL_C)
    c.expect(PROMPT, timeout=30)
    assert time.monotonic() - started < 30
    session.run("echo status $?", r"status 130")

    # A background job: listed, then killed.
    session.run("sleep 100 &", r"")
    session.run("jobs", r"\[1\]\+\s+Running\s+sleep 100")
    session.run("kill %1", r"")
    session.run("jobs", r"Terminated\s+sleep 100")

    # ^Z stops the foreground job; fg brings it back to finish.
    session.type("sleep 3\r")
    time.sleep(1)
    c.send(CTRL_Z)
    c.expect(r"Stopped\s+sleep 3")
    c.expect(PROMPT)
    session.run("jobs", r"\[1\]\+\s+Stopped\s+sleep 3")
    session.type("fg\r")
    c.expect("sleep 3")
    c.expect(PROMPT, timeout=60)
    session.run("echo fg status $?", r"fg status 0")

    # History: the up arrow brings back the last command. An escape
    # sequence goes in one write, as a terminal sends it (ash waits only
    # briefly for the rest of a sequence).
    c.send("\x1b[A")
    time.sleep(0.5)
    session.type("\r")
    c.expect(r"fg status 0")
    c.expect(PROMPT)

    # /proc: ps lists the shell (with its pid), meminfo reads.
    session.run("echo shell=$$; ps", r"shell=(\d+)")
    session.type("ps -o pid,comm | grep -w $$\r")
    c.expect(r"\n\s*(\d+)\s+sh\r")
    c.expect(PROMPT)
    session.run("cat /proc/meminfo", r"MemTotal:\s+\d+ kB")

    session.type("exit 4\r")
    c.expect("kevlar: init exited with status 4")
    c.expect(pexpect.EOF)
