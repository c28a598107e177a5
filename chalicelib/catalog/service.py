"""Catalog read side: discover rows, browse lists, genres and title details.

Lists are cached in Redis under the discover key space (``cache.Keys.discover``)
for ten minutes and dropped after every successful catalog sync. Details are
read from Postgres each time (cheap, and the lazy fetch must see fresh rows):
a movie or show page is one statement (``catalog_get_detail``: the row with its
genres, franchises, credits, outside ratings and seasons) plus "More like this"
(``similar.more_like_this``: what it shares with other titles, in the user's order).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar
from uuid import UUID

from chalicelib import cache, db, engagement
from chalicelib.catalog import details, images, queries, similar
from chalicelib.catalog.errors import NOT_FOUND, SeasonNotFound
from chalicelib.catalog.models import (
    BrowsePage,
    BrowseQuery,
    CastCredit,
    Credits,
    CrewCredit,
    DiscoverPage,
    DiscoverQuery,
    Episode,
    ExternalRating,
    GameDetail,
    GamePlatform,
    Genre,
    GenreTag,
    JsonObject,
    MediaSummary,
    MovieDetail,
    OwnedCopy,
    SeasonDetail,
    SeasonSummary,
    Section,
    ShowDetail,
    Sort,
)
from chalicelib.catalog.rows import DetailRow, MediaRow, SeasonListRow, SeasonRow, SimilarRow
from chalicelib.contentrating import Limit, key_params
from chalicelib.db import Conn
from chalicelib.observability import traced

MIN_VOTES = 50  # top rated / hidden gems ignore titles rated by fewer voters
# Past this many titles (an IMDb import) most have no TMDB popularity, so "popular" would order them by id:
# the default sort becomes the number of votes, which every IMDb title has.
LARGE_CATALOG = 100_000
CAST_LIMIT = 50
CREW_LIMIT = 40
MAX_ID = 2**63 - 1
DETAIL_COLUMNS = ("id", "media_type", "title", "original_title", "overview", "tagline", "year", "release_date",
                  "status", "original_language", "vote_count", "popularity", "tmdb_id", "igdb_id", "imdb_id", "is_demo",
                  "details_fetched_at", "content_rating")
T = TypeVar("T")
R = TypeVar("R", bound=MediaRow)


def summary(row: Mapping[str, Any]) -> MediaSummary:
    """A list item from a summary row (``rows.SummaryRow``, or another domain's row with those fields; stored
    image paths become URLs)."""
    return MediaSummary(
        id=row["id"], media_type=row["media_type"], title=row["title"], original_title=row.get("original_title"),
        year=row.get("year"), release_date=row.get("release_date"),
        poster_url=images.url(row["media_type"], row.get("poster_path"), "poster"),
        backdrop_url=images.url(row["media_type"], row.get("backdrop_path"), "backdrop"),
        vote_average=float(row["vote_average"]) if row.get("vote_average") is not None else None,
        vote_count=row.get("vote_count") or 0, popularity=row.get("popularity"), status=row.get("status"),
        genres=list(row.get("genres") or ()), is_demo=bool(row.get("is_demo")))


def _cached(kind: str, params: Mapping[str, object], loader: Callable[[], T], limit: Limit | None = None) -> T:
    """A list read through the discover cache; a kid profile's limit is part of the key (an adult's key is
    unchanged), so a kid never reads an adult's page."""
    return cache.read_through(cache.Keys.discover({"kind": kind, **params, **key_params(limit)}), cache.Ttl.DISCOVER,
                              loader)


def browse(media_type: str, query: BrowseQuery, limit: Limit | None = None) -> JsonObject:
    """One page of movies, shows or games with the given filters and sort (cached); ``limit``: a kid's."""
    params = {"media_type": media_type, **query.model_dump()}

    def load() -> JsonObject:
        with db.connection() as conn:
            sort = query.sort or default_sort(conn)
            row = queries.browse(
                conn, media_type=media_type, filters=query.title_filters(), sort=sort, min_votes=MIN_VOTES,
                row_limit=query.page_size, row_offset=(query.page - 1) * query.page_size, limit=limit)
        page = BrowsePage(items=[summary(item) for item in row["items"]], page=query.page,
                          page_size=query.page_size, total=row["total"], sort=sort)
        return page.model_dump(mode="json", by_alias=True)

    return _cached("browse", params, load, limit)


def default_sort(conn: Conn) -> Sort:
    """Browse's default order: popular, or most_rated once the catalog is large (the planner's estimate of its
    size: free, and exact enough for a threshold)."""
    return "most_rated" if queries.catalog_size_estimate(conn) > LARGE_CATALOG else "popular"


