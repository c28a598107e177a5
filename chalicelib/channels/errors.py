"""The channels' errors, defined once."""

from __future__ import annotations

from chalicelib import errors


class ChannelNotFound(errors.NotFound):
    code = "channel_not_found"


class VideoNotFound(errors.NotFound):
    code = "video_not_found"


class InvalidChannel(errors.ValidationFailed):
    code = "invalid_channel"


class TooManyChannels(errors.Conflict):
    code = "too_many_channels"


class FeedFailed(Exception):
    """YouTube did not answer usefully (down, refused, something that is not a feed): said in plain words."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


class ChannelUnreachable(errors.DomainError):
    """What ``FeedFailed`` becomes at the API when following: YouTube failed behind /seen/, a bad gateway."""

    status, code = 502, "channel_unreachable"
