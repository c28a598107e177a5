"""Tracking's domain errors, each with a stable ``code`` (the catalog's and library's shared ones included)."""

from __future__ import annotations

from chalicelib import errors

# One class per code: these are defined by the lowest package that raises them, and raised from here too.
from chalicelib.catalog.errors import SeasonNotFound as SeasonNotFound
from chalicelib.library.errors import EpisodeNotFound as EpisodeNotFound  # also an episode of another show
from chalicelib.library.errors import MediaNotFound as MediaNotFound


class WrongMediaType(errors.ValidationFailed):
    """The title exists but the action does not apply to its type (a game's progress, a movie's follow)."""

    code = "wrong_media_type"


class NotTracked(errors.NotFound):
    """The title is not in this list (watch later, ratings, favorites, follows, backlog)."""

    code = "not_tracked"


class WatchedEntryNotFound(errors.NotFound):
    code = "watched_entry_not_found"


class CollectionNotFound(errors.NotFound):
    code = "collection_not_found"


class CollectionItemNotFound(errors.NotFound):
    code = "collection_item_not_found"


class CollectionNameTaken(errors.Conflict):
    code = "collection_name_taken"


class InvalidOrder(errors.ValidationFailed):
    """A reorder body that is not exactly the current items (missing, extra or repeated ids)."""

    code = "invalid_order"


class InvalidValue(errors.ValidationFailed):
    """A well-formed body whose values do not fit together (finished before started, a null name)."""

    code = "validation_error"
