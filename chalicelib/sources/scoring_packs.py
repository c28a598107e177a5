"""Season packs when one episode is wanted: Sonarr's rule, applied after scoring.

A pack holds the episode, but it is many times the bytes and one slow swarm for a whole season: it is
taken for a single episode only when no single-episode release is healthy (not rejected: right
episode, enough seeders, a sane size). So a pack that fits ranks below every healthy single-episode
release, whatever its score, and says so; when none is healthy the pack keeps its place and says why
it is the one taken. Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Sequence

from chalicelib.sources.scoring_types import Scored, Target

BELOW_SINGLES = "Season pack: ranked below single-episode releases"
ONLY_WITH_SEEDERS = "Season pack: the only source with seeders"
ONLY_WITH_ENOUGH = "Season pack: the only source with enough seeders"
NO_SINGLES = "Season pack: no single-episode release was found, so the pack is used"
NO_SINGLE_FITS = "Season pack: no single-episode release fits your profile, so the pack is used"
SWARM, DEAD = "swarm:", "swarm: no seeders"


def settle(scored: Sequence[Scored], target: Target) -> frozenset[int]:
    """Notes the place of every pack that fits; returns the ids of those that rank below the single
    episodes (none unless one episode is wanted and a single-episode release is healthy)."""
    if target.media_type != "show" or target.episode is None:
        return frozenset()
    fitting = [s for s in scored if s.candidate.release.pack and s.rejected is None]
    if not fitting:
        return frozenset()
    singles = [s for s in scored if not s.candidate.release.pack]
    healthy = any(s.rejected is None for s in singles)
    note = BELOW_SINGLES if healthy else _why_alone(singles)
    for s in fitting:
        s.note = note  # type: ignore[attr-defined]  # rank's own Scored (_Ranked) carries a note
    return frozenset(id(s) for s in fitting) if healthy else frozenset()


def _why_alone(singles: Sequence[Scored]) -> str:
    if not singles:
        return NO_SINGLES
    if all((s.rejected or "").startswith(DEAD) for s in singles):
        return ONLY_WITH_SEEDERS
    if all((s.rejected or "").startswith(SWARM) for s in singles):
        return ONLY_WITH_ENOUGH
    return NO_SINGLE_FITS
