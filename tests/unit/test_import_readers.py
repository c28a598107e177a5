"""Import readers: one bad entry is a Skipped item with its reason, never the whole file; real exports read whole."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest

from chalicelib.imports import imdb_csv, letterboxd, rows, ryot, seen, trakt, yamtrack
from chalicelib.imports.rows import MalformedFile, Row, Skipped

DATA = Path(__file__).resolve().parents[1] / "data" / "imports"


def _read(reader, content: bytes, filename: str) -> tuple[list[Row], list[Skipped]]:
    items = list(reader(io.BytesIO(content), filename))
    assert all(isinstance(item, Row | Skipped) for item in items)
    return [i for i in items if isinstance(i, Row)], [i for i in items if isinstance(i, Skipped)]


def _seen_export(**sections) -> bytes:
    return json.dumps({"format": "seen-tracking-export",
                       "media": [{"mediaId": 1, "mediaType": "movie", "title": "Heat", "year": 1995},
                                 {"mediaId": 2, "mediaType": "show", "title": "Dark", "year": 2017}],
                       "episodes": [{"episodeId": 7, "mediaId": 2, "seasonNumber": 1, "episodeNumber": 1}],
                       **sections}).encode()


BAD_RATINGS = {
    # format: (reader, filename, content with a good line, a bad one, a good one)
    "letterboxd": (letterboxd.read, "ratings.csv",
                   b"Date,Name,Year,Letterboxd URI,Rating\n2020-01-01,Heat,1995,u,4\n2020-01-02,Ronin,1998,u,inf\n"
                   b"2020-01-03,Alien,1979,u,4.5\n"),
    "imdb": (imdb_csv.read, "ratings.csv",
             b"Const,Your Rating,Date Rated,Title,Title Type,Year\ntt0113277,8,2020-01-01,Heat,movie,1995\n"
             b"tt0122690,1e308,2020-01-02,Ronin,movie,1998\ntt0078748,9,2020-01-03,Alien,movie,1979\n"),
    "trakt": (trakt.read, "ratings-movies.json", json.dumps([
        {"rated_at": "2020-01-01T00:00:00Z", "rating": 8, "type": "movie", "movie": {"title": "Heat"}},
        {"rated_at": "2020-01-02T00:00:00Z", "rating": 1e308, "type": "movie", "movie": {"title": "Ronin"}},
        {"rated_at": "2020-01-03T00:00:00Z", "rating": 9, "type": "movie", "movie": {"title": "Alien"}}]).encode()),
    "ryot": (ryot.read, "ryot.json", json.dumps({"media": [
        {"source_id": t, "lot": "movie", "source": "tmdb", "identifier": str(n), "reviews": [{"rating": score}]}
        for n, (t, score) in enumerate((("Heat", "80"), ("Ronin", "inf"), ("Alien", "90")), 1)]}).encode()),
    "yamtrack": (yamtrack.read, "yamtrack.csv",
                 b"media_id,source,media_type,title,season_number,episode_number,score,status,end_date\n"
                 b"949,tmdb,movie,Heat,,,8,Completed,2020-01-01\n8195,tmdb,movie,Ronin,,,Infinity,Completed,2020-01-02\n"
                 b"348,tmdb,movie,Alien,,,9,Planning,\n"),
    "seen": (seen.read, "seen.json", _seen_export(ratings=[
        {"mediaId": 1, "rating": 8, "updatedAt": "2020-01-01T00:00:00Z"},
        {"mediaId": 2, "rating": 1e308, "updatedAt": "2020-01-02T00:00:00Z"},
        {"mediaId": 1, "rating": 9, "updatedAt": "2020-01-03T00:00:00Z"}])),
}


@pytest.mark.parametrize("fmt", sorted(BAD_RATINGS))
def test_an_overflowing_rating_skips_its_entry_with_the_reason_and_keeps_the_rest(fmt):
    reader, filename, content = BAD_RATINGS[fmt]
    found, skipped = _read(reader, content, filename)
    assert [row.rating for row in found if row.kind == "rating"] == [8.0, 9.0]
    assert len(skipped) == 1, skipped
    assert "rating" in skipped[0].reason and ("Ronin" in skipped[0].reason or "Dark" in skipped[0].reason)
    if fmt == "yamtrack":  # the line's watch stands: only its rating was bad
        assert [row.title for row in found if row.kind == "watched"] == ["Heat", "Ronin"]


@pytest.mark.parametrize("value", ["inf", "-inf", "nan", "1e308", "1e999", "11", "ten", 1e308, float("nan")])
def test_a_rating_off_the_scale_or_not_a_finite_number_is_a_bad_value(value):
    with pytest.raises(rows.BadValue, match="rating"):
        rows.rating(value)


def test_ratings_within_the_scale_read_as_before():
    assert [rows.rating(v) for v in (None, "", "0", "-3", "0.2", "7.3", "10")] == [None, None, None, None, 1.0, 7.5,
                                                                                  10.0]
    assert rows.rating("4.5", scale=2) == 9.0 and rows.rating("85", scale=0.1) == 8.5


def test_a_date_with_an_offset_postgres_cannot_store_is_kept_as_its_utc_instant():
    at = rows.instant("2020-01-01T10:00:00-23:59")
    assert at == datetime(2020, 1, 2, 9, 59, tzinfo=UTC) and at.utcoffset().total_seconds() == 0
    assert Row(kind="watched", event_at=at).record(1)["event_at"] == "2020-01-02T09:59:00+00:00"
    assert rows.instant("2020-06-01T12:00:00+02:00").isoformat() == "2020-06-01T10:00:00+00:00"
    # Converting these would overflow the calendar; they are out of range, the row is kept undated.
    assert rows.instant("9999-12-31T23:59:00-23:59") is None and rows.instant("0001-01-01T00:00:00+23:59") is None


def test_text_drops_what_postgres_text_and_jsonb_refuse():
    assert rows.text("Heat\x00 (director's\ud800 cut) ") == "Heat (director's cut)"
    assert rows.text("\x00\x00") is None and rows.text({"nested": "object"}) is None
    found, _ = _read(letterboxd.read, b"Date,Name,Year,Letterboxd URI\n2020-01-01,He\x00at,1995,u\n", "watched.csv")
    assert found[0].title == "Heat"


def test_numbers_the_database_columns_cannot_hold_are_dropped_not_stored():
    content = _seen_export(episodes=[{"episodeId": 7, "mediaId": 2, "seasonNumber": 2**40, "episodeNumber": 1}],
                           history=[{"mediaId": 2, "episodeId": 7, "watchedAt": "2020-01-01T00:00:00Z"},
                                    {"mediaId": 1, "watchedAt": "2020-01-02T00:00:00Z"}])
    found, _ = _read(seen.read, content, "seen.json")
    assert [(row.title, row.season_number) for row in found] == [("Heat", None)]  # the episode is unknown


@pytest.mark.parametrize("literal", [b"NaN", b"Infinity", b"-Infinity", b"1e400"])
@pytest.mark.parametrize("fmt", ["trakt", "seen", "ryot"])
def test_nan_and_infinity_are_refused_in_import_json(fmt, literal):
    documents = {"trakt": b'[{"rated_at": "2020-01-01", "rating": %s, "type": "movie", "movie": {"title": "H"}}]',
                 "seen": _seen_export(ratings=[{"mediaId": 1, "rating": 0}]).replace(b'"rating": 0', b'"rating": %s'),
                 "ryot": b'{"media": [{"source_id": "H", "lot": "movie", "reviews": [{"rating": %s}]}]}'}
    reader = {"trakt": trakt.read, "seen": seen.read, "ryot": ryot.read}[fmt]
    with pytest.raises(MalformedFile, match="not valid JSON"):
        _read(reader, documents[fmt] % literal, f"{fmt}.json")


def test_a_broken_trakt_entry_is_skipped_and_the_file_goes_on():
    content = json.dumps([
        "not an entry", {"watched_at": "2020-01-01T00:00:00Z", "type": "movie", "movie": None},
        {"watched_at": "2020-01-02T00:00:00Z", "type": "episode", "show": {"title": "Dark"}},
        {"watched_at": "2020-01-03T00:00:00Z", "type": "movie", "movie": {"title": "Heat", "year": 1995}},
        {"collected_at": "2020-01-01T00:00:00Z", "type": "movie", "movie": {"title": "Ronin"}}]).encode()
    found, skipped = _read(trakt.read, content, "watched-history.json")
    assert [row.title for row in found] == ["Heat"]
    assert len(skipped) == 3 and all(item.reason for item in skipped)


def _zipped(folder: Path) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.glob("*.json")):
            archive.writestr(f"trakt-export/{path.name}", path.read_bytes())
    return buffer.getvalue()


def test_a_trakt_export_reads_its_watchlist_and_favorites_lists_but_not_custom_lists():
    found, skipped = _read(trakt.read, _zipped(DATA / "trakt-2025"), "trakt-export.zip")
    assert skipped == []
    got = sorted((row.kind, row.title) for row in found)
    assert got == [("favorite", "Breaking Bad"), ("favorite", "The Matrix"), ("rating", "Heat"),
                   ("watched", "Breaking Bad"), ("watched", "Heat"), ("watchlist", "Dark"),
                   ("watchlist", "Inception"), ("watchlist", "Parasite")]
    favorite = next(row for row in found if row.title == "The Matrix")
    assert (favorite.media_type, favorite.tmdb_id, favorite.imdb_id) == ("movie", 603, "tt0133093")
    assert favorite.event_at == datetime(2024, 12, 24, 18, tzinfo=UTC)  # listed_at


def test_a_favorites_file_uploaded_alone_lands_as_favorites():
    found, _ = _read(trakt.read, (DATA / "trakt-2025" / "lists-favorites.json").read_bytes(), "lists-favorites.json")
    assert [(row.kind, row.title) for row in found] == [("favorite", "The Matrix"), ("favorite", "Breaking Bad")]
    found, _ = _read(trakt.read, (DATA / "trakt-2025" / "lists-watchlist.json").read_bytes(), "lists-watchlist.json")
    assert {row.kind for row in found} == {"watchlist"} and len(found) == 2  # the season entry is not a title


def test_a_ryot_8_export_with_metadata_is_read():
    found, skipped = _read(ryot.read, (DATA / "ryot-v8.json").read_bytes(), "ryot-export.json")
    assert skipped == []
    got = sorted((row.kind, row.title, row.media_type, row.tmdb_id or row.igdb_id, row.season_number,
                  row.episode_number, row.rating) for row in found)
    assert got == [("favorite", "Heat", "movie", 949, None, None, None),
                   ("rating", "Hades", "game", 113112, None, None, 10.0),
                   ("rating", "Heat", "movie", 949, None, None, 8.5),
                   ("watched", "Dark", "show", 70523, 1, 1, None),
                   ("watched", "Heat", "movie", 949, None, None, None),
                   ("watchlist", "Dark", "show", 70523, None, None, None)]
    watch = next(row for row in found if row.kind == "watched" and row.title == "Heat")
    assert watch.event_at == datetime(2024, 5, 1, 20, 50, 0, 500000, tzinfo=UTC)


def test_the_older_ryot_layout_still_reads_and_an_object_without_either_list_is_refused():
    found, _ = _read(ryot.read, (DATA / "ryot.json").read_bytes(), "ryot.json")
    assert len(found) == 8
    with pytest.raises(MalformedFile, match='no "metadata" or "media" entries'):
        _read(ryot.read, b'{"people": []}', "ryot.json")
