"""The worker's job store: what survives a restart, what is parked, what is swept."""

import os
import time

import pytest

from chalicelib.messages import DownloadStart
from worker.jobs import JobStore

JOB = "0b9e9d8c-62cf-4f4a-9f0e-0c1f2a3b4c5d"


def command(job_id=JOB, attempt=1, source_type="torrent"):
    return DownloadStart(job_id=job_id, attempt=attempt, source_type=source_type, torrent_key="torrents/x.torrent")


def test_a_saved_job_is_resumed_unless_parked(tmp_path):
    store = JobStore(tmp_path)
    spec = store.save(command(), b"d4:infode")
    assert spec.workdir == tmp_path / "jobs" / JOB and spec.data_dir == spec.workdir / "data"
    assert store.unfinished() == [JOB]
    loaded, torrent, parked = store.load(JOB)
    assert (loaded.attempt, torrent, parked) == (1, b"d4:infode", False)
    store.save(command(attempt=2), None, parked=True)
    assert store.unfinished() == []
    loaded, torrent, parked = store.load(JOB)
    assert (loaded.attempt, torrent, parked) == (2, b"d4:infode", True)  # the .torrent stays for the retry
    store.delete(JOB)
    assert store.load(JOB) is None and not spec.workdir.exists()


def test_a_torn_job_file_is_not_resumed(tmp_path):
    store = JobStore(tmp_path)
    store.save(command(), None)
    (tmp_path / "jobs" / JOB / "job.json").write_text("{not json")
    assert store.unfinished() == [] and store.load(JOB) is None


def test_job_ids_cannot_escape_the_staging_directory(tmp_path):
    store = JobStore(tmp_path)
    for bad in ("../etc", "a/b", "", ".hidden"):
        with pytest.raises(ValueError):
            store.workdir(bad)


def test_sweep_removes_only_old_dirs_of_jobs_not_running(tmp_path):
    store = JobStore(tmp_path)
    old_ids = ["11111111-1111-1111-1111-111111111111", "22222222-2222-2222-2222-222222222222"]
    for job_id in [*old_ids, JOB]:
        store.save(command(job_id), None, parked=True)
    past = time.time() - 3600
    for job_id in old_ids:
        os.utime(tmp_path / "jobs" / job_id / "job.json", (past, past))
    assert store.sweep(600, keep={old_ids[1]}) == [old_ids[0]]
    assert sorted(p.name for p in (tmp_path / "jobs").iterdir()) == sorted([old_ids[1], JOB])
