"""Library errors: each maps to one status and a stable code."""

from __future__ import annotations

from chalicelib import errors


class ItemNotFound(errors.NotFound):
    code = "library_item_not_found"


class ScanNotFound(errors.NotFound):
    code = "library_scan_not_found"


class MediaNotFound(errors.NotFound):
    code = "media_not_found"


class EpisodeNotFound(errors.NotFound):
    code = "episode_not_found"


class EpisodeOfAnotherShow(errors.ValidationFailed):
    code = "episode_not_in_show"


class NotPlayableMedia(errors.ValidationFailed):
    code = "media_type_not_playable"


class MatchContradictsParse(errors.Conflict):
    code = "match_contradicts_parse"


class QueueUnavailable(errors.ServiceUnavailable):
    code = "command_queue_unavailable"
