"""`make dev`'s supervisor with real child processes: a dead one is restarted with growing back-off, the others
are left alone, and nothing a child does ends the supervisor (issue 33 item 8)."""

from __future__ import annotations

import functools
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from embedded import services
from embedded.services import Started
from embedded.supervisor import Supervisor, describe_exit

EXITS_3 = [sys.executable, "-c", "import sys; sys.exit(3)"]
SLEEPS = [sys.executable, "-c", "import time; time.sleep(600)"]
CEILING = 60.0  # seconds: a generous bound for a fault test, never a performance figure


def wait_for(check: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + CEILING
    while not check():
        assert time.monotonic() < deadline, f"not within {CEILING:g} s: {what}"
        time.sleep(0.05)


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    status = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] if Path(f"/proc/{pid}").exists() else "X"
    return status != "Z"


@pytest.fixture
def running():
    """A supervisor running in a thread, as `make dev`'s main loop runs it; stopped and cleaned after the test."""
    started, stop, lines = Started(), threading.Event(), []

    def start(**backoff: float) -> tuple[Supervisor, list[str], threading.Thread]:
        supervisor = Supervisor(started, log=lines.append, **backoff)
        thread = threading.Thread(target=supervisor.run, args=(stop, 0.02), daemon=True)
        return supervisor, lines, thread

    start.stop = stop  # the event `make dev` sets on Ctrl-C
    yield start
    stop.set()
    started.stop(timeout=5)


def delays(lines) -> list[str]:
    """The back-off each logged exit announced."""
    return [line.split("restarting it in ")[1].split(" s")[0] for line in lines]


def spawn(args: list[str]) -> Callable:
    return functools.partial(services.spawn, args)


def test_a_child_that_keeps_exiting_is_restarted_with_growing_back_off_and_the_others_are_untouched(running):
    supervisor, lines, thread = running(first=0.1, ceiling=0.4, healthy_after=60)
    sleeper = supervisor.add("sleeper", spawn(SLEEPS))
    supervisor.add("crasher", spawn(EXITS_3))
    thread.start()
    crasher = supervisor.children[1]
    wait_for(lambda: crasher.restarts >= 4, "four restarts of the crasher")
    exits = [line for line in lines if "crasher" in line and "exited" in line]
    assert len(exits) >= 4 and all("exited (code 3)" in line for line in exits)
    assert delays(exits)[:4] == ["0.1", "0.2", "0.4", "0.4"]  # doubles up to the ceiling
    assert thread.is_alive()  # the supervisor never gives up on the stack
    assert supervisor.children[0].proc is sleeper and sleeper.poll() is None and supervisor.children[0].restarts == 0
    assert not any("sleeper" in line for line in lines)
    assert supervisor.started.processes.count(crasher.proc) == 1 and sleeper in supervisor.started.processes


def test_a_killed_child_is_restarted_and_its_sibling_keeps_its_process(running):
    supervisor, lines, thread = running(first=0.1, ceiling=1, healthy_after=60)
    victim, sibling = supervisor.add("worker", spawn(SLEEPS)), supervisor.add("server", spawn(SLEEPS))
    thread.start()
    os.kill(victim.pid, signal.SIGKILL)
    wait_for(lambda: supervisor.children[0].restarts == 1, "the killed worker restarted")
    fresh = supervisor.children[0].proc
    assert fresh.pid != victim.pid and fresh.poll() is None
    assert any(f"worker (pid {victim.pid}) exited (signal SIGKILL)" in line for line in lines)
    assert supervisor.children[1].proc is sibling and sibling.poll() is None
    assert thread.is_alive()


def test_the_back_off_starts_again_after_a_healthy_run(running):
    # Runs 0.3 s then fails: with healthy_after 0.2 every run counts as healthy, so the delay never grows.
    supervisor, lines, thread = running(first=0.1, ceiling=5, healthy_after=0.2)
    supervisor.add("flaky", spawn([sys.executable, "-c", "import sys, time; time.sleep(0.3); sys.exit(1)"]))
    thread.start()
    wait_for(lambda: supervisor.children[0].restarts >= 3, "three restarts")
    assert delays(line for line in lines if "exited" in line)[:3] == ["0.1", "0.1", "0.1"]


def test_a_dead_childs_leftover_processes_are_killed_before_it_is_restarted(running, tmp_path):
    # gunicorn's master dying leaves workers holding the ports the restarted master needs.
    pid_file = tmp_path / "grandchild"
    script = ("import subprocess, sys; p = subprocess.Popen(['sleep', '600']); "
              f"open({str(pid_file)!r}, 'w').write(str(p.pid)); sys.exit(5)")
    supervisor, lines, thread = running(first=30, ceiling=30, healthy_after=60)
    supervisor.add("server", spawn([sys.executable, "-c", script]))
    thread.start()
    wait_for(lambda: any("exited (code 5)" in line for line in lines), "the exit noticed")
    grandchild = int(pid_file.read_text())
    wait_for(lambda: not alive(grandchild), "the leftover sleeper gone")
    assert supervisor.children[0].restarts == 0  # still in its 30 s back-off


def test_stop_ends_the_supervisor_while_a_restart_is_pending(running):
    supervisor, _, thread = running(first=30, ceiling=30, healthy_after=60)
    supervisor.add("crasher", spawn(EXITS_3))
    started_at = time.monotonic()
    thread.start()
    wait_for(lambda: supervisor.children[0].due is not None, "the exit noticed")
    running.stop.set()
    thread.join(CEILING)
    assert not thread.is_alive() and time.monotonic() - started_at < 30  # did not wait out the back-off


def test_exit_descriptions_name_the_code_or_the_signal():
    assert describe_exit(3) == "code 3"
    assert describe_exit(-signal.SIGKILL) == "signal SIGKILL"
    assert describe_exit(-9999) == "signal 9999"


def test_make_dev_restarts_a_killed_process_and_keeps_serving(template_url, tmp_path):
    """The real runtime: SIGKILL the events pump and the worker; both come back, the API never stopped."""
    from tests.rss_support import all_roles_up, app_processes, call, running_stack

    with running_stack(template_url, tmp_path, redis_db=int(os.environ.get("SEEN_TEST_REDIS_DB", "15"))) as stack:
        wait_for(lambda: all_roles_up(stack), "every app process up")
        before = {role: procs[0].pid for role, procs in app_processes(stack.proc.pid).items() if procs}
        for role in ("events", "worker"):
            os.kill(before[role], signal.SIGKILL)
        wait_for(lambda: all(procs and procs[0].pid != before[role] for role, procs in
                             app_processes(stack.proc.pid).items() if role in ("events", "worker")),
                 "the killed processes replaced")
        after = {role: procs[0].pid for role, procs in app_processes(stack.proc.pid).items() if procs}
        assert stack.proc.poll() is None
        assert after["api"] == before["api"] and after["imports"] == before["imports"]
        assert call(stack.base, "GET", "/api/v1/health/live")[0] == 200
        log = stack.log.read_text(errors="replace")
    assert f"events pump (pid {before['events']}) exited (signal SIGKILL)" in log
    assert f"worker (pid {before['worker']}) exited (signal SIGKILL)" in log
