"""History imports (issue 24, item 1): real-format exports from Letterboxd, IMDb, Trakt, Ryot, Yamtrack
and /seen/ itself go through upload -> background parse and match -> preview -> apply, and a second
import of the same file changes nothing. Broken files fail with a clear message and apply nothing."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.integration.imports_support import DATA, counts, pump, seed_catalog, state, upload, zipped
from tests.integration.tracking_support import Api


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC) if len(text) == 10 else datetime.fromisoformat(text)


@pytest.fixture
def app(client):
    from app import app as chalice_app

    return chalice_app


@pytest.fixture
def ids(client):
    from chalicelib import db

    with db.transaction() as conn:
        return seed_catalog(conn)


@pytest.fixture
def db_conn(client):
    from chalicelib import db

    with db.connection() as conn:
        yield conn


def run_import(api, app, fmt: str, filename: str, content: bytes) -> dict:
    status, created = upload(api, fmt, filename, content)
    assert status == 202, created
    assert created["status"] == "parsing"
    pump(app)
    status, data = api("GET", f"/api/v1/imports/{created['id']}")
    assert status == 200, data
    return data


def apply(api, app, import_id: str) -> dict:
    status, data = api("POST", f"/api/v1/imports/{import_id}/apply")
    assert status == 202, data
    pump(app)
    status, data = api("GET", f"/api/v1/imports/{import_id}")
    assert status == 200 and data["status"] == "applied", data
    return data


def _letterboxd(ids):
    m = ids
    return {"watched": sorted([(m["matrix"], None, at("2021-03-01")), (m["matrix"], None, at("2022-07-09")),
                               (m["parasite"], None, at("2023-01-14")), (m["lotr"], None, at("2023-01-31")),
                               (m["heat"], None, at("2020-11-20")), (m["spirited"], None, at("2019-06-01"))]),
            "ratings": {m["matrix"]: 9.0, m["parasite"]: 10.0, m["heat"]: 7.0},
            "watchLater": [m["inception"]], "favorites": [m["parasite"]]}


def _trakt(ids):
    bb = ids["bb_episodes"]
    return {"watched": sorted([(ids["inception"], None, at("2022-01-01T20:00:00+00:00")),
                               (ids["bb"], bb[(1, 1)], at("2022-02-01T21:00:00+00:00")),
                               (ids["bb"], bb[(1, 2)], at("2022-02-02T21:00:00+00:00")),
                               (ids["bb"], bb[(2, 1)], at("2022-02-09T21:00:00+00:00"))]),
            "ratings": {ids["inception"]: 8.0, ids["bb"]: 10.0},
            "watchLater": sorted([ids["parasite"], ids["dark"]]), "favorites": []}


def _ryot(ids):
    dark = ids["dark_episodes"]
    return {"watched": sorted([(ids["matrix"], None, at("2021-02-03T00:00:00+00:00")),
                               (ids["dark"], dark[(1, 1)], at("2022-06-01T21:00:00+00:00")),
                               (ids["dark"], dark[(1, 2)], at("2022-06-02T21:00:00+00:00"))]),
            "ratings": {ids["matrix"]: 9.0, ids["hades"]: 10.0},
            "watchLater": sorted([ids["dark"], ids["hades"]]), "favorites": []}


def _yamtrack(ids):
    bb = ids["bb_episodes"]
    return {"watched": sorted([(ids["matrix"], None, at("2019-01-02")),
                               (ids["bb"], bb[(1, 1)], at("2020-01-01T21:00:00+00:00")),
                               (ids["bb"], bb[(1, 2)], at("2020-01-02T21:00:00+00:00"))]),
            "ratings": {ids["matrix"]: 9.5, ids["bb"]: 9.0, ids["hades"]: 8.0},
            "watchLater": sorted([ids["inception"], ids["hades"]]), "favorites": []}


def _imdb(ids):
    return {"watched": sorted([(ids["matrix"], None, at("2020-05-01")),
                               (ids["bb"], ids["bb_episodes"][(1, 1)], at("2021-01-03"))]),
            "ratings": {ids["matrix"]: 9.0, ids["bb"]: 10.0}, "watchLater": [], "favorites": []}


CASES = {
    # format: (filename, content, preview, unmatched titles, expected state)
    "letterboxd": ("letterboxd-cinephile-2024-05-01-10-00-utc.zip", lambda: zipped(DATA / "letterboxd"),
                   {"rows": 13, "matched": 11, "unmatched": 2, "toAdd": 11, "skipped": 0},
                   ["Totally Unknown Film", "Another Unknown Picture"], _letterboxd),
    "trakt": ("trakt-export.zip", lambda: zipped(DATA / "trakt"),
              {"rows": 10, "matched": 8, "unmatched": 2, "toAdd": 8, "skipped": 0},
              ["Breaking Bad", "A Film Trakt Alone Knows"], _trakt),
    "ryot": ("ryot-export.json", lambda: (DATA / "ryot.json").read_bytes(),
             {"rows": 8, "matched": 7, "unmatched": 1, "toAdd": 7, "skipped": 0},
             ["A Film Only Ryot Knows"], _ryot),
    "yamtrack": ("yamtrack_20240501.csv", lambda: (DATA / "yamtrack.csv").read_bytes(),
                 {"rows": 9, "matched": 8, "unmatched": 1, "toAdd": 8, "skipped": 0},
                 ["An Obscure Yamtrack Film"], _yamtrack),
    "imdb": ("ratings.csv", lambda: (DATA / "imdb_ratings.csv").read_bytes(),
             {"rows": 6, "matched": 4, "unmatched": 2, "toAdd": 4, "skipped": 0},
             ["An Unreleased Curiosity", "An Unreleased Curiosity"], _imdb),
}


@pytest.mark.parametrize("fmt", sorted(CASES))
def test_an_export_is_previewed_applied_and_a_second_import_changes_nothing(fmt, app, me, ids, db_conn):
    user_id, api = me
    filename, content, preview, unmatched, expected = CASES[fmt]
    data = run_import(api, app, fmt, filename, content())
    assert data["status"] == "preview", data
    assert data["format"] == fmt and data["filename"] == filename and data["error"] is None
    assert data["preview"] == preview
    assert [row["title"] for row in data["unmatched"]] == unmatched
    assert all(row["reason"] and row["row"] >= 1 for row in data["unmatched"])
    assert sum(counts(db_conn, user_id).values()) == 0  # a preview writes nothing

    applied = apply(api, app, data["id"])
    assert applied["progress"] == {"done": preview["matched"], "total": preview["matched"]}
    assert applied["appliedAt"] is not None
    assert state(db_conn, user_id) == expected(ids)
    assert db_conn.execute("SELECT DISTINCT source FROM user_watched WHERE user_id = %s",
                           (user_id,)).fetchall() == [{"source": "import"}]

    before = counts(db_conn, user_id)
    assert api("POST", f"/api/v1/imports/{data['id']}/apply")[0] == 202  # applying again: nothing new
    pump(app)
    again = run_import(api, app, fmt, filename, content())
    assert again["preview"] == {**preview, "toAdd": 0}
    apply(api, app, again["id"])
    assert counts(db_conn, user_id) == before
    assert state(db_conn, user_id) == expected(ids)


def test_titles_match_by_ids_then_by_title_with_the_year_within_one_then_by_trigram(app, me, ids, db_conn):
    user_id, api = me
    data = run_import(api, app, "imdb", "WATCHLIST.csv", (DATA / "imdb_watchlist.csv").read_bytes())
    assert data["preview"] == {"rows": 2, "matched": 2, "unmatched": 0, "toAdd": 2, "skipped": 0}
    apply(api, app, data["id"])
    assert state(db_conn, user_id)["watchLater"] == sorted([ids["inception"], ids["dark"]])

    data = run_import(api, app, "letterboxd", "export.zip", zipped(DATA / "letterboxd"))
    rows = {(r["title"], r["year"]): r["media_id"] for r in db_conn.execute(
        "SELECT title, year, media_id FROM import_rows WHERE import_id = %s", (data["id"],)).fetchall()}
    assert rows[("Spirited Away", 2002)] == ids["spirited"]  # released 2001: one year off still matches
    assert rows[("The Lord of the Rings: Fellowship of the Ring", 2001)] == ids["lotr"]  # trigram >= 0.8
    assert rows[("Totally Unknown Film", 1987)] is None


BROKEN = {
    "letterboxd": ("export.zip", b"PK\x03\x04 this zip was cut short", "zip"),
    "imdb": ("ratings.csv", b"Title,Stars\nThe Matrix,5\n", "not an IMDb ratings or watchlist export"),
    "trakt": ("watched-history.json", None, "not valid JSON"),
    "ryot": ("ryot.json", b'[{"source_id": "The Matrix"}]', "not a Ryot export"),
    "yamtrack": ("yamtrack.csv", b"media_id,title\n603,The Matrix\n", "missing the column"),
    "seen": ("seen-export.json", b'{"format": "someone-elses-export", "history": []}', "not a /seen/ export"),
}


def test_a_malformed_file_fails_with_a_clear_error_and_applies_nothing(app, me, ids, db_conn):
    user_id, api = me
    for fmt, (filename, content, message) in BROKEN.items():
        if content is None:  # a real history cut mid-way: rows read before the break are dropped too
            whole = (DATA / "trakt" / "watched-history.json").read_bytes()
            content = whole[: int(len(whole) * 0.7)]
        data = run_import(api, app, fmt, filename, content)
        assert data["status"] == "failed", (fmt, data)
        assert message in data["error"], (fmt, data["error"])
        assert data["preview"]["rows"] == 0 and data["unmatched"] == [], fmt
        status, body = api("POST", f"/api/v1/imports/{data['id']}/apply")
        assert status == 409 and body["error"]["code"] == "import_not_ready", fmt
        assert db_conn.execute("SELECT count(*) AS n FROM import_rows WHERE import_id = %s",
                               (data["id"],)).fetchone()["n"] == 0, fmt
    assert sum(counts(db_conn, user_id).values()) == 0


REFUSED = [
    ({"format": "netflix", "filename": "x.csv", "content": "eA=="}, "format"),
    ({"format": "trakt", "filename": "x.json", "content": "not base64!"}, "content"),
    ({"format": "trakt", "filename": "x.json", "content": ""}, "content"),
    ({"format": "trakt", "filename": "", "content": "eA=="}, "filename"),
]


def test_an_unknown_format_or_bad_base64_is_refused_with_422(me):
    _, api = me
    for body, field in REFUSED:
        status, data = api("POST", "/api/v1/imports", body)
        assert status == 422, (body, data)
        assert data["error"]["code"] == "validation_error" and field in data["error"]["fields"], data
    assert api("GET", "/api/v1/imports")[1]["total"] == 0


def test_an_import_belongs_to_its_user(app, me, make_user, client, ids):
    _, api = me
    data = run_import(api, app, "yamtrack", "yamtrack.csv", (DATA / "yamtrack.csv").read_bytes())
    other = Api(client, make_user()[1])
    assert other("GET", f"/api/v1/imports/{data['id']}")[0] == 404
    assert other("POST", f"/api/v1/imports/{data['id']}/apply")[0] == 404
    assert other("POST", f"/api/v1/imports/{data['id']}/unmatched/1", {"mediaId": ids["matrix"]})[0] == 404
    assert other("GET", "/api/v1/imports")[1]["total"] == 0
    assert other("GET", "/api/v1/imports/not-a-uuid")[0] == 404
    status, page = api("GET", "/api/v1/imports")
    assert status == 200 and page["total"] == 1 and page["items"][0]["id"] == data["id"]
    assert api("GET", f"/api/v1/imports/{data['id']}")[1]["status"] == "preview"  # the other user changed nothing


def test_an_unmatched_row_is_fixed_by_picking_a_title(app, me, ids, db_conn):
    user_id, api = me
    data = run_import(api, app, "trakt", "trakt.zip", zipped(DATA / "trakt"))
    rows = {row["title"]: row["row"] for row in data["unmatched"]}
    movie_row, episode_row = rows["A Film Trakt Alone Knows"], rows["Breaking Bad"]
    status, body = api("POST", f"/api/v1/imports/{data['id']}/unmatched/{movie_row}", {"mediaId": ids["hades"]})
    assert status == 422 and body["error"]["code"] == "import_row_not_fixable"  # a game is not watched
    status, body = api("POST", f"/api/v1/imports/{data['id']}/unmatched/{episode_row}", {"mediaId": ids["bb"]})
    assert status == 422  # Breaking Bad has no S09E09 here either
    status, fixed = api("POST", f"/api/v1/imports/{data['id']}/unmatched/{movie_row}", {"mediaId": ids["heat"]})
    assert status == 200, fixed
    assert fixed["preview"] == {"rows": 10, "matched": 9, "unmatched": 1, "toAdd": 9, "skipped": 0}
    assert api("POST", f"/api/v1/imports/{data['id']}/unmatched/{movie_row}", {"mediaId": ids["heat"]})[0] == 404
    apply(api, app, data["id"])
    assert (ids["heat"], None, at("2021-12-24T18:30:00+00:00")) in state(db_conn, user_id)["watched"]


def test_the_own_export_round_trips_into_a_fresh_account(app, client, make_user, ids, db_conn):
    source_id, source_headers = make_user()
    bb = ids["bb_episodes"]
    params = {"u": source_id, "matrix": ids["matrix"], "bb": ids["bb"], "e11": bb[(1, 1)], "e12": bb[(1, 2)],
              "inception": ids["inception"], "hades": ids["hades"], "parasite": ids["parasite"]}
    for statement in (
        "INSERT INTO user_watched (user_id, media_id, episode_id, watched_at) VALUES"
        " (%(u)s, %(matrix)s, NULL, '2020-01-01T20:00:00Z'), (%(u)s, %(matrix)s, NULL, '2021-01-01T20:00:00Z'),"
        " (%(u)s, %(bb)s, %(e11)s, '2020-02-01T20:00:00Z'), (%(u)s, %(bb)s, %(e12)s, '2020-02-02T20:00:00Z')",
        "INSERT INTO user_ratings (user_id, media_id, rating) VALUES (%(u)s, %(matrix)s, 8.5), (%(u)s, %(bb)s, 10)",
        "INSERT INTO user_watch_later (user_id, media_id) VALUES (%(u)s, %(inception)s), (%(u)s, %(hades)s)",
        "INSERT INTO user_favorites (user_id, media_id) VALUES (%(u)s, %(parasite)s)",
    ):
        db_conn.execute(statement, params)
    exported = client.http.get("/api/v1/me/export", headers=source_headers)
    assert exported.status_code == 200
    user_id, headers = make_user()
    api = Api(client, headers)
    data = run_import(api, app, "seen", "seen-export-2024-05-01.json", exported.body)
    assert data["preview"] == {"rows": 9, "matched": 9, "unmatched": 0, "toAdd": 9, "skipped": 0}
    apply(api, app, data["id"])
    assert state(db_conn, user_id) == state(db_conn, source_id)


READ_IN_A_CLEAN_PROCESS = """
import resource, sys
from chalicelib.imports import trakt
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
with open(sys.argv[1], "rb") as stream:
    count = sum(1 for _ in trakt.read(stream, "watched-history.json"))
