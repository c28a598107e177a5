"""The storage janitor (issue 20, item 2) as a step of the daily cleanup: over the quota the made variants
of watched items go, oldest watch first, until the library fits; never an item that is playing, in a
watch-later list or a user's next up; originals never. Real Postgres, real objects in the moto bucket."""

from __future__ import annotations

import pytest

from chalicelib import aws
from chalicelib.config import get_aws_settings
from tests.integration.downloads_support import bucket_keys, drain_queue
from tests.integration.picks_support import make_world

SIZE = 1000  # every original and every variant


@pytest.fixture
def world(client, make_user, settings_env):
    return make_world(client, make_user, settings_env)


def put(key: str, size: int = SIZE) -> None:
    aws.client("s3").put_object(Bucket=get_aws_settings().bucket, Key=key, Body=b"x" * size)


class Library:
    """Library items with an original and one made variant each, and the user's watches of them."""

    def __init__(self, world) -> None:
        self.world = world

    def item(self, name: str, media_id: int, episode_id: int | None = None, hls: bool = False) -> str:
        original = f"library/{name}.mkv"
        put(original)
        [row] = self.world.sql(
            "INSERT INTO library_items (storage_key, file_name, size_bytes, match_state, media_id, episode_id) "
            "VALUES (%s, %s, %s, 'matched', %s, %s) RETURNING id", original, f"{name}.mkv", SIZE, media_id,
            episode_id)
        if hls:  # an HLS variant: a playlist and segments under the worker's output prefix
            prefix = f"{original}.variants/hls/"
            for part, size in (("index.m3u8", 100), ("seg0.ts", 450), ("seg1.ts", 450)):
                put(prefix + part, size)
            self.world.sql("INSERT INTO library_variants (library_item_id, mode, source_key, state, output_prefix, "
                           "playlist_key, size_bytes) VALUES (%s, 'hls', %s, 'completed', %s, %s, %s)",
                           row["id"], original, prefix, prefix + "index.m3u8", SIZE)
        else:  # the scanner's MP4 stream-copy remux
            put(f"library/{name}.mp4")
            self.world.sql("INSERT INTO library_streams (library_item_id, kind, storage_key, mime_type, size_bytes) "
                           "VALUES (%s, 'mp4_remux', %s, 'video/mp4', %s)", row["id"], f"library/{name}.mp4", SIZE)
        return str(row["id"])

    def watched(self, media_id: int, episode_id: int | None, days_ago: float) -> None:
        self.world.sql("INSERT INTO user_watched (user_id, media_id, episode_id, watched_at, source) "
                       "VALUES (%s, %s, %s, now() - %s * interval '1 day', 'player')",
                       self.world.user_id, media_id, episode_id, days_ago)


@pytest.fixture
def shelf(client, world):
    """Six items, 12,000 bytes: three plain watched movies (10, 5 and 1 days ago), one watched long ago but
    in watch later, and a show whose E01 (watched 20 days ago) is being rewatched now, which made E02
    (watched 25 days ago) the user's next up through a real heartbeat and prefetch."""
    lib = Library(world)
    movies = {name: world.movie(name) for name in ("Old", "Mid", "Recent", "Later")}
    show_id, episodes = world.show("Severance", {1: 2}, runtime=45)
    items = {name: lib.item(name, media_id, hls=name == "Old") for name, media_id in movies.items()}
    items["E01"] = lib.item("E01", show_id, episodes[(1, 1)])
    items["E02"] = lib.item("E02", show_id, episodes[(1, 2)])
    for name, days in (("Old", 10), ("Mid", 5), ("Recent", 1), ("Later", 30)):
        lib.watched(movies[name], None, days)
    lib.watched(show_id, episodes[(1, 1)], 20)
    lib.watched(show_id, episodes[(1, 2)], 25)
    assert world.user("PUT", f"/api/v1/watch-later/{movies['Later']}")[0] in (200, 201)
    status, _ = world.user("POST", "/api/v1/progress", {"mediaId": show_id, "episodeId": episodes[(1, 1)],
                                                        "durationSeconds": 2700.0, "positionSeconds": 1500.0})
    assert status == 200
    bodies = [m["Body"] for m in drain_queue(get_aws_settings().events_queue)]
    event = client.events.generate_sqs_event(message_bodies=bodies, queue_name=get_aws_settings().events_queue)
    assert client.lambda_.invoke("worker_events", event).payload == {"batchItemFailures": []}
    assert world.sql("SELECT how FROM playback_next_up WHERE episode_id = %s", episodes[(1, 2)]) == [
        {"how": "library"}]
    return items


