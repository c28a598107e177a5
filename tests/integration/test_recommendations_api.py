"""Recommendations through the real app: snapshots, reasons, exclusions, dismissals, cold start, the job.

Each test builds a small catalog of its own (genres, franchises, links)
straight in Postgres, then acts through the HTTP API as a user would.
"""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from chalicelib import db
from tests.integration.tracking_support import Api, code

V1 = "/api/v1"
_ids = itertools.count(1)


class Shelf:
    """Titles, genres, franchises and links inserted into the app database."""

    def __init__(self) -> None:
        self.genres: dict[str, int] = {}

    def _one(self, sql: str, *params: Any) -> Any:
        with db.connection() as conn:
            row = conn.execute(sql, params).fetchone()
        return next(iter(row.values())) if row else None

    def genre(self, name: str, source: str = "tmdb", media_types: tuple[str, ...] = ("movie", "show")) -> int:
        slug = name.lower().replace(" ", "-")
        self.genres[name] = self._one(
            "INSERT INTO genres (source, external_id, name, slug, media_types) VALUES (%s, %s, %s, %s, %s) "
            "RETURNING id", source, next(_ids) + 90_000, name, slug, list(media_types))
        return self.genres[name]

    def title(self, name: str, *genres: str, media_type: str = "movie", popularity: float = 10.0,
              franchise: int | None = None, tmdb_id: int | None = None) -> int:
        media_id = self._one(
            "INSERT INTO media_items (media_type, title, popularity, vote_average, vote_count, tmdb_id, release_date)"
            " VALUES (%s, %s, %s, 7.0, 500, %s, '2020-01-01') RETURNING id",
            media_type, name, popularity, tmdb_id)
        for genre in genres:
            self._one("INSERT INTO media_genres (media_id, genre_id) VALUES (%s, %s) RETURNING media_id",
                      media_id, self.genres[genre])
        if franchise is not None:
            self._one("INSERT INTO media_franchises (media_id, franchise_id) VALUES (%s, %s) RETURNING media_id",
                      media_id, franchise)
        return media_id

    def franchise(self, name: str) -> int:
        return self._one("INSERT INTO franchises (source, name) VALUES ('local', %s) RETURNING id", name)

    def link(self, source: int, target: int, relation: str = "recommended") -> None:
        self._one("INSERT INTO media_relations (media_id, relation, related_media_id, source) "
                  "VALUES (%s, %s, %s, 'tmdb') RETURNING media_id", source, relation, target)


def snapshots(user_id) -> list[dict[str, Any]]:
    with db.connection() as conn:
        return conn.execute("SELECT trigger, is_cold_start, item_count, stats FROM recommendation_snapshots "
                            "WHERE user_id = %s ORDER BY computed_at", (user_id,)).fetchall()


@pytest.fixture
def shelf(client) -> dict[str, int]:
    """Sci-fi, drama and comedy movies, a Dune franchise, a link from Dune, two popular comedies, one game."""
    s = Shelf()
    for name in ("Science Fiction", "Drama", "Comedy"):
        s.genre(name)
    s.genre("Role-playing", source="igdb", media_types=("game",))
    dune_franchise = s.franchise("Dune")
    ids = {
        "Dune": s.title("Dune", "Science Fiction", franchise=dune_franchise),
        "Arrival": s.title("Arrival", "Science Fiction", "Drama"),
        "Dune: Part Two": s.title("Dune: Part Two", "Science Fiction", franchise=dune_franchise),
        "Blade Runner": s.title("Blade Runner", "Science Fiction"),
        "Interstellar": s.title("Interstellar", "Science Fiction", "Drama", popularity=20.0),
        "Solaris": s.title("Solaris", "Science Fiction", "Drama", popularity=5.0),
        "The Notebook": s.title("The Notebook", "Drama", popularity=30.0),
        "Big Comedy": s.title("Big Comedy", "Comedy", popularity=99.0),
        "Small Comedy": s.title("Small Comedy", "Comedy", popularity=50.0),
        "A Drama": s.title("A Drama", "Drama", popularity=60.0),
        "Some RPG": s.title("Some RPG", "Role-playing", media_type="game", popularity=70.0),
    }
    s.link(ids["Dune"], ids["Blade Runner"])
    return ids


def watch_and_rate(api: Api, media_id: int, rating: float) -> None:
    assert api("POST", f"{V1}/watched", {"mediaId": media_id})[0] == 201
    assert api("PUT", f"{V1}/ratings/{media_id}", {"rating": rating})[0] == 200


def recommendations(api: Api, **params: Any) -> dict[str, Any]:
    query = "&".join(f"{k}={v}" for k, v in params.items())
    status, data = api("GET", f"{V1}/recommendations" + (f"?{query}" if query else ""))
    assert status == 200, data
    return data


