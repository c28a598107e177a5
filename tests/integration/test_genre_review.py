"""Custom genres through export -> review -> import (issue 37), on the demo catalog: the admin API, the file
round trip of ``make genres-export`` / ``genres-import``, and Discover's genre rows."""

from __future__ import annotations

import json

import pytest

from tests.integration import catalog_support as support
from tests.integration.catalog_support import body, get

REVIEW = "/api/v1/admin/genres/review"
COOKING = {"slug": "cooking", "name": "Cooking", "mediaTypes": ["movie", "show"],
           "keywords": ["Cooking", "chef", "kitchen"]}


@pytest.fixture(scope="module")
def demo_template(template_url):
    yield from support.demo_template(template_url)


@pytest.fixture
def app_db(demo_template):
    yield from support.app_database(demo_template)


@pytest.fixture
def admin(auth_headers):
    return auth_headers(role="admin")


def post(client, headers, payload):
    return client.http.post(REVIEW, headers={**headers, "Content-Type": "application/json"}, body=json.dumps(payload))


def sheet(client, headers, **params) -> dict:
    response = get(client, REVIEW, headers, **params)
    assert response.status_code == 200, response.body
    return body(response)


def decide(title: str, decision: str, genre: str = "cooking") -> dict:
    return {"mediaId": support.media_id(title), "genre": genre, "decision": decision}


def test_keywords_suggest_titles_and_decisions_assign_the_genre_like_any_other(client, admin, auth_headers):
    assert body(post(client, admin, {"genres": [COOKING]})) == {"genres": 1, "approved": 0, "rejected": 0}
    suggested = sheet(client, admin)
    assert suggested["genre"] == "cooking" and suggested["genres"][0]["keywords"] == ["chef", "cooking", "kitchen"]
    # whole words of the title or synopsis: Ratatouille (cooking, kitchen), The Bear (chef), Breaking Bad
    # (cooking), Daredevil (Hell's Kitchen)
    titles = {i["title"] for i in suggested["items"]}
    assert {"Ratatouille", "The Bear", "Breaking Bad", "Marvel's Daredevil"} <= titles
    assert suggested["pending"] == suggested["total"] == len(titles)

    applied = body(post(client, admin, {"decisions": [
        decide("Ratatouille", "approved"), decide("The Bear", "approved"), decide("Breaking Bad", "rejected"),
        decide("Marvel's Daredevil", "rejected")]}))
    assert applied == {"genres": 0, "approved": 2, "rejected": 2}

    user = auth_headers()
    genres = {g["slug"]: g for g in body(get(client, "/api/v1/genres", user))}
    assert genres["cooking"]["name"] == "Cooking" and genres["cooking"]["mediaTypes"] == ["movie", "show"]
    assert [i["title"] for i in body(get(client, "/api/v1/movies", user, genre="cooking"))["items"]] == ["Ratatouille"]
    assert [i["title"] for i in body(get(client, "/api/v1/shows", user, genre="cooking"))["items"]] == ["The Bear"]
    rejected = sheet(client, admin, state="rejected")
    assert {i["title"] for i in rejected["items"]} == {"Breaking Bad", "Marvel's Daredevil"}
    assert all(i["decision"] == "rejected" for i in rejected["items"])
    assert sheet(client, admin)["pending"] == len(titles) - 4
    counted = sheet(client, admin)["genres"][0]
    assert (counted["approved"], counted["rejected"]) == (2, 2)

    # a change of mind: the rejected title gets the genre; the approved one loses it
    post(client, admin, {"decisions": [decide("Breaking Bad", "approved"), decide("The Bear", "rejected")]})
    assert [i["title"] for i in body(get(client, "/api/v1/shows", user, genre="cooking"))["items"]] == ["Breaking Bad"]


def test_an_import_naming_an_unknown_genre_changes_nothing(client, admin):
    response = post(client, admin, {"genres": [COOKING], "decisions": [decide("Ratatouille", "approved"),
                                                                       decide("Up", "approved", "no-such")]})
    assert response.status_code == 422 and body(response)["error"]["code"] == "unknown_genre"
    assert support.rows("SELECT 1 FROM genres WHERE source = 'custom'") == []
    assert support.rows("SELECT 1 FROM genre_reviews") == []


@pytest.mark.parametrize("payload", [
    {"genres": [{**COOKING, "keywords": ["chef.*"]}]},
    {"genres": [{**COOKING, "keywords": ["a|b"]}]},
    {"genres": [{**COOKING, "slug": "Not A Slug"}]},
    {"genres": [{**COOKING, "mediaTypes": []}]},
    {"decisions": [{"mediaId": 1, "genre": "cooking", "decision": "maybe"}]},
    {"decisions": [{"mediaId": 0, "genre": "cooking", "decision": "approved"}]},
])
def test_bad_genres_and_decisions_are_a_422(client, admin, payload):
    response = post(client, admin, payload)
    assert response.status_code == 422, response.body
    assert support.rows("SELECT 1 FROM genres WHERE source = 'custom'") == []


