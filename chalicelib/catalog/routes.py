"""Catalog HTTP routes: discover, browse, details, genres, search. Thin: validate, call, return."""

from __future__ import annotations

from chalice import Blueprint

from chalicelib import ratelimit
from chalicelib.api import endpoint
from chalicelib.auth import Principal
from chalicelib.catalog import search as search_service
from chalicelib.catalog import service
from chalicelib.catalog.genre_models import ReviewApplied, ReviewImport, ReviewQuery, ReviewSheet
from chalicelib.catalog.models import (
    BrowsePage,
    BrowseQuery,
    DiscoverPage,
    DiscoverQuery,
    GameDetail,
    Genre,
    GenresQuery,
    JsonObject,
    MovieDetail,
    SearchPage,
    SearchQuery,
    SeasonDetail,
    ShowDetail,
    Suggestion,
    SuggestQuery,
)
from chalicelib.config import get_settings
from chalicelib.contentrating import limit_of

bp = Blueprint(__name__)
TAGS = ("catalog",)


@endpoint(bp, "/api/v1/discover", summary="Discover rows (trending, popular, curated, ...) with filters",
          tags=TAGS, query=DiscoverQuery, response=DiscoverPage, auth="user", errors_=(401, 422))
def discover(query: DiscoverQuery, principal: Principal) -> JsonObject:
    return service.discover(query, limit_of(principal))


@endpoint(bp, "/api/v1/movies", summary="Browse movies", tags=TAGS, query=BrowseQuery, response=BrowsePage,
          auth="user", errors_=(401, 422))
def browse_movies(query: BrowseQuery, principal: Principal) -> JsonObject:
    return service.browse("movie", query, limit_of(principal))


@endpoint(bp, "/api/v1/shows", summary="Browse shows", tags=TAGS, query=BrowseQuery, response=BrowsePage,
          auth="user", errors_=(401, 422))
def browse_shows(query: BrowseQuery, principal: Principal) -> JsonObject:
    return service.browse("show", query, limit_of(principal))


@endpoint(bp, "/api/v1/games", summary="Browse games", tags=TAGS, query=BrowseQuery, response=BrowsePage,
          auth="user", errors_=(401, 422))
def browse_games(query: BrowseQuery, principal: Principal) -> JsonObject:
    return service.browse("game", query, limit_of(principal))


@endpoint(bp, "/api/v1/movies/{movie_id}", summary="A movie's details, credits, ratings and similar titles", tags=TAGS,
          response=MovieDetail, auth="user", errors_=(401, 404))
def movie_detail(movie_id: str, principal: Principal) -> MovieDetail:
    return service.movie(movie_id, principal.user_id, limit_of(principal))


@endpoint(bp, "/api/v1/shows/{show_id}", summary="A show's details, seasons, credits, ratings and similar titles",
          tags=TAGS, response=ShowDetail, auth="user", errors_=(401, 404))
def show_detail(show_id: str, principal: Principal) -> ShowDetail:
    return service.show(show_id, principal.user_id, limit_of(principal))


@endpoint(bp, "/api/v1/shows/{show_id}/seasons/{season_number}", summary="A season's episodes", tags=TAGS,
          response=SeasonDetail, auth="user", errors_=(401, 404))
def season_detail(show_id: str, season_number: str, principal: Principal) -> SeasonDetail:
    return service.season(show_id, season_number, limit_of(principal))


@endpoint(bp, "/api/v1/games/{game_id}", summary="A game's details: platforms, franchise, add-ons", tags=TAGS,
          response=GameDetail, auth="user", errors_=(401, 404))
def game_detail(game_id: str, principal: Principal) -> GameDetail:
    return service.game(game_id, principal.user_id, limit_of(principal))


@endpoint(bp, "/api/v1/genres", summary="Genres (the values of the genre filter)", tags=TAGS, query=GenresQuery,
          response=list[Genre], auth="user", errors_=(401, 422))
def list_genres(query: GenresQuery, principal: Principal) -> list[JsonObject]:
    return service.genres(query.media_type)


@endpoint(bp, "/api/v1/search", summary="Search movies, shows and games (typo tolerant)", tags=TAGS,
          query=SearchQuery, response=SearchPage, auth="user", errors_=(401, 422, 429))
def search(query: SearchQuery, principal: Principal) -> JsonObject:
    ratelimit.per_user("search", principal.user_id, get_settings().auth.search_per_user)
    return search_service.search(query, limit_of(principal))


@endpoint(bp, "/api/v1/search/suggest", summary="Type-ahead: the top 8 titles for a partial query", tags=TAGS,
          query=SuggestQuery, response=list[Suggestion], auth="user", errors_=(401, 422, 429))
def suggest(query: SuggestQuery, principal: Principal) -> list[JsonObject]:
    # Its own bucket: type-ahead sends several requests per search.
    ratelimit.per_user("suggest", principal.user_id, get_settings().auth.search_per_user)
    return search_service.suggest(query, limit_of(principal))


REVIEW = "/api/v1/admin/genres/review"
REVIEW_MAX_BODY = 4 * 1024 * 1024  # 20,000 decisions of ~100 bytes, within Lambda's 6 MB


@endpoint(bp, REVIEW, summary="Custom genres: the review sheet of one genre (suggested and decided titles)",
          tags=("admin",), query=ReviewQuery, response=ReviewSheet, auth="admin", errors_=(401, 403, 422))
def genre_review_sheet(query: ReviewQuery, principal: Principal) -> ReviewSheet:
    from chalicelib.catalog import genre_review  # lazy: an admin tool, not on a browsing request's path

    return genre_review.sheet(query)


@endpoint(bp, REVIEW, "POST", summary="Custom genres: define genres and apply review decisions (all or nothing)",
          tags=("admin",), body=ReviewImport, response=ReviewApplied, auth="admin", errors_=(401, 403, 413, 422),
          max_body_bytes=REVIEW_MAX_BODY)
def genre_review_apply(principal: Principal, body: ReviewImport) -> ReviewApplied:
    from chalicelib.catalog import genre_review  # lazy: an admin tool, not on a browsing request's path

    return genre_review.apply(body, principal.user_id)
