"""Library scanner scenarios: the first scan of a 5,000-file tree and its unchanged rescan, both against
guessit alone reading the same 5,000 names in the same run; the event handler's throughput; ffprobe's
cost per real video; and the parser's accuracy on the corpus next to guessit's own.

The tree's names follow the conventions of the parse corpus (Plex/Jellyfin folders, Season folders,
scene names, anime absolute numbering) over the demo catalog's real titles. Its files are EMPTY: the
pipeline (walk, parse, probe, sha256, upload to the moto server, ``library.file_indexed``) runs in full,
but the probe of an empty file stops before ffprobe. Probing 5,000 real videos would take ffprobe's
process start-up twice per file (~10 minutes on a 2-core machine), so that cost is measured separately on
real little videos and reported per file. Nothing here asserts on time.
"""

from __future__ import annotations

import importlib.util
import json
import os
import time
import uuid
from pathlib import Path

import pytest

from embedded import services

from .conftest import bench_size, benchmark_stats, measure, summarise

FILES = int(os.environ.get("SEEN_BENCH_LIBRARY_FILES", bench_size(5000, 200)))  # fewer for a quick look
REAL_VIDEOS = bench_size(24, 2)
ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "chalicelib" / "catalog" / "demo_data"


def _support(name: str):
    """A helper module from tests/unit or tests/integration (not packages: loaded by path)."""
    folder = "unit" if name == "library_corpus" else "integration"
    spec = importlib.util.spec_from_file_location(name, ROOT / "tests" / folder / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def tree_names(limit: int = FILES) -> list[str]:
    """``limit`` distinct relative paths in the corpus's conventions, over the demo catalog's titles."""
    movies = json.loads((DEMO / "movies.json").read_text())
    shows = json.loads((DEMO / "shows.json").read_text())
    names: list[str] = []
    for m in movies:
        title, year = m["title"].replace(":", "").replace("/", " "), (m.get("date") or "2000")[:4]
        dotted = ".".join(title.split())
        names += [f"Movies/{title} ({year})/{title} ({year}).mkv",
                  f"Downloads/{dotted}.{year}.1080p.BluRay.x264-GRP.mkv",
                  f"Movies/{title} ({year})/{title} ({year}) - Extended.mkv"]
    for index, show in enumerate(shows):
        title = show["title"].replace(":", "").replace("/", " ")
        for season in show["seasons"]:
            for episode in range(1, season[1] + 1):
                if show.get("genres") and 16 in show["genres"] and index % 2:
                    absolute = (season[0] - 1) * 24 + episode
                    names.append(f"Anime/{title}/Season {season[0]}/[Group] {title} - {absolute:02d} (1080p).mkv")
                elif episode % 2:
                    names.append(f"TV/{title}/Season {season[0]:02d}/{title} - S{season[0]:02d}E{episode:02d}.mkv")
                else:
                    names.append(f"Downloads/{'.'.join(title.split())}.S{season[0]:02d}E{episode:02d}.720p.WEB.mkv")
    unique = list(dict.fromkeys(names))
    while len(unique) < limit:  # more copies in other roots' worth of folders, if the catalog is small
        unique += [f"More {len(unique) // len(names)}/{n}" for n in names][: limit - len(unique)]
    return unique[:limit]


@pytest.fixture(scope="module")
def library_db(template_url):
    import psycopg
    from psycopg.rows import dict_row

    from chalicelib import config, db
    from chalicelib.catalog import demo

    url = services.with_database(template_url, f"seen_bench_library_{uuid.uuid4().hex[:10]}")
    services.create_database(url, template=services.database_name(template_url))
    with psycopg.connect(url, row_factory=dict_row, autocommit=True) as conn, conn.transaction():
        demo.load(conn)
    previous = os.environ["DATABASE_URL"]
    db.reset()
    os.environ["DATABASE_URL"] = url
    config.get_settings.cache_clear()
    try:
        yield url
    finally:
        db.reset()
        os.environ["DATABASE_URL"] = previous
        config.get_settings.cache_clear()
        services.drop_database(url)


@pytest.fixture(scope="module")
def tree(tmp_path_factory):
    root = tmp_path_factory.mktemp("bench-library") / "library"
    names = tree_names()
    then = time.time() - 3600
    for rel in names:
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch()
        os.utime(path, (then, then))
    return root, names


@pytest.mark.timeout(3600)
def test_first_scan_and_unchanged_rescan_vs_guessit_alone(benchmark, report, tree, aws, library_db, redis_client,
                                                          tmp_path, monkeypatch):
    from chalicelib.library import naming as parsing
    from worker.scanner import parsing as parsing_pool
    from worker.scanner.loop import ScanRequest

    support = _support("library_support")
    root, names = tree
    scanner = support.scanner(tmp_path / "staging", [root], LIBRARY_INDEX_CONCURRENCY="2")
    reference = measure(lambda: [parsing.run_guessit(n) for n in names], rounds=1, warmup=0)
    first_report, sent = {}, []
    send_message = scanner.ctx.sqs.send_message

    def keep_body(**kwargs):  # the events the handler scenario replays (see _handler_throughput)
        response = send_message(**kwargs)
        sent.append(kwargs["MessageBody"])
        return response

    monkeypatch.setattr(scanner.ctx.sqs, "send_message", keep_body)

    def first_scan():
        first_report["report"] = scanner.scan(ScanRequest())

    benchmark.pedantic(first_scan, rounds=1, iterations=1)
    first = first_report["report"]
    assert (first.seen, first.indexed, first.failed) == (FILES, FILES, 0)
    stats = benchmark_stats(benchmark)
    report.ratio(f"library: first scan of {FILES} files vs guessit alone", stats, reference,
                 subject_label=("walk + parse (process pool, guessit once per sibling template) + sha256 + upload"
                                " + batched events (no ffprobe: empty)"),
                 reference_label=f"guessit on the same {FILES} names", files=FILES,
                 items_per_second=round(FILES / stats["median"], 1), parse_seconds=first.parse_seconds,
                 parse_processes=parsing_pool.processes())
    rescans = []
    for _ in range(bench_size(3, 1)):
        started = time.perf_counter()
        again = scanner.scan(ScanRequest())
        rescans.append(time.perf_counter() - started)
        assert (again.seen, again.accepted) == (FILES, 0)
    rescan = summarise(rescans)
    report.ratio(f"library: unchanged rescan of {FILES} files vs guessit alone", rescan, reference,
                 subject_label="walk + stat + state lookup (nothing parsed, probed or stored)",
                 reference_label=f"guessit on the same {FILES} names", items_per_second=round(FILES / rescan["median"]))
    _handler_throughput(report, sent)
    scanner.state.close()


def _handler_throughput(report, sent: list[str], sample: int = 1000):
    """The control plane applying the scan's events (upsert + streams + local match): ``events.handle_batch``,
    the function the SQS-triggered Lambda runs, on the messages the scan sent (``library.files_indexed``
    batches of many files), one message per call, until ``sample`` files are applied. They are kept as sent
    rather than received again: the moto server's receive slows with thousands of messages queued (over 10 s a
    call on a loaded 2-core machine), which would measure moto, not the handler."""
    import app  # noqa: F401 - registers the app's event handlers, as the Lambda's cold start does
    from chalicelib import db, events

    bodies, files = [], 0
    for body in sent:
        message = json.loads(body)
        if files < sample and message.get("type") in ("library.file_indexed", "library.files_indexed"):
            bodies.append(body)
            files += len(message.get("files", [message]))
    started = time.perf_counter()
    failures = sum(len(events.handle_batch([{"body": b, "messageId": str(i)}])["batchItemFailures"])
                   for i, b in enumerate(bodies))
    seconds = time.perf_counter() - started
    with db.connection() as conn:
        stored = conn.execute("SELECT count(*) AS n FROM library_items").fetchone()["n"]
    assert failures == 0 and bodies and stored == files, (failures, files, stored)  # every file landed
    report.figure("library: file_indexed events applied by the handler (upsert + match)", events=files,
                  messages=len(bodies), events_per_second=round(files / seconds, 1) if seconds else None)


@pytest.mark.timeout(1200)
def test_indexing_real_videos_vs_ffprobe_alone(benchmark, report, aws, tmp_path):
    import subprocess

    from worker.scanner.loop import ScanRequest

    support = _support("library_support")
    media = support.media_cache(tmp_path / "media")
    root = tmp_path / "library"
    for n in range(REAL_VIDEOS):
        kind = "mp4" if n % 2 else "mkv"
        support.place(media[kind], root / f"Movies/Clip {n:03d} (2001)/Clip {n:03d}.{kind}")
    files = sorted(p for p in root.rglob("*") if p.is_file())
    support.age(files)
    scanner = support.scanner(tmp_path / "staging", [root])

    def index_all():
        assert scanner.scan(ScanRequest(force=True)).indexed == REAL_VIDEOS

    def ffprobe_alone():
        for path in files:
            subprocess.run(["ffprobe", "-v", "error", "-print_format", "json", "-show_format", "-show_streams",
                            str(path)], capture_output=True, check=True)

    benchmark.pedantic(index_all, rounds=3, iterations=1)
    stats = benchmark_stats(benchmark)
    reference = measure(ffprobe_alone, rounds=3, warmup=1)
    report.ratio(f"library: indexing {REAL_VIDEOS} real videos vs ffprobe alone on them", stats, reference,
                 subject_label="probe + tail check + MKV->MP4 remux (half) + sha256 + upload + event",
                 reference_label="one plain ffprobe per file", items_per_second=round(REAL_VIDEOS / stats["median"], 2),
                 projected_first_scan_of_5000_real_videos_s=round(FILES * stats["median"] / REAL_VIDEOS))
    scanner.state.close()


def test_parse_accuracy_and_cost_on_the_corpus_vs_guessit(benchmark, report):
    from chalicelib.library import naming as parsing

    corpus = _support("library_corpus")
    entries = corpus.load()[::bench_size(1, 4)]  # smoke mode: every fourth name
    paths = [entry["path"] for entry in entries]
    # Cold parse cache each round: guessit alone (the reference) caches nothing either.
    benchmark.pedantic(lambda: [parsing.parse(p) for p in paths], setup=parsing.cached_guessit.cache_clear,
                       rounds=3, iterations=1, warmup_rounds=1)
    reference = measure(lambda: [parsing.run_guessit(p) for p in paths], rounds=3, warmup=1)
    scanner = corpus.accuracy(parsing.parse, entries)
    alone = corpus.accuracy(lambda p: parsing.guessit_fields(parsing.run_guessit(p)), entries)
    assert scanner["accuracy"] >= alone["accuracy"]  # the folder corrections never cost accuracy
    weakest = sorted(alone["fields"], key=alone["fields"].get)[:4]
    report.ratio(f"library: parsing the {len(paths)}-name corpus vs guessit alone", benchmark_stats(benchmark),
                 reference, subject_label="scanner parse (guessit + folder corrections)",
                 reference_label="guessit alone", accuracy_scanner=scanner["accuracy"],
                 accuracy_guessit_alone=alone["accuracy"],
                 weakest_fields_guessit={f: alone["fields"][f] for f in weakest},
                 same_fields_scanner={f: scanner["fields"][f] for f in weakest})
    report.figure("library: parse accuracy on the corpus (whole name right)", names=scanner["names"],
                  scanner=scanner["accuracy"], guessit_alone=alone["accuracy"])
