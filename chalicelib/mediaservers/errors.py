"""The media servers' errors, defined once."""

from __future__ import annotations

from chalicelib import errors


class MediaServerNotFound(errors.NotFound):
    code = "media_server_not_found"


class MediaServerNameTaken(errors.Conflict):
    code = "media_server_name_taken"


class ServerFailed(Exception):
    """The server did not answer usefully (down, refused the token, sent something else): said in plain words."""


class MediaServerUnreachable(errors.DomainError):
    """What ``ServerFailed`` becomes at the API: the server behind /seen/ failed, a bad gateway."""

    status, code = 502, "media_server_unreachable"
