"""Letterboxd's account export: a zip of CSV files (or one of them on its own).

diary.csv (Date, Name, Year, Letterboxd URI, Rating, Rewatch, Tags, Watched Date): one watch per line.
watched.csv (Date, Name, Year, Letterboxd URI): every film marked watched; a film without a diary entry
counts as one watch on the day it was logged. ratings.csv (... Rating, 0.5-5 stars -> 1-10),
watchlist.csv -> watch later, likes/films.csv -> favorites. Letterboxd has no IMDb or TMDB ids in its
export, so every row is matched by title and year; all are films.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO

from chalicelib.imports import rows as r
from chalicelib.imports import source
from chalicelib.imports.rows import Kind, MalformedFile, Row, Skipped

BASE = {"Date", "Name", "Year"}
# (member name, kind, extra required columns), in the order they are read: the diary before watched.csv.
FILES: tuple[tuple[str, Kind, set[str]], ...] = (
    ("diary.csv", "watched", {"Watched Date"}), ("watched.csv", "watched", set()),
    ("ratings.csv", "rating", {"Rating"}), ("watchlist.csv", "watchlist", set()), ("films.csv", "favorite", set()))


def _film(line: dict[str, str], kind: Kind) -> Row:
    return Row(kind=kind, media_type="movie", title=r.text(line.get("Name")), year=r.year(line.get("Year")))


def _diary(lines: Iterator[dict[str, str]], seen: set[tuple]) -> Iterator[Row]:
    for line in lines:
        row = _film(line, "watched")
        row.event_at = r.instant(line.get("Watched Date")) or r.instant(line.get("Date"))
        seen.add((row.title, row.year))
        yield row


def _watched(lines: Iterator[dict[str, str]], seen: set[tuple]) -> Iterator[Row]:
    for line in lines:
        row = _film(line, "watched")
        if (row.title, row.year) not in seen:  # the diary already holds its dated watches
            row.event_at = r.instant(line.get("Date"))
            yield row


def _simple(lines: Iterator[dict[str, str]], kind: Kind) -> Iterator[Row | Skipped]:
    for line in lines:
        row = _film(line, kind)
        row.event_at = r.instant(line.get("Date"))
        if kind == "rating":
            try:
                row.rating = r.rating(line.get("Rating"), scale=2)
            except r.BadValue as exc:
                yield r.skipped(row.title, exc)
                continue
            if row.rating is None:
                continue
        yield row


def _rows(name: str, stream: IO[bytes], seen: set[tuple]) -> Iterator[Row | Skipped]:
    for member_name, kind, extra in FILES:
        if source.basename(name) == member_name:
            lines = source.csv_rows(stream, name, BASE | extra)
            if member_name == "diary.csv":
                return _diary(lines, seen)
            if member_name == "watched.csv":
                return _watched(lines, seen)
            return _simple(lines, kind)
    return iter(())


def _single(stream: IO[bytes], filename: str) -> Iterator[Row | Skipped]:
    """One CSV on its own: its columns (and, for watched/watchlist/likes, its name) say which file it is."""
    header = source.csv_header(stream)
    if not header >= BASE:
        raise MalformedFile("Not a Letterboxd export: expected a zip, or a CSV with the columns Date, Name, Year")
    name = source.basename(filename)
    if "Watched Date" in header:
        name = "diary.csv"
    elif "Rating" in header:
        name = "ratings.csv"
    elif not any(name == known for known, _, _ in FILES):
        name = "watchlist.csv" if "watchlist" in name else "watched.csv"
    yield from _rows(name, stream, set())


def _known_members(archive) -> dict[str, str]:
    """Known file name -> member; the shallowest wins, deleted/, orphaned/ and lists/ are not the account's."""
    found: dict[str, str] = {}
    for name in sorted(source.members(archive, ".csv"), key=lambda n: -n.count("/")):
        parts = name.lower().split("/")
        if {"deleted", "orphaned", "lists"} & set(parts[:-1]):
            continue
        if parts[-1] == "films.csv" and parts[-2:-1] != ["likes"]:
            continue
        found[parts[-1]] = name
    return found


def read(stream: IO[bytes], filename: str) -> Iterator[Row | Skipped]:
    """Rows of a Letterboxd export zip (or a single CSV from one); Skipped for a line with a bad rating."""
    if not source.is_zip(stream):
        yield from _single(stream, filename)
        return
    archive = source.open_zip(stream)
    names = _known_members(archive)
    if not any(known in names for known, _, _ in FILES):
        raise MalformedFile("Not a Letterboxd export: the zip has no diary.csv, watched.csv, ratings.csv or "
                            "watchlist.csv")
    seen: set[tuple] = set()
    for known, _, _ in FILES:
        if known in names:
            with source.member(archive, names[known]) as handle:
                yield from _rows(known, handle, seen)
