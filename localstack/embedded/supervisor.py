"""Keeps the app's processes running: a dead one is started again, the others keep serving.

The home install's ``restart: unless-stopped`` (compose) and ``Restart=on-failure`` (systemd) for ``make dev``:
a process that exits or is killed (the kernel's OOM killer included) is restarted after a back-off that doubles
from ``first`` up to ``ceiling`` while it keeps dying, and starts again from ``first`` once it ran ``healthy_after``
seconds. Nothing a child does stops the stack; only the caller's stop event (Ctrl-C, SIGTERM) does.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from embedded.services import Started

Spawn = Callable[[], subprocess.Popen]


def describe_exit(returncode: int | None) -> str:
    """``code 3`` or ``signal SIGKILL`` (Popen reports a signal as a negative code)."""
    if returncode is not None and returncode < 0:
        try:
            return f"signal {signal.Signals(-returncode).name}"
        except ValueError:
            return f"signal {-returncode}"
    return f"code {returncode}"


def _kill_leftovers(proc: subprocess.Popen) -> None:
    """A dead leader's group may still hold children (gunicorn workers, ffmpeg) and their ports."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


@dataclass
class Child:
    name: str
    spawn: Spawn
    proc: subprocess.Popen
    started_at: float
    delay: float = 0.0  # the back-off used for the last restart (0: never restarted or reset)
    due: float | None = None  # when a dead child is started again
    restarts: int = 0


@dataclass
class Supervisor:
    started: Started
    first: float = 1.0
    ceiling: float = 30.0
    healthy_after: float = 60.0
    clock: Callable[[], float] = time.monotonic
    log: Callable[[str], None] = field(default=lambda line: print(line, file=sys.stderr, flush=True))
    children: list[Child] = field(default_factory=list)

    def add(self, name: str, spawn: Spawn) -> subprocess.Popen:
        """Start ``spawn()`` now and keep it running from then on."""
        proc = spawn()
        self.started.processes.append(proc)
        self.children.append(Child(name, spawn, proc, self.clock()))
        return proc

    def tick(self) -> None:
        """Notice children that died and restart those whose back-off is over."""
        now = self.clock()
        for child in self.children:
            if child.due is None and child.proc.poll() is not None:
                self._schedule(child, now)
            elif child.due is not None and now >= child.due:
                self._restart(child, now)

    def run(self, stop: threading.Event, interval: float = 0.2) -> None:
        """Supervise until ``stop`` is set; returns only then."""
        while not stop.is_set():
            self.tick()
            stop.wait(interval)

    def _schedule(self, child: Child, now: float) -> None:
        ran = now - child.started_at
        child.delay = self.first if ran >= self.healthy_after or not child.delay else min(
            child.delay * 2, self.ceiling)
        child.due = now + child.delay
        _kill_leftovers(child.proc)
        self.log(f"/seen/: {child.name} (pid {child.proc.pid}) exited ({describe_exit(child.proc.returncode)}) "
                 f"after {ran:.1f} s; restarting it in {child.delay:g} s; the other processes keep running")

    def _restart(self, child: Child, now: float) -> None:
        try:
            fresh = child.spawn()
        except OSError as exc:  # out of memory or pids: try again after a longer back-off
            child.delay = min(child.delay * 2, self.ceiling)
            child.due = now + child.delay
            self.log(f"/seen/: {child.name} could not be started ({exc}); trying again in {child.delay:g} s")
            return
        index = self.started.processes.index(child.proc)
        self.started.processes[index] = fresh
        child.proc, child.started_at, child.due = fresh, now, None
        child.restarts += 1
        self.log(f"/seen/: {child.name} restarted (pid {fresh.pid}, restart {child.restarts})")
