"""ffmpeg, ffprobe and fpcalc for the media analysis: niced, bounded in time, stoppable.

stderr goes to a file, not a pipe: ``showinfo`` and ``blackdetect`` write a line per frame or stretch, and a
full pipe nobody reads while polling would stall ffmpeg.
"""

from __future__ import annotations

import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass

from worker.priority import lower_priority

POLL_SECONDS = 0.25


class ToolFailed(Exception):
    """A tool exited with an error, or ran past its time (the message says which and why)."""


class Stopped(Exception):
    """The worker is stopping: the tool was killed, the job is to be given back."""


@dataclass(frozen=True)
class Tools:
    ffmpeg: str = "ffmpeg"
    ffprobe: str = "ffprobe"
    fpcalc: str = "fpcalc"
    nice: int = 10
    timeout: float = 6 * 3600
    threads: int = 2  # ffmpeg's decoder threads: analysis shares the box with playback

    def run(self, command: list[str], should_stop: Callable[[], bool] = lambda: False,
            check: bool = True) -> tuple[str, str]:
        """Run ``command`` at priority ``nice``; returns (stdout, stderr), raises ToolFailed on a non-zero exit
        (unless ``check`` is False: the caller judges the output)."""
        with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
            try:
                process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=out, stderr=err)
            except OSError as exc:  # not installed
                raise ToolFailed(f"{command[0]}: {exc.strerror or exc}") from exc
            lower_priority(process.pid, self.nice)
            _wait(process, self.timeout, should_stop)
            out.seek(0)
            err.seek(0)
            stdout, stderr = out.read().decode(errors="replace"), err.read().decode(errors="replace")
        if check and process.returncode != 0:
            raise ToolFailed(f"{command[0]} exited {process.returncode}: {stderr.strip()[-300:]}")
        return stdout, stderr


def _wait(process: subprocess.Popen, timeout: float, should_stop: Callable[[], bool]) -> None:
    deadline = time.monotonic() + timeout
    try:
        while process.poll() is None:
            if should_stop():
                raise Stopped()
            if time.monotonic() > deadline:
                raise ToolFailed(f"took longer than {timeout:.0f} s")
            time.sleep(POLL_SECONDS)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
