"""Jellyfin and Plex servers as library sources (issue 36): the admin API, a sync of a 2,000-item library
against fake servers speaking the real wire format, re-syncs that prune and update, broken items, and what
owning a title shows (``owned`` on the title pages, owned airing shows followed by default).

The sync runs as in production: the API queues ``media_servers.sync`` on the imports queue (moto SQS) and
the imports consumer's handler takes it from there.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

import pytest
from cryptography.fernet import Fernet

from embedded.fakes.jellyfin import FakeJellyfin
from embedded.fakes.media_library import Library, generate
from embedded.fakes.plex import FakePlex
from tests.integration import catalog_support as support
from tests.integration.downloads_support import drain_queue
from tests.integration.tracking_support import Api

V1 = "/api/v1/admin/media-servers"
SETTINGS_KEY = Fernet.generate_key().decode()


@pytest.fixture
def admin(client, make_user, settings_env) -> Api:
    settings_env(SEEN_SETTINGS_KEY=SETTINGS_KEY)
    return Api(client, make_user(role="admin")[1])


@pytest.fixture
def library() -> Library:
    # 800 movies + 100 shows x 2 seasons x 5 episodes: 2,100 items.
    return generate(movies=800, shows=100, seasons=2, episodes=5)


@pytest.fixture
def jellyfin(library):
    fake = FakeJellyfin(library).start()
    yield fake
    fake.stop()


def add_server(admin: Api, fake: Any, kind: str = "jellyfin", **more: Any) -> dict[str, Any]:
    token = fake.api_key if kind == "jellyfin" else fake.token
    status, body = admin("POST", V1, {"kind": kind, "name": f"Home {kind}", "url": fake.url, "token": token,
                                      "allowPrivate": True, **more})
    assert status == 201, body
    return body


def sync(admin: Api, server_id: str) -> dict[str, Any]:
    """Ask for a sync, run the imports consumer on what was queued, and answer the sync's state."""
    from chalicelib.config import get_aws_settings
    from chalicelib.imports import handlers

    status, started = admin("POST", f"{V1}/{server_id}/sync")
    assert status == 202, started
    messages = drain_queue(get_aws_settings().imports_queue)
    assert [json.loads(m["Body"])["type"] for m in messages] == ["media_servers.sync"]
    records = [{"messageId": m["MessageId"], "body": m["Body"]} for m in messages]
    assert handlers.handle_batch(records) == {"batchItemFailures": []}
    status, body = admin("GET", f"{V1}/{server_id}/sync")
    assert status == 200 and body["id"] == started["syncId"], body
    return body


def owned_rows(server_id: str) -> dict[str, dict[str, Any]]:
    rows = support.rows("SELECT item_id, kind, media_id, episode_id, title, open_url, playable"
                        " FROM media_server_items WHERE server_id = %(s)s", s=server_id)
    return {row["item_id"]: row for row in rows}


def test_the_admin_adds_tests_changes_and_removes_a_server_and_never_sees_its_token(admin, jellyfin, make_user,
                                                                                     client):
    server = add_server(admin, jellyfin)
    assert server["tokenSet"] is True and "token" not in server and server["lastSync"] is None
    assert admin("POST", V1, {"kind": "jellyfin", "name": "home JELLYFIN", "url": jellyfin.url, "token": "x"})[0] == 409
    status, body = admin("POST", V1, {"kind": "emby", "name": "x", "url": "ftp://x", "token": "x"})
    assert status == 422 and {"kind", "url"} <= set(body["error"]["fields"]), body
    assert Api(client, make_user()[1])("GET", V1)[0] == 403  # admins only

    status, tested = admin("POST", f"{V1}/{server['id']}/test")
    assert status == 200, tested
    assert (tested["remoteId"], tested["remoteName"]) == (jellyfin.server_id, jellyfin.server_name)

    status, changed = admin("PATCH", f"{V1}/{server['id']}", {"token": "wrong-key"})
    assert status == 200 and changed["remoteId"] == jellyfin.server_id  # the same URL: still that server
    status, body = admin("POST", f"{V1}/{server['id']}/test")
    assert status == 502 and "refused the key" in body["error"]["message"], body
    assert "wrong-key" not in json.dumps(body)

    assert admin("DELETE", f"{V1}/{server['id']}")[0] == 204
    assert admin("GET", f"{V1}/{server['id']}")[0] == 404
    assert admin("GET", f"{V1}/not-a-uuid")[0] == 404


def test_a_lan_address_is_refused_unless_the_admin_allows_it(admin, jellyfin):
    server = add_server(admin, jellyfin, allowPrivate=False)

    status, body = admin("POST", f"{V1}/{server['id']}/test")

    assert status == 502 and "not allowed" in body["error"]["message"], body
    assert admin("PATCH", f"{V1}/{server['id']}", {"allowPrivate": True})[0] == 200
    assert admin("POST", f"{V1}/{server['id']}/test")[0] == 200


