"""Size sanity (15% of a candidate's score): MB per minute of runtime against the profile's band.

A season pack's size is divided by its episode count; unknown runtime or size is neutral (50) and said so;
sizes far outside the band (more than ``ABSURD_FACTOR`` times) or too small to be a video are rejects.
Split from :mod:`chalicelib.sources.scoring`: the per-candidate hot path
computes numbers only, the explanation is written when a candidate's reasons are read.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from chalicelib.settings.profile import QualityProfile, SizeBand
from chalicelib.sources.release import Release
from chalicelib.sources.scoring_types import Target

NEUTRAL = 50.0
ABSURD_FACTOR = 4.0  # sizes more than 4x outside the band are fakes, samples or mislabelled
LOG_ABSURD = math.log(ABSURD_FACTOR)
MIN_VIDEO_BYTES = 10_000_000  # no episode is 10 MB: a fake (an .exe, a .lnk) or a sample
MAX_ITEM_BYTES = 200_000_000_000


@dataclass(frozen=True, slots=True)
class SizeRule:
    """How the sizes of one release are judged: per episode and minute of runtime, against its band.
    ``score`` is the hot path (numbers, and a reject's text: rejects are few); ``reason`` writes the
    explanation when it is read."""

    items: int | None  # episodes (or films) the size covers; None: a pack whose episode count is unknown
    minutes: int | None
    band: SizeBand
    per: str  # "" or " for 24 episodes"
    low: float
    high: float
    limits: str  # "8-80"

    @classmethod
    def of(cls, r: Release, target: Target, profile: QualityProfile) -> SizeRule:
        items = _items(r, target)
        band = _band(r.resolution, profile)
        return cls(items, target.runtime_minutes, band, f" for {items} episodes" if items and items > 1 else "",
                   band.min, band.max, f"{band.min:g}-{band.max:g}")

    def score(self, size: int | None) -> tuple[float, str | None]:
        """(score, absurd-size reject or None)."""
        if size is None:
            return NEUTRAL, None
        if size < MIN_VIDEO_BYTES:
            return 0.0, f"{_shown(size)} is too small to be a video (a fake or a sample)"
        items = self.items
        if items and size / items > MAX_ITEM_BYTES:
            return 0.0, f"{_shown(size)} is absurd{self.per}"
        if not self.minutes or not items:
            return NEUTRAL, None
        per_minute = size / (items * 1_000_000 * self.minutes)
        low, high = self.low, self.high
        if low <= per_minute <= high:
            return 100.0, None
        factor, side = (low / per_minute, "below") if per_minute < low else (per_minute / high, "above")
        if factor > ABSURD_FACTOR:
            return 0.0, f"size: {per_minute:.1f} MB/min is far {side} {self.limits}"
        return round(100 * (1 - math.log(factor) / LOG_ABSURD), 2), None

    def reason(self, size: int | None) -> str:
        """What ``score`` decided, in words."""
        if size is None:
            return "size not reported"
        shown = _shown(size)
        if size < MIN_VIDEO_BYTES or (self.items and size / self.items > MAX_ITEM_BYTES):
            return shown
        if not self.minutes or not self.items:
            return f"{shown}, not judged: {'runtime unknown' if not self.minutes else 'episodes in the pack unknown'}"
        per_minute = size / (self.items * 1_000_000 * self.minutes)
        text = f"{shown}{self.per} = {per_minute:.0f} MB/min"
        if self.low <= per_minute <= self.high:
            return f"{text}, within {self.limits}"
        side = "below" if per_minute < self.low else "above"
        far = (self.low / per_minute if side == "below" else per_minute / self.high) > ABSURD_FACTOR
        return f"{text}, {'far ' if far else ''}{side} {self.limits}"


def _shown(size: int) -> str:
    return f"size {size / 1e9:.1f} GB" if size >= 1_000_000_000 else f"size {size / 1e6:.0f} MB"


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
