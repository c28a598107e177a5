"""Chromaprint fingerprints compared: the longest stretch of audio two files share, aligned.

``fpcalc -raw`` gives one 32-bit item per ``ITEM_SECONDS`` of audio (chromaprint's frames of 4096 samples at
11025 Hz, a third apart). Two files playing the same audio have, at one shift between their item indexes, a
run of items that differ in few bits (``MAX_BITS``); a different sound differs in about half of them. The
shifts worth trying are the ones where items are exactly equal most often (an inverted index, the way
Jellyfin's intro skipper does it), so a pair of ten-minute windows costs milliseconds, not a full scan of
every shift. Pure Python: no numpy on the worker.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

ITEM_SECONDS = 1365 / 11025  # chromaprint's hop: 4096-sample frames overlapping by two thirds, at 11025 Hz
MAX_BITS = 8  # items closer than this (of 32 bits) are the same sound; unrelated items differ in ~16
MAX_GAP = 10  # unmatched items (~1.2 s) a run may bridge: a shared stretch matches in most items, not all
SHIFTS = 12  # candidate shifts to score, best first
EDGE = 8  # a run's first and last EDGE items (~1 s) ...
EDGE_MATCHES = 6  # ... must match this often: a stretch starts where matches are dense
EDGE_BITS = 4  # and closely: an item reaching a second into the shared audio is already near it
MIN_VOTES = 3  # exact-equal item halves a shift needs to be a candidate
COMMON = 64  # a half found more often than this in B votes for no shift
# Each item is computed from ~20 frames (~2.7 s) of audio from its own start on, weighted towards their end:
# the first item that matches closely starts a little before the shared stretch, and the last one about a
# second and a half before it ends. Measured on the generated season of tests/integration/
# test_segments_season.py (errors with no correction: starts 0 to -0.9 s, ends -1.35 to -1.55 s).
START_LAG = 0.35
END_LAG = 1.45


@dataclass(frozen=True)
class Fingerprint:
    """The items of one window of a file, the first starting ``start`` seconds into it."""

    start: float
    items: tuple[int, ...]

    def time(self, index: int) -> float:
        return self.start + index * ITEM_SECONDS


@dataclass(frozen=True)
class Run:
    """A shared stretch: items ``a_first..a_first+length-1`` of A match B's from ``b_first``."""

    a_first: int
    b_first: int
    length: int

    def seconds(self) -> float:
        return self.length * ITEM_SECONDS


@dataclass(frozen=True)
class Span:
    start: float
    end: float

    def seconds(self) -> float:
        return self.end - self.start


def _halves(item: int) -> tuple[int, int]:
    return (item >> 16) | 0x10000, item & 0xFFFF  # the upper half tagged, so the two never collide


def candidate_shifts(a: tuple[int, ...], b: tuple[int, ...]) -> list[int]:
    """Shifts ``j - i`` (A's item i against B's item j) where most item halves are exactly equal, best first.

    Halves, not whole items: the same sound heard through frames that do not line up (the intro starts
    a fraction of a hop later in one file) flips a bit or two per item, which leaves one half intact."""
    where: dict[int, list[int]] = {}
    for j, item in enumerate(b):
        for half in _halves(item):
            where.setdefault(half, []).append(j)
    votes: Counter[int] = Counter()
    for i, item in enumerate(a):
        for half in _halves(item):
            found = where.get(half, ())
            if len(found) > COMMON:
                continue  # silence or a held note: everywhere, so it says nothing about the shift
            for j in found:
                votes[j - i] += 1
    return [shift for shift, n in votes.most_common(SHIFTS) if n >= MIN_VOTES]


def longest_run(a: tuple[int, ...], b: tuple[int, ...], shift: int) -> Run | None:
    """The longest run of matching items at one shift, bridging gaps of up to ``MAX_GAP`` items."""
    first_i = max(0, -shift)
    last_i = min(len(a), len(b) - shift)
    best: Run | None = None
    start = last_match = None
    for i in range(first_i, last_i):
        if (a[i] ^ b[i + shift]).bit_count() > MAX_BITS:
            continue
        if start is None or last_match is None or i - last_match > MAX_GAP + 1:
            start = i
        last_match = i
        length = i - start + 1
        if best is None or length > best.length:
            best = Run(start, start + shift, length)
    return best


def _dense(matched: list[bool], at: int, step: int) -> bool:
    """Whether most of the ``EDGE`` items from ``at`` on (in direction ``step``) match."""
    window = matched[at::step][:EDGE] if step > 0 else matched[at::-1][:EDGE]
    return len(window) == EDGE and sum(window) >= EDGE_MATCHES


def trimmed(a: tuple[int, ...], b: tuple[int, ...], run: Run) -> Run | None:
    """The run without a loose edge: a stray match bridged to it across a gap is not where the stretch
    begins or ends, so each edge moves in to where matches are dense."""
    shift = run.b_first - run.a_first
    matched = [(a[i] ^ b[i + shift]).bit_count() <= EDGE_BITS for i in range(run.a_first, run.a_first + run.length)]
    first, last = 0, len(matched) - 1
    while first < last and not _dense(matched, first, 1):
        first += 1
    while last > first and not _dense(matched, last, -1):
        last -= 1
    while first < last and not matched[first]:  # the dense window's own first match
        first += 1
    while last > first and not matched[last]:
        last -= 1
    if last - first + 1 < EDGE:
        return None
    return Run(run.a_first + first, run.b_first + first, last - first + 1)


def best_run(a: tuple[int, ...], b: tuple[int, ...]) -> Run | None:
    """The longest aligned run over the candidate shifts (and their neighbours: frames never line up exactly)."""
    shifts: list[int] = []
    for shift in candidate_shifts(a, b):
        shifts += [s for s in (shift, shift - 1, shift + 1) if s not in shifts]
    runs = [run for shift in shifts
            if (found := longest_run(a, b, shift)) is not None and (run := trimmed(a, b, found)) is not None]
    return max(runs, key=lambda run: run.length, default=None)


def shared(a: Fingerprint, b: Fingerprint, minimum: float) -> tuple[Span, Span] | None:
    """Where A and B share at least ``minimum`` seconds of audio: the stretch in each, in seconds."""
    run = best_run(a.items, b.items)
    if run is None:
        return None
    in_a = Span(_start(a, run.a_first), a.time(run.a_first + run.length - 1) + END_LAG)
    in_b = Span(_start(b, run.b_first), b.time(run.b_first + run.length - 1) + END_LAG)
    return (in_a, in_b) if in_a.seconds() >= minimum else None


def _start(print_: Fingerprint, first: int) -> float:
    # A stretch matched from the window's first item has nothing before it to blur its start: it starts there.
    return print_.start if first == 0 else print_.time(first) + START_LAG