def seed_catalog(library: Library) -> dict[str, int]:
    """Half the movies already in the catalog by TMDB id, a few shows by TVDB id only and a few movies by
    title and year only: the sync must find each the way it can."""
    from chalicelib import db
    from chalicelib.catalog import store
    from chalicelib.catalog.records import MediaRecord

    movies = sorted(library.movies.values(), key=lambda m: m.tmdb or 0)
    records = [MediaRecord(media_type="movie", title=m.title, tmdb_id=m.tmdb) for m in movies[:400]]
    by_title = movies[400:420]
    for movie in by_title:  # the server knows no id of these, the catalog knows the title
        movie.imdb = movie.tmdb = movie.tvdb = None
        records.append(MediaRecord(media_type="movie", title=movie.title, release_date=date(movie.year, 6, 1)))
    shows = sorted(library.shows.values(), key=lambda s: s.tvdb or 0)[:10]
    records += [MediaRecord(media_type="show", title=s.title + " (catalog)", tvdb_id=s.tvdb, tmdb_id=None,
                            imdb_id=None, release_date=date(s.year, 1, 1)) for s in shows]
    library.changed()
    with db.transaction() as conn:
        ids = store.save(conn, records)
    return ids


def test_a_first_sync_matches_by_provider_ids_and_a_second_prunes_updates_and_counts_the_broken(
        admin, jellyfin, library):
    seed_catalog(library)
    broken = sorted(library.movies)[:3]
    for item_id in broken:
        library.set_broken(item_id)
    server = add_server(admin, jellyfin)
    total = library.item_count()

    first = sync(admin, server["id"])

    assert first["status"] == "completed", first
    assert first["counts"] == {"added": total - 3, "updated": 0, "pruned": 0, "unmatched": 0, "failed": 3}
    stored = owned_rows(server["id"])
    assert len(stored) == total - 3
    catalog = {r["tmdb_id"]: r["id"] for r in support.rows(
        "SELECT id, tmdb_id FROM media_items WHERE media_type = 'movie' AND tmdb_id IS NOT NULL")}
    for movie in library.movies.values():
        if movie.item_id not in broken and movie.tmdb:
            assert stored[movie.item_id]["media_id"] == catalog[movie.tmdb], movie.title
    tvdb_shows = {r["tvdb_id"]: r["id"] for r in support.rows(
        "SELECT id, tvdb_id FROM media_items WHERE media_type = 'show' AND title LIKE '%%(catalog)'")}
    for show in library.shows.values():
        if show.tvdb in tvdb_shows:  # matched by TVDB id to the catalog's own (differently titled) row
            assert stored[show.item_id]["media_id"] == tvdb_shows[show.tvdb]
    episodes = [r for r in stored.values() if r["kind"] == "episode"]
    assert episodes and all(r["episode_id"] is not None for r in episodes if r["media_id"] is not None)
    movie = next(iter(m for m in library.movies.values() if m.item_id not in broken))
    assert stored[movie.item_id]["open_url"] == (f"{jellyfin.url}/web/#/details?id={movie.item_id}"
                                                  f"&serverId={jellyfin.server_id}")

    gone_show = sorted(library.shows)[0]
    gone_show_items = 1 + sum(1 + len(season.episodes) for season in library.shows[gone_show].seasons)
    gone_movie, renamed = sorted(library.movies)[-1], sorted(library.movies)[-2]
    library.remove(gone_movie)
    library.remove(gone_show)
    library.rename(renamed, "A Renamed Movie")
    library.set_broken(broken[0], False)

    second = sync(admin, server["id"])

    assert second["counts"] == {"added": 1, "updated": 1, "pruned": 1 + gone_show_items, "unmatched": 0,
                                "failed": 2}, second
    after = owned_rows(server["id"])
    assert after[renamed]["title"] == "A Renamed Movie" and gone_movie not in after and gone_show not in after
    assert admin("GET", V1)[1]["items"][0]["lastSync"]["id"] == second["id"]


def test_a_server_that_fails_mid_sync_changes_nothing_and_says_why(admin, jellyfin, library):
    server = add_server(admin, jellyfin)
    first = sync(admin, server["id"])
    assert first["status"] == "completed"
    before = owned_rows(server["id"])
    jellyfin.api_key = "rotated"  # the server now refuses the stored key

    failed = sync(admin, server["id"])

    assert failed["status"] == "failed" and "refused the key" in failed["error"], failed
    assert owned_rows(server["id"]) == before  # nothing pruned