def discover(query: DiscoverQuery, limit: Limit | None = None) -> JsonObject:
    """Discover rows (TMDB/IGDB lists, curated collections, demo rows) as a page of rows (cached); a kid's
    ``limit`` keeps only the titles it allows (a row left empty is not shown)."""

    def load() -> JsonObject:
        with db.connection() as conn:
            rows = queries.discover_rows(
                conn, media_type=query.media_type, filters=query.title_filters(), sort=query.sort,
                min_votes=MIN_VOTES, row_size=query.row_size, limit=limit)
        start = (query.page - 1) * query.page_size
        sections = [Section(key=r["key"], title=r["title"], media_type=r["media_type"], source=r["source"],
                            refreshed_at=r["refreshed_at"], items=[summary(i) for i in r["items"]])
                    for r in rows[start:start + query.page_size]]
        page = DiscoverPage(items=sections, page=query.page, page_size=query.page_size, total=len(rows))
        return page.model_dump(mode="json", by_alias=True)

    return _cached("discover", query.model_dump(), load, limit)


def genres(media_type: str | None = None) -> list[JsonObject]:
    """Genres by slug (the values the ``genre`` filter takes), cached."""

    def load() -> list[JsonObject]:
        with db.connection() as conn:
            rows = queries.list_genres(conn, media_type=media_type)
        return [Genre(**row).model_dump(mode="json", by_alias=True) for row in rows]

    return _cached("genres", {"media_type": media_type}, load)


def parse_id(raw: str, media_type: str) -> int:
    """A path id as an integer; anything else is simply a title that does not exist."""
    if not raw.isascii() or not raw.isdigit() or not 0 < int(raw) <= MAX_ID:
        raise NOT_FOUND[media_type](f"No {media_type} with id {raw[:40]!r}")
    return int(raw)


def _bare(conn: Conn, media_id: int, media_type: str, limit: Limit | None) -> MediaRow | None:
    if limit is None:
        return queries.get_media(conn, media_id=media_id, media_type=media_type)
    return queries.get_visible_media(conn, media_id=media_id, media_type=media_type, limit=limit)


def _load(raw_id: str, media_type: str, read: Callable[[Conn, int, str, Limit | None], R | None],
          limit: Limit | None = None) -> R:
    """The stored row (``read(conn, media_id, media_type, limit)``), after a lazy detail fetch when one is due.
    No connection is held while TMDB/IGDB answer, so a slow upstream cannot drain the connection pool. A title
    a kid's ``limit`` hides answers 404 like a missing one; an unrated one is fetched first (its rating may
    let it through)."""
    media_id = parse_id(raw_id, media_type)
    missing = NOT_FOUND[media_type](f"No {media_type} with id {media_id}")
    with db.connection() as conn:
        row = read(conn, media_id, media_type, limit)
        hidden = queries.get_media(conn, media_id=media_id, media_type=media_type) \
            if row is None and limit is not None else None
    if row is None:
        if hidden is None or hidden["min_age"] is not None or not details.ensure(hidden):
            raise missing
    elif not details.ensure(row):
        return row
    with db.connection() as conn:
        fresh = read(conn, media_id, media_type, limit)
    result = fresh if fresh is not None else row  # an adult keeps the stored row if the re-read fails
    if result is None or (fresh is None and limit is not None):
        raise missing
    return result


def _read_detail(conn: Conn, media_id: int, media_type: str, limit: Limit | None) -> DetailRow | None:
    return queries.get_detail(conn, media_id=media_id, media_type=media_type, cast_limit=CAST_LIMIT,
                              crew_limit=CREW_LIMIT, limit=limit)


@traced("catalog")
def _load_detail(raw_id: str, media_type: str, user_id: UUID | None,
                 limit: Limit | None = None) -> tuple[DetailRow, list[SimilarRow], list[OwnedCopy]]:
    """The title page's row: the stored title with its genres, franchises, credits, ratings, seasons and copies
    on the media servers (one statement), and its "More like this" titles ordered for this user (and within a
    kid's ``limit``)."""
    row = _load(raw_id, media_type, _read_detail, limit)
    owned = [OwnedCopy.model_validate(r) for r in row["owned"]]
    with db.connection() as conn:
        return row, similar.more_like_this(conn, row["id"], user_id, limit=limit), owned


def _detail_fields(row: DetailRow, similar_items: list[SimilarRow]) -> dict[str, Any]:
    """The keyword arguments every title page model takes."""
    fields: dict[str, Any] = {k: row[k] for k in DETAIL_COLUMNS}
    fields.update(
        poster_url=images.url(row["media_type"], row["poster_path"], "poster"),
        backdrop_url=images.url(row["media_type"], row["backdrop_path"], "backdrop"),
        vote_average=float(row["vote_average"]) if row["vote_average"] is not None else None,
        genres=[GenreTag(**g) for g in row["genre_tags"]],
        franchises=list(row["franchise_names"]),
        derived=list((row["extra"] or {}).get("derived") or ()),
        similar=[summary(r) for r in similar_items])
    return fields