print(count, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before)
"""


def test_a_large_trakt_history_is_read_as_a_stream(tmp_path):
    entry = {"id": 0, "watched_at": "2020-01-01T20:00:00.000Z", "action": "scrobble", "type": "episode",
             "episode": {"season": 1, "number": 1, "title": "An episode title of some length",
                         "ids": {"trakt": 1, "tvdb": 2, "imdb": None, "tmdb": 3, "tvrage": None}},
             "show": {"title": "A Show With A Reasonably Long Title", "year": 2010,
                      "ids": {"trakt": 1388, "slug": "a-show-with-a-reasonably-long-title", "tvdb": 81189,
                              "imdb": "tt0903747", "tmdb": 1396, "tvrage": 18164}}}
    template = json.dumps(entry).replace('"id": 0', '"id": %d').replace('"number": 1,', '"number": %d,')
    path = tmp_path / "watched-history.json"
    with path.open("w") as out:
        out.write("[")
        for start in range(0, 200_000, 10_000):
            out.write(("," if start else "") + ",".join(template % (n, n % 100 + 1)
                                                        for n in range(start, start + 10_000)))
        out.write("]")
    size = path.stat().st_size
    assert size > 50 * 1024 * 1024
    # Peak resident memory of a fresh interpreter reading it: its growth must stay far below the file's size.
    result = subprocess.run([sys.executable, "-c", READ_IN_A_CLEAN_PROCESS, str(path)], capture_output=True,
                            text=True, check=True, cwd=Path(__file__).resolve().parents[2], timeout=120)
    count, grown_kib = map(int, result.stdout.split())
    assert count == 200_000
    assert grown_kib * 1024 < 32 * 1024 * 1024, f"grew {grown_kib / 1024:.0f} MiB reading {size / 2**20:.0f} MiB"