def test_a_sync_page_nested_past_the_limit_fails_the_sync_saying_so(admin, jellyfin, library):
    server = add_server(admin, jellyfin)
    jellyfin.fail("/Items", 200, times=5, body=b'{"Items": [' + b"[" * 65 + b"]" * 65 + b"]}")

    failed = sync(admin, server["id"])

    assert failed["status"] == "failed" and "nested deeper than 64 levels" in failed["error"], failed
    assert not owned_rows(server["id"])


def test_a_plex_library_syncs_its_movies_shows_seasons_and_episodes_page_by_page(admin, make_user, client):
    library = generate(movies=60, shows=5, seasons=2, episodes=3, seed=7)
    plex = FakePlex(library).start()
    try:
        server = add_server(admin, plex, kind="plex")
        done = sync(admin, server["id"])
    finally:
        plex.stop()
    assert done["status"] == "completed", done
    assert done["counts"]["added"] == library.item_count() and done["counts"]["failed"] == 0
    stored = owned_rows(server["id"])
    kinds = sorted({r["kind"] for r in stored.values()})
    assert kinds == ["episode", "movie", "season", "show"]
    show = next(iter(library.shows.values()))
    key = plex.rating_key(show.item_id)
    assert stored[key]["open_url"].endswith(f"details?key=%2Flibrary%2Fmetadata%2F{key}")


def test_an_owned_title_says_so_and_an_owned_airing_show_is_followed_by_default(admin, jellyfin, library, make_user,
                                                                                client):
    from chalicelib import clock

    soon = clock.now().date() + timedelta(days=2)
    next_up = next(s for s in library.shows.values() if s.status == "Continuing").seasons[0].episodes[-1]
    next_up.air_date = soon
    library.changed()
    server = add_server(admin, jellyfin)
    sync(admin, server["id"])
    movie = next(iter(library.movies.values()))
    movie_id = support.rows("SELECT id FROM media_items WHERE media_type = 'movie' AND tmdb_id = %(t)s",
                            t=movie.tmdb)[0]["id"]
    user = Api(client, make_user()[1])

    status, page = user("GET", f"/api/v1/movies/{movie_id}")

    assert status == 200, page
    assert page["owned"] == [{"serverId": server["id"], "serverName": "Home jellyfin", "kind": "jellyfin",
                              "itemId": movie.item_id, "playable": True,
                              "openUrl": f"{jellyfin.url}/web/#/details?id={movie.item_id}"
                                         f"&serverId={jellyfin.server_id}"}]
    airing = next(s for s in library.shows.values() if s.status == "Continuing")
    ended = next(s for s in library.shows.values() if s.status == "Ended")
    ids = {s.item_id: support.rows("SELECT id FROM media_items WHERE media_type = 'show' AND tmdb_id = %(t)s",
                                   t=s.tmdb)[0]["id"] for s in (airing, ended)}
    status, season = user("GET", f"/api/v1/shows/{ids[airing.item_id]}/seasons/1")
    assert status == 200 and all(e["owned"] and e["owned"][0]["kind"] == "jellyfin" for e in season["episodes"])

    status, follows = user("GET", "/api/v1/follows")
    followed = {f["media"]["id"] for f in follows["items"]}
    assert ids[airing.item_id] in followed and ids[ended.item_id] not in followed
    status, week = user("GET", "/api/v1/calendar?view=week")  # its next episode, from the server's own dates
    assert status == 200, week
    assert [(e["date"], e["episode"]["episodeNumber"], e["ownedOn"]) for e in week["items"]
            if e["media"]["id"] == ids[airing.item_id]] == [(soon.isoformat(), next_up.number, ["Home jellyfin"])]
    assert user("PUT", f"/api/v1/follows/{ids[airing.item_id]}", {"state": "mute"})[0] == 200
    status, follows = user("GET", "/api/v1/follows")
    assert [f["state"] for f in follows["items"] if f["media"]["id"] == ids[airing.item_id]] == ["mute"]

    assert admin("DELETE", f"{V1}/{server['id']}")[0] == 204
    assert user("GET", f"/api/v1/movies/{movie_id}")[1]["owned"] == []


def stored_state(server_id: str) -> dict[str, tuple[Any, Any, Any]]:
    rows = support.rows("SELECT item_id, updated_at, facts, source_tag FROM media_server_items"
                        " WHERE server_id = %(s)s", s=server_id)
    return {row["item_id"]: (row["updated_at"], row["facts"], row["source_tag"]) for row in rows}


