"""Rows -> response models: the cards, the review queue entries and the item detail."""

from __future__ import annotations

import re
from typing import Any, TypeVar

from pydantic import ValidationError

from chalicelib.catalog import images
from chalicelib.library import playnotes
from chalicelib.library.models import (
    Candidate,
    EpisodeInfo,
    Guess,
    LibraryCard,
    LibraryItemDetail,
    LibraryTitleCard,
    LibraryVersion,
    MediaRef,
    StreamInfo,
    SubtitleInfo,
    UnmatchedCard,
)
from chalicelib.library.rows import CardRow, DetailRow, StreamRow, SubtitleRow, TitleRow, VersionRow

V = TypeVar("V", bound=VersionRow)

RESOLUTIONS = ((2160, "2160p"), (1440, "1440p"), (1080, "1080p"), (720, "720p"), (576, "576p"), (480, "480p"))


def resolution(width: int | None, height: int | None) -> str | None:
    """The usual name of a frame size; a 1920x800 scope film is still 1080p."""
    if not width or not height:
        return None
    for lines, name in RESOLUTIONS:
        if height >= lines * 0.9 or width >= lines * 16 / 9 * 0.9:
            return name
    return f"{height}p"


def guess_of(raw: Any) -> Guess:
    """The stored parse as a model; a malformed one (an older or a foreign worker) shows as empty."""
    data = raw if isinstance(raw, dict) else {}
    try:
        return Guess.model_validate({k: v for k, v in data.items() if k in _GUESS_KEYS})
    except ValidationError:
        return Guess(title=data.get("title") if isinstance(data.get("title"), str) else None)


_GUESS_KEYS = {"title", "year", "type", "season", "episode", "episodes", "absolute", "airDate", "edition",
               "episodeTitle", "corrections", "evidence", "pack"}


def _media(row: CardRow) -> MediaRef | None:
    media_id, media_type, title = row.get("media_id"), row.get("media_type"), row.get("media_title")
    if media_id is None or title is None or media_type is None:  # the type is set whenever the title is
        return None
    return MediaRef(id=media_id, media_type=media_type, title=title,
                    year=row.get("media_year"), poster_url=images.url(media_type, row.get("poster_path")),
                    backdrop_url=images.url(media_type, row.get("backdrop_path"), "backdrop"))


def episode_of(row: CardRow) -> EpisodeInfo | None:
    episode_id, season, number = row.get("episode_id"), row.get("season_number"), row.get("episode_number")
    if episode_id is None or season is None or number is None:  # the number is set whenever the season is
        return None
    return EpisodeInfo(id=episode_id, season=season, episode=number,
                       title=row.get("episode_name"), air_date=row.get("episode_air_date"))


def card_fields(row: CardRow, state: str) -> dict[str, Any]:
    """The fields every card model shares (kwargs of ``LibraryCard`` and its subclasses)."""
    media, guess = _media(row), guess_of(row.get("guess"))
    plays = playnotes.playability(row)
    media_type = media.media_type if media else {"movie": "movie", "episode": "show"}.get(guess.type or "")
    confidence, duration = row.get("match_confidence"), row.get("duration_seconds")
    return {
        "id": row["id"], "file_name": row["file_name"], "title": media.title if media else (guess.title or
                                                                                           row["file_name"]),
        "year": media.year if media else guess.year, "media_type": media_type,
        "poster_url": media.poster_url if media else None, "backdrop_url": media.backdrop_url if media else None,
        "match_state": state, "match_confidence": float(confidence) if confidence is not None else None,
        "media": media, "episode": episode_of(row), "resolution": resolution(row.get("width"), row.get("height")),
        "width": row.get("width"), "height": row.get("height"),
        "duration_seconds": float(duration) if duration is not None else None,
        "container": row.get("container"), "video_codec": row.get("video_codec"),
        "audio_languages": list(row.get("audio_languages") or ()), "subtitle_count": row.get("subtitle_count") or 0,
        "has_mp4_variant": "mp4_remux" in (row.get("stream_kinds") or ()),
        "flagged": row.get("probe_error") is not None, "probe_error": row.get("probe_error"),
        "source_job_id": row.get("source_job_id"), "created_at": row["created_at"], "indexed_at": row["indexed_at"],
        "play_mode": plays.mode, "play_note": plays.note,
    }


