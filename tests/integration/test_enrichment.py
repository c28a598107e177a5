"""Enrichment at a glance (admin -> Catalog data, issue 36 item 5): per-source coverage counted from seeded rows,
a pause honoured by the source's scheduled handler, retry making failed items pending again, the unmatched items
(searched, keyset paged) and a manual match of a media server show that outlives a re-sync of the fake Jellyfin.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from cryptography.fernet import Fernet

from embedded.fakes.jellyfin import FakeJellyfin
from embedded.fakes.media_library import generate
from tests.integration import catalog_support as support
from tests.integration.tracking_support import Api

V1 = "/api/v1/admin/enrichment"
SETTINGS_KEY = Fernet.generate_key().decode()


@pytest.fixture
def admin(client, make_user, settings_env) -> Api:
    settings_env(SEEN_SETTINGS_KEY=SETTINGS_KEY)
    return Api(client, make_user(role="admin")[1])


def run(sql: str, **params: Any) -> list[dict[str, Any]]:
    return support.rows(sql, **params)


def title(media_type: str, name: str, **columns: Any) -> int:
    names = ["media_type", "title", *columns]
    values = ", ".join(f"%({n})s" for n in names)
    return run(f"INSERT INTO media_items ({', '.join(names)}) VALUES ({values}) RETURNING id",
               media_type=media_type, title=name, **columns)[0]["id"]


def server(name: str = "Den") -> str:
    return str(run("INSERT INTO media_servers (kind, name, url, token_ciphertext, key_id) VALUES"
                   " ('jellyfin', %(n)s, 'http://den.example:8096', '\\x00', 'k') RETURNING id", n=name)[0]["id"])


def server_item(server_id: str, item_id: str, kind: str, name: str, media_id: int | None = None,
                episode_id: int | None = None, year: int | None = 2001, parent: str | None = None) -> None:
    run("INSERT INTO media_server_items (server_id, item_id, kind, parent_item_id, title, year, open_url, media_id,"
        " episode_id, fingerprint, last_sync_id) VALUES (%(s)s, %(i)s, %(k)s, %(p)s, %(t)s, %(y)s, 'http://x',"
        " %(m)s, %(e)s, 'f', %(sync)s)", s=server_id, i=item_id, k=kind, p=parent, t=name, y=year, m=media_id,
        e=episode_id, sync=uuid.uuid4())


def channel(youtube_id: str, checked: bool, error: str | None) -> None:
    run("INSERT INTO channels (youtube_id, title, checked_at, last_error, failures, next_check_at)"
        " VALUES (%(y)s, 'c', %(at)s, %(e)s, %(f)s, now() + interval '3 hours')",
        y=youtube_id, at=datetime.now(UTC) if checked else None, e=error, f=2 if error else 0)


def seed() -> dict[str, Any]:
    now, yesterday = datetime.now(UTC), datetime.now(UTC) - timedelta(days=1)
    ids: dict[str, Any] = {
        "matched": title("movie", "Found", tmdb_id=1, details_fetched_at=now, details_attempted_at=now),
        "failed": title("movie", "Broken Details", tmdb_id=2, details_attempted_at=now),
        "not_found": title("movie", "Nowhere", imdb_id="tt0000001", backfill_attempted_at=yesterday,
                           ratings_attempted_at=yesterday),
        "pending": title("movie", "Not Yet", imdb_id="tt0000002"),
        "today": title("movie", "Tried Today", tmdb_id=6, imdb_id="tt0000003", ratings_attempted_at=now),
        "tvdb": title("show", "Timed", tmdb_id=3, details_fetched_at=now, extra='{"airTimeSource": "tvdb"}'),
        "no_tvdb": title("show", "Untimed", tmdb_id=4, details_fetched_at=now),
        "show_pending": title("show", "Unseen Show", tmdb_id=5),
    }
    run("INSERT INTO media_external_ratings (media_id, source, value) VALUES (%(m)s, 'imdb', '7.1/10')",
        m=ids["today"])
    ids["server"] = server()
    server_item(ids["server"], "m1", "movie", "Linked Movie", media_id=ids["matched"])
    server_item(ids["server"], "m2", "movie", "Home Video")
    server_item(ids["server"], "s1", "show", "Garage Show")
    server_item(ids["server"], "e1", "episode", "Pilot", parent="s1")
    channel("UC" + "a" * 22, True, None)
    channel("UC" + "b" * 22, True, "feed_unreachable")
    channel("UC" + "c" * 22, True, "channel_not_found")
    channel("UC" + "d" * 22, False, None)
    return ids


def coverage(admin: Api) -> dict[str, dict[str, Any]]:
    status, body = admin("GET", V1)
    assert status == 200, body
    return {s["source"]: s for s in body["sources"]}


def counts(source: dict[str, Any]) -> tuple[int, int, int, int]:
    return source["matched"], source["notFound"], source["pending"], source["failed"]


def scheduled(client: Any, handler: str) -> Any:
    event = client.events.generate_cw_event(source="aws.events", detail_type="Scheduled Event", detail={},
                                            resources=[])
    return client.lambda_.invoke(handler, event).payload


def test_each_source_counts_matched_not_found_pending_and_failed_from_its_own_rows(admin):
    seed()

    by = coverage(admin)

    assert list(by) == ["tmdb", "tvdb", "omdb", "media_servers", "channels"]
    # TMDB: details fetched (Found, Timed, Untimed); /find tried for nothing (Nowhere); not asked yet (Not Yet,
    # and the ids without details: Unseen Show, Tried Today); a detail fetch that failed (Broken Details).
    assert counts(by["tmdb"]) == (3, 1, 3, 1)
    assert counts(by["tvdb"]) == (1, 1, 1, 0)
    # OMDb: 2 titles with IMDb ids and no ratings (Nowhere tried, Not Yet not), 1 with a rating.
    assert counts(by["omdb"]) == (1, 1, 1, 0)
    assert counts(by["media_servers"]) == (1, 3, 0, 0) and by["media_servers"]["configured"] is True
    assert counts(by["channels"]) == (1, 1, 1, 1)
    assert not any(s["paused"] for s in by.values())
    assert by["tvdb"]["pausable"] is False and by["tmdb"]["label"] == "TMDB / IGDB"


def test_the_overview_is_for_admins_only(admin, client, make_user):
    user = Api(client, make_user()[1])

    assert user("GET", V1)[0] == 403
    assert user("POST", f"{V1}/channels/pause")[0] == 403
    assert user("GET", f"{V1}/unmatched")[0] == 403
    assert user("POST", f"{V1}/unmatched/media_servers/x~y/match", {"mediaId": 1})[0] == 403
    assert client.http.get(V1).status_code == 401


def test_a_paused_source_s_scheduled_handler_does_nothing_until_resumed(admin, client):
    status, body = admin("POST", f"{V1}/channels/pause")
    assert status == 200 and body["paused"] is True, body
    assert admin("POST", f"{V1}/channels/pause")[0] == 200  # idempotent

    skipped = scheduled(client, "channels_refresh")

    assert skipped["status"] == "skipped" and "paused" in skipped["stats"]["reason"], skipped
    assert run("SELECT 1 FROM sync_runs WHERE job_name = 'channels.refresh'") == []
    assert coverage(admin)["channels"]["paused"] is True

    status, body = admin("POST", f"{V1}/channels/resume")
    assert status == 200 and body["paused"] is False
    ran = scheduled(client, "channels_refresh")

    assert ran["job"] == "channels.refresh" and ran["status"] == "ok", ran
    assert len(run("SELECT 1 FROM sync_runs WHERE job_name = 'channels.refresh'")) == 1


def test_a_paused_ratings_pass_leaves_omdb_alone(admin, client):
    assert admin("POST", f"{V1}/omdb/pause")[0] == 200

    assert scheduled(client, "ratings_refresh")["status"] == "skipped"
    assert run("SELECT 1 FROM sync_runs WHERE job_name = 'ratings.omdb'") == []


def test_pause_of_an_unknown_or_unpausable_source_is_refused(admin):
    status, body = admin("POST", f"{V1}/imdb/pause")
    assert status == 404 and body["error"]["code"] == "unknown_source", body
    status, body = admin("POST", f"{V1}/tvdb/pause")
    assert status == 409 and body["error"]["code"] == "not_pausable", body
    assert admin("POST", f"{V1}/nope/retry")[0] == 404


def test_retry_makes_failed_and_not_found_items_pending_again(admin, settings_env):
    ids = seed()

    status, body = admin("POST", f"{V1}/tmdb/retry")
    assert status == 202 and body == {"source": "tmdb", "reset": 2, "queued": False}, body
    assert counts(coverage(admin)["tmdb"]) == (3, 0, 5, 0)

    status, body = admin("POST", f"{V1}/tvdb/retry")
    assert status == 409 and body["error"]["code"] == "not_configured", body  # no TVDB key in the tests
    settings_env(TVDB_API_KEY="tvdb-key")
    status, body = admin("POST", f"{V1}/tvdb/retry")
    assert status == 202 and body["reset"] == 1, body  # Untimed: rebuilt (asking TVDB) on its next view
    assert counts(coverage(admin)["tvdb"]) == (1, 0, 2, 0)

    status, body = admin("POST", f"{V1}/omdb/retry")
    assert status == 202 and body["reset"] == 1, body  # today's try stays: it counts against today's budget
    assert run("SELECT ratings_attempted_at FROM media_items WHERE id = %(i)s",
               i=ids["not_found"])[0]["ratings_attempted_at"] is None

    status, body = admin("POST", f"{V1}/channels/retry")
    assert status == 202 and body["reset"] == 2, body
    due = run("SELECT failures FROM channels WHERE last_error IS NOT NULL AND next_check_at <= now()")
    assert [r["failures"] for r in due] == [0, 0]

    assert admin("POST", f"{V1}/media_servers/pause")[0] == 200
    status, body = admin("POST", f"{V1}/media_servers/retry")
    assert status == 202 and body == {"source": "media_servers", "reset": 3, "queued": False}, body  # paused
    assert counts(coverage(admin)["media_servers"]) == (1, 0, 3, 0)
    assert admin("POST", f"{V1}/media_servers/resume")[0] == 200
    status, body = admin("POST", f"{V1}/media_servers/retry")
    assert status == 202 and body == {"source": "media_servers", "reset": 0, "queued": True}, body
    assert [r["trigger"] for r in run("SELECT trigger FROM media_server_syncs")] == ["manual"]


def test_unmatched_items_are_searched_by_title_and_keyset_paged(admin):
    ids = seed()
    for n in range(5):
        server_item(ids["server"], f"x{n}", "movie", f"Zed {n}")

    seen, cursor = [], None
    while True:
        status, page = admin("GET", f"{V1}/unmatched?limit=2" + (f"&cursor={cursor}" if cursor else ""))
        assert status == 200, page
        seen += [item["title"] for item in page["items"]]
        cursor = page["nextCursor"]
        if cursor is None:
            break
    assert seen == ["Garage Show", "Home Video", "Zed 0", "Zed 1", "Zed 2", "Zed 3", "Zed 4"]

    status, page = admin("GET", f"{V1}/unmatched?q=zed%203")
    assert status == 200 and [i["title"] for i in page["items"]] == ["Zed 3"], page
    item = page["items"][0]
    assert item["id"] == f"{ids['server']}~x3" and item["serverName"] == "Den" and item["kind"] == "movie"
    assert admin("GET", f"{V1}/unmatched?q=100%25")[1]["items"] == []  # a % is a character, not a wildcard

    status, page = admin("GET", f"{V1}/unmatched?source=tmdb")
    assert [i["title"] for i in page["items"]] == ["Not Yet", "Nowhere"], page

    assert admin("GET", f"{V1}/unmatched?cursor=bm9wZQ")[0] == 400
    assert admin("GET", f"{V1}/unmatched?source=omdb")[0] == 422


def test_a_manual_match_is_refused_for_a_missing_item_or_title_or_another_kind(admin):
    ids = seed()
    item = f"{V1}/unmatched/media_servers/{ids['server']}~m2/match"

    assert admin("POST", item, {"mediaId": 999999})[0] == 422
    status, body = admin("POST", item, {"mediaId": ids["tvdb"]})  # a show for a movie
    assert status == 422 and "mediaId" in body["error"]["fields"], body
    assert run("SELECT media_id FROM media_server_items WHERE item_id = 'm2'")[0]["media_id"] is None
    assert admin("POST", f"{V1}/unmatched/media_servers/{ids['server']}~e1/match", {"mediaId": ids["tvdb"]})[0] == 404
    assert admin("POST", f"{V1}/unmatched/media_servers/not-a-server/match", {"mediaId": 1})[0] == 404
    assert admin("POST", f"{V1}/unmatched/tmdb/{ids['pending']}/match", {"mediaId": 1})[0] == 404
    assert admin("POST", item, {"mediaId": "1"})[0] == 422

    status, body = admin("POST", item, {"mediaId": ids["matched"]})
    assert status == 200 and body["mediaId"] == ids["matched"] and body["title"] == "Home Video", body


def test_a_manually_matched_show_and_its_episodes_stay_matched_through_re_syncs(admin):
    from chalicelib import db
    from chalicelib.catalog import store
    from chalicelib.catalog.records import EpisodeRecord, MediaRecord, SeasonRecord
    from tests.integration.test_media_servers import add_server, sync

    library = generate(movies=2, shows=1, seasons=1, episodes=3)
    show = next(iter(library.shows.values()))
    show.imdb = show.tmdb = show.tvdb = None  # nothing the sync can match it by
    library.changed()
    episodes = [EpisodeRecord(season_number=1, episode_number=n) for n in (1, 2)]  # the catalog lacks E3
    record = MediaRecord(media_type="show", title="The Catalog's Name", tmdb_id=4242,
                         release_date=date(show.year, 1, 1), seasons=[SeasonRecord(season_number=1, episodes=episodes)])
    with db.transaction() as conn:
        show_id = store.save(conn, [record])[record.key]
    fake = FakeJellyfin(library).start()
    try:
        server_id = add_server(admin, fake)["id"]
        assert sync(admin, server_id)["counts"]["unmatched"] == 4  # the show and its three episodes
        status, page = admin("GET", f"{V1}/unmatched?q={show.title[:6]}")
        assert [i["id"] for i in page["items"]] == [f"{server_id}~{show.item_id}"], page

        status, body = admin("POST", f"{V1}/unmatched/media_servers/{server_id}~{show.item_id}/match",
                             {"mediaId": show_id})
        assert status == 200 and body["episodesLinked"] == 2 and body["mediaId"] == show_id, body
        linked = links(server_id)

        assert sync(admin, server_id)["status"] == "completed"  # unchanged on the server
        assert links(server_id) == linked
        library.rename(show.item_id, "Renamed On The Server")  # changed: read and matched again
        assert sync(admin, server_id)["status"] == "completed"
        assert links(server_id) == linked
    finally:
        fake.stop()
    assert linked[show.item_id] == (show_id, None)
    assert sorted(e for m, e in linked.values() if e is not None) == sorted(r["id"] for r in run(
        "SELECT id FROM episodes WHERE media_id = %(m)s AND episode_number IN (1, 2)", m=show_id))
    status, page = admin("GET", f"{V1}/unmatched")
    assert show.item_id not in {i["id"].split("~")[1] for i in page["items"]}


def links(server_id: str) -> dict[str, tuple[int | None, int | None]]:
    rows = run("SELECT item_id, media_id, episode_id FROM media_server_items WHERE server_id = %(s)s"
               " AND kind IN ('show', 'episode')", s=server_id)
    return {r["item_id"]: (r["media_id"], r["episode_id"]) for r in rows}
