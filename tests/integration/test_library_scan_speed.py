"""The scanner's fast path keeps every guarantee of the slow one: names parsed in a process pool give
the same guesses, a scan reports its files many to a ``library.files_indexed`` message (one upsert per
message on the API side), a redelivered, duplicated or older batch changes nothing, a batch that could not
be sent leaves its files for the next scan, and an unchanged rescan parses and sends nothing."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest
from library_support import age, scanner

from chalicelib import aws, db, events
from chalicelib.config import get_aws_settings
from chalicelib.library.naming import parse, parse_many
from chalicelib.messages import LibraryFilesIndexed
from worker.scanner import batch as batching
from worker.scanner import parsing
from worker.scanner.loop import ScanRequest

FILES = 24


def _tree(root: Path, count: int = FILES) -> list[Path]:
    paths = []
    for n in range(count):
        show = f"Show {n % 3}"
        paths.append(root / "TV" / show / "Season 01" / f"{show} - S01E{n + 1:02d}.mkv")
        paths[-1].parent.mkdir(parents=True, exist_ok=True)
        paths[-1].write_bytes(os.urandom(64))
    age(paths)
    return paths


@pytest.fixture
def scan(client, tmp_path, monkeypatch):
    """A scanner over a tree of FILES episodes, and the event bodies it sent (as the queue got them)."""
    root = tmp_path / "library"
    paths = _tree(root)
    worker = scanner(tmp_path / "staging", [root])
    sent: list[dict] = []
    send_message = worker.ctx.sqs.send_message

    def keep_body(**kwargs):
        response = send_message(**kwargs)
        sent.append(json.loads(kwargs["MessageBody"]))
        return response

    monkeypatch.setattr(worker.ctx.sqs, "send_message", keep_body)
    yield worker, paths, sent
    worker.state.close()


def _batches(sent: list[dict]) -> list[dict]:
    return [m for m in sent if m["type"] == "library.files_indexed"]


def _apply(*messages: dict) -> int:
    """Apply messages with the Lambda's own entry point; returns the failures."""
    records = [{"body": json.dumps(m), "messageId": str(n)} for n, m in enumerate(messages)]
    return len(events.handle_batch(records)["batchItemFailures"])


def _rows() -> list[tuple]:
    with db.connection() as conn:
        items = conn.execute("SELECT id, storage_key, size_bytes, indexed_at FROM library_items "
                             "ORDER BY storage_key").fetchall()
        streams = conn.execute("SELECT count(*) AS n FROM library_streams").fetchone()["n"]
    return [(i["id"], i["storage_key"], i["size_bytes"], i["indexed_at"]) for i in items] + [streams]


def test_a_scan_reports_many_files_per_message_and_replays_change_nothing(scan, monkeypatch):
    import app  # noqa: F401 - registers the event handlers

    worker, paths, sent = scan
    monkeypatch.setattr(batching, "MAX_BYTES", 8_000)  # a few files per message, so there are several
    report = worker.scan(ScanRequest())
    assert (report.indexed, report.failed) == (FILES, 0)
    batches = _batches(sent)
    assert 1 < len(batches) < FILES and not [m for m in sent if m["type"] == "library.file_indexed"]
    # Measured as sent (compact UTF-8, as the batcher counts): json.dumps' spaces made a batch near the limit read
    # over it, depending on the length of the test's temporary path.
    assert all(len(json.dumps(m, separators=(",", ":"), ensure_ascii=False).encode()) <= 8_000 for m in batches)
    assert sorted(f["path"] for m in batches for f in m["files"]) == sorted(str(p) for p in paths)
    assert _apply(*batches) == 0
    first = _rows()
    assert len(first) == FILES + 1 and first[-1] == FILES  # one item and one stream per file

    doubled = {**batches[0], "files": batches[0]["files"] * 2}  # the same file twice in one message
    assert _apply(*batches, batches[0], doubled) == 0  # redelivered and duplicated
    assert _rows() == first

    older = dict(batches[0]["files"][0], size=1, sentAt="2001-01-01T00:00:00Z")  # sent before what is stored
    assert _apply({**batches[0], "files": [older]}) == 0
    assert _rows() == first


