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
- **The playing device** (``scoring_device``, when known): a video codec it cannot decode ranks the release
  below every release it plays (taken only when nothing else exists); audio it cannot decode, HDR on an SDR
  screen and more lines than its screen cost quality. A device that decodes everything changes nothing.
- **Hard rejects** (kept, scored, listed last with the reason): another title, year, season or episode;
  CAM/TS/TC/screeners; a codec the profile excludes; an absurd size; no seeders or a tiny swarm.
- **One episode wanted** (Sonarr's rule, ``scoring_packs``): a season pack ranks below every healthy
  single-episode release, whatever its score; it leads only when no single-episode release is healthy.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, NamedTuple

from chalicelib import gcpause
from chalicelib.observability import timed
from chalicelib.settings.profile import QualityProfile
from chalicelib.sources import scoring_device as device
from chalicelib.sources import scoring_match as match
from chalicelib.sources import scoring_packs as packs
from chalicelib.sources.release import Release
from chalicelib.sources.scoring_size import NEUTRAL, SizeRule
from chalicelib.sources.scoring_types import Candidate, Scored, Target

WEIGHTS = {"health": 0.45, "quality": 0.35, "size": 0.15, "consistency": 0.05}
W_HEALTH, W_QUALITY, W_SIZE, W_CONSISTENCY = (WEIGHTS[part] for part in ("health", "quality", "size", "consistency"))
FULL_SEEDERS = 200
LOG_FULL_SEEDERS = math.log10(1 + FULL_SEEDERS)
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


@timed("score_latency_ms")
def rank(candidates: Sequence[Candidate], target: Target, profile: QualityProfile) -> list[Scored]:
    """Every candidate scored and explained; best first, rejected last; same inputs, same order."""
    with gcpause.paused():
        scored = _Scorer(target, profile).score_all(candidates)
        below = packs.settle(scored, target)
        # what the device cannot decode goes below all it plays, above the rejects
        refused: frozenset[int] = frozenset() if target.device is None else frozenset(
            id(s) for s in scored if s._parts.fit.refused)  # type: ignore[attr-defined]
        return _in_order(scored, below, refused)


def _in_order(scored: list[Scored], below: frozenset[int], refused: frozenset[int]) -> list[Scored]:
    """Accepted before rejected; among each, what the device plays before what it cannot decode, singles before
    the packs ranked below them (``below``); then by ``_ties``. Split into those groups first, each sorted on
    keys that start with the total: one sort on keys starting with those flags (equal for nearly every pair)
    compared them on every comparison."""
    groups = [[s for s in scored if s.rejected is None], [s for s in scored if s.rejected is not None]]
    for flagged in (refused, below):  # in this order: what the device refuses goes below the packs it plays
        if flagged:
            groups = [part for group in groups for part in (
                [s for s in group if id(s) not in flagged], [s for s in group if id(s) in flagged])]
    ordered: list[Scored] = []
    for group in groups:
        keys = _ties(group)
        ordered += [group[i] for i in sorted(range(len(group)), key=keys.__getitem__)]
    return ordered


def _ties(group: list[Scored]) -> list[tuple[Any, ...]]:
    """The order within a group: higher total, more seeders, then name, info hash, indexer, link (a total
    order on what the indexers sent, so their answering order never shows). Sorted by index, so two equal
    keys (one indexer listing a release twice) keep the candidates' order, as a stable sort would."""
    return [(-s.total, -(c.seeders or 0), c.name, c.infohash or "", c.indexer, c.link or "")
            for s in group for c in [s.candidate]]


class _Scorer:
    """One rank call. What depends only on the release is computed once per release (its identity, quality,
    consistency and size rule once per combination of the fields each reads), health once per (seeders,
    leechers): 10,000 candidates share far fewer of any of these."""

    def __init__(self, target: Target, profile: QualityProfile) -> None:
        self.target, self.profile = target, profile
        self.key = match.title_key(target.title)
        self.wanted = target.title + (f" ({target.year})" if target.year and target.media_type == "movie" else "")
        self._releases: dict[int, _ReleaseParts] = {}
        self._fits: dict[tuple[Any, ...], _Fit] = {}
        self._quality: dict[tuple[Any, ...], tuple[float, tuple[str, ...], str | None]] = {}
        self._groups: dict[str | None, _Consistency] = {}
        self._sizes: dict[tuple[Any, ...], SizeRule] = {}
        self._identity: dict[tuple[Any, ...], str | None] = {}
        self._titles: dict[tuple[str, str | None], str | None] = {}
        self._swarms: dict[tuple[int | None, int | None], tuple[float, str, str | None]] = {}

    def score_all(self, candidates: Sequence[Candidate]) -> list[Scored]:
        """Every candidate scored, in the candidates' order. The loop body is all a candidate costs beyond
        its release's parts (cached): two lookups, the size rule and one object."""
        releases, swarms = self._releases, self._swarms
        release_parts, swarm = self._release_parts, self._swarm
        scored: list[Scored] = []
        add = scored.append
        for c in candidates:
            parts = releases.get(id(c.release)) or release_parts(c.release)
            health, health_reason, dead = swarms.get((c.seeders, c.leechers)) or swarm(c.seeders, c.leechers)
            size, absurd = parts.size.score(c.size)
            add(_Ranked(c, round(W_HEALTH * health + parts.weighted + W_SIZE * size, 2), health, size,
                        parts.rejected or dead or absurd, parts, health_reason))
        return scored

    def _swarm(self, seeders: int | None, leechers: int | None) -> tuple[float, str, str | None]:
        health, reason = health_part(seeders, leechers)
        self._swarms[(seeders, leechers)] = result = (round(health, 2), reason, _swarm_reject(seeders, self.profile))
        return result

    def _release_parts(self, r: Release) -> _ReleaseParts:
        fit_key = (r.resolution, r.source, r.codec, r.hdr)
        if self.target.device is not None:
            fit_key += device.verdict_key(r)
        fit = self._fits.get(fit_key) or self._fit(fit_key, r)
        group = self._groups.get(r.group) or self._group(r.group)
        size_key = (r.pack, len(r.seasons), len(r.episodes), r.resolution)
        size = self._sizes.get(size_key) or self._sizes.setdefault(size_key, SizeRule.of(r, self.target, self.profile))
        identity_key = (r.name_title, r.title, r.year, r.season, r.seasons, r.episodes, r.pack, r.absolute)
        identity = self._identity.get(identity_key, _UNSEEN)
        if identity is _UNSEEN:
            identity = self._identity[identity_key] = self.identity(r)
        self._releases[id(r)] = parts = _ReleaseParts(identity or fit.unwanted, fit, group, size,
                                                      fit.weighted + group.weighted)
        return parts  # the candidates keep every release alive for the whole call: ids are not reused

    def _fit(self, key: tuple[Any, ...], r: Release) -> _Fit:
        """Quality (as the device sees it, when known) and the profile's own rejects: what depends on the
        release's quality tags alone."""
        quality_key = key[:4]
        if quality_key not in self._quality:
            quality, reasons = quality_part(r, self.profile)
            self._quality[quality_key] = (round(quality, 2), reasons, self.unwanted(r))
        quality, reasons, unwanted = self._quality[quality_key]
        verdict = device.PLAYS if self.target.device is None else device.judge(
            self.target.device, r, hdr_judged=bool(r.hdr) and not self.profile.allow_hdr)
        if verdict is not device.PLAYS:
            quality, reasons = round(quality * verdict.factor, 2), verdict.reasons + reasons
        self._fits[key] = fit = _Fit(quality, W_QUALITY * quality, reasons, unwanted, verdict.refused)
        return fit

    def _group(self, group: str | None) -> _Consistency:
        consistency, reason = consistency_part(group, self.target)
        consistency = round(consistency, 2)
        self._groups[group] = found = _Consistency(consistency, W_CONSISTENCY * consistency,
                                                   (reason,) if reason else ())
        return found

    def identity(self, r: Release) -> str | None:
        """Why the release is not the title / year / episode wanted."""
        t = self.target
        episode = match.movie_mismatch(r) if t.media_type == "movie" else match.episode_mismatch(
            r, t.season, t.episode, t.absolute_episode)
        return self._title(r) or match.year_mismatch(r, t.year) or episode

    def _title(self, r: Release) -> str | None:
        """The title check, once per spelling: it is the costly one (fuzzy matching), and a search's
        releases spell their title a few ways across many episodes, seasons and years."""
        key = (r.name_title, r.title)
        if key not in self._titles:
            self._titles[key] = match.title_mismatch(r, self.key, self.wanted)
        return self._titles[key]

    def unwanted(self, r: Release) -> str | None:
        """Why the profile never takes this release: a cinema recording or screener, an excluded codec."""
        if r.source in FAKE_SOURCES:
            return f"source: {FAKE_SOURCES[r.source]}"
        if r.codec in self.profile.excluded_codecs:
            return f"codec: {CODEC_LABEL.get(r.codec, r.codec)} is excluded by your profile"
        return None


class _Ranked(Scored):
    """A Scored from ``rank``: keeps what explains it and writes its reasons on first read."""

    __slots__ = ("_health_reason", "_parts", "note")

    def __init__(self, c: Candidate, total: float, health: float, size: float, rejected: str | None,
                 parts: _ReleaseParts, health_reason: str) -> None:
        self.candidate, self.total, self.health, self.size, self.rejected = c, total, health, size, rejected
        self._reasons, self._parts, self._health_reason = None, parts, health_reason
        self.note: str | None = None  # why it stands where it does, beyond its score (a season pack's place)

    @property  # type: ignore[override]  # the release's, shared by its candidates
    def quality(self) -> float:
        return self._parts.fit.quality

    @property  # type: ignore[override]
    def consistency(self) -> float:
        return self._parts.group.consistency

    def _explain(self) -> tuple[str, ...]:
        """The note on its place (when any), quality's reasons, health's, size's, then consistency's."""
        parts = self._parts
        note = (self.note,) if self.note else ()
        return (*note, *parts.fit.reasons, self._health_reason, parts.size.reason(self.candidate.size),
                *parts.group.tail)


class _Fit(NamedTuple):
    quality: float
    weighted: float  # quality's share of the total
    reasons: tuple[str, ...]  # quality's, shown first
    unwanted: str | None  # the profile's reject (a cinema recording, an excluded codec)
    refused: str | None = None  # the device cannot decode the video (ranked below all it plays)


class _Consistency(NamedTuple):
    """The release group against the previous episode's: one per group of a search, not per release."""

    consistency: float
    weighted: float  # consistency's share of the total
    tail: tuple[str, ...]  # its reason, shown last


class _ReleaseParts(NamedTuple):
    rejected: str | None
    fit: _Fit
    group: _Consistency
    size: SizeRule
    weighted: float  # quality's and consistency's share of the total (read once per candidate)


_UNSEEN = "\0unseen"  # not a reason any check writes; compared by identity


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


# ------------------------------------------------------------- consistency


def consistency_part(group: str | None, target: Target) -> tuple[float, str | None]:
    """Same group as the previous episode: 100; another group: 0; nothing to compare with: neutral."""
    previous = target.previous_group
    if target.media_type != "show" or not previous:
        return NEUTRAL, None
    same = group is not None and group.casefold() == previous.casefold()
    if target.previous_episode is None:
        return (100.0, f"same group as the previous episode ({group})") if same else (
            0.0, f"not the previous episode's group ({previous})")
    episode = _episode_words(target)
    return (100.0, f"same group as {episode}") if same else (0.0, f"not the group of {episode} ({previous})")


def _episode_words(target: Target) -> str:
    """"episode 4" in the same season, "S01E10" from an earlier one."""
    season = target.previous_season
    if season is None or season == target.season:
        return f"episode {target.previous_episode}"
    return f"S{season:02d}E{target.previous_episode:02d}"
