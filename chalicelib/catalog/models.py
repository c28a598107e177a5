"""Catalog API models: query strings in, camelCase JSON out."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal, TypeAlias
from uuid import UUID

from pydantic import Field, model_validator

from chalicelib.models import ApiModel, Page, RequestModel

MediaType = Literal["movie", "show", "game"]
# What a title can be: a channel's video (issue 36) too. Catalog browsing and search take MediaType; titles
# shown elsewhere (downloads, history, the library) may be videos.
AnyMediaType = Literal["movie", "show", "game", "video"]
Sort = Literal["trending", "popular", "top_rated", "newest", "hidden_gems", "a-z", "most_rated", "popular_here"]
SLUG = r"^[a-z0-9]+(-[a-z0-9]+)*$"
SectionSource = Literal["tmdb", "igdb", "curated", "demo", "genre"]
RatingSource = Literal["imdb", "rotten_tomatoes", "metacritic"]
JsonObject: TypeAlias = dict[str, object]
"""A response model already dumped to JSON (``model_dump(mode="json")``), as the discover cache keeps it."""


class Filters(RequestModel):
    """Filters shared by browse, discover and search."""

    genre: str | None = Field(default=None, max_length=64, pattern=SLUG,
                              description="A genre slug from GET /api/v1/genres")
    year_from: int | None = Field(default=None, ge=1850, le=2200)
    year_to: int | None = Field(default=None, ge=1850, le=2200)
    rating_min: float | None = Field(default=None, ge=0, le=10)
    original_language: str | None = Field(default=None, pattern=r"^[a-z]{2,3}$",
                                          description="The title's original language, ISO 639-1 (e.g. ko)")
    country: str | None = Field(default=None, pattern=r"^[A-Za-z]{2}$",
                                description="A country the title comes from, ISO 3166-1 alpha-2 (e.g. KR)")
    min_votes: int | None = Field(default=None, ge=0, le=100_000_000,
                                  description="At least this many votes (TMDB, or IMDb's after an import)")
    page: int = Field(default=1, ge=1, le=1_000_000)
    page_size: int = Field(default=20, ge=1, le=100)

    @model_validator(mode="after")
    def _years_in_order(self) -> Filters:
        if self.year_from is not None and self.year_to is not None and self.year_from > self.year_to:
            raise ValueError("yearFrom must not be after yearTo")
        if self.country is not None:
            self.country = self.country.upper()
        return self

    def title_filters(self) -> dict[str, object]:
        """The filters as the list queries take them (``min_votes`` is theirs for the sorts' own floor)."""
        return {"genre": self.genre, "year_from": self.year_from, "year_to": self.year_to,
                "rating_min": self.rating_min, "original_language": self.original_language,
                "country": self.country, "votes_min": self.min_votes}


class BrowseQuery(Filters):
    sort: Sort | None = Field(default=None, description=(
        "Default: popular; most_rated on a large catalog (an IMDb import: popularity is TMDB's, most titles lack it)"))


class DiscoverQuery(Filters):
    media_type: MediaType | None = None
    sort: Sort | None = Field(default=None, description="Reorders each row; default: the row's own order")
    row_size: int = Field(default=20, ge=1, le=50, description="Titles per row")


class SearchQuery(Filters):
    q: str = Field(min_length=1, max_length=200)
    media_type: MediaType | None = None


class SuggestQuery(RequestModel):
    q: str = Field(min_length=1, max_length=100)
    media_type: MediaType | None = None


class GenresQuery(RequestModel):
    media_type: MediaType | None = None


class MediaSummary(ApiModel):
    id: int
    media_type: AnyMediaType
    title: str
    original_title: str | None = None
    year: int | None = None
    release_date: date | None = None
    poster_url: str | None = Field(default=None, description="null: the SPA draws a placeholder")
    backdrop_url: str | None = None
    vote_average: float | None = None
    vote_count: int = 0
    popularity: float | None = None
    status: str | None = None
    genres: list[str] = Field(default_factory=list)
    is_demo: bool = False


Match = Literal["exact", "prefix", "word", "fuzzy"]


class SearchHit(MediaSummary):
    """A title among the search results."""

    type: MediaType = Field(description="The title's mediaType (tells a title from a person)")
    match: Match
    score: float


class PersonHit(ApiModel):
    """A person among the search results: page 1 only, at most 3, only a good name match."""

    type: Literal["person"] = "person"
    id: int
    title: str = Field(description="The person's name (what a result list shows for every hit)")
    name: str
    profile_url: str | None = None
    known_for_department: str | None = None
    known_for: list[str] = Field(default_factory=list, description="Their three best-known titles")
    match: Match
    score: float


SearchResult = Annotated[SearchHit | PersonHit, Field(discriminator="type")]


class LanguageCount(ApiModel):
    language: str = Field(description="ISO 639-1, the value of the originalLanguage filter")
    count: int


class SearchPage(ApiModel):
    items: list[SearchResult] = Field(description="Page 1 may hold up to 3 people besides pageSize titles, "
                                                  "placed by score")
    page: int
    page_size: int
    total: int = Field(description="Matching titles (people are not counted)")
    total_at_least: bool = Field(default=False, description=(
        "True when the query is too common to count every match: there are at least ``total`` (the pages "
        "still come best first); ``languages`` is then empty"))
    languages: list[LanguageCount] = Field(default_factory=list, description=(
        "The original languages of all matching titles, most first (titles of unknown language not counted)"))


class Suggestion(ApiModel):
    id: int
    media_type: MediaType
    title: str
    year: int | None = None
    poster_url: str | None = None


class Section(ApiModel):
    key: str
    title: str
    media_type: MediaType | None = None
    source: SectionSource
    refreshed_at: datetime | None = None
    items: list[MediaSummary]


class GenreTag(ApiModel):
    slug: str
    name: str


class Genre(GenreTag):
    media_types: list[MediaType]


class DetailBase(ApiModel):
    id: int
    media_type: MediaType
    title: str
    original_title: str | None = None
    overview: str | None = None
    tagline: str | None = None
    year: int | None = None
    release_date: date | None = None
    status: str | None = None
    original_language: str | None = None
    poster_url: str | None = None
    backdrop_url: str | None = None
    vote_average: float | None = None
    vote_count: int = 0
    popularity: float | None = None
    genres: list[GenreTag] = Field(default_factory=list)
    franchises: list[str] = Field(default_factory=list)
    tmdb_id: int | None = None
    igdb_id: int | None = None
    imdb_id: str | None = None
    is_demo: bool = False
    content_rating: str | None = Field(default=None, description="The certification (PG-13, TV-MA, PEGI 12); "
                                                                   "null when unrated or not fetched yet")
    derived: list[str] = Field(default_factory=list, description="Fields derived rather than stated upstream")
    details_fetched_at: datetime | None = None
    similar: list[MediaSummary] = Field(default_factory=list)


class CastCredit(ApiModel):
    person_id: int
    name: str
    character: str | None = None
    order: int = Field(description="Billing order (0 first)")
    profile_url: str | None = None


class CrewCredit(ApiModel):
    person_id: int
    name: str
    job: str = Field(description="Director, Screenplay, ... (the department when the source names no job)")


class Credits(ApiModel):
    cast: list[CastCredit] = Field(default_factory=list, description="By billing, at most 50")
    crew: list[CrewCredit] = Field(default_factory=list,
                                   description="Directors, then writers, then the rest in list order, at most 40")


class ExternalRating(ApiModel):
    source: RatingSource
    value: str = Field(description='As the source shows it: "7.8/10", "91%", "74/100"')
    score: float | None = Field(default=None, description="The same on 0..100")
    votes: int | None = None


class OwnedCopy(ApiModel):
    """A copy of the title (or episode) on one of the household's media servers."""

    server_id: UUID
    server_name: str
    kind: Literal["jellyfin", "plex"] = Field(description="The server's kind: 'On your Jellyfin'")
    item_id: str = Field(description="The item's id on that server")
    open_url: str = Field(description="Opens the item in the server's own web app")
    playable: bool = Field(description="A file the server can stream (a movie or an episode)")


class ScreenDetail(DetailBase):
    """What movies and shows have beyond the common detail: people, other sites' ratings, a logo."""

    owned: list[OwnedCopy] = Field(default_factory=list, description="Copies on the household's media servers")
    credits: Credits = Field(default_factory=Credits)
    external_ratings: list[ExternalRating] = Field(default_factory=list,
                                                   description="IMDb, Rotten Tomatoes, Metacritic (in that order)")
    logo_url: str | None = Field(default=None, description="The title's wordmark (transparent), for the hero")


class MovieDetail(ScreenDetail):
    runtime_minutes: int | None = None


class SeasonSummary(ApiModel):
    season_number: int
    name: str | None = None
    air_date: date | None = None
    episode_count: int | None = None
    poster_url: str | None = None


class ShowDetail(ScreenDetail):
    runtime_minutes: int | None = Field(default=None, description="Typical episode runtime")
    last_air_date: date | None = None
    networks: list[str] = Field(default_factory=list)
    seasons: list[SeasonSummary] = Field(default_factory=list)


class Episode(ApiModel):
    id: int | None = Field(default=None, description="The episode's id (watched/progress/playback take it)")
    episode_number: int
    name: str | None = None
    overview: str | None = None
    air_date: date | None = None
    runtime_minutes: int | None = None
    still_url: str | None = None
    owned: list[OwnedCopy] = Field(default_factory=list, description="Copies on the household's media servers")


class SeasonDetail(SeasonSummary):
    show_id: int
    show_title: str
    overview: str | None = None
    episodes: list[Episode] = Field(default_factory=list)


class GamePlatform(ApiModel):
    id: int | None = Field(default=None, description="The platform's id (the backlog's platformId)")
    slug: str
    name: str
    abbreviation: str | None = None
    release_date: date | None = None
    release_precision: str | None = None


class GameDetail(DetailBase):
    developer: str | None = None
    category: str | None = Field(default=None, description="dlc / expansion / ... for add-ons, null for games")
    platforms: list[GamePlatform] = Field(default_factory=list)
    parent: MediaSummary | None = None
    dlcs: list[MediaSummary] = Field(default_factory=list)
    expansions: list[MediaSummary] = Field(default_factory=list)


class BrowsePage(Page[MediaSummary]):
    """A browse page, with the sort that ordered it (the default depends on the catalog's size)."""

    sort: Sort
DiscoverPage = Page[Section]
