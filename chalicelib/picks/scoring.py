"""Deterministic scoring of candidates: health 45%, quality fit 35%, size sanity 15%, consistency 5%.

Pure (no I/O, no clock, no randomness): the same candidates, target and profile give the same scores and the
same order, whatever order the indexers answered in. Each part is 0-100 and explained in ``reasons``; the
total is their weighted sum, rounded to 0.01 so that near-equal candidates fall to the tie-breakers (more
seeders, then name, infohash, indexer) instead of to float noise.

- **Health** (45%): a download that never finishes is worth nothing, so the swarm weighs most. Seeders count
  on a log scale (10 → 200 matters as much as 1 → 10; 200+ is full marks) for 80%, the seeders' share of the
  swarm for 20% (many leechers per seeder is slow).
- **Quality fit** (35%): resolution against the profile's preferred and maximum, source (WEB-DL > WEBRip >
  BluRay > HDTV > DVD: a WEB-DL is the untouched streaming file, what a browser plays best), a codec the
  browser plays, and no HDR unless the profile allows it.
- **Size sanity** (15%): MB per minute of runtime inside the profile's band for the resolution; a season
  pack's size is divided by its episode count. Unknown runtime or size: neutral (50), and said so.
- **Consistency** (5%): the release group of the previous episode (same encoder settings, same subtitles).
- **Hard rejects** (kept, scored, listed last with the reason): another title, year, season or episode;
  CAM/TS/TC/screeners; a codec the profile excludes; an absurd size; no seeders or a tiny swarm.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from chalicelib.picks import scoring_match as match
from chalicelib.picks.profile import QualityProfile, SizeBand
from chalicelib.sources.release import Release

WEIGHTS = {"health": 0.45, "quality": 0.35, "size": 0.15, "consistency": 0.05}
W_HEALTH, W_QUALITY, W_SIZE, W_CONSISTENCY = (WEIGHTS[part] for part in ("health", "quality", "size", "consistency"))
NEUTRAL = 50.0
FULL_SEEDERS = 200
LOG_FULL_SEEDERS = math.log10(1 + FULL_SEEDERS)
ABSURD_FACTOR = 4.0  # sizes more than 4x outside the band are fakes, samples or mislabelled
LOG_ABSURD = math.log(ABSURD_FACTOR)
MIN_VIDEO_BYTES = 10_000_000  # no episode is 10 MB: a fake (an .exe, a .lnk) or a sample
MAX_ITEM_BYTES = 200_000_000_000
FAKE_SOURCES = {"cam": "a camera recording in a cinema", "telesync": "a telesync (cinema recording)",
                "telecine": "a telecine (film scan of a cinema print)", "screener": "a screener (pre-release copy)",
                "workprint": "a workprint (unfinished cut)"}
SOURCE_CREDIT = {"web-dl": 100, "webrip": 85, "bluray": 75, "hdtv": 60, "vod": 55, "dvd": 40, "ppv": 40, "vhs": 10}
SOURCE_LABEL = {"web-dl": "WEB-DL", "webrip": "WEBRip", "bluray": "BluRay", "hdtv": "HDTV", "dvd": "DVD",
                "vod": "VOD", "ppv": "PPV", "vhs": "VHS"}
CODEC_LABEL = {"h264": "H.264", "h265": "HEVC (H.265)", "av1": "AV1", "vp9": "VP9", "vp8": "VP8", "xvid": "XviD",
               "divx": "DivX", "mpeg2": "MPEG-2", "vc1": "VC-1"}
HDR_FACTOR = {"dv": 0.4, "hdr10": 0.6, "hdr10+": 0.6, "hlg": 0.7}  # quality kept when HDR is not allowed
ABOVE_MAX_FACTOR = 0.3
LADDER = (480, 576, 720, 1080, 2160)


@dataclass(frozen=True)
class Candidate:
    name: str
    infohash: str | None
    size: int | None
    seeders: int | None
    leechers: int | None
    indexer: str
    published_at: datetime | None
    magnet: str | None
    link: str | None
    release: Release
    file_index: int | None = None  # for a pack: which file holds the episode, when known


@dataclass(frozen=True)
class Target:
    """What is wanted. ``season_episodes``: episodes in the season (to size a pack per episode);
    ``absolute_episode``: the episode's absolute number when known (anime releases use it)."""

    media_type: str  # 'movie' | 'show'
    title: str
    year: int | None
    season: int | None
    episode: int | None
    runtime_minutes: int | None
    previous_group: str | None = None
    season_episodes: int | None = None
    absolute_episode: int | None = None


