"""Intro/credits decisions and the trickplay track, on made-up fingerprints and analyses (no ffmpeg)."""

from __future__ import annotations

import random

from worker.media import segments, trickplay
from worker.media.fingerprint import END_LAG, ITEM_SECONDS, START_LAG, Fingerprint, Span, best_run, shared
from worker.media.segments import Chapter, FileAnalysis, Segment


def noise(n: int, seed: int) -> list[int]:
    rng = random.Random(seed)  # noqa: S311 - made-up fingerprints, not secrets
    return [rng.getrandbits(32) for _ in range(n)]


def flip_bits(items: list[int], seed: int, bits: int = 2) -> list[int]:
    """The same sound heard again: a few bits of each item differ (another encode, frames not lined up)."""
    rng = random.Random(seed)  # noqa: S311 - made-up fingerprints, not secrets
    out = []
    for item in items:
        for _ in range(rng.randint(0, bits)):
            item ^= 1 << rng.randrange(32)
        out.append(item)
    return out


def with_shared(shared_items: list[int], before: int, after: int, seed: int) -> tuple[int, ...]:
    return tuple(noise(before, seed) + flip_bits(shared_items, seed) + noise(after, seed + 1000))


def test_the_longest_aligned_run_is_found_at_different_offsets_despite_flipped_bits():
    intro = noise(160, 1)  # ~20 s
    a = with_shared(intro, 0, 300, 2)
    b = with_shared(intro, 97, 200, 3)
    run = best_run(a, b)
    assert run is not None
    assert abs(run.a_first - 0) <= 1 and abs(run.b_first - 97) <= 1
    assert run.length >= 155


def test_unrelated_audio_shares_nothing_long_enough():
    a, b = tuple(noise(2000, 4)), tuple(noise(2000, 5))
    assert shared(Fingerprint(0.0, a), Fingerprint(0.0, b), segments.MIN_INTRO) is None


def test_shared_spans_are_in_seconds_from_each_window_start():
    intro = noise(170, 6)
    a = Fingerprint(0.0, with_shared(intro, 40, 100, 7))
    b = Fingerprint(30.0, with_shared(intro, 8, 100, 8))
    found = shared(a, b, 15.0)
    assert found is not None
    in_a, in_b = found
    assert abs(in_a.start - (40 * ITEM_SECONDS + START_LAG)) < 0.2
    assert abs(in_b.start - (30.0 + 8 * ITEM_SECONDS + START_LAG)) < 0.2
    assert abs(in_a.seconds() - ((170 - 1) * ITEM_SECONDS + END_LAG - START_LAG)) < 0.5


def test_a_stretch_shorter_than_the_minimum_is_no_intro():
    short = noise(60, 9)  # ~7 s
    a = Fingerprint(0.0, with_shared(short, 10, 100, 10))
    b = Fingerprint(0.0, with_shared(short, 50, 100, 11))
    assert shared(a, b, 15.0) is None


def test_named_chapters_win_over_fingerprints():
    intro = noise(170, 12)
    heads = {f"e{n}": Fingerprint(0.0, with_shared(intro, 10 * n, 100, 20 + n)) for n in range(2)}
    analyses = {file_id: FileAnalysis(duration=1200.0, head=head) for file_id, head in heads.items()}
    analyses["e0"] = FileAnalysis(duration=1200.0, head=heads["e0"], chapters=(
        Chapter("Opening", 3.0, 93.0), Chapter("Part A", 93.0, 1100.0), Chapter("Ending", 1100.0, 1200.0)))
    found = segments.detect(analyses, ["e0", "e1"])
    assert found["e0"] == [Segment("intro", 3.0, 93.0, "chapters"), Segment("credits", 1100.0, 1200.0, "chapters")]
    [intro_e1] = found["e1"]
    assert intro_e1.source == "fingerprint" and abs(intro_e1.start - (10 * ITEM_SECONDS + START_LAG)) < 0.2


def test_a_lone_episode_gets_only_its_chapters():
    lone = FileAnalysis(duration=600.0, head=Fingerprint(0.0, tuple(noise(500, 13))))
    assert segments.detect({"only": lone}, ["only"]) == {"only": []}


def test_credits_run_to_the_end_when_only_black_or_silence_follows():
    analysis = FileAnalysis(duration=1300.0, quiet=(Span(1279.5, 1300.0),))
    assert segments.credits_end(analysis, Span(1200.0, 1280.0)) == 1300.0
    assert segments.credits_end(FileAnalysis(duration=1300.0), Span(1200.0, 1298.0)) == 1300.0
    # a scene after the credits: they end where the match ends
    assert segments.credits_end(FileAnalysis(duration=1300.0), Span(1200.0, 1280.0)) == 1280.0


def test_a_stored_analysis_reads_back_and_another_version_is_read_again():
    analysis = FileAnalysis(duration=90.5, chapters=(Chapter("Intro", 0.0, 20.0),),
                            head=Fingerprint(0.0, (1, 2, 3)), tail=None, quiet=(Span(80.0, 90.5),))
    assert FileAnalysis.from_json(analysis.to_json()) == analysis
    assert FileAnalysis.from_json(analysis.to_json().replace('"version":1', '"version":0')) is None
    assert FileAnalysis.from_json(b"not json") is None


def test_the_thumbnails_track_places_each_thumbnail_on_its_sprite():
    sheet = trickplay.Sheet(interval=10, cols=2, rows=2, count=5, width=240, height=136)
    text = trickplay.vtt(sheet, duration=44.5)
    cues = text.split("\n\n")[1:]
    assert text.startswith("WEBVTT\n")
    assert cues[0] == "00:00:00.000 --> 00:00:10.000\nsprite_000.jpg#xywh=0,0,240,136"
    assert cues[3] == "00:00:30.000 --> 00:00:40.000\nsprite_000.jpg#xywh=240,136,240,136"
    assert cues[4].strip() == "00:00:40.000 --> 00:00:44.500\nsprite_001.jpg#xywh=0,0,240,136"
    assert sheet.sprites() == ["sprite_000.jpg", "sprite_001.jpg"]
    assert trickplay.Sheet.from_json(sheet.to_json()) == sheet


def test_a_stray_match_bridged_to_a_stretch_is_not_where_it_starts():
    intro = noise(160, 30)
    a = list(with_shared(intro, 50, 100, 31))
    b = list(with_shared(intro, 20, 100, 32))
    a[43], b[13] = 12345, 12345  # one equal item 7 before the stretch: within a bridgeable gap
    run = best_run(tuple(a), tuple(b))
    assert run is not None and run.a_first == 50 and run.b_first == 20
