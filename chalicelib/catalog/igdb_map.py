"""IGDB queries (apicalypse) and IGDB JSON -> catalog records."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from chalicelib.catalog import certifications
from chalicelib.catalog.records import (
    FranchiseRef,
    GenreInfo,
    GenreRef,
    Json,
    MediaRecord,
    PlatformInfo,
    PlatformRelease,
    slugify,
)

_BASE = ("id,name,slug,summary,first_release_date,cover.image_id,total_rating,total_rating_count,hypes,status")
SUMMARY_FIELDS = ",".join([
    _BASE, "artworks.image_id", "screenshots.image_id",
    "genres.id,genres.name,genres.slug", "themes.id,themes.name,themes.slug",
    "platforms.id,platforms.name,platforms.abbreviation,platforms.slug",
    "franchise.id,franchise.name,franchise.slug", "franchises.id,franchises.name,franchises.slug",
    "release_dates.platform,release_dates.date,release_dates.category",
    "age_ratings.category,age_ratings.rating",
])
RELATIONS = {"dlcs": "dlc", "expansions": "expansion", "standalone_expansions": "standalone_expansion",
             "similar_games": "similar"}
DETAIL_FIELDS = ",".join([SUMMARY_FIELDS, "storyline", "involved_companies.company.name",
                          "involved_companies.developer"]
                         + [",".join(f"{rel}.{f}" for f in _BASE.split(",")) for rel in RELATIONS])

STATUS: dict[object, str] = {0: "released", 2: "early_access", 3: "early_access", 4: "early_access", 5: "offline",
          6: "canceled", 7: "rumored", 8: "delisted"}
PRECISION: dict[object, str] = {0: "exact", 1: "month", 2: "year", 3: "quarter", 4: "quarter", 5: "quarter",
                                6: "quarter", 7: "tbd"}

DAY = 86400


def section_queries(now: int) -> dict[str, tuple[str, str]]:
    """IGDB discover rows: key -> (title, apicalypse body). ``now`` is a unix timestamp."""
    return {
        "recently_released": ("Recently released games", (
            f"fields {SUMMARY_FIELDS}; where first_release_date >= {now - 60 * DAY} "
            f"& first_release_date <= {now} & (hypes > 0 | total_rating_count > 0); "
            "sort first_release_date desc; limit 30;")),
        "most_anticipated": ("Most anticipated games", (
            f"fields {SUMMARY_FIELDS}; where first_release_date > {now} & hypes > 0; sort hypes desc; limit 30;")),
        "popular": ("Popular games", (
            f"fields {SUMMARY_FIELDS}; where first_release_date >= {now - 365 * DAY} "
            "& total_rating_count > 0; sort total_rating_count desc; limit 30;")),
    }


def detail_query(igdb_id: int) -> str:
    return f"fields {DETAIL_FIELDS}; where id = {int(igdb_id)}; limit 1;"


LIST_QUERY = "fields id,name,slug; limit 500;"
PLATFORM_QUERY = "fields id,name,abbreviation,slug; limit 500;"


def _date(timestamp: Any) -> date | None:
    try:
        return datetime.fromtimestamp(int(timestamp), UTC).date() if timestamp is not None else None
    except (TypeError, ValueError, OverflowError, OSError):
        return None


def _objects(value: Any) -> list[Json]:
    """Expanded IGDB references are objects; unexpanded ones are bare ids (skipped)."""
    return [v for v in value or () if isinstance(v, dict) and v.get("id")]


def genre_infos(items: list[Json], kind: str = "genre") -> list[GenreInfo]:
    return [GenreInfo("igdb", int(g["id"]), kind=kind, name=g["name"], slug=slugify(g.get("slug") or g["name"]),
                      media_types=["game"]) for g in _objects(items) if g.get("name")]


def genres_in(games: list[Json]) -> list[GenreInfo]:
    """Every genre and theme referenced (expanded) by ``games``, for upserting before the games."""
    found: dict[tuple[str, int], GenreInfo] = {}
    for game in games:
        for kind, key in (("genre", "genres"), ("theme", "themes")):
            for info in genre_infos(game.get(key) or [], kind):
                found[(kind, info.external_id)] = info
    return list(found.values())


def platform_info(item: Json) -> PlatformInfo:
    return PlatformInfo(slug=item.get("slug") or item["name"], name=item["name"],
                        abbreviation=item.get("abbreviation"), igdb_id=int(item["id"]))


def _platforms(game: Json) -> list[PlatformRelease] | None:
    if "platforms" not in game:
        return None
    releases: dict[int, PlatformRelease] = {}
    for item in _objects(game.get("platforms")):
        releases[int(item["id"])] = PlatformRelease(platform_info(item))
    for rd in game.get("release_dates") or ():
        platform = rd.get("platform") if isinstance(rd, dict) else None
        current = releases.get(platform) if isinstance(platform, int) else None
        when = _date(rd.get("date")) if current else None
        if current and when and (current.release_date is None or when < current.release_date):
            current.release_date, current.precision = when, PRECISION.get(rd.get("category"), "exact")
    return list(releases.values())


def _franchises(game: Json) -> list[FranchiseRef] | None:
    if "franchise" not in game and "franchises" not in game:
        return None
    primary = game.get("franchise") if isinstance(game.get("franchise"), dict) else None
    refs = {int(primary["id"]): FranchiseRef("igdb", primary["name"], int(primary["id"]), primary.get("slug"), True)} \
        if primary and primary.get("name") else {}
    for item in _objects(game.get("franchises")):
        refs.setdefault(int(item["id"]), FranchiseRef("igdb", item["name"], int(item["id"]), item.get("slug")))
    return list(refs.values())


def _image(items: Any) -> str | None:
    objects = [i for i in items or () if isinstance(i, dict) and i.get("image_id")]
    return objects[0]["image_id"] if objects else None


def game(item: Json, details: bool = False) -> MediaRecord | None:
    """One IGDB game object (summary or detail fields) as a record."""
    if not item.get("id") or not (item.get("name") or "").strip():
        return None
    rating = item.get("total_rating")
    genres = None
    if "genres" in item or "themes" in item:
        genres = [GenreRef("igdb", g["id"]) for g in _objects(item.get("genres"))] + \
                 [GenreRef("igdb", t["id"], "theme") for t in _objects(item.get("themes"))]
    cover = item.get("cover")
    cover = cover if isinstance(cover, dict) else {}
    record = MediaRecord(
        media_type="game", igdb_id=int(item["id"]), title=item["name"].strip(),
        overview=item.get("summary") or None, release_date=_date(item.get("first_release_date")),
        poster_path=cover.get("image_id"),
        backdrop_path=_image(item.get("artworks")) or _image(item.get("screenshots")),
        popularity=float(item.get("hypes") or 0) + float(item.get("total_rating_count") or 0),
        vote_average=round(float(rating) / 10, 2) if rating is not None else None,
        vote_count=int(item.get("total_rating_count") or 0), status=STATUS.get(item.get("status")),
        genres=genres, platforms=_platforms(item), franchises=_franchises(item), details=details,
        extra={k: v for k, v in (("igdb_slug", item.get("slug")), ("storyline", item.get("storyline"))) if v})
    certifications.apply(record, certifications.game(item))
    if details:
        developers = [c["company"]["name"] for c in item.get("involved_companies") or ()
                      if isinstance(c, dict) and c.get("developer") and isinstance(c.get("company"), dict)]
        if developers:
            record.extra["developer"] = ", ".join(developers)
        record.related = {relation: [g for g in (game(x) for x in _objects(item.get(field))) if g]
                          for field, relation in RELATIONS.items()}
        for relation, addons in record.related.items():
            for addon in addons:
                if relation != "similar":
                    addon.extra["category"] = relation
    return record