@dataclass(frozen=True)
class Scored:
    candidate: Candidate
    total: float
    health: float
    quality: float
    size: float
    consistency: float
    rejected: str | None
    reasons: tuple[str, ...]

    def as_json(self) -> dict[str, Any]:
        """The API's candidate. No magnet or .torrent link: a Torznab link carries the indexer's API key."""
        c = self.candidate
        return {"name": c.name, "infohash": c.infohash, "size": c.size, "seeders": c.seeders,
                "leechers": c.leechers, "indexer": c.indexer,
                "publishedAt": c.published_at.isoformat() if c.published_at else None,
                "fileIndex": c.file_index, "parsed": c.release.as_json(),
                "score": {"total": self.total, "health": self.health, "quality": self.quality, "size": self.size,
                          "consistency": self.consistency},
                "rejected": self.rejected, "reasons": list(self.reasons)}


def rank(candidates: Sequence[Candidate], target: Target, profile: QualityProfile) -> list[Scored]:
    """Every candidate scored and explained; best first, rejected last; same inputs, same order."""
    scorer = _Scorer(target, profile)
    scored = [scorer.score(c) for c in candidates]
    scored.sort(key=_order)
    return scored


def _order(s: Scored) -> tuple[Any, ...]:
    c = s.candidate
    return (s.rejected is not None, -s.total, -(c.seeders or 0), c.name, c.infohash or "", c.indexer, c.link or "")


class _Scorer:
    """One rank call. What depends only on the release is computed once per release (its identity, quality
    and size rule once per combination of the fields each reads), health once per (seeders, leechers):
    10,000 candidates share far fewer of any of these."""

    def __init__(self, target: Target, profile: QualityProfile) -> None:
        self.target, self.profile = target, profile
        self.key = match.title_key(target.title)
        self.wanted = target.title + (f" ({target.year})" if target.year and target.media_type == "movie" else "")
        self._releases: dict[int, _ReleaseParts] = {}
        self._quality: dict[tuple[Any, ...], tuple[float, tuple[str, ...]]] = {}
        self._sizes: dict[tuple[Any, ...], SizeRule] = {}
        self._identity: dict[tuple[Any, ...], str | None] = {}
        self._swarms: dict[tuple[int | None, int | None], tuple[float, str, str | None]] = {}

    def score(self, c: Candidate) -> Scored:
        parts = self._releases.get(id(c.release)) or self._release_parts(c.release)
        health, health_reason, dead = self._swarms.get((c.seeders, c.leechers)) or self._swarm(c.seeders, c.leechers)
        size, size_reason, absurd = parts.size.judge(c.size)
        total = round(W_HEALTH * health + parts.weighted + W_SIZE * size, 2)
        return Scored(c, total, health, parts.quality, size, parts.consistency, parts.rejected or dead or absurd,
                      (*parts.reasons, health_reason, size_reason, *parts.tail))

    def _swarm(self, seeders: int | None, leechers: int | None) -> tuple[float, str, str | None]:
        health, reason = health_part(seeders, leechers)
        self._swarms[(seeders, leechers)] = result = (round(health, 2), reason, _swarm_reject(seeders, self.profile))
        return result

    def _release_parts(self, r: Release) -> _ReleaseParts:
        quality, reasons = self._memo(self._quality, (r.resolution, r.source, r.codec, r.hdr), quality_part, r,
                                      self.profile)
        consistency, consistency_reason = consistency_part(r.group, self.target)
        size = self._memo(self._sizes, (r.pack, len(r.seasons), len(r.episodes), r.resolution), SizeRule.of, r,
                          self.target, self.profile)
        identity = self._memo(self._identity, (r.name_title, r.title, r.year, r.season, r.seasons, r.episodes,
                                               r.pack, r.absolute), self.identity, r)
        quality, consistency = round(quality, 2), round(consistency, 2)
        parts = _ReleaseParts(identity or self.unwanted(r), quality, consistency,
                              W_QUALITY * quality + W_CONSISTENCY * consistency, reasons,
                              (consistency_reason,) if consistency_reason else (), size)
        self._releases[id(r)] = parts  # the candidates keep every release alive for the whole call
        return parts

    @staticmethod
    def _memo(memo: dict[Any, Any], key: Any, fn: Any, *args: Any) -> Any:
        """``fn(*args)`` once per ``key``: releases that differ only in what ``fn`` ignores share the answer."""
        if key not in memo:
            memo[key] = fn(*args)
        return memo[key]

    def identity(self, r: Release) -> str | None:
        """Why the release is not the title / year / episode wanted."""
        t = self.target
        episode = match.movie_mismatch(r) if t.media_type == "movie" else match.episode_mismatch(
            r, t.season, t.episode, t.absolute_episode)
        return match.title_mismatch(r, self.key, self.wanted) or match.year_mismatch(r, t.year) or episode

    def unwanted(self, r: Release) -> str | None:
        """Why the profile never takes this release: a cinema recording or screener, an excluded codec."""
        if r.source in FAKE_SOURCES:
            return f"source: {FAKE_SOURCES[r.source]}"
        if r.codec in self.profile.excluded_codecs:
            return f"codec: {CODEC_LABEL.get(r.codec, r.codec)} is excluded by your profile"
        return None


