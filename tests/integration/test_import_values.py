"""Whatever value a hostile export holds, what the readers yield is storable by the real row insert.

Before, a rating of ``inf`` raised OverflowError in the reader, and a ``-23:59`` offset, a NUL in a
title or a season number past 2**31 failed the insert: each failed the whole import as an internal error.
"""

from __future__ import annotations

import io
import json
import uuid

from chalicelib import db
from chalicelib.imports import seen, trakt, yamtrack
from chalicelib.imports.rows import Row, Skipped

YAMTRACK = (
    b"media_id,source,media_type,title,season_number,episode_number,score,status,end_date\n"
    b"949,tmdb,movie,He\x00at,,,8,Completed,2020-01-01T10:00:00-23:59\n"
    b"8195,tmdb,movie,Ronin,,,inf,Completed,1998-09-25T20:00:00+14:00\n"
    b"99999999999999999999999,tmdb,movie,Alien,,,1e308,Planning,\n"
    b"1396,tmdb,episode,Breaking Bad,2147483648,99999999999,9.5,Completed,2020-01-02\n"
)
TRAKT = json.dumps([
    {"watched_at": "2020-01-01T00:00:00+23:59", "type": "episode",
     "show": {"title": "Dark\ud800", "ids": {"tmdb": 2**62}},
     "episode": {"season": 2**40, "number": -1, "ids": {"imdb": "tt\x001"}}},
    {"rated_at": "2020-01-01T00:00:00Z", "rating": 1e308, "type": "movie", "movie": {"title": "Heat"}},
]).encode()
SEEN = json.dumps({
    "format": "seen-tracking-export",
    "media": [{"mediaId": 5, "mediaType": "show", "title": "Dark", "year": 32768, "tmdbId": 2**62}],
    "episodes": [{"episodeId": 7, "seasonNumber": 2**40, "episodeNumber": 1}],
    "history": [{"mediaId": 5, "episodeId": 7, "watchedAt": "2020-01-01T00:00:00-23:59"},
                {"mediaId": 5, "watchedAt": "2020-01-01T00:00:00-23:59"}],
    "ratings": [{"mediaId": 5, "rating": 1e308, "updatedAt": "2020-01-01T00:00:00Z"}],
}).encode()


def _store(conn, reader, content: bytes, filename: str) -> tuple[list[dict], list[Skipped]]:
    q = db.queries()
    user = conn.execute("INSERT INTO users (email, password_hash) VALUES (%s, 'x') RETURNING id",
                        (f"{uuid.uuid4().hex}@example.test",)).fetchone()
    import_id = uuid.uuid4()
    q.imports_create(conn, import_id=import_id, user_id=user["id"], format="trakt", filename=filename,
                     object_key="k", size_bytes=len(content))
    items = list(reader(io.BytesIO(content), filename))
    records = [item.record(n) for n, item in enumerate((i for i in items if isinstance(i, Row)), 1)]
    q.imports_insert_rows(conn, import_id=import_id, rows=json.dumps(records))
    stored = conn.execute("SELECT * FROM import_rows WHERE import_id = %s ORDER BY row_no", (import_id,)).fetchall()
    return stored, [i for i in items if isinstance(i, Skipped)]


def test_hostile_yamtrack_values_are_stored_cleaned_or_skipped(conn):
    stored, skipped = _store(conn, yamtrack.read, YAMTRACK, "yamtrack.csv")
    assert [(r["kind"], r["title"]) for r in stored] == [
        ("watched", "Heat"), ("rating", "Heat"), ("watched", "Ronin"), ("watchlist", "Alien"),
        ("watched", "Breaking Bad")]
    assert stored[0]["event_at"].isoformat() == "2020-01-02T09:59:00+00:00"
    assert stored[2]["event_at"].isoformat() == "1998-09-25T06:00:00+00:00"
    assert stored[3]["tmdb_id"] is None and stored[4]["season_number"] is None
    assert sorted(s.reason.split(":")[0] for s in skipped) == ["Alien", "Ronin"]


def test_hostile_trakt_values_are_stored_cleaned_or_skipped(conn):
    stored, skipped = _store(conn, trakt.read, TRAKT, "watched-history.json")
    # A lone surrogate is dropped (python backend) or already replaced by "?" (yajl2_c backend).
    assert len(stored) == 1 and stored[0]["title"] in ("Dark", "Dark?") and stored[0]["season_number"] is None
    assert stored[0]["tmdb_id"] is None and stored[0]["episode_imdb_id"] is None
    assert stored[0]["event_at"].isoformat() == "2019-12-31T00:01:00+00:00"
    assert [s.reason.split(":")[0] for s in skipped] == ["Heat"]


def test_hostile_seen_values_are_stored_cleaned_or_skipped(conn):
    stored, skipped = _store(conn, seen.read, SEEN, "seen.json")
    # The episode's season does not fit an integer column: that watch is dropped, the show's own kept.
    assert [(r["kind"], r["title"], r["year"], r["tmdb_id"], r["season_number"]) for r in stored] == [
        ("watched", "Dark", None, None, None)]
    assert stored[0]["event_at"].isoformat() == "2020-01-01T23:59:00+00:00"
    assert [s.reason.split(":")[0] for s in skipped] == ["Dark"]