def test_a_resync_rewrites_only_the_item_whose_content_changed_and_an_unchanged_one_writes_nothing(
        admin, jellyfin, library):
    server = add_server(admin, jellyfin)
    assert sync(admin, server["id"])["status"] == "completed"
    before = stored_state(server["id"])
    assert all(tag for _, _, tag in before.values())  # every stored item carries its Etag
    edited = library.movies[sorted(library.movies)[5]]
    edited.overview = "A new plot, and nothing else changed."  # only the item's JSON (and so its Etag) moves
    library.changed()

    second = sync(admin, server["id"])

    assert second["counts"] == {"added": 0, "updated": 1, "pruned": 0, "unmatched": 0, "failed": 0}, second
    after = stored_state(server["id"])
    assert {item_id for item_id in after if after[item_id] != before[item_id]} == {edited.item_id}
    assert after[edited.item_id][1]["overview"] == "A new plot, and nothing else changed."

    third = sync(admin, server["id"])

    assert third["counts"] == {"added": 0, "updated": 0, "pruned": 0, "unmatched": 0, "failed": 0}, third
    assert stored_state(server["id"]) == after  # not one row written


def test_an_item_with_text_postgres_cannot_store_is_synced_without_it(admin, jellyfin, library):
    """A NUL in a title, a lone surrogate in an overview (both arrive as JSON escapes): Postgres refuses both,
    and one such item used to fail the sync's whole transaction."""
    movie = library.movies[sorted(library.movies)[2]]
    movie.title, movie.overview = "Null\x00 Island", "A plot \ud800with a lone surrogate."
    library.changed()
    server = add_server(admin, jellyfin)

    done = sync(admin, server["id"])

    assert done["status"] == "completed" and done["counts"]["failed"] == 0, done
    assert done["counts"]["added"] == library.item_count(), done
    row = support.rows("SELECT title, facts FROM media_server_items WHERE server_id = %(s)s AND item_id = %(i)s",
                       s=server["id"], i=movie.item_id)[0]
    assert (row["title"], row["facts"]["overview"]) == ("Null Island", "A plot with a lone surrogate.")


def test_a_show_matched_to_another_title_takes_its_unchanged_episodes_along(admin, jellyfin, library):
    server = add_server(admin, jellyfin)
    sync(admin, server["id"])
    show = library.shows[sorted(library.shows)[0]]
    episodes = {e.item_id for season in show.seasons for e in season.episodes}
    from chalicelib import db
    from chalicelib.catalog import store
    from chalicelib.catalog.records import MediaRecord

    with db.transaction() as conn:  # a catalog title the server now says the show is (its episodes' Etags stay)
        store.save(conn, [MediaRecord(media_type="show", title="Another Title", tmdb_id=123456)])
    show.tmdb, show.imdb, show.tvdb = 123456, None, None
    library.changed()

    second = sync(admin, server["id"])

    assert second["status"] == "completed" and second["counts"]["added"] == 0, second
    rows = owned_rows(server["id"])
    new_title = rows[show.item_id]["media_id"]
    assert support.rows("SELECT tmdb_id FROM media_items WHERE id = %(m)s", m=new_title)[0]["tmdb_id"] == 123456
    assert {rows[e]["media_id"] for e in episodes} == {new_title}
    third = sync(admin, server["id"])  # the episodes the new title lacked are added to it, and linked
    assert third["status"] == "completed", third
    linked = support.rows("SELECT e.media_id FROM media_server_items i JOIN episodes e ON e.id = i.episode_id"
                          " WHERE i.server_id = %(s)s AND i.item_id = ANY(%(ids)s)", s=server["id"],
                          ids=sorted(episodes))
    assert len(linked) == len(episodes) and {r["media_id"] for r in linked} == {new_title}


def test_a_series_air_time_and_days_land_in_its_facts(admin, jellyfin, library):
    show = library.shows[sorted(library.shows)[0]]
    show.air_time, show.air_days = "9:05 PM", ["Tuesday", "Friday"]
    library.changed()
    server = add_server(admin, jellyfin)

    sync(admin, server["id"])

    facts = stored_state(server["id"])[show.item_id][1]
    assert (facts["airTime"], facts["airDays"]) == ("21:05", ["Tuesday", "Friday"])


def test_a_plex_resync_rewrites_only_the_episode_plex_updated(admin):
    library = generate(movies=20, shows=3, seasons=2, episodes=3, seed=9)
    plex = FakePlex(library).start()
    try:
        server = add_server(admin, plex, kind="plex")
        assert sync(admin, server["id"])["counts"]["added"] == library.item_count()
        before = stored_state(server["id"])
        episode = next(iter(library.shows.values())).seasons[1].episodes[0]
        library.rename(episode.item_id, "Renamed On The Server")

        second = sync(admin, server["id"])
    finally:
        plex.stop()
    assert second["counts"] == {"added": 0, "updated": 1, "pruned": 0, "unmatched": 0, "failed": 0}, second
    after = stored_state(server["id"])
    assert {item_id for item_id in after if after[item_id] != before[item_id]} == {plex.rating_key(episode.item_id)}
