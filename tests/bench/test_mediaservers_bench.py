"""A 20,000-item Jellyfin library synced through the imports consumer process (issue 36): a first sync and an
unchanged re-sync (the every-6-hours case), each as a ratio to fetching and decoding the same pages with no
processing, with the consumer's peak RSS. Goals: each sync at most 2x the fetch, memory at most 300 MB.

What each figure measures (from the sync request, as the API makes it):
- "first sync" / "re-sync": until the sync's status is ``completed`` -- what the admin waits for. The mirror
  (20,000 rows) is written and pruned and every title the catalog already held is linked. The ratio's goal
  applies to this.
- "catalog fill": from that completion until the sync's catalog fill is done (``chalicelib/mediaservers/
  fill.py``, run right after by the same consumer). On the first sync it adds the 7,700 titles the catalog
  lacked, with their 12,000 seasons and episodes, and links the mirror rows. This is work the sync used to do
  inline; it is still done, and timed here, but after the sync is reported done. It has no goal of its own.
- "until the consumer is done": request to message finished (sync, fill, then the owned shows' calendar).
The reference is fetched from a process of its own, as the consumer fetches (``scenario.fetch_elsewhere``).
Until Nov 27 it was fetched from the bench's own process, which also serves the fake: client and server took
turns on one GIL, the fetch read 0.52 s instead of 0.31 s, and the first sync read 1.7-2.3x where it is 3.2-3.7x.
What the first sync's 1.4-1.6 s held on Nov 27 (a py-spy profile of the sync, the consumer's own timeline): 0.3-0.4
s before it started, the consumer's first message loading the sync's modules and opening its connections (a
cold start: the bench now warms the consumer with a small server's sync, as a running consumer is); the reader
thread mostly waiting for the writer; the writer's Postgres inserts (0.36-0.45 s for 20,000 rows, the
database's own work), and its Python: a row's dict, JSON and fingerprint (0.1 s), the deep link through
``urllib.parse.quote`` per item (~10% of its CPU: now made once per sync and quoted only when an id needs it), a
default ``Link()`` built for every item, the stdlib's JSON for the match keys (now orjson), and psycopg building
the prune's 20,000-id text[] in Python (now one JSON array). After: 0.82-0.91 s against a 0.42-0.47 s fetch,
1.8-2.0x (a full ``make bench``: 1.98x) -- at the goal, without margin. What is left is CPU on a 2-core machine
shared by the fake server, Postgres (the inserts) and the consumer's Python (~14 us an item reading the page,
~8 us matching and building its row). Tried and not kept: COPY instead of ``jsonb_to_recordset`` (0.26 s
against 0.39 s alone, but slower in the sync: its per-row formatting is Python on the writer's GIL, where the
JSON array is parsed by Postgres, another process), and writing each chunk's rows on a thread of their own
while the next chunk's are built (no change in three runs: the sync is bound by CPU, not by waits).
The same scenario runs small in ``make test`` (tests/integration/test_media_servers_smoke.py), and at 400 items
in the bench's smoke run. That smoke run once never saw its re-sync finish: the sync request sent its message
before committing the queued row, and the consumer, long-polling, took the message before the row existed and
dropped it; the request now sends after the commit.
"""

from __future__ import annotations

from cryptography.fernet import Fernet

from tests.bench import mediaservers_scenario as scenario
from tests.bench.conftest import bench_size, summarise

ITEMS = bench_size(20_000, 400)  # the smoke run proves the scenario works; 20k items take minutes on a busy CI
RATIO_GOAL = 2.0
RSS_GOAL_MB = 300


def test_a_20k_item_jellyfin_library_synced_by_the_consumer(benchmark, report, client, settings_env):
    settings_env(SEEN_SETTINGS_KEY=Fernet.generate_key().decode())
    box: dict = {}
    benchmark.pedantic(lambda: box.update(result=scenario.run(ITEMS)), rounds=1, iterations=1)
    first, again, fake = box["result"]
    try:
        assert (first.status, again.status) == ("completed", "completed"), (first, again)
        items = first.counts["added"]
        assert items >= ITEMS * 0.95 and again.counts["added"] == again.counts["updated"] == 0, (first, again)
        assert again.counts["unmatched"] == 0, again  # the first sync's fill linked every title and episode
        fetch = summarise(scenario.fetch_elsewhere(fake, rounds=bench_size(5, 1)))
    finally:
        fake.stop()
    for label, result in (("first sync", first), ("re-sync, nothing changed", again)):
        subject = {"median": result.seconds}
        ratio = report.ratio(f"media servers: 20k Jellyfin items, {label}", subject, fetch,
                             subject_label=f"{label} through the imports consumer process",
                             reference_label="fetching and decoding the same /Items pages, from another process",
                             goal=RATIO_GOAL)
        report.figure(f"media servers: 20k items, {label}", seconds=round(result.seconds, 1),
                      times_the_fetch=round(ratio, 2), items=items, peak_rss_mb=round(result.peak_rss_mb),
                      goal=RSS_GOAL_MB, within_goal=result.peak_rss_mb <= RSS_GOAL_MB)
        report.figure(f"media servers: 20k items, {label}: catalog fill after it", seconds=round(
            result.fill_seconds, 1), times_the_fetch=round(result.fill_seconds / fetch["median"], 2),
            unmatched_after_the_fill=result.counts["unmatched"])
        report.figure(f"media servers: 20k items, {label}: until the consumer is done", seconds=round(
            result.consumer_seconds, 1), times_the_fetch=round(result.consumer_seconds / fetch["median"], 2))
