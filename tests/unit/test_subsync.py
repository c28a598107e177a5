"""The offset search of ``worker.media.subsync`` on made-up intervals: exact, fast, and honest about
tracks that fit nowhere."""

from __future__ import annotations

import random
import time

import pytest

from worker.media import subsync


def frames(seconds: list[tuple[float, float]]) -> subsync.Intervals:
    return [(round(a * subsync.RATE), round(b * subsync.RATE)) for a, b in seconds]


def dialogue(count: int, seed: int = 7) -> list[tuple[float, float]]:
    rng = random.Random(seed)  # noqa: S311  # reproducible made-up dialogue, not a secret
    at, lines = 1.0, []
    for _ in range(count):
        at += rng.uniform(0.5, 6.0)
        length = rng.uniform(0.6, 4.0)
        lines.append((at, at + length))
        at += length
    return lines


@pytest.mark.parametrize("shift", [2.5, -2.5, 0.0, 37.3, -59.0])
def test_the_shift_that_lines_cues_up_with_speech_is_found(shift):
    speech = dialogue(80)
    cues = [(a + shift, b + shift) for a, b in speech]
    offset, matched = subsync.best_offset(subsync.cue_intervals(cues), frames(speech))
    assert abs(offset + shift) <= 0.011
    assert matched == pytest.approx(1.0, abs=0.01)


def test_speech_the_track_does_not_cover_does_not_pull_it_away():
    speech = dialogue(80)
    cues = [(a + 2.5, b + 2.5) for a, b in speech[::2]]  # half the lines have no cue (music, other voices)
    offset, _ = subsync.best_offset(subsync.cue_intervals(cues), frames(speech))
    assert abs(offset + 2.5) <= 0.011


def test_a_film_length_track_is_searched_in_well_under_a_second():
    speech = dialogue(1500, seed=3)  # ~2 h of dialogue
    cues = subsync.cue_intervals([(a - 4.2, b - 4.2) for a, b in speech])
    started = time.monotonic()
    offset, _ = subsync.best_offset(cues, frames(speech))
    assert abs(offset - 4.2) <= 0.011
    assert time.monotonic() - started < 5


def test_nothing_to_align_is_said_so():
    with pytest.raises(subsync.NotAligned, match="no speech"):
        subsync.best_offset(frames([(1, 2)]), [])
    with pytest.raises(subsync.NotAligned, match="no cues"):
        subsync.best_offset([], frames([(1, 2)]))
    with pytest.raises(subsync.NotAligned, match="within 60 s"):
        subsync.best_offset(frames([(500, 502)]), frames([(1, 2)]))


def test_speech_is_the_loud_part_with_short_gaps_bridged_and_blips_dropped():
    quiet, loud = 1e-6, 1e-2
    energy = [quiet] * 100 + [loud] * 50 + [quiet] * 10 + [loud] * 50 + [quiet] * 100 + [loud] * 5 + [quiet] * 100
    assert subsync.speech(energy) == [(100, 210)]  # the 0.1 s gap bridged, the 0.05 s blip dropped
    assert subsync.speech([1e-6] * 500) == []  # silence all through
