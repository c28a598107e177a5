"""TMDB JSON -> catalog records (movies, shows, seasons, episodes, genres, credits, logos).

Credits: cast in TMDB's billing ``order`` (at most ``CAST_LIMIT``); crew kept to
the heads a title page names (directing, writing, the producers, the composer,
photography, editing; ``CREW_JOBS``) in that order of importance, at most
``CREW_LIMIT``. Shows use ``aggregate_credits`` (every season; a person's
roles joined) and list their creators first. Logos: the best English or
language-less one (``images`` appended with ``include_image_language=en,null``).
Episode air times: see ``catalog.airtimes`` (TheTVDB's, through ``catalog.tvdb_airtimes``, when an admin
stored a TVDB key).
"""

from __future__ import annotations

from typing import Any

from chalicelib.catalog import airtimes, certifications, tvdb_airtimes
from chalicelib.catalog.records import (
    CreditRecord,
    EpisodeRecord,
    FranchiseRef,
    GenreInfo,
    GenreRef,
    Json,
    MediaRecord,
    PersonRecord,
    SeasonRecord,
    parse_date,
    slugify,
)

STATUS = {
    "rumored": "rumored", "planned": "planned", "in production": "in_production", "pilot": "in_production",
    "post production": "post_production", "released": "released", "returning series": "returning",
    "ended": "ended", "canceled": "canceled", "cancelled": "canceled",
}


CAST_LIMIT = 50
CREW_LIMIT = 30
# Crew jobs worth naming on a title page, most important first (anything else is left out).
CREW_JOBS = ("Creator", "Director", "Co-Director", "Screenplay", "Writer", "Story", "Novel", "Author", "Characters",
             "Teleplay", "Showrunner", "Producer", "Executive Producer", "Original Music Composer", "Music",
             "Director of Photography", "Editor", "Casting", "Production Design")
_JOB_RANK = {job: rank for rank, job in enumerate(CREW_JOBS)}


def _status(raw: Any) -> str | None:
    return STATUS.get(str(raw).strip().lower()) if raw else None


def _int(value: Any) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def genre_infos(movie_genres: list[Json], tv_genres: list[Json]) -> list[GenreInfo]:
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


def _genres(item: Json) -> list[GenreRef] | None:
    if "genres" in item:
        return [GenreRef("tmdb", g["id"]) for g in item["genres"] or () if _int(g.get("id"))]
    if "genre_ids" in item:
        return [GenreRef("tmdb", gid) for gid in item["genre_ids"] or () if _int(gid)]
    return None


def _common(item: Json, media_type: str, title: str | None, original: str | None,
            released: Any) -> MediaRecord | None:
    tmdb_id = _int(item.get("id"))
    if not tmdb_id or not title or not title.strip():
        return None
    return MediaRecord(
        media_type=media_type, tmdb_id=tmdb_id, title=title.strip(), original_title=original,
        overview=item.get("overview") or None, release_date=parse_date(released),
        poster_path=item.get("poster_path"), backdrop_path=item.get("backdrop_path"),
        popularity=item.get("popularity"), vote_average=item.get("vote_average"),
        vote_count=_int(item.get("vote_count")), original_language=item.get("original_language"),
        origin_countries=_countries(item), adult=item.get("adult"), genres=_genres(item))


def _countries(item: Json) -> list[str] | None:
    """TMDB's ``origin_country`` (shows; movie details since 2024), else its ``production_countries``; None
    when the response has neither (movie list results), so a stored value is kept."""
    origin, produced = item.get("origin_country"), item.get("production_countries")
    if isinstance(origin, list) and (origin or not isinstance(produced, list)):
        return origin
    if isinstance(produced, list):
        return [str(c.get("iso_3166_1")) for c in produced if isinstance(c, dict)]
    return None


def movie_summary(item: Json) -> MediaRecord | None:
    """A movie from a list (trending, popular, similar, ...)."""
    return _common(item, "movie", item.get("title"), item.get("original_title"), item.get("release_date"))


def show_summary(item: Json) -> MediaRecord | None:
    """A show from a list (TMDB calls the title ``name`` and the date ``first_air_date``)."""
    return _common(item, "show", item.get("name"), item.get("original_name"), item.get("first_air_date"))


def _related(data: Json, summary) -> dict[str, list[MediaRecord]]:
    related = {}
    for relation, key in (("similar", "similar"), ("recommended", "recommendations")):
        results = (data.get(key) or {}).get("results") or []
        related[relation] = [r for r in (summary(item) for item in results[:20]) if r]
    return related


def movie_details(data: Json, region: str = certifications.DEFAULT_REGION) -> MediaRecord | None:
    """/movie/{id}?append_to_response=similar,recommendations,external_ids,credits,images,release_dates"""
    record = movie_summary(data)
    if record is None:
        return None
    record.details = True
    certifications.apply(record, certifications.movie(data, region))
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
    _art_and_credits(record, data, data.get("credits"))
    return record


