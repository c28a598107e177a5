"""TMDB JSON -> catalog records (movies, shows, seasons, episodes, genres)."""

from __future__ import annotations

from typing import Any

from chalicelib.catalog.records import (
    EpisodeRecord,
    FranchiseRef,
    GenreInfo,
    GenreRef,
    MediaRecord,
    SeasonRecord,
    parse_date,
    slugify,
)

STATUS = {
    "rumored": "rumored", "planned": "planned", "in production": "in_production", "pilot": "in_production",
    "post production": "post_production", "released": "released", "returning series": "returning",
    "ended": "ended", "canceled": "canceled", "cancelled": "canceled",
}


def _status(raw: Any) -> str | None:
    return STATUS.get(str(raw).strip().lower()) if raw else None


def _int(value: Any) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def genre_infos(movie_genres: list[dict[str, Any]], tv_genres: list[dict[str, Any]]) -> list[GenreInfo]:
    """TMDB's movie and TV genre lists share ids (18 is Drama in both): one row per id."""
    merged: dict[int, GenreInfo] = {}
    for media_type, genres in (("movie", movie_genres), ("show", tv_genres)):
        for genre in genres:
            gid, name = _int(genre.get("id")), (genre.get("name") or "").strip()
            if gid is None or not name:
                continue
            info = merged.setdefault(gid, GenreInfo("tmdb", gid, name=name, slug=slugify(name)))
            info.media_types.append(media_type)
    return list(merged.values())


def _genres(item: dict[str, Any]) -> list[GenreRef] | None:
    if "genres" in item:
        return [GenreRef("tmdb", g["id"]) for g in item["genres"] or () if _int(g.get("id"))]
    if "genre_ids" in item:
        return [GenreRef("tmdb", gid) for gid in item["genre_ids"] or () if _int(gid)]
    return None


def _common(item: dict[str, Any], media_type: str, title: str | None, original: str | None,
            released: Any) -> MediaRecord | None:
    tmdb_id = _int(item.get("id"))
    if not tmdb_id or not (title or "").strip():
        return None
    return MediaRecord(
        media_type=media_type, tmdb_id=tmdb_id, title=title.strip(), original_title=original,
        overview=item.get("overview") or None, release_date=parse_date(released),
        poster_path=item.get("poster_path"), backdrop_path=item.get("backdrop_path"),
        popularity=item.get("popularity"), vote_average=item.get("vote_average"),
        vote_count=_int(item.get("vote_count")), original_language=item.get("original_language"),
        adult=item.get("adult"), genres=_genres(item))


def movie_summary(item: dict[str, Any]) -> MediaRecord | None:
    """A movie from a list (trending, popular, similar, ...)."""
    return _common(item, "movie", item.get("title"), item.get("original_title"), item.get("release_date"))


def show_summary(item: dict[str, Any]) -> MediaRecord | None:
    """A show from a list (TMDB calls the title ``name`` and the date ``first_air_date``)."""
    return _common(item, "show", item.get("name"), item.get("original_name"), item.get("first_air_date"))


def _related(data: dict[str, Any], summary) -> dict[str, list[MediaRecord]]:
    related = {}
    for relation, key in (("similar", "similar"), ("recommended", "recommendations")):
        results = (data.get(key) or {}).get("results") or []
        related[relation] = [r for r in (summary(item) for item in results[:20]) if r]
    return related


def movie_details(data: dict[str, Any]) -> MediaRecord | None:
    """/movie/{id}?append_to_response=similar,recommendations,external_ids"""
    record = movie_summary(data)
    if record is None:
        return None
    record.details = True
    record.runtime_minutes = _int(data.get("runtime"))
    record.tagline = data.get("tagline") or None
    record.status = _status(data.get("status"))
    record.imdb_id = data.get("imdb_id") or (data.get("external_ids") or {}).get("imdb_id") or None
    collection = data.get("belongs_to_collection") or None
    record.franchises = [FranchiseRef("tmdb", collection["name"], external_id=_int(collection.get("id")),
                                      slug=slugify(collection["name"]), is_primary=True)] \
        if collection and collection.get("name") and _int(collection.get("id")) else []
    record.related = _related(data, movie_summary)
    record.extra = {"tmdb_status": data.get("status")} if data.get("status") else {}
    return record


def episode(item: dict[str, Any], season_number: int) -> EpisodeRecord | None:
    number = _int(item.get("episode_number"))
    if number is None or number < 0:
        return None
    return EpisodeRecord(season_number=season_number, episode_number=number, tmdb_id=_int(item.get("id")),
                         name=item.get("name") or None, overview=item.get("overview") or None,
                         air_date=parse_date(item.get("air_date")), runtime_minutes=_int(item.get("runtime")),
                         still_path=item.get("still_path"))


def season(item: dict[str, Any], full: dict[str, Any] | None = None) -> SeasonRecord | None:
    """A season from the show's ``seasons`` list, with episodes when the full season is given."""
    number = _int(item.get("season_number"))
    if number is None or number < 0:
        return None
    episodes = None
    if full is not None:
        episodes = [e for e in (episode(raw, number) for raw in full.get("episodes") or ()) if e]
    return SeasonRecord(season_number=number, tmdb_id=_int(item.get("id")), name=item.get("name") or None,
                        overview=item.get("overview") or None, air_date=parse_date(item.get("air_date")),
                        poster_path=item.get("poster_path"), episode_count=_int(item.get("episode_count"))
                        if item.get("episode_count") is not None else (len(episodes) if episodes else None),
                        episodes=episodes)


def show_details(data: dict[str, Any]) -> MediaRecord | None:
    """/tv/{id} with similar, recommendations, external_ids and ``season/N`` appended."""
    record = show_summary(data)
    if record is None:
        return None
    record.details = True
    runtimes = [r for r in data.get("episode_run_time") or () if _int(r)]
    record.runtime_minutes = _int(runtimes[0]) if runtimes else None
    record.tagline = data.get("tagline") or None
    record.status = _status(data.get("status"))
    record.last_air_date = parse_date(data.get("last_air_date"))
    external = data.get("external_ids") or {}
    record.imdb_id = external.get("imdb_id") or None
    record.tvdb_id = _int(external.get("tvdb_id"))
    record.seasons = [s for s in (season(item, data.get(f"season/{item.get('season_number')}"))
                                  for item in data.get("seasons") or ()) if s]
    record.related = _related(data, show_summary)
    networks = [n.get("name") for n in data.get("networks") or () if n.get("name")]
    record.extra = {k: v for k, v in (("tmdb_status", data.get("status")), ("networks", networks)) if v}
    return record