def titles(page: dict[str, Any]) -> list[str]:
    return [item["media"]["title"] for item in page["items"]]


def reasons_of(page: dict[str, Any], title: str) -> list[str]:
    return next([r["text"] for r in i["reasons"]] for i in page["items"] if i["media"]["title"] == title)


def test_a_sci_fi_fan_gets_sci_fi_with_reasons_and_nothing_they_saw(client, make_user, shelf):
    user_id, headers = make_user()
    api = Api(client, headers)
    watch_and_rate(api, shelf["Dune"], 9)
    watch_and_rate(api, shelf["Arrival"], 10)

    page = recommendations(api)

    assert titles(page)[:3] == ["Blade Runner", "Dune: Part Two", "Interstellar"]
    assert reasons_of(page, "Blade Runner")[0] == "Because you rated Dune ★★★★½"  # its stored link
    assert "You rate Science Fiction highly" in reasons_of(page, "Blade Runner")
    assert "Same franchise as Dune" in reasons_of(page, "Dune: Part Two")
    assert all(isinstance(item["score"], float) and item["reasons"] for item in page["items"])
    assert {"Dune", "Arrival"}.isdisjoint(titles(page))
    assert page["coldStart"] is False and page["total"] == len(page["items"])
    assert [s["trigger"] for s in snapshots(user_id)] == ["on_demand"]  # no snapshot yet: computed once
    timings = snapshots(user_id)[0]["stats"]["timingsMs"]  # where its time went, kept for the operator
    assert set(timings) == {"userSql", "seeds", "candidateSql", "candidates", "scoring"}
    assert all(isinstance(ms, float) and ms >= 0 for ms in timings.values()) and timings["userSql"] > 0


def test_a_rating_reshapes_the_next_view_once_and_reads_in_between_reuse_it(client, make_user, shelf):
    user_id, headers = make_user()
    api = Api(client, headers)
    page = recommendations(api)
    assert page["coldStart"] is True and reasons_of(page, "Big Comedy") == ["Popular right now"]

    assert api("PUT", f"{V1}/ratings/{shelf['Dune']}", {"rating": 8})[0] == 200
    page = recommendations(api)

    assert page["coldStart"] is False
    assert titles(page)[0] == "Blade Runner"  # linked from the title just rated
    reason = page["items"][0]["reasons"][0]
    assert reason["text"] == "Because you rated Dune ★★★★" and reason["refRating"] == 8
    assert "Popular right now" not in {r for t in titles(page) for r in reasons_of(page, t)}
    recommendations(api)
    recommendations(api, page_size=5)
    assert len(snapshots(user_id)) == 2  # one per change, however often the user reads


def test_a_watch_and_a_dismissal_each_change_the_next_view(client, make_user, shelf):
    user_id, headers = make_user()
    api = Api(client, headers)
    recommendations(api)

    assert api("POST", f"{V1}/watched", {"mediaId": shelf["Dune"]})[0] == 201
    page = recommendations(api)
    assert "Because you watched Dune" in reasons_of(page, "Blade Runner")
    assert "Dune" not in titles(page)

    status, _ = api("POST", f"{V1}/recommendations/{shelf['Blade Runner']}/dismiss")
    assert status == 200
    page = recommendations(api)
    assert "Blade Runner" not in titles(page)
    assert [s["trigger"] for s in snapshots(user_id)] == ["on_demand"] * 3


def test_the_job_recomputes_stale_snapshots_of_active_users_only(client, make_user, shelf):
    from chalicelib.recommendations import service

    user_id, headers = make_user()
    api = Api(client, headers)
    watch_and_rate(api, shelf["Dune"], 9)
    recommendations(api)
    assert service.run_job()["status"] == "ok"
    assert len(snapshots(user_id)) == 1  # fresh: the fingerprint matches, nothing to do

    watch_and_rate(api, shelf["Arrival"], 10)  # stale now
    result = service.run_job()

    assert result["status"] == "ok" and result["stats"]["computed"] == 1
    assert [s["trigger"] for s in snapshots(user_id)] == ["on_demand", "schedule"]
    with db.connection() as conn:
        idle = conn.execute("INSERT INTO users (email, password_hash, last_active_at) "
                            "VALUES ('idle@seen.test', 'x', %s) RETURNING id",
                            (datetime.now(UTC) - timedelta(days=90),)).fetchone()["id"]
        state = conn.execute("SELECT last_status, stats FROM sync_state WHERE job_name = 'recommendations.snapshots'"
                             ).fetchone()
    service.run_job()
    assert snapshots(idle) == []  # inactive for 90 days: only on demand
    assert state["last_status"] == "ok" and state["stats"]["computed"] == 1


