"""Issue 33 items 3 and 9 through the whole pipeline (POST /imports -> imports consumer -> preview -> apply):
a hostile file fails naming the limit it broke, a bad line is skipped with its reason, and today's Trakt and
Ryot exports are read whole."""

from __future__ import annotations

import io
import json
import zipfile

import pytest

from tests.integration.imports_support import DATA, pump, seed_catalog, state, upload, zipped
from tests.integration.tracking_support import Api


@pytest.fixture
def app(client):
    from app import app as chalice_app

    return chalice_app


@pytest.fixture
def ids(client):
    from chalicelib import db

    with db.transaction() as conn:
        return seed_catalog(conn)


def _import(api: Api, app, fmt: str, filename: str, content: bytes) -> dict:
    status, created = upload(api, fmt, filename, content)
    assert status == 202, created
    pump(app)
    status, data = api("GET", f"/api/v1/imports/{created['id']}")
    assert status == 200, data
    return data


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


DEEP = b"[" * 100_000 + b"]" * 100_000
HOSTILE = {
    # format: (filename, content, what the error names)
    "seen": ("seen-export.json", b'{"format": "seen-tracking-export", "history": [' + DEEP + b"]}",
             "nested deeper than 64 levels"),
    "trakt": ("watched-history.json", b"[" + DEEP + b"]", "nested deeper than 64 levels"),
    "ryot": ("ryot.json", b'{"metadata": [' + DEEP + b"]}", "nested deeper than 64 levels"),
    "letterboxd": ("export.zip", _zip({"watched.csv": b"Date,Name,Year,Letterboxd URI\n"
                                       + b"2020-01-01,A Film,2000,https://boxd.it/x\n" * 10_000}),
                   "compressed more than 200:1"),
    "imdb": ("ratings.csv", b"Const,Your Rating,Date Rated,Title,Title Type,Year\n" + b"tt1," * 2000 + b"\n",
             "more than 1000 columns"),
}


@pytest.mark.parametrize("fmt", sorted(HOSTILE))
def test_a_hostile_file_fails_naming_the_limit_and_stores_nothing(app, me, fmt):
    _, api = me
    filename, content, message = HOSTILE[fmt]
    data = _import(api, app, fmt, filename, content)
    assert data["status"] == "failed" and message in data["error"], data
    assert data["preview"]["rows"] == 0


def test_a_line_with_an_overflowing_rating_is_skipped_and_the_rest_imported(app, me, ids, client):
    _, api = me
    content = (b"Const,Your Rating,Date Rated,Title,Title Type,Year\n"
               b"tt0113277,1e308,2020-01-02,Heat,movie,1995\n"
               b"tt0133093,9,2020-01-01T10:00:00-23:59,The Matrix,movie,1999\n")
    data = _import(api, app, "imdb", "ratings.csv", content)
    assert data["status"] == "preview", data
    assert (data["preview"]["rows"], data["preview"]["skipped"]) == (2, 1)  # the Matrix: rating + watch
    assert "Heat" in data["skippedRows"][0]["reason"] and "rating" in data["skippedRows"][0]["reason"]


def test_todays_trakt_export_reads_its_watchlist_and_favorites(app, me, ids, client):
    user_id, api = me
    data = _import(api, app, "trakt", "trakt-export.zip", zipped(DATA / "trakt-2025"))
    assert data["status"] == "preview" and data["preview"]["rows"] == 8, data
    status, _ = api("POST", f"/api/v1/imports/{data['id']}/apply")
    assert status == 202
    pump(app)
    from chalicelib import db

    with db.connection() as conn:
        got = state(conn, user_id)
    assert sorted(got["favorites"]) == sorted([ids["matrix"], ids["bb"]])
    assert sorted(got["watchLater"]) == sorted([ids["inception"], ids["dark"], ids["parasite"]])


def test_a_ryot_8_export_is_read(app, me, ids, client):
    _, api = me
    data = _import(api, app, "ryot", "ryot-export.json", (DATA / "ryot-v8.json").read_bytes())
    assert data["status"] == "preview" and data["preview"]["rows"] == 6, data
    assert json.dumps(data).count("Dune") == 0  # a book has no place here