def _person(raw: Json) -> PersonRecord | None:
    person_id, name = _int(raw.get("id")), (raw.get("name") or "").strip()
    if not person_id or person_id <= 0 or not name:
        return None
    popularity = raw.get("popularity")
    return PersonRecord(tmdb_id=person_id, name=name, profile_path=raw.get("profile_path") or None,
                        known_for_department=raw.get("known_for_department") or None,
                        popularity=popularity if isinstance(popularity, int | float) and popularity >= 0 else None)


def _order(value: Any) -> int:
    """A billing order; none sorts last."""
    order = _int(value)
    return order if order is not None else 1 << 30


def _cast(entries: list[Json]) -> list[CreditRecord]:
    """Cast by billing order; a show's person with several roles gets them joined ("A / B")."""
    cast: list[CreditRecord] = []
    for raw in sorted(entries, key=lambda e: _order(e.get("order"))):
        person = _person(raw)
        if person is None or any(c.person.tmdb_id == person.tmdb_id for c in cast):
            continue
        roles = [r.get("character") for r in raw.get("roles") or () if r.get("character")]
        character = raw.get("character") or " / ".join(dict.fromkeys(roles)) or None
        cast.append(CreditRecord("cast", len(cast), person, character=character))
        if len(cast) >= CAST_LIMIT:
            break
    return cast


def _crew(entries: list[Json], creators: list[Json]) -> list[CreditRecord]:
    """The crew heads by job importance; one line per person and job."""
    lines: list[tuple[int, int, Json, str, str | None]] = []
    for index, raw in enumerate(creators):
        lines.append((_JOB_RANK["Creator"], index, raw, "Creator", "Writing"))
    for index, raw in enumerate(entries):
        jobs = [j.get("job") for j in raw.get("jobs") or ()] or [raw.get("job")]
        for job in jobs:
            if job in _JOB_RANK:
                lines.append((_JOB_RANK[job], len(creators) + index, raw, job, raw.get("department") or None))
    crew: list[CreditRecord] = []
    seen: set[tuple[int, str]] = set()
    for _, _, raw, job, department in sorted(lines, key=lambda line: line[:2]):
        person = _person(raw)
        if person is None or (person.tmdb_id, job) in seen:
            continue
        seen.add((person.tmdb_id, job))
        crew.append(CreditRecord("crew", len(crew), person, job=job, department=department))
        if len(crew) >= CREW_LIMIT:
            break
    return crew


def credits(block: Json | None, creators: list[Json] | None = None) -> list[CreditRecord] | None:
    """``credits`` / ``aggregate_credits`` -> records; None when the response had no credits at all."""
    if block is None:
        return None
    return _cast(block.get("cast") or []) + _crew(block.get("crew") or [], creators or [])


def _image_rank(image: Json) -> tuple:
    language = image.get("iso_639_1")
    return (0 if language == "en" else 1 if language in (None, "", "xx") else 2,
            -(image.get("vote_average") or 0), -(image.get("vote_count") or 0), -(image.get("width") or 0))


def best_image(images: list[Json] | None, *, any_language: bool = False) -> str | None:
    """The best English (else language-less) image's path; other languages only when ``any_language``."""
    ranked = sorted((i for i in images or () if i.get("file_path")), key=_image_rank)
    if not ranked or (not any_language and _image_rank(ranked[0])[0] == 2):
        return None
    return ranked[0]["file_path"]


def _art_and_credits(record: MediaRecord, data: Json, block: Json | None,
                     creators: list[Json] | None = None) -> None:
    images = data.get("images")
    if isinstance(images, dict):
        record.logo_path = best_image(images.get("logos"))
        record.backdrop_path = record.backdrop_path or best_image(images.get("backdrops"), any_language=True)
        record.poster_path = record.poster_path or best_image(images.get("posters"), any_language=True)
    record.credits = credits(block, creators)


def episode(item: Json, season_number: int) -> EpisodeRecord | None:
    number = _int(item.get("episode_number"))
    if number is None or number < 0:
        return None
    return EpisodeRecord(season_number=season_number, episode_number=number, tmdb_id=_int(item.get("id")),
                         name=item.get("name") or None, overview=item.get("overview") or None,
                         air_date=parse_date(item.get("air_date")), runtime_minutes=_int(item.get("runtime")),
                         still_path=item.get("still_path"))


def season(item: Json, full: Json | None = None) -> SeasonRecord | None:
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


def show_details(data: Json, region: str = certifications.DEFAULT_REGION) -> MediaRecord | None:
    """:func:`show_record` with the show's exact air time from TheTVDB when an admin stored a TVDB key."""
    record = show_record(data, region)
    if record is not None:
        tvdb_airtimes.apply(record)
    return record


def show_record(data: Json, region: str = certifications.DEFAULT_REGION) -> MediaRecord | None:
    """/tv/{id} with similar, recommendations, external_ids, aggregate_credits, images, content_ratings and
    ``season/N`` (episode air times from the network: no I/O)."""
    record = show_summary(data)
    if record is None:
        return None
    record.details = True
    certifications.apply(record, certifications.show(data, region))
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
    record.extra.update(airtimes.slot_for_networks(networks))
    airtimes.stamp_episodes(record.seasons, record.extra)
    block = data.get("aggregate_credits") if "aggregate_credits" in data else data.get("credits")
    _art_and_credits(record, data, block, data.get("created_by") or [])
    return record