def test_dismissed_titles_disappear_at_once_and_for_good(client, make_user, shelf):
    user_id, headers = make_user()
    api = Api(client, headers)
    watch_and_rate(api, shelf["Dune"], 9)
    assert "Blade Runner" in titles(recommendations(api))

    status, body = api("POST", f"{V1}/recommendations/{shelf['Blade Runner']}/dismiss?reason=already_seen")
    assert status == 200 and body["mediaId"] == shelf["Blade Runner"] and body["reason"] == "already_seen"
    assert "Blade Runner" not in titles(recommendations(api))

    from chalicelib.recommendations import service

    with db.connection() as conn:
        service.compute_snapshot(conn, user_id, "manual")
    assert "Blade Runner" not in titles(recommendations(api))


@pytest.mark.parametrize("path, status, error", [
    ("/recommendations/999999999/dismiss", 404, "media_not_found"),
    ("/recommendations/abc/dismiss", 404, "media_not_found"),
    ("/recommendations/1/dismiss?reason=bored", 422, "validation_error"),
])
def test_bad_dismissals_are_clear_errors(client, auth_headers, path, status, error):
    got, body = Api(client, auth_headers())("POST", V1 + path)
    assert got == status and code(body) == error


def test_type_filter_and_pages(client, make_user, shelf):
    _, headers = make_user()
    api = Api(client, headers)
    watch_and_rate(api, shelf["Dune"], 9)

    games = recommendations(api, mediaType="game")
    first, second = recommendations(api, pageSize=3, page=1), recommendations(api, pageSize=3, page=2)

    assert titles(games) == ["Some RPG"] and games["total"] == 1
    assert len(first["items"]) == 3 and first["total"] == second["total"]
    assert set(titles(first)).isdisjoint(titles(second))
    assert Api(client, headers)("GET", f"{V1}/recommendations?pageSize=500")[0] == 422
    assert Api(client, headers)("GET", f"{V1}/recommendations?mediaType=book")[0] == 422


def test_a_new_user_gets_trending_titles_in_the_genres_they_picked(client, make_user, shelf):
    _, headers = make_user()
    api = Api(client, headers)

    status, prefs = api("PUT", f"{V1}/me/preferences", {"favoriteGenres": ["drama"]})
    page = recommendations(api)

    assert status == 200 and [g["slug"] for g in prefs["favoriteGenres"]] == ["drama"]
    assert prefs["onboardedAt"] is not None
    assert page["coldStart"] is True
    assert titles(page)[0] == "A Drama" and reasons_of(page, "A Drama") == ["Trending in Drama"]
    assert api("GET", f"{V1}/me/preferences")[1]["favoriteGenres"][0]["name"] == "Drama"


def test_a_user_with_nothing_at_all_still_gets_a_full_page(client, auth_headers, shelf):
    page = recommendations(Api(client, auth_headers()))

    assert page["coldStart"] is True and len(page["items"]) >= 10
    assert titles(page)[0] == "Big Comedy"
    assert reasons_of(page, "Big Comedy") == ["Popular right now"]


def test_unknown_genres_are_rejected_and_nothing_is_saved(client, auth_headers, shelf):
    api = Api(client, auth_headers())

    status, body = api("PUT", f"{V1}/me/preferences", {"favoriteGenres": ["drama", "no-such-genre"]})

    assert status == 422 and code(body) == "unknown_genre"
    assert "no-such-genre" in body["error"]["fields"]["favoriteGenres"]
    stored = api("GET", f"{V1}/me/preferences")[1]
    assert (stored["favoriteGenres"], stored["onboardedAt"]) == ([], None)
    assert api("PUT", f"{V1}/me/preferences", {"favoriteGenres": ["Not A Slug!"]})[0] == 422
    assert api("PUT", f"{V1}/me/preferences", {"genres": []})[0] == 422


def test_recommendations_need_a_user(client):
    response = client.http.get(f"{V1}/recommendations")
    assert response.status_code == 401


def test_concurrent_reads_after_a_change_compute_one_snapshot(client, make_user, shelf):
    from concurrent.futures import ThreadPoolExecutor

    from chalicelib.recommendations import service

    user_id, headers = make_user()
    api = Api(client, headers)
    recommendations(api)
    watch_and_rate(api, shelf["Dune"], 9)

    def read(_: int) -> list[str]:
        with db.connection() as conn:
            return [row["title"] for row in service.snapshot_rows(conn, user_id) if row["id"] is not None]

    with ThreadPoolExecutor(max_workers=4) as pool:
        lists = list(pool.map(read, range(4)))

    assert all(found == lists[0] and "Blade Runner" in found for found in lists)
    assert len(snapshots(user_id)) == 2  # the first read's, and one for the change: the others waited for it
