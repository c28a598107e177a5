"""Batch persistence of normalised catalog records (TMDB, IGDB, demo).

``save`` writes a list of ``MediaRecord`` with a fixed number of statements
whatever the list's length: each table gets one JSON-array parameter. Every
write is an idempotent upsert keyed by natural keys, so a re-run changes
nothing and a sync lands on the rows the demo catalog created.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping

from chalicelib.catalog import queries
from chalicelib.catalog.records import GenreInfo, MediaRecord, PlatformInfo, SeasonRecord
from chalicelib.db import Conn


def to_json(value: object) -> str:
    return json.dumps(value, separators=(",", ":"), default=str)


def _flatten(records: Iterable[MediaRecord]) -> list[MediaRecord]:
    """The records plus their related titles, one per key (the fullest record wins)."""
    by_key: dict[str, MediaRecord] = {}

    def visit(record: MediaRecord) -> None:
        current = by_key.get(record.key)
        if current is None or (record.details and not current.details):
            by_key[record.key] = record
        for related in (record.related or {}).values():
            for item in related:
                if item.key not in by_key:
                    visit(item)

    for record in records:
        visit(record)
    return list(by_key.values())


def upsert_media(conn: Conn, records: list[MediaRecord]) -> dict[str, int]:
    """Insert or update the titles' own columns; returns ``{record.key: media id}``."""
    if not records:
        return {}
    rows = {r.key: r.row() for r in records}
    keys = [{k: row[k] for k in ("key", "media_type", "tmdb_id", "igdb_id", "title", "year")}
            for row in rows.values()]
    found = {r["key"]: r["id"] for r in queries.resolve_media(conn, items=to_json(keys))}
    updates = [{**rows[key], "id": media_id} for key, media_id in found.items()]
    if updates:
        queries.update_media(conn, items=to_json(updates))
    missing = [key for key in rows if key not in found]
    if missing:
        queries.insert_media(conn, items=to_json([rows[key] for key in missing]))
        inserted = set(missing)  # once, not per key: 7,700 new titles took 1.7 s as set(missing) per key
        wanted = [k for k in keys if k["key"] in inserted]
        found.update({r["key"]: r["id"] for r in queries.resolve_media(conn, items=to_json(wanted))})
    return found


def upsert_genres(conn: Conn, genres: list[GenreInfo]) -> None:
    """Store upstream genre lists (name, slug, which media types use them)."""
    if genres:
        items = [{"source": g.source, "kind": g.kind, "external_id": g.external_id, "name": g.name,
                  "slug": g.slug, "media_types": sorted(set(g.media_types))} for g in genres]
        queries.upsert_genres(conn, items=to_json(items))


def upsert_platforms(conn: Conn, platforms: Iterable[PlatformInfo]) -> None:
    unique = {p.slug: p for p in platforms}
    if unique:
        items = to_json([vars(p) for p in unique.values()])
        queries.claim_platforms(conn, items=items)
        queries.upsert_platforms(conn, items=items)


def save(conn: Conn, records: list[MediaRecord]) -> dict[str, int]:
    """Store titles with their genres, platforms, franchises, seasons, episodes and relations.

    Returns ``{record.key: media id}`` for every record and related title.
    Callers run it inside one transaction (``db.transaction()``).
    """
    everything = _flatten(records)
    ids = upsert_media(conn, everything)
    _save_genres(conn, everything, ids)
    _save_platforms(conn, everything, ids)
    _save_franchises(conn, everything, ids)
    _save_seasons(conn, everything, ids)
    _save_relations(conn, everything, ids)
    save_credits(conn, everything, ids)
    return ids


def _save_genres(conn: Conn, records: list[MediaRecord], ids: dict[str, int]) -> None:
    known = [r for r in records if r.genres is not None and r.key in ids]
    if not known:
        return
    items = [{"media_id": ids[r.key], "source": g.source, "kind": g.kind, "external_id": g.external_id}
             for r in known for g in r.genres or ()]
    queries.replace_media_genres(conn, media_ids=[ids[r.key] for r in known], items=to_json(items))


def _save_platforms(conn: Conn, records: list[MediaRecord], ids: dict[str, int]) -> None:
    known = [r for r in records if r.platforms is not None and r.key in ids and r.media_type == "game"]
    if not known:
        return
    upsert_platforms(conn, (p.platform for r in known for p in r.platforms or ()))
    items = [{"media_id": ids[r.key], "slug": p.platform.slug, "release_date": p.release_date,
              "release_precision": p.precision} for r in known for p in r.platforms or ()]
    queries.replace_media_platforms(conn, media_ids=[ids[r.key] for r in known], items=to_json(items))