def test_an_unchanged_rescan_parses_and_sends_nothing_and_a_touched_file_goes_alone(scan, monkeypatch):
    worker, paths, sent = scan
    assert worker.scan(ScanRequest()).indexed == FILES
    parsed: list[list[str]] = []
    parse_all = parsing.parse_all
    monkeypatch.setattr(parsing, "parse_all",
                        lambda names, *a, **kw: parsed.append(list(names)) or parse_all(names, *a, **kw))
    sent.clear()
    again = worker.scan(ScanRequest())
    assert (again.seen, again.accepted, again.indexed) == (FILES, 0, 0)
    assert parsed == [] and _batches(sent) == []
    then = time.time() - 120
    os.utime(paths[5], (then, then))
    touched = worker.scan(ScanRequest())
    assert (touched.accepted, touched.indexed) == (1, 1)
    assert parsed == [[paths[5].relative_to(worker.roots[0].path).as_posix()]]
    assert [[f["path"] for f in m["files"]] for m in _batches(sent)] == [[str(paths[5])]]


def test_a_batch_that_cannot_be_sent_leaves_its_files_for_the_next_scan(scan):
    from chalicelib import awsinit

    worker, _, _ = scan
    sqs, queue = aws.client("sqs"), get_aws_settings().events_queue
    sqs.delete_queue(QueueUrl=aws.queue_url(queue))  # the queue is away (a wrong setting, SQS down)
    first = worker.scan(ScanRequest())
    assert (first.indexed, first.failed) == (0, FILES) and worker.state.count() == 0
    awsinit.ensure_resources()
    second = worker.scan(ScanRequest())
    assert (second.accepted, second.indexed, second.failed) == (FILES, FILES, 0)
    assert worker.state.count() == FILES


def test_names_parsed_in_the_pool_are_the_names_parsed_here():
    names = [f"Downloads/Show.{n}.S01E{n % 20 + 1:02d}.720p.WEB.mkv" for n in range(parsing.POOL_FROM + 6)]
    names += [f"Movies/Film {n} (2001)/Film {n} (2001).mkv" for n in range(10)]
    guesses = parsing.parse_all(names + names[:5], workers=2)  # a repeated name is parsed once
    assert guesses == parse_many(names)  # each folder's files parsed together, in one task


def test_a_folder_parsed_in_the_pool_keeps_its_files_together_as_evidence():
    before = [f"Downloads/Other {n}/Other.S02E{n:02d}.mkv" for n in range(parsing.CHUNK - 5)]
    folder = [f"Shows/Cosmos/Cosmos Chapter {n}.mkv" for n in range(1, 11)]  # straddles a task boundary by count
    after = [f"Downloads/Later {n}/Later.S03E{n:02d}.mkv" for n in range(parsing.POOL_FROM)]
    guesses = parsing.parse_all(before + folder + after, workers=2)
    chapters = [guesses[name] for name in folder]
    assert [(guess["type"], guess["absolute"]) for guess in chapters] == [("episode", n) for n in range(1, 11)]
    assert "numbered like 9 sibling files" in chapters[0]["evidence"]
    assert parse(folder[0])["type"] == "movie"  # alone, a name says nothing of its siblings


def test_a_stopping_worker_parses_no_further_and_returns_only_what_is_parsed():
    import threading

    stopping = threading.Event()
    stopping.set()
    names = [f"Downloads/Show.{n}.S01E01.mkv" for n in range(parsing.POOL_FROM * 2)]
    assert parsing.parse_all(names, workers=2, stopping=stopping) == {}  # the scan then records none of them


def test_the_size_limit_holds_for_the_biggest_files_a_scan_can_report():
    from chalicelib.messages import LibraryFileIndexed

    messages: list[LibraryFilesIndexed] = []
    batch = batching.EventBatch(messages.append, lambda events: None, None)
    for n in range(400):
        batch.add(LibraryFileIndexed(key=f"media/x/{n:04d}-" + "k" * 900, size=1, path="/x/" + "p" * 4000,
                                     guess={"title": "t" * 200}))
    batch.flush()
    assert sum(len(m.files) for m in messages) == 400 == batch.sent
    assert all(len(m.to_json().encode()) <= 256 * 1024 for m in messages)
