"""A 20,000-item Jellyfin library synced through the imports consumer process (issue 36): a first sync and an
unchanged re-sync (the every-6-hours case), each as a ratio to fetching and decoding the same pages with no
processing, with the consumer's peak RSS. Goals: the re-sync at most 2x the fetch, memory at most 300 MB.
The same scenario runs small in ``make test`` (tests/integration/test_media_servers_smoke.py).
"""

from __future__ import annotations

from cryptography.fernet import Fernet

from tests.bench import mediaservers_scenario as scenario
from tests.bench.conftest import measure

ITEMS = 20_000
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
        reference = measure(lambda: scenario.fetch_pages(fake), rounds=3, warmup=1)
    finally:
        fake.stop()
    fetch = {"median": reference["median"]}
    for label, result in (("first sync", first), ("re-sync, nothing changed", again)):
        subject = {"median": result.seconds}
        goal = {"goal": RATIO_GOAL} if label.startswith("re-sync") else {}
        ratio = report.ratio(f"media servers: 20k Jellyfin items, {label}", subject, fetch,
                             subject_label=f"{label} through the imports consumer process",
                             reference_label="fetching and decoding the same /Items pages", **goal)
        report.figure(f"media servers: 20k items, {label}", seconds=round(result.seconds, 1),
                      times_the_fetch=round(ratio, 2), items=items, peak_rss_mb=round(result.peak_rss_mb),
                      goal=RSS_GOAL_MB, within_goal=result.peak_rss_mb <= RSS_GOAL_MB)
