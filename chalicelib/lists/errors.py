"""The list imports' errors, defined once."""

from __future__ import annotations

from chalicelib import errors


class UnsupportedListUrl(errors.BadRequest):
    code = "unsupported_list_url"


class UnsupportedListFile(errors.BadRequest):
    """Not a Letterboxd or IMDb list export (Trakt has no export file: its lists are imported by URL)."""

    code = "unsupported_list_file"


class MalformedListFile(errors.BadRequest):
    code = "list_file_malformed"


class ListFileTooLong(errors.BadRequest):
    code = "list_too_large"


class ListFileTooLarge(errors.PayloadTooLarge):
    code = "list_file_too_large"


class ImportedFromFile(errors.Conflict):
    """A one-off import from an export that names no list URL: there is nothing to read again."""

    code = "list_from_file"


class TraktNotConfigured(errors.Conflict):
    """Trakt's API needs an app's client id, which only the admin can give (TRAKT_CLIENT_ID)."""

    code = "trakt_not_configured"


class TooManyLists(errors.Conflict):
    code = "too_many_lists"


class ListSyncsBusy(errors.RateLimited):
    code = "list_syncs_busy"


class ListQueueUnavailable(errors.ServiceUnavailable):
    code = "list_queue_unavailable"


class NotAnImportedList(errors.NotFound):
    code = "collection_not_imported"


class ListFailed(Exception):
    """Reading a list went wrong (unreachable, refused, too large, not a list): ``code`` and plain words.

    The sync records it on the source and leaves the collection's items as they were.
    """

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
