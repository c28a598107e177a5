"""CPU priority of the worker's helpers: serving people comes before preparing files for them.

ffmpeg takes every core it is given. Transcodes and remuxes run at a lower priority (Unix nice, 10 by
default: ``SEEN_TRANSCODE_NICE``) so the API, the stream server and the scanner get the CPU at once when they
need it, and ffmpeg has the rest.
"""

from __future__ import annotations

import os
import subprocess

DEFAULT_NICE = 10


def lower_priority(pid: int, nice: int = DEFAULT_NICE) -> None:
    """Run ``pid`` at CPU priority ``nice``."""
    try:
        os.setpriority(os.PRIO_PROCESS, pid, nice)
    except (OSError, AttributeError):  # it ended already, or no such call here (not Unix)
        pass


def run_niced(command: list[str], timeout: float, nice: int = DEFAULT_NICE) -> subprocess.CompletedProcess:
    """``subprocess.run(command, capture_output=True)`` at priority ``nice`` (raises ``TimeoutExpired``)."""
    with subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE) as process:
        lower_priority(process.pid, nice)
        try:
            stdout, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()
            raise
    return subprocess.CompletedProcess(command, process.returncode, stdout, stderr)
