"""Subtitles -> WebVTT, the only text track format a browser's <video> plays.

Sidecars (``Movie.en.srt``, ``Movie.eng.forced.ass``, ``Subs/English.srt``)
get their language from the file name (ISO 639-1/2 codes, IETF tags such as
``pt-BR`` or English language names) and are converted with pysubs2, which
reads SRT, ASS/SSA and VTT. Embedded text tracks (subrip, ass, webvtt,
mov_text) are extracted by ffmpeg straight to WebVTT. A file that is not a
subtitle at all is skipped with a reason, never fatal to the media file.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Literal

MAX_SUBTITLE_BYTES = 20 * 1024 * 1024
FORMATS: dict[str, Literal["srt", "ass", "ssa", "vtt"]] = {".srt": "srt", ".ass": "ass", ".ssa": "ssa", ".vtt": "vtt"}
_FLAGS = {"forced": "forced", "sdh": "SDH", "cc": "CC", "hi": "SDH", "default": "default"}
_TOKEN = re.compile(r"[._\s]+")
_LEADING_INDEX = re.compile(r"^\d+[_\s.-]+")


class SubtitleError(Exception):
    """Not a readable subtitle file (or ffmpeg could not extract the track)."""


@dataclass(frozen=True)
class Language:
    tag: str  # BCP 47-ish: en, pt-BR, und
    label: str | None
    forced: bool = False
    default: bool = False


def _babel(token: str):
    import babelfish  # guessit's dependency: language codes and names

    for attempt in (lambda t: babelfish.Language.fromietf(t) if len(t) in (2, 5) else None,
                    lambda t: babelfish.Language.fromalpha3b(t) if len(t) == 3 else None,
                    lambda t: babelfish.Language(t) if len(t) == 3 else None,
                    lambda t: babelfish.Language.fromcode(t.capitalize(), "name")):
        try:
            found = attempt(token)
        except (ValueError, KeyError, babelfish.Error):
            found = None
        if found is not None and found.alpha3 != "und":
            return found
    return None


def tag_of(language) -> str:
    try:
        base = language.alpha2
    except Exception:  # babelfish raises when a language has no two-letter code
        base = language.alpha3
    return f"{base}-{language.country.alpha2}" if language.country else base


def sidecar_language(media_stem: str, subtitle: PurePath) -> Language:
    """Language and flags from ``<media stem>.<lang>[.forced|.sdh].srt`` or ``Subs/2_English.srt``."""
    stem = subtitle.stem
    rest = stem[len(media_stem):] if stem.lower().startswith(media_stem.lower()) else _LEADING_INDEX.sub("", stem)
    tokens = [t for t in _TOKEN.split(rest) if t]
    found, flags = None, set()
    for token in tokens:
        lowered = token.lower()
        if lowered in _FLAGS:
            flags.add(_FLAGS[lowered])
        elif found is None:
            found = _babel(lowered)
    if found is None:
        return Language("und", " ".join(sorted(flags)) or None, "forced" in flags, "default" in flags)
    extras = sorted(f for f in flags if f not in ("default",))
    label = found.name + (f" ({', '.join(extras)})" if extras else "")
    return Language(tag_of(found), label, "forced" in flags, "default" in flags)


def embedded_language(code: str | None, title: str | None) -> Language:
    """The track's language; its label names the language first, then the track's own title (``SDH``)."""
    found = _babel((code or "").lower()) if code and code.lower() != "und" else None
    name = found.name if found else None
    if name and title and title.strip().lower() != name.lower():
        label: str | None = f"{name} · {title.strip()}"
    else:
        label = name or (title.strip() if title else None) or None
    return Language(tag_of(found) if found else "und", label)


def to_webvtt(path: Path) -> str:
    """A sidecar converted to WebVTT text (raises ``SubtitleError``)."""
    import pysubs2  # lazy: only sidecar conversion needs pysubs2

    if path.stat().st_size > MAX_SUBTITLE_BYTES:
        raise SubtitleError(f"larger than {MAX_SUBTITLE_BYTES} bytes")
    last: Exception | None = None
    for encoding in ("utf-8-sig", "cp1252"):  # most sidecars are UTF-8; old ones Windows-1252
        try:
            subs = pysubs2.load(str(path), encoding=encoding)
            break
        except UnicodeDecodeError as exc:
            last = exc
        except Exception as exc:  # pysubs2 raises several types for unreadable input
            raise SubtitleError(f"not a subtitle file: {type(exc).__name__}") from exc
    else:
        raise SubtitleError(f"unknown text encoding: {last}")
    if not subs.events:
        raise SubtitleError("no cues")
    return subs.to_string("vtt")


def extract_embedded(media: Path, stream_index: int, ffmpeg: str = "ffmpeg", timeout: float = 300.0) -> str:
    """Embedded text track ``stream_index`` of ``media`` as WebVTT (raises ``SubtitleError``)."""
    command = [ffmpeg, "-nostdin", "-v", "error", "-i", str(media), "-map", f"0:{stream_index}", "-f", "webvtt", "-"]
    try:
        done = subprocess.run(command, capture_output=True, timeout=timeout, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise SubtitleError(f"ffmpeg failed: {type(exc).__name__}") from exc
    text = done.stdout.decode("utf-8", errors="replace")
    if done.returncode != 0 or not text.startswith("WEBVTT"):
        raise SubtitleError(done.stderr.decode(errors="replace").strip()[-300:] or "no WebVTT output")
    return text