def test_only_admins_review_genres(client, auth_headers):
    user = auth_headers()
    assert get(client, REVIEW, user).status_code == 403
    assert post(client, user, {"genres": [COOKING]}).status_code == 403
    assert get(client, REVIEW, auth_headers(role="admin"), genre="nothing-yet").status_code == 422


def test_the_review_file_round_trip_applies_once(client, admin, tmp_path):
    from chalicelib.catalog import genre_files

    post(client, admin, {"genres": [COOKING]})
    path = tmp_path / "genres.json"
    listed = genre_files.export(path)
    exported = json.loads(path.read_text())
    assert exported["genres"] == [{"slug": "cooking", "name": "Cooking", "mediaTypes": ["movie", "show"],
                                   "keywords": ["chef", "cooking", "kitchen"]}]
    assert listed == len(exported["decisions"]) >= 4 and all(d["decision"] is None for d in exported["decisions"])

    for entry in exported["decisions"]:  # the reviewer's edits: approve Ratatouille, reject the rest but one
        entry["decision"] = "approved" if entry["title"] == "Ratatouille" else "rejected"
    exported["decisions"][-1]["decision"] = None if exported["decisions"][-1]["title"] != "Ratatouille" else "approved"
    path.write_text(json.dumps(exported))
    assert genre_files.main(["import", str(path)]) == 0
    reviews = support.rows("SELECT decision, count(*) AS n FROM genre_reviews GROUP BY decision ORDER BY decision")
    assert genre_files.main(["import", str(path)]) == 0  # the same file again: nothing new
    assert support.rows("SELECT decision, count(*) AS n FROM genre_reviews GROUP BY decision "
                        "ORDER BY decision") == reviews
    assert sum(r["n"] for r in reviews) == listed - (exported["decisions"][-1]["decision"] is None)
    assert genre_files.export(path) == listed  # decided titles stay on the sheet, with their decision
    assert sum(d["decision"] is None for d in json.loads(path.read_text())["decisions"]) <= 1

    path.write_text('{"genres": [], "decisions": [{"mediaId": 1, "genre": "cooking", "decision": "yes"}]}')
    assert genre_files.main(["import", str(path)]) == 2


def test_discover_alternates_movie_and_show_genre_rows_and_adds_a_custom_genre_once_it_holds_enough(
        client, admin, auth_headers):
    from chalicelib import cache, db
    from chalicelib.catalog import curated

    with db.transaction() as conn:
        curated.refresh(conn)
    cache.on_catalog_synced()
    user = auth_headers()
    rows = [r for r in body(get(client, "/api/v1/discover", user, pageSize=100, rowSize=5))["items"]
            if r["source"] == "genre"]
    keys = [r["key"] for r in rows]
    assert keys[:2] == ["genre.movie.drama", "genre.show.drama"], keys  # the demo catalog's leading genre
    for at, key in enumerate(keys):  # a genre with both kinds: its show row right after its movie row
        if key.startswith("genre.show."):
            assert keys[at - 1] == key.replace(".show.", ".movie.") or key.replace(".show.", ".movie.") not in keys
    assert sum(k.startswith("genre.show.") for k in keys) >= 2
    assert rows[0]["title"] == "Drama movies" and all(len(r["items"]) == 5 for r in rows)
    assert not any(key.endswith(".love") for key in keys)

    love = {"slug": "love", "name": "Love stories", "mediaTypes": ["movie"], "keywords": ["love"]}
    post(client, admin, {"genres": [love]})
    titles = [i["mediaId"] for i in sheet(client, admin, genre="love")["items"] if i["mediaType"] == "movie"]
    extra = ["Casablanca", "Past Lives", "Up", "Titanic", "La La Land", "Her", "Amélie", "Vertigo"]
    titles += [r["id"] for r in support.rows("SELECT id FROM media_items WHERE title = ANY(%(t)s) "
                                             "AND media_type = 'movie'", t=extra) if r["id"] not in titles]
    approve = [{"mediaId": i, "genre": "love", "decision": "approved"} for i in titles]
    post(client, admin, {"decisions": approve[:curated.GENRE_ROW_MIN - 1]})  # too few for a row of its own ...
    discover = body(get(client, "/api/v1/discover", user, pageSize=100))
    assert "genre.movie.love" not in [r["key"] for r in discover["items"]]

    post(client, admin, {"decisions": approve})
    shown = {r["key"]: r for r in body(get(client, "/api/v1/discover", user, pageSize=100))["items"]}
    assert shown["genre.movie.love"]["title"] == "Love stories movies"  # ... until it holds enough
    assert len(shown["genre.movie.love"]["items"]) == len(titles) >= curated.GENRE_ROW_MIN
    assert "genre.show.love" not in shown
