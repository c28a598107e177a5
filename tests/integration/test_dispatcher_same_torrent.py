"""Two jobs of one torrent in the worker (two people Get the same release, or one adds a magnet twice).

libtorrent keeps a torrent once: the second job would get the first one's transfer, and its files would be
in the first job's directory. The dispatcher leaves the second command in the queue (no slot taken) until the
first job is gone; a job resumed from staging next to another of its torrent stops as retryable instead."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from downloads_support import LOOPBACK, worker_events

from chalicelib import aws as aws_clients
from chalicelib.config import WorkerSettings, get_aws_settings
from chalicelib.logs import worker_logger
from chalicelib.messages import DownloadStart
from embedded.testpeers import Seeder, Tracker, make_file
from worker import dispatcher
from worker.context import WorkerContext
from worker.engines.torrent import TorrentEngine
from worker.jobs import JobStore

pytestmark = pytest.mark.peers  # real BitTorrent peers on loopback

SETTINGS = LOOPBACK


@pytest.fixture
def worker(aws, tmp_path: Path):
    settings = WorkerSettings(worker_id="same-torrent", aws=get_aws_settings(), staging_dir=str(tmp_path / "staging"),
                              engines=SETTINGS)
    ctx = WorkerContext(settings=settings, s3=aws_clients.client("s3"), sqs=aws_clients.client("sqs"),
                        logger=worker_logger("WARNING"))
    engine = TorrentEngine(SETTINGS, ctx.logger)
    ctx.engines = {"magnet": engine, "torrent": engine}
    ctx.store = JobStore(settings.staging_dir)
    yield ctx
    engine.close()


@pytest.fixture
def magnet(tmp_path: Path):
    tracker = Tracker()
    seeder = Seeder(tracker, upload_rate=256 * 1024)  # still running when the second command comes
    make_file(tmp_path / "seed" / "Film.2010.mkv", 4 * 1024 * 1024)
    yield seeder.seed(tmp_path / "seed" / "Film.2010.mkv").magnet
    seeder.close()
    tracker.close()


def command(magnet: str) -> DownloadStart:
    return DownloadStart(job_id=str(uuid.uuid4()), attempt=1, source_type="magnet", source=magnet)


def test_a_second_command_for_a_running_torrent_waits_in_the_queue_without_a_slot(worker, magnet):
    first, second = command(magnet), command(magnet)
    assert dispatcher.start(worker, first) is not None
    free = worker.free_slots()
    with pytest.raises(dispatcher.RetryLater, match=first.job_id):
        dispatcher.start(worker, second)
    assert second.job_id not in worker.active_jobs and worker.free_slots() == free
    assert not worker.store.workdir(second.job_id).exists()  # nothing staged for it yet
    assert [e.job_id for e in worker_events()] == [first.job_id]  # no state of the second was reported


def test_a_resumed_job_next_to_another_of_its_torrent_stops_as_retryable(worker, magnet):
    first, second = command(magnet), command(magnet)
    dispatcher.start(worker, first)
    job = dispatcher.start(worker, second, defer=False)  # as resume_unfinished starts it
    assert job is not None and job.final is not None
    status, _, code, _ = job.final
    assert (status, code) == ("stalled", "same_torrent")  # the control plane retries it later
    assert worker.store.load(second.job_id) is not None  # parked, not lost
