"""Catalog domain errors (mapped to the JSON envelope by ``chalicelib.api``)."""

from chalicelib import errors


class MovieNotFound(errors.NotFound):
    code = "movie_not_found"


class ShowNotFound(errors.NotFound):
    code = "show_not_found"


class SeasonNotFound(errors.NotFound):
    code = "season_not_found"


class GameNotFound(errors.NotFound):
    code = "game_not_found"


NOT_FOUND = {"movie": MovieNotFound, "show": ShowNotFound, "game": GameNotFound}


class UnknownCustomGenre(errors.ValidationFailed):
    code = "unknown_genre"
