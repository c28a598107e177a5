"""GET /api/v1/dashboard: shape (empty and full), caching + invalidation, statement count, degraded widget."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import psycopg
import pytest

from chalicelib import cache
from tests.integration.downloads_support import submit

URL = "/api/v1/dashboard"
WIDGETS = {"continueWatching", "watchLater", "gameBacklog", "recentlyPlayedGames", "activeDownloads",
           "recommendations", "upcomingReleases", "trending", "recentlyWatched", "fromPeopleYouFollow",
           "newFromChannels"}


@pytest.fixture
def statements(monkeypatch):
    """Every statement any connection sends while the test runs (instrumentation, not a fake)."""
    sent: list[str] = []
    original = psycopg.Cursor.execute

    def counting(self, query, params=None, **kwargs):
        sent.append(str(query))
        return original(self, query, params, **kwargs)

    monkeypatch.setattr(psycopg.Cursor, "execute", counting)
    return sent


def _fill(user_id, api, cat, client, headers) -> dict:
    """Some history, a watch later list, a backlog, a running download, a snapshot, a release, a trending row,
    a followed person with a title."""
    movie, later, game = cat.movie("Heat"), cat.movie("Ran"), cat.game("Hades")
    show, episodes = cat.show({1: 3})
    assert api("PUT", f"/api/v1/watch-later/{later}")[0] in (200, 201)
    assert api("POST", "/api/v1/progress",
               {"mediaId": movie, "durationSeconds": 6000.0, "positionSeconds": 1200.0})[0] == 200
    assert api("POST", "/api/v1/watched", {"mediaId": show, "episodeId": episodes[(1, 1)]})[0] == 201
    assert api("PUT", f"/api/v1/games/backlog/{game}", {"status": "active", "hoursPlayed": 3.5})[0] == 200
    job = json.loads(submit(client, headers).body)["id"]
    conn = cat.conn
    conn.execute("UPDATE download_jobs SET status = 'downloading' WHERE id = %s", (job,))
    from chalicelib.telemetry import DownloadTelemetry

    DownloadTelemetry(job, attempt=1, status="downloading", progress=42.0, updated_at=datetime.now(UTC)).save()
    rec = cat.movie("Alien")
    # A snapshot made from the user's taste as it is now (the dashboard recomputes a stale one).
    from chalicelib import db

    [state] = db.queries().recs_taste_states(conn, user_ids=[user_id], all_users=False)
    conn.execute("INSERT INTO recommendation_snapshots (user_id, algorithm_version, items, item_count, stats) "
                 "VALUES (%s, 'test', %s::jsonb, 1, %s::jsonb)",
                 (user_id, json.dumps([{"mediaId": rec, "score": 0.9, "reasons": ["genre"]}]),
                  json.dumps({"taste": state["taste"]})))
    soon = cat.movie("Dune Part Three")
    conn.execute("INSERT INTO release_events (media_id, kind, release_date, release_type, region, source) "
                 "VALUES (%s, 'movie_release', %s, 'theatrical', 'US', 'tmdb')",
                 (soon, date.today() + timedelta(days=5)))
    hot = cat.movie("Trending One", popularity=99.0)
    section = conn.execute("INSERT INTO discover_sections (key, title, source) VALUES "
                           "('tmdb.movies.trending_day', 'Trending', 'tmdb') RETURNING id").fetchone()["id"]
    conn.execute("INSERT INTO discover_section_items (section_id, media_id, position) VALUES (%s, %s, 0)",
                 (section, hot))
    star = conn.execute("INSERT INTO people (name) VALUES ('Dash Star') RETURNING id").fetchone()["id"]
    starring = cat.movie("Star Vehicle")
    conn.execute("INSERT INTO media_credits (media_id, kind, ordering, person_id, source) "
                 "VALUES (%s, 'cast', 0, %s, 'tmdb')", (starring, star))
    assert api("PUT", f"/api/v1/follows/people/{star}")[0] == 200
    return {"movie": movie, "later": later, "game": game, "show": show, "job": job, "rec": rec, "soon": soon,
            "hot": hot, "starring": starring}


def test_empty_dashboard_has_every_widget_with_an_empty_state(me):
    _, api = me
    status, data = api("GET", URL)
    assert status == 200
    assert set(data) == WIDGETS
    for name in WIDGETS:
        assert data[name] == {"items": [], "error": None}, name


def test_full_dashboard_fills_every_widget(me, cat, client, make_user):
    user_id, api = me
    ids = _fill(user_id, api, cat, client, api.headers)
    status, data = api("GET", URL)
    assert status == 200
    assert [w for w in WIDGETS if data[w]["error"] is not None] == []
    assert data["continueWatching"]["items"][0]["media"]["id"] in (ids["movie"], ids["show"])
    assert [i["media"]["id"] for i in data["watchLater"]["items"]] == [ids["later"]]
    assert [i["media"]["id"] for i in data["gameBacklog"]["items"]] == [ids["game"]]
    assert [i["media"]["id"] for i in data["recentlyPlayedGames"]["items"]] == [ids["game"]]
    [download] = data["activeDownloads"]["items"]
    assert download["id"] == ids["job"] and download["progress"] == 42.0
    assert [i["media"]["id"] for i in data["recommendations"]["items"]] == [ids["rec"]]
    assert [i["media"]["id"] for i in data["upcomingReleases"]["items"]] == [ids["soon"]]
    assert [i["id"] for i in data["trending"]["items"]] == [ids["hot"]]
    assert [i["media"]["id"] for i in data["recentlyWatched"]["items"]] == [ids["show"]]
    assert [i["media"]["id"] for i in data["fromPeopleYouFollow"]["items"]] == [ids["starring"]]
    # Another user sees none of it.
    _, other = make_user()
    other_data = json.loads(client.http.get(URL, headers=other).body)
    assert other_data["watchLater"]["items"] == [] and other_data["activeDownloads"]["items"] == []


def test_a_cold_build_takes_one_connection_from_the_pool(me, cat, client, settings_env, redis_client):
    """A widget that took a second connection while the build held one starved the pool under load (every
    request thread holding one, waiting for another): with a pool of one it would time out."""
    from chalicelib import db

    user_id, api = me
    _fill(user_id, api, cat, client, api.headers)
    settings_env(SEEN_DB_POOL_SIZE="1", SEEN_DB_CONNECT_TIMEOUT="1")
    db.reset()
    redis_client.flushdb()
    try:
        status, data = api("GET", URL)
    finally:
        db.reset()
    assert status == 200
    assert [w for w in WIDGETS if data[w]["error"] is not None] == []
    assert data["upcomingReleases"]["items"]


def _fresh_recommendations(user_id) -> None:
    """Bring the user's recommendation snapshot up to date (a stale one is recomputed by the dashboard, which
    costs the statements of a snapshot: counted apart, in the recommendations tests)."""
    from chalicelib import db
    from chalicelib.recommendations.service import fresh_snapshot

    with db.connection() as conn:
        fresh_snapshot(conn, user_id)


def test_cold_build_issues_a_fixed_number_of_statements(me, cat, client, statements, redis_client):
    user_id, api = me
    _fresh_recommendations(user_id)
    statements.clear()
    api("GET", URL)
    empty = len(statements)
    _fill(user_id, api, cat, client, api.headers)
    for _ in range(3):  # more of everything must not add statements
        api("PUT", f"/api/v1/watch-later/{cat.movie()}")
        api("POST", "/api/v1/watched", {"mediaId": cat.movie()})
        api("PUT", f"/api/v1/games/backlog/{cat.game()}", {"status": "paused", "hoursPlayed": 1.0})
    _fresh_recommendations(user_id)
    redis_client.flushdb()
    statements.clear()
    status, data = api("GET", URL)
    assert status == 200 and len(data["recentlyWatched"]["items"]) == 4
    full = len(statements)
    assert full == empty, statements  # the same statements with one row or many: no N+1
    # Issue 22's bound, with nothing cached (the session check included): 11 widget statements (2 continue
    # watching, 1 watch later, 1 backlog, 1 downloads, 1 recommendations, 2 calendar: the user's region is read
    # inside the events query, 1 trending + from people you follow, 1 history, 1 new from channels), the
    # recommendations' taste fingerprint, the session check, and the pool's '' health check of each of the 3
    # connections.
    assert full <= 16, statements
    redis_client.delete(cache.Keys.dashboard(user_id))
    statements.clear()
    api("GET", URL)  # the session check is cached now, and the calendar months
    # the widgets' statements and the recommendations' taste fingerprint (is the snapshot still fresh?)
    assert len([s for s in statements if s.strip()]) == 10, statements


def test_dashboard_is_cached_and_invalidated_by_a_watch_later_change(me, cat, redis_client):
    user_id, api = me
    movie = cat.movie()
    assert api("GET", URL)[1]["watchLater"]["items"] == []
    assert redis_client.exists(cache.Keys.dashboard(user_id))
    # A row written behind the API's back stays invisible while cached...
    cat.conn.execute("INSERT INTO user_watch_later (user_id, media_id) VALUES (%s, %s)", (user_id, cat.movie()))
    assert api("GET", URL)[1]["watchLater"]["items"] == []
    # ...and a write through the API invalidates the key.
    assert api("PUT", f"/api/v1/watch-later/{movie}")[0] in (200, 201)
    assert len(api("GET", URL)[1]["watchLater"]["items"]) == 2


def test_unavailable_telemetry_degrades_only_the_downloads_widget(me, cat, client, monkeypatch, redis_client):
    from chalicelib.telemetry import DownloadTelemetry

    user_id, api = me
    _fill(user_id, api, cat, client, api.headers)
    redis_client.flushdb()
    # The table name points at a table that does not exist: DynamoDB answers ResourceNotFound.
    monkeypatch.setattr(DownloadTelemetry.Meta, "table_name", "seen-missing-telemetry-table")
    monkeypatch.setattr(DownloadTelemetry, "_connection", None)
    status, data = api("GET", URL)
    assert status == 200
    assert data["activeDownloads"] == {"items": [], "error": "unavailable"}
    assert all(data[w]["error"] is None and data[w]["items"] for w in WIDGETS - {"activeDownloads", "newFromChannels"})
    assert data["newFromChannels"] == {"items": [], "error": None}  # no channel followed (test_channels fills it)
    # A degraded dashboard is not cached: the next request retries the source.
    assert not redis_client.exists(cache.Keys.dashboard(user_id))


def test_dashboard_requires_a_login(client):
    assert client.http.get(URL).status_code == 401


def _telemetry(job: str, progress: float, speed: float = 0.0) -> None:
    from chalicelib.telemetry import DownloadTelemetry

    DownloadTelemetry(job, attempt=1, status="downloading", progress=progress, speed_bps=speed,
                      updated_at=datetime.now(UTC)).save()


def _progress(api) -> float:
    return api("GET", URL)[1]["activeDownloads"]["items"][0]["progress"]


def test_a_warm_dashboard_is_one_cache_read_and_running_downloads_get_live_telemetry_every_few_seconds(
        me, cat, client, statements, redis_client, clock):
    from chalicelib.dashboard.service import LIVE_SECONDS

    user_id, api = me
    ids = _fill(user_id, api, cat, client, api.headers)
    assert _progress(api) == 42.0
    assert redis_client.exists(cache.Keys.dashboard(user_id))
    _telemetry(ids["job"], 77.5, speed=2048.0)
    statements.clear()
    # Warm: the cached text as is (no SQL at all: the session check is cached too), even with newer telemetry.
    assert _progress(api) == 42.0 and statements == []
    clock.advance(seconds=LIVE_SECONDS)
    status, data = api("GET", URL)
    assert status == 200
    [download] = data["activeDownloads"]["items"]
    assert (download["progress"], download["speedBps"], download["live"]) == (77.5, 2048.0, True)
    assert statements == []  # the merge reads DynamoDB only
    assert data["watchLater"]["items"][0]["media"]["id"] == ids["later"]
    # The merge was written back: the next read serves it from the cache.
    _telemetry(ids["job"], 80.0)
    assert _progress(api) == 77.5


def test_cached_progress_never_goes_backwards_and_stale_attempts_are_ignored(me, cat, client, redis_client, clock):
    from chalicelib.dashboard.service import LIVE_SECONDS
    from chalicelib.telemetry import DownloadTelemetry

    user_id, api = me
    ids = _fill(user_id, api, cat, client, api.headers)
    api("GET", URL)
    _telemetry(ids["job"], 10.0)  # a lagging item
    clock.advance(seconds=LIVE_SECONDS)
    assert _progress(api) == 42.0
    DownloadTelemetry(ids["job"], attempt=7, status="downloading", progress=99.0,
                      updated_at=datetime.now(UTC)).save()  # another attempt's item
    clock.advance(seconds=LIVE_SECONDS)
    assert _progress(api) == 42.0


def test_a_merge_does_not_bring_back_an_entry_invalidated_meanwhile(me, cat, client, redis_client, monkeypatch,
                                                                   clock):
    from chalicelib.dashboard import service

    user_id, api = me
    ids = _fill(user_id, api, cat, client, api.headers)
    api("GET", URL)
    clock.advance(seconds=service.LIVE_SECONDS)
    original = service.refresh_live

    def invalidated_during_the_merge(widget):
        cache.invalidate(cache.Keys.dashboard(user_id))  # a state change lands while DynamoDB is read
        return original(widget)

    monkeypatch.setattr(service, "refresh_live", invalidated_during_the_merge)
    assert api("GET", URL)[1]["activeDownloads"]["items"][0]["id"] == ids["job"]
    assert not redis_client.exists(cache.Keys.dashboard(user_id))


def test_a_dashboard_without_running_downloads_is_never_merged(me, cat, client, redis_client, clock, monkeypatch):
    from chalicelib.dashboard import service

    user_id, api = me
    api("PUT", f"/api/v1/watch-later/{cat.movie()}")
    api("GET", URL)
    assert redis_client.get(cache.Keys.dashboard(user_id)).startswith(service.HEADER + b"0.000\n")
    monkeypatch.setattr(service, "refresh_live", None)  # calling it would fail the request
    clock.advance(seconds=60)
    assert len(api("GET", URL)[1]["watchLater"]["items"]) == 1


def test_unavailable_telemetry_on_a_cached_read_degrades_only_the_downloads_widget(me, cat, client, monkeypatch,
                                                                                  redis_client, clock):
    from chalicelib.dashboard.service import LIVE_SECONDS
    from chalicelib.telemetry import DownloadTelemetry

    user_id, api = me
    _fill(user_id, api, cat, client, api.headers)
    api("GET", URL)
    entry = redis_client.get(cache.Keys.dashboard(user_id))
    monkeypatch.setattr(DownloadTelemetry.Meta, "table_name", "seen-missing-telemetry-table")
    monkeypatch.setattr(DownloadTelemetry, "_connection", None)
    clock.advance(seconds=LIVE_SECONDS)
    data = api("GET", URL)[1]
    assert data["activeDownloads"] == {"items": [], "error": "unavailable"}
    assert data["watchLater"]["items"] and data["watchLater"]["error"] is None
    # The degraded merge is not written back: the entry still holds the last good downloads.
    assert redis_client.get(cache.Keys.dashboard(user_id)) == entry


def test_a_download_state_change_drops_the_cached_dashboard(me, cat, client, redis_client):
    user_id, api = me
    ids = _fill(user_id, api, cat, client, api.headers)
    api("GET", URL)
    assert client.http.delete(f"/api/v1/downloads/{ids['job']}", headers=api.headers).status_code == 200
    assert not redis_client.exists(cache.Keys.dashboard(user_id))
    assert api("GET", URL)[1]["activeDownloads"]["items"] == []


def _seed_keys(redis_client, user_id) -> dict[str, str]:
    keys = {"dashboard": cache.Keys.dashboard(user_id), "recommendations": cache.Keys.recommendations(user_id),
            "continue_watching": cache.Keys.continue_watching(user_id)}
    for key in keys.values():
        redis_client.set(key, "{}")
    return keys


def _left(redis_client, keys: dict[str, str]) -> set[str]:
    return {name for name, key in keys.items() if redis_client.exists(key)}


def test_a_watch_later_change_invalidates_dashboard_and_recommendations_only(me, cat, redis_client):
    user_id, api = me
    keys = _seed_keys(redis_client, user_id)
    assert api("PUT", f"/api/v1/watch-later/{cat.movie()}")[0] in (200, 201)
    assert _left(redis_client, keys) == {"continue_watching"}


def test_progress_invalidates_continue_watching_and_dashboard_only(me, cat, redis_client):
    user_id, api = me
    keys = _seed_keys(redis_client, user_id)
    body = {"mediaId": cat.movie(), "durationSeconds": 6000.0, "positionSeconds": 600.0}
    assert api("POST", "/api/v1/progress", body)[0] == 200
    assert _left(redis_client, keys) == {"recommendations"}


def test_a_rating_reshapes_the_dashboards_recommendations_on_the_next_view(me, cat):
    from chalicelib import db

    user_id, api = me
    liked = cat.movie("Liked One")
    _fresh_recommendations(user_id)

    def snapshots() -> int:
        with db.connection() as conn:
            return conn.execute("SELECT count(*) AS n FROM recommendation_snapshots WHERE user_id = %s",
                                (user_id,)).fetchone()["n"]

    before = snapshots()
    assert api("GET", URL)[0] == 200
    assert snapshots() == before  # fresh: read as it is
    assert api("PUT", f"/api/v1/ratings/{liked}", {"rating": 9})[0] in (200, 201)
    assert api("GET", URL)[0] == 200  # the rating invalidated the cached dashboard
    assert snapshots() == before + 1  # and its recommendations were recomputed from the new taste
