"""The JSON depth scan every import file goes through, against the ijson parse it protects.

Subject: reading a ~48 MB Trakt history through ``source.DepthLimited`` (the scan alone, 64 KB reads).
Reference: ijson (its C backend) parsing the same bytes, which every import does anyway. Goal: the scan
costs at most half the bare parse (a reader building rows costs several times the parse again). The
worst case for the scan (a file of escaped quotes) is reported beside it. Nothing here asserts.
"""

from __future__ import annotations

import io
import json

from .conftest import bench_size, benchmark_stats, measure, paired

ENTRY = {"id": 0, "watched_at": "2020-01-01T20:00:00.000Z", "action": "scrobble", "type": "episode",
         "episode": {"season": 1, "number": 1, "title": "An \"episode\" title [part 1]",
                     "ids": {"trakt": 1, "tvdb": 2, "imdb": None, "tmdb": 3, "tvrage": None}},
         "show": {"title": "A Show With A Reasonably Long Title", "year": 2010,
                  "ids": {"trakt": 1388, "slug": "a-show", "tvdb": 81189, "imdb": "tt0903747", "tmdb": 1396}}}


def _history(entries: int) -> bytes:
    return json.dumps([{**ENTRY, "id": n} for n in range(entries)]).encode()


def _scan(data: bytes) -> None:
    from chalicelib.imports import source

    stream = source.DepthLimited(io.BytesIO(data), "bench.json")
    read = 0
    while chunk := stream.read(64 * 1024):
        read += len(chunk)
    return read


def _parse(data: bytes) -> None:
    import ijson

    for _ in ijson.items(io.BytesIO(data), "item", use_float=True):
        pass


def test_depth_scan_of_a_48_mb_history_vs_parsing_it(benchmark, report):
    data = _history(bench_size(150_000, 2_000))
    assert _scan(data) == len(data)  # the scan passes every byte of a legal history through
    reference = paired(benchmark, lambda: _scan(data), {"parse": lambda: _parse(data)}, rounds=5, warmup=1)["parse"]
    stats = benchmark_stats(benchmark)
    text = b'"' + b'\\"' * 200_000 + b'"'  # 400 KB strings of escaped quotes (under the string limit)
    worst = b"[" + b",".join([text] * (len(data) // len(text))) + b"]"
    escaped = measure(lambda: _scan(worst), rounds=3, warmup=0)
    report.ratio(f"imports: depth scan of a {len(data) >> 20} MB Trakt history vs ijson parse", stats, reference,
                 subject_label="DepthLimited read, 64 KB chunks", reference_label="ijson.items over the same bytes",
                 goal=0.5, scan_mb_per_s=round(len(data) / 2**20 / stats["median"], 1),
                 escaped_quotes_mb_per_s=round(len(worst) / 2**20 / escaped["median"], 1))
