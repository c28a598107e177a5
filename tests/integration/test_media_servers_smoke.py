"""The media server bench's scenario, small (tests/bench/test_mediaservers_bench.py runs it at 20,000 items):
a sync and an unchanged re-sync of a fake Jellyfin's library by the imports consumer running as its own
process, so the bench keeps running cleanly."""

from __future__ import annotations

from cryptography.fernet import Fernet

from tests.bench import mediaservers_scenario as scenario


def test_the_bench_scenario_syncs_then_resyncs_with_nothing_to_write(client, settings_env):
    settings_env(SEEN_SETTINGS_KEY=Fernet.generate_key().decode())
    first, again, fake = scenario.run(400)
    try:
        items = fake.library.item_count()
        assert scenario.fetch_pages(fake) == items
    finally:
        fake.stop()
    assert (first.status, first.counts["added"], first.counts["failed"]) == ("completed", items, 0), first
    assert again.status == "completed" and again.counts == {"added": 0, "updated": 0, "pruned": 0,
                                                            "unmatched": 0, "failed": 0}, again
    assert 0 < first.peak_rss_mb < 1000