@dataclass(frozen=True, slots=True)
class _ReleaseParts:
    rejected: str | None
    quality: float
    consistency: float
    weighted: float  # quality's and consistency's share of the total
    reasons: tuple[str, ...]  # quality's, shown first
    tail: tuple[str, ...]  # consistency's, shown last
    size: SizeRule


# ------------------------------------------------------------------ health


def health_part(seeders: int | None, leechers: int | None) -> tuple[float, str]:
    """80% seeders on a log scale (200+ full), 20% the seeders' share of the swarm (unknown leechers: half)."""
    if seeders is None:
        return 0.0, "seeders not reported"
    seeders = max(seeders, 0)  # a broken indexer's -1 is nobody
    swarm = min(1.0, math.log10(1 + seeders) / LOG_FULL_SEEDERS)
    if leechers is None:
        return 100 * (0.8 * swarm + 0.1), f"{seeders} seeders (leechers not reported)"
    leechers = max(leechers, 0)
    share = seeders / (seeders + leechers) if seeders else 0.0
    return 100 * (0.8 * swarm + 0.2 * share), f"{seeders} seeders, {leechers} leechers"


def _swarm_reject(seeders: int | None, profile: QualityProfile) -> str | None:
    if seeders is not None and seeders <= 0:
        return "swarm: no seeders (it would never finish)"
    if seeders is not None and seeders < profile.min_seeders:
        return f"swarm: {seeders} seeder(s), your profile wants at least {profile.min_seeders}"
    return None


# ----------------------------------------------------------------- quality


def quality_part(r: Release, profile: QualityProfile) -> tuple[float, tuple[str, ...]]:
    """Resolution 45%, source 25%, codec 30%; scaled down above the maximum resolution or for unwanted HDR."""
    resolution, res_reason = _resolution_credit(r, profile)
    codec, codec_reason = _codec_credit(r.codec, profile)
    score = 0.45 * resolution + 0.25 * SOURCE_CREDIT.get(r.source or "", NEUTRAL) + 0.30 * codec
    reasons = [res_reason, codec_reason]
    if r.resolution and r.resolution > profile.max_resolution:
        score *= ABOVE_MAX_FACTOR
    if r.hdr and not profile.allow_hdr:
        score *= HDR_FACTOR.get(r.hdr, 0.6)
        reasons.append(f"{r.hdr.upper()}: browsers show HDR poorly and your profile prefers SDR")
    return score, tuple(reasons)


def _resolution_credit(r: Release, profile: QualityProfile) -> tuple[float, str]:
    label = f"{r.resolution}p" if r.resolution else "resolution not named"
    label += f" {SOURCE_LABEL[r.source]}" if r.source in SOURCE_LABEL else (", source not named" if r.resolution
                                                                          else "")
    if r.resolution is None:
        return NEUTRAL, label
    if r.resolution > profile.max_resolution:
        return 0.0, f"{label}: above your maximum {profile.max_resolution}p"
    steps = _steps(r.resolution) - _steps(profile.preferred_resolution)
    if steps == 0:
        return 100.0, f"{label} fits your profile"
    if steps > 0:
        return 85.0, f"{label}: above your preferred {profile.preferred_resolution}p"
    return max(0.0, 100.0 + 30 * steps), f"{label}: below your preferred {profile.preferred_resolution}p"


