"""Rows -> response models: the cards, the review queue entries and the item detail."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from chalicelib.catalog import images
from chalicelib.library.models import (
    Candidate,
    EpisodeInfo,
    Guess,
    LibraryCard,
    LibraryItemDetail,
    MediaRef,
    StreamInfo,
    SubtitleInfo,
    UnmatchedCard,
)

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


def _media(row: dict[str, Any]) -> MediaRef | None:
    if row.get("media_id") is None or row.get("media_title") is None:
        return None
    return MediaRef(id=row["media_id"], media_type=row["media_type"], title=row["media_title"],
                    year=row.get("media_year"), poster_url=images.url(row["media_type"], row.get("poster_path")),
                    backdrop_url=images.url(row["media_type"], row.get("backdrop_path"), "backdrop"))


def _episode(row: dict[str, Any]) -> EpisodeInfo | None:
    if row.get("episode_id") is None or row.get("season_number") is None:
        return None
    return EpisodeInfo(id=row["episode_id"], season=row["season_number"], episode=row["episode_number"],
                       title=row.get("episode_name"), air_date=row.get("episode_air_date"))


def card_fields(row: dict[str, Any], state: str) -> dict[str, Any]:
    media, guess = _media(row), guess_of(row.get("guess"))
    media_type = media.media_type if media else {"movie": "movie", "episode": "show"}.get(guess.type or "")
    confidence = row.get("match_confidence")
    return {
        "id": row["id"], "file_name": row["file_name"], "title": media.title if media else (guess.title or
                                                                                           row["file_name"]),
        "year": media.year if media else guess.year, "media_type": media_type,
        "poster_url": media.poster_url if media else None, "backdrop_url": media.backdrop_url if media else None,
        "match_state": state, "match_confidence": float(confidence) if confidence is not None else None,
        "media": media, "episode": _episode(row), "resolution": resolution(row.get("width"), row.get("height")),
        "width": row.get("width"), "height": row.get("height"),
        "duration_seconds": float(row["duration_seconds"]) if row.get("duration_seconds") is not None else None,
        "container": row.get("container"), "video_codec": row.get("video_codec"),
        "audio_languages": list(row.get("audio_languages") or ()), "subtitle_count": row.get("subtitle_count") or 0,
        "has_mp4_variant": "mp4_remux" in (row.get("stream_kinds") or ()),
        "flagged": row.get("probe_error") is not None, "probe_error": row.get("probe_error"),
        "source_job_id": row.get("source_job_id"), "created_at": row["created_at"], "indexed_at": row["indexed_at"],
    }


def candidates_of(raw: Any) -> list[Candidate]:
    found = []
    for item in raw if isinstance(raw, list) else ():
        try:
            found.append(Candidate.model_validate(item))
        except ValidationError:
            continue  # a candidate whose shape changed between versions is not worth an error
    return found


def card(row: dict[str, Any]) -> LibraryCard:
    return LibraryCard(**card_fields(row, row["match_state"]))


def unmatched_card(row: dict[str, Any]) -> UnmatchedCard:
    return UnmatchedCard(**card_fields(row, row["match_state"]), guess=guess_of(row.get("guess")),
                         candidates=candidates_of(row.get("match_candidates")))


def detail(row: dict[str, Any], streams: list[dict[str, Any]], subtitles: list[dict[str, Any]]) -> LibraryItemDetail:
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
