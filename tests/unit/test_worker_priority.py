"""The worker's ffmpeg runs below the API in CPU priority (SEEN_TRANSCODE_NICE, 10 by default)."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest

from chalicelib.config import ConfigError, TranscodeSettings
from worker.media import hls
from worker.priority import run_niced

REPORT_PRIORITY = "import os, time; time.sleep(0.3); print(os.getpriority(os.PRIO_PROCESS, 0))"


def test_a_helper_runs_at_the_priority_asked_for():
    done = run_niced([sys.executable, "-c", REPORT_PRIORITY], timeout=30, nice=7)
    assert (done.returncode, done.stdout.decode().strip()) == (0, str(max(7, os.getpriority(os.PRIO_PROCESS, 0))))


def test_a_helper_past_its_time_is_killed():
    import subprocess

    with pytest.raises(subprocess.TimeoutExpired):
        run_niced([sys.executable, "-c", "import time; time.sleep(30)"], timeout=0.5)


def test_the_transcode_ffmpeg_runs_niced(tmp_path: Path):
    seen = tmp_path / "priority"
    fake = tmp_path / "ffmpeg"
    fake.write_text(f"#!{sys.executable}\nimport os, time\ntime.sleep(0.3)\n"
                    f"open({str(seen)!r}, 'w').write(str(os.getpriority(os.PRIO_PROCESS, 0)))\nraise SystemExit(1)\n")
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    settings = TranscodeSettings(ffmpeg=str(fake))
    with pytest.raises(hls.TranscodeFailed):
        hls.run(tmp_path / "in.mkv", tmp_path / "out", "hls", settings, hls.Uploader(tmp_path / "out", lambda *_: None),
                lambda _count: None, lambda: False)
    assert int(seen.read_text()) == max(settings.nice, os.getpriority(os.PRIO_PROCESS, 0)) == 10


def test_the_priority_is_a_setting_within_unix_range():
    assert TranscodeSettings.from_env({}).nice == 10
    assert TranscodeSettings.from_env({"SEEN_TRANSCODE_NICE": "0"}).nice == 0
    assert TranscodeSettings.from_env({"SEEN_TRANSCODE_NICE": "40"}).nice == 19
    with pytest.raises(ConfigError):
        TranscodeSettings.from_env({"SEEN_TRANSCODE_NICE": "-5"})