def _credits(row: DetailRow) -> Credits:
    cast = [CastCredit(person_id=c["person_id"], name=c["name"], character=c["character"], order=c["order"],
                       profile_url=images.url("person", c["profile_path"], "profile"))
            for c in row["cast_credits"]]
    return Credits(cast=cast, crew=[CrewCredit(**c) for c in row["crew_credits"]])


def _screen_fields(row: DetailRow, similar_items: list[SimilarRow]) -> dict[str, Any]:
    """A movie's or show's page: the common fields plus credits, other sites' ratings and the logo."""
    return {**_detail_fields(row, similar_items), "credits": _credits(row), "runtime_minutes": row["runtime_minutes"],
            "external_ratings": [ExternalRating(**r) for r in row["external_ratings"]],
            "logo_url": images.url(row["media_type"], row.get("logo_path"), "logo")}


def _viewed(user_id: UUID | None, media_id: int) -> None:
    """Count the view for engagement ranking (after the row loaded: a 404 is no view). No user: a job."""
    if user_id is not None:
        engagement.log_view(user_id, media_id)


def movie(raw_id: str, user_id: UUID | None = None, limit: Limit | None = None) -> MovieDetail:
    """A movie's details with credits and ratings (fetched from TMDB first if they are missing and a key is set).
    ``limit``: a kid profile's; a title above it is "not found"."""
    row, similar_items, owned = _load_detail(raw_id, "movie", user_id, limit)
    _viewed(user_id, row["id"])
    return MovieDetail(**_screen_fields(row, similar_items), owned=owned)


def _season_summary(row: SeasonRow | SeasonListRow) -> SeasonSummary:
    """A season's summary from its row or from a show page's season list (JSON: its date is a string)."""
    return SeasonSummary.model_validate({
        "season_number": row["season_number"], "name": row["name"], "air_date": row["air_date"],
        "episode_count": row["episode_count"], "poster_url": images.url("show", row["poster_path"], "season")})


def show(raw_id: str, user_id: UUID | None = None, limit: Limit | None = None) -> ShowDetail:
    """A show's details with its seasons, credits and ratings (episodes are on the season endpoint)."""
    row, similar_items, owned = _load_detail(raw_id, "show", user_id, limit)
    _viewed(user_id, row["id"])
    extra = row["extra"] or {}
    networks = extra.get("networks") or ([extra["network"]] if extra.get("network") else [])
    return ShowDetail(**_screen_fields(row, similar_items), last_air_date=row["last_air_date"], networks=networks,
                      seasons=[_season_summary(s) for s in row["season_list"] or ()], owned=owned)


def season(raw_id: str, raw_number: str, limit: Limit | None = None) -> SeasonDetail:
    """One season of a show with its episodes (air dates, runtimes, stills)."""
    row = _load(raw_id, "show", _bare, limit)
    with db.connection() as conn:
        if not raw_number.isascii() or not raw_number.isdigit() or int(raw_number) > 100_000:
            raise SeasonNotFound(f"Show {row['id']} has no season {raw_number[:20]!r}")
        found = queries.get_season(conn, media_id=row["id"], season_number=int(raw_number))
        if found is None:
            raise SeasonNotFound(f"Show {row['id']} has no season {int(raw_number)}")
        owned: dict[int, list[OwnedCopy]] = {}
        for copy in queries.owned_episodes(conn, media_id=row["id"], season_number=int(raw_number)):
            owned.setdefault(copy["episode_id"], []).append(OwnedCopy.model_validate(copy))
        episodes = [Episode(id=e["id"], episode_number=e["episode_number"], name=e["name"], overview=e["overview"],
                            air_date=e["air_date"], runtime_minutes=e["runtime_minutes"],
                            still_url=images.url("show", e["still_path"], "still"), owned=owned.get(e["id"], []))
                    for e in queries.list_episodes(conn, media_id=row["id"], season_number=int(raw_number))]
        return SeasonDetail(**_season_summary(found).model_dump(), show_id=row["id"], show_title=row["title"],
                            overview=found["overview"], episodes=episodes)


def game(raw_id: str, user_id: UUID | None = None, limit: Limit | None = None) -> GameDetail:
    """A game's details: platforms with release dates, franchise, add-ons, parent game."""
    row, similar_items, _ = _load_detail(raw_id, "game", user_id, limit)
    with db.connection() as conn:
        addons = queries.related_summaries(conn, media_id=row["id"],
                                           relations=["dlc", "expansion", "standalone_expansion"], row_limit=100,
                                           limit=limit)
        parent = queries.parent_summary(conn, media_id=row["id"], limit=limit)
        platforms = queries.game_platforms(conn, media_id=row["id"])
    extra = row["extra"] or {}
    return GameDetail(
        **_detail_fields(row, similar_items), developer=extra.get("developer"), category=extra.get("category"),
        platforms=[GamePlatform(**p) for p in platforms], parent=summary(parent) if parent else None,
        dlcs=[summary(a) for a in addons if a["relation"] == "dlc"],
        expansions=[summary(a) for a in addons if a["relation"] != "dlc"])