def candidates_of(raw: Any) -> list[Candidate]:
    found = []
    for item in raw if isinstance(raw, list) else ():
        try:
            found.append(Candidate.model_validate(item))
        except ValidationError:
            continue  # a candidate whose shape changed between versions is not worth an error
    return found


def card(row: CardRow) -> LibraryCard:
    return LibraryCard(**card_fields(row, row["match_state"]))


def unmatched_card(row: CardRow) -> UnmatchedCard:
    return UnmatchedCard(**card_fields(row, row["match_state"]), guess=guess_of(row.get("guess")),
                         candidates=candidates_of(row.get("match_candidates")))


def detail(row: DetailRow, streams: list[StreamRow], subtitles: list[SubtitleRow]) -> LibraryItemDetail:
    return LibraryItemDetail(
        **card_fields(row, row["effective_state"]), guess=guess_of(row.get("guess")),
        candidates=candidates_of(row.get("match_candidates")), storage_key=row["storage_key"],
        source_path=row.get("source_path"), size_bytes=row["size_bytes"], sha256=row.get("sha256"),
        match_source=row.get("match_source"), matched_at=row.get("matched_at"),
        audio_codecs=list(row.get("audio_codecs") or ()), probe=row.get("probe"),
        streams=[StreamInfo(kind=s["kind"], mime_type=s["mime_type"], container=s["container"],
                            size_bytes=s["size_bytes"]) for s in streams],
        subtitles=[SubtitleInfo(id=s["id"], language=s["language"], label=s["label"], source=s["source"],
                                format=s["format"], is_default=s["is_default"], is_forced=s["is_forced"])
                   for s in subtitles])


# Source tags of release names, most specific first (a "BluRay REMUX" is a remux).
_SOURCES = (("remux", "Remux"), ("bluray|blu-ray|bdrip|brrip", "BluRay"), ("web-?dl", "WEB-DL"),
            ("webrip", "WEBRip"), ("hdtv", "HDTV"), ("dvdrip|dvd", "DVD"))
_SOURCE_RES = [(re.compile(rf"(?<![a-z0-9])(?:{pattern})(?![a-z0-9])", re.IGNORECASE), label)
               for pattern, label in _SOURCES]


def source_of(file_name: str) -> str | None:
    """The release source a file name states (BluRay, WEB-DL, ...), if any."""
    for pattern, label in _SOURCE_RES:
        if pattern.search(file_name):
            return label
    return None


def version(row: VersionRow) -> LibraryVersion:
    plays = playnotes.playability(row)
    duration = row.get("duration_seconds")
    return LibraryVersion(
        id=row["id"], file_name=row["file_name"], size_bytes=row.get("size_bytes"),
        resolution=resolution(row.get("width"), row.get("height")), source=source_of(row["file_name"]),
        width=row.get("width"), height=row.get("height"),
        duration_seconds=float(duration) if duration is not None else None, container=row.get("container"),
        video_codec=row.get("video_codec"), audio_codecs=list(row.get("audio_codecs") or ()),
        audio_languages=list(row.get("audio_languages") or ()), subtitle_count=row.get("subtitle_count") or 0,
        play_mode=plays.mode, playable=plays.playable, play_note=plays.note, created_at=row["created_at"])


def best_first(rows: list[V]) -> list[V]:
    """A title's files in play order: direct before remux before conversion, then quality."""
    return sorted(rows, key=lambda r: playnotes.rank_key(r, playnotes.playability(r).mode))


def title_card(rows: list[TitleRow]) -> LibraryTitleCard:
    """One card for a title's files: the best file's fields and every version, best first."""
    ordered = best_first(rows)
    best = ordered[0]
    return LibraryTitleCard(**card_fields(best, best["match_state"]), version_count=len(ordered),
                            versions=[version(r) for r in ordered])
