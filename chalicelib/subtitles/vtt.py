"""A downloaded subtitle file (SRT, ASS/SSA, VTT) -> WebVTT text, with pysubs2 as the scanner does."""

from __future__ import annotations


class SubtitleUnreadable(Exception):
    """Not a subtitle file pysubs2 can read, or one without a cue."""


def to_webvtt(raw: bytes) -> str:
    import pysubs2  # lazy: 250 ms of import, only a fetched subtitle is converted

    last: Exception | None = None
    for encoding in ("utf-8-sig", "cp1252"):  # most files are UTF-8; old ones Windows-1252
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError as exc:
            last = exc
    else:
        raise SubtitleUnreadable(f"unknown text encoding: {last}")
    try:
        subs = pysubs2.SSAFile.from_string(text)
    except Exception as exc:  # pysubs2 raises several types for unreadable input
        raise SubtitleUnreadable(f"not a subtitle file: {type(exc).__name__}") from exc
    if not subs.events:
        raise SubtitleUnreadable("no cues")
    return subs.to_string("vtt")