def _franchise_key(source: str, external_id: int | None, name: str) -> tuple[str, int | str]:
    return (source, external_id) if external_id is not None else (source, name)


def _save_franchises(conn: Conn, records: list[MediaRecord], ids: dict[str, int]) -> None:
    known = [r for r in records if r.franchises is not None and r.key in ids]
    if not known:
        return
    wanted = {_franchise_key(f.source, f.external_id, f.name): f for r in known for f in r.franchises or ()}
    franchise_ids: dict[tuple[str, int | str], int] = {}
    if wanted:
        payload = [{"source": f.source, "external_id": f.external_id, "name": f.name, "slug": f.slug}
                   for f in wanted.values()]
        for row in queries.upsert_franchises(conn, items=to_json(payload)):
            franchise_ids[_franchise_key(row["source"], row["external_id"], row["name"])] = row["id"]
    items = [{"media_id": ids[r.key], "franchise_id": franchise_ids[key], "is_primary": f.is_primary}
             for r in known for f in r.franchises or ()
             if (key := _franchise_key(f.source, f.external_id, f.name)) in franchise_ids]
    queries.replace_media_franchises(conn, media_ids=[ids[r.key] for r in known], items=to_json(items))


def _save_seasons(conn: Conn, records: list[MediaRecord], ids: dict[str, int]) -> None:
    shows = [r for r in records if r.seasons is not None and r.key in ids and r.media_type == "show"]
    save_seasons(conn, {ids[show.key]: show.seasons or [] for show in shows})


def save_seasons(conn: Conn, by_show: dict[int, list[SeasonRecord]]) -> None:
    """Seasons and episodes of stored shows, by show id: known fields are written, unknown ones (None) keep
    what is stored."""
    seasons, episodes = [], []
    for media_id, show_seasons in by_show.items():
        for season in show_seasons:
            seasons.append({"media_id": media_id, **{k: v for k, v in vars(season).items() if k != "episodes"}})
            episodes.extend({"media_id": media_id, **vars(e)} for e in season.episodes or ())
    if seasons:
        queries.upsert_seasons(conn, items=to_json(seasons))
    if episodes:
        queries.upsert_episodes(conn, items=to_json(episodes))


def save_credits(conn: Conn, records: list[MediaRecord], ids: dict[str, int]) -> int:
    """People (upserted by TMDB id) and the titles' credits, replaced as a set per title; returns lines stored."""
    known = [r for r in records if r.credits is not None and r.key in ids]
    if not known:
        return 0
    people = {c.person.tmdb_id: vars(c.person) for r in known for c in r.credits or ()}
    if people:
        queries.upsert_people(conn, items=to_json(list(people.values())))
    writable = queries.writable_credit_titles(conn, media_ids=[ids[r.key] for r in known],
                                              demo_ids=[ids[r.key] for r in known if r.is_demo])
    if not writable:
        return 0
    queries.clear_credits(conn, media_ids=sorted(writable))
    items = [{"media_id": ids[r.key], "kind": c.kind, "ordering": c.ordering, "tmdb_id": c.person.tmdb_id,
              "character": c.character, "job": c.job, "department": c.department}
             for r in known if ids[r.key] in writable for c in r.credits or ()]
    if items:
        queries.insert_credits(conn, items=to_json(items))
    return len(items)


def _save_relations(conn: Conn, records: list[MediaRecord], ids: dict[str, int]) -> None:
    groups: dict[tuple[str, str], list[MediaRecord]] = {}
    for record in records:
        for relation in (record.related or {}):
            if record.key in ids:
                groups.setdefault((record.source, relation), []).append(record)
    for (source, relation), owners in groups.items():
        items = [{"media_id": ids[owner.key], "relation": relation, "related_media_id": ids[item.key],
                  "position": position}
                 for owner in owners
                 for position, item in enumerate((owner.related or {})[relation]) if item.key in ids]
        queries.replace_relations(conn, media_ids=[ids[o.key] for o in owners], relations=[relation],
                                  source=source, items=to_json(items))


def replace_section(conn: Conn, *, key: str, title: str, media_type: str | None, source: str, position: int,
                    definition: Mapping[str, object], media_ids: list[int], pinned: bool = False) -> int:
    """Create or update a discover row and make its items exactly ``media_ids`` (in order)."""
    section_id = queries.upsert_section(conn, key=key, title=title, media_type=media_type, source=source,
                                        position=position, definition=to_json(definition), pinned=pinned)
    queries.replace_section_items(conn, section_id=section_id, media_ids=media_ids)
    return section_id
