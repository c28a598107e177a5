"""Jellyfin's webhook plugin (jellyfin-plugin-webhook, "Generic" destination, JSON template).

Fields used (the plugin's template variables): ``NotificationType`` (PlaybackStart, PlaybackProgress,
PlaybackStop, UserDataSaved), ``ItemType`` (Movie, Episode), ``Name``, ``SeriesName``, ``Year``,
``SeasonNumber``, ``EpisodeNumber``, ``Provider_imdb`` / ``Provider_tmdb`` / ``Provider_tvdb`` (the
item's provider ids), optional ``SeriesProvider_*``, ``RunTimeTicks`` and ``PlaybackPositionTicks``
(100 ns ticks), ``PlayedToCompletion`` and ``Played``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from chalicelib.scrobble.payloads import Action, BadPayload, Ids, Play, imdb, number, seconds, text

TICKS_PER_SECOND = 10_000_000
PLAYBACK = {"PlaybackStart", "PlaybackProgress", "PlaybackStop"}
KINDS: dict[object, Literal["movie", "episode"]] = {"Movie": "movie", "Episode": "episode"}


def _ids(body: Mapping[str, Any], prefix: str) -> Ids:
    return Ids(imdb=imdb(body.get(f"{prefix}imdb")), tmdb=number(body.get(f"{prefix}tmdb")),
               tvdb=number(body.get(f"{prefix}tvdb")))


def _action(body: Mapping[str, Any]) -> Action:
    kind = body.get("NotificationType")
    if kind == "UserDataSaved":
        return "watched" if body.get("Played") is True else "ignore"
    if kind not in PLAYBACK:
        return "ignore"
    if kind == "PlaybackStop" and body.get("PlayedToCompletion") is True:
        return "watched"
    return "progress"


def parse(body: Any) -> Play:
    """The event as a Play; BadPayload when it is not a Jellyfin webhook object."""
    if not isinstance(body, dict) or not isinstance(body.get("NotificationType"), str):
        raise BadPayload("Not a Jellyfin webhook event", fields={"NotificationType": "required"})
    kind = KINDS.get(body.get("ItemType"))
    action = _action(body)
    if kind is None or action == "ignore":
        return Play(action="ignore")
    return Play(action=action, kind=kind, ids=_ids(body, "Provider_"), show_ids=_ids(body, "SeriesProvider_"),
                title=text(body.get("Name")), show_title=text(body.get("SeriesName")),
                year=number(body.get("Year")), season=number(body.get("SeasonNumber")),
                episode=number(body.get("EpisodeNumber")),
                position=seconds(body.get("PlaybackPositionTicks"), TICKS_PER_SECOND),
                duration=seconds(body.get("RunTimeTicks"), TICKS_PER_SECOND))