def run_cleanup() -> dict:
    from chalicelib.cleanup import service

    result = service.run_job()
    assert result["status"] == "ok", result
    return result["stats"]


def variants_left(world) -> set[str]:
    rows = world.sql("SELECT li.file_name FROM library_items li WHERE EXISTS (SELECT 1 FROM library_streams s "
                     "WHERE s.library_item_id = li.id AND s.kind <> 'original') OR EXISTS (SELECT 1 FROM "
                     "library_variants v WHERE v.library_item_id = li.id)")
    return {r["file_name"].removesuffix(".mkv") for r in rows}


ALL = {"Old", "Mid", "Recent", "Later", "E01", "E02"}


def test_over_quota_the_oldest_watched_variants_go_until_the_library_fits(world, shelf, settings_env):
    settings_env(SEEN_STORAGE_QUOTA_BYTES="10500")
    stats = run_cleanup()

    assert (stats["evictedVariants"], stats["evictedBytes"]) == (2, 2 * SIZE)
    assert variants_left(world) == ALL - {"Old", "Mid"}  # E01 playing, E02 next up, Later in watch later
    keys = bucket_keys("library/")
    assert not [k for k in keys if k.startswith("library/Old.mkv.variants/")] and "library/Mid.mp4" not in keys
    assert {f"library/{name}.mkv" for name in ALL} <= set(keys)  # originals are never evicted
    assert {"library/Recent.mp4", "library/E01.mp4", "library/E02.mp4", "library/Later.mp4"} <= set(keys)
    evictions = world.sql("SELECT library_item_id, kind, storage_key, objects, size_bytes, reason "
                          "FROM storage_evictions ORDER BY id")
    assert [(str(e["library_item_id"]), e["kind"], e["objects"], e["size_bytes"], e["reason"])
            for e in evictions] == [(shelf["Old"], "hls", 3, SIZE, "quota"),
                                    (shelf["Mid"], "mp4_remux", 1, SIZE, "quota")]
    assert run_cleanup() == {**stats, "evictedVariants": 0, "evictedBytes": 0}  # fits now: nothing more


def test_under_quota_nothing_is_evicted(world, shelf, settings_env):
    settings_env(SEEN_STORAGE_QUOTA_BYTES="12000")
    stats = run_cleanup()
    assert (stats["evictedVariants"], stats["evictedBytes"]) == (0, 0)
    assert variants_left(world) == ALL
    assert world.sql("SELECT 1 FROM storage_evictions") == []


def test_even_far_over_quota_playing_next_up_and_watch_later_items_are_kept(world, shelf, settings_env):
    settings_env(SEEN_STORAGE_QUOTA_BYTES="1")
    stats = run_cleanup()
    assert stats["evictedVariants"] == 3
    assert variants_left(world) == {"E01", "E02", "Later"}


def test_variants_watched_longer_ago_than_the_max_age_go_whatever_the_quota(world, shelf, settings_env):
    settings_env(SEEN_STORAGE_MAX_AGE_DAYS="7")
    stats = run_cleanup()
    assert (stats["evictedVariants"], variants_left(world)) == (1, ALL - {"Old"})
    assert world.sql("SELECT reason FROM storage_evictions") == [{"reason": "age"}]


def test_with_neither_quota_nor_max_age_the_janitor_stays_out_of_the_stats(world, shelf):
    assert "evictedVariants" not in run_cleanup()
    assert variants_left(world) == ALL


def test_the_admin_view_of_evictions_lists_them_newest_first(world, shelf, settings_env):
    from chalicelib import db
    from chalicelib.playback import janitor

    settings_env(SEEN_STORAGE_QUOTA_BYTES="10500")
    run_cleanup()
    with db.connection() as conn:
        recent = janitor.recent(conn)
    assert [r["kind"] for r in recent] == ["mp4_remux", "hls"]