def _steps(resolution: int) -> int:
    return sum(1 for rung in LADDER if rung < resolution)


def _codec_credit(codec: str | None, profile: QualityProfile) -> tuple[float, str]:
    if codec is None:
        return 70.0, "codec not named (most likely H.264)"
    label = CODEC_LABEL.get(codec, codec)
    if codec in profile.playable_codecs:
        return 100.0, f"{label} plays in your browser"
    if codec == "h265":
        return 40.0, f"{label} plays only where the browser decodes it in hardware (not Firefox)"
    return 0.0, f"{label}: browsers cannot play it without a transcode"


# -------------------------------------------------------------------- size


def size_part(size: int | None, r: Release, target: Target, profile: QualityProfile) -> tuple[float, str, str | None]:
    """(score, reason, absurd-size reject or None): MB per minute against the band for the resolution."""
    return SizeRule.of(r, target, profile).judge(size)


@dataclass(frozen=True, slots=True)
class SizeRule:
    """How the sizes of one release are judged: per episode and minute of runtime, against its band."""

    items: int | None  # episodes (or films) the size covers; None: a pack whose episode count is unknown
    minutes: int | None
    band: SizeBand
    per: str  # "" or " for 24 episodes"

    @classmethod
    def of(cls, r: Release, target: Target, profile: QualityProfile) -> SizeRule:
        items = _items(r, target)
        return cls(items, target.runtime_minutes, _band(r.resolution, profile),
                   f" for {items} episodes" if items and items > 1 else "")

    def judge(self, size: int | None) -> tuple[float, str, str | None]:
        if size is None:
            return NEUTRAL, "size not reported", None
        shown = f"size {size / 1e9:.1f} GB" if size >= 1_000_000_000 else f"size {size / 1e6:.0f} MB"
        if size < MIN_VIDEO_BYTES:
            return 0.0, shown, f"{shown} is too small to be a video (a fake or a sample)"
        if self.items and size / self.items > MAX_ITEM_BYTES:
            return 0.0, shown, f"{shown} is absurd{self.per}"
        if not self.minutes or not self.items:
            why = "runtime unknown" if not self.minutes else "episodes in the pack unknown"
            return NEUTRAL, f"{shown}, not judged: {why}", None
        per_minute = size / (self.items * 1_000_000 * self.minutes)
        low, high = self.band.min, self.band.max
        if low <= per_minute <= high:
            return 100.0, f"{shown}{self.per} = {per_minute:.0f} MB/min, within {low:g}-{high:g}", None
        return self._outside(per_minute, f"{shown}{self.per} = {per_minute:.0f} MB/min")

    def _outside(self, per_minute: float, text: str) -> tuple[float, str, str | None]:
        low, high = self.band.min, self.band.max
        factor, side = (low / per_minute, "below") if per_minute < low else (per_minute / high, "above")
        limits = f"{low:g}-{high:g}"
        if factor > ABSURD_FACTOR:
            return 0.0, f"{text}, far {side} {limits}", f"size: {per_minute:.1f} MB/min is far {side} {limits}"
        return round(100 * (1 - math.log(factor) / LOG_ABSURD), 2), f"{text}, {side} {limits}", None


def _items(r: Release, target: Target) -> int | None:
    """How many episodes (or films) the size covers; None when a pack's episode count is unknown."""
    if r.pack:
        seasons = len(r.seasons) or 1
        return target.season_episodes * seasons if target.season_episodes and seasons == 1 else None
    return max(1, len(r.episodes))


def _band(resolution: int | None, profile: QualityProfile) -> SizeBand:
    bands = profile.size_bands
    if resolution in bands:
        return bands[resolution]
    below = [res for res in bands if resolution and res <= resolution]
    if below:  # 1440p -> the 1080p band, 360p -> none below: the widest
        return bands[max(below)]
    return SizeBand(min=min(b.min for b in bands.values()), max=max(b.max for b in bands.values()))


# ------------------------------------------------------------- consistency


def consistency_part(group: str | None, target: Target) -> tuple[float, str | None]:
    """Same group as the previous episode: 100; another group: 0; nothing to compare with: neutral."""
    previous = target.previous_group
    if target.media_type != "show" or not previous:
        return NEUTRAL, None
    if group and group.casefold() == previous.casefold():
        return 100.0, f"same group as the previous episode ({group})"
    return 0.0, f"not the previous episode's group ({previous})"
