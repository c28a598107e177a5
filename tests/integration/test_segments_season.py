"""Intro and credits of a generated season, found by the worker's real tools (ffmpeg, ffprobe, fpcalc).

Four ~90 s episodes share a 20 s intro at 0, 5, 12 and 8 s and 15 s of credits at the end (see
``segments_support``); every one must have both found within a second.
"""

from __future__ import annotations

import shutil
import subprocess

import pytest

from tests.integration.segments_support import Episode, season
from worker.media import segments
from worker.media.tools import Tools

pytestmark = pytest.mark.skipif(shutil.which("fpcalc") is None, reason="fpcalc (libchromaprint-tools) missing")
TOLERANCE = 1.0


@pytest.fixture(scope="module")
def episodes() -> list[Episode]:
    return season(4)


@pytest.fixture(scope="module")
def analyses(episodes, tmp_path_factory) -> dict[str, segments.FileAnalysis]:
    scratch = tmp_path_factory.mktemp("segments-scratch")
    return {episode.path.name: segments.analyze_file(episode.path, float(episode.credits_end), Tools(), scratch)
            for episode in episodes}


def by_kind(found: list[segments.Segment]) -> dict[str, segments.Segment]:
    return {segment.kind: segment for segment in found}


def test_the_shared_intro_and_credits_are_found_within_a_second_on_every_episode(episodes, analyses):
    found = segments.detect(analyses, list(analyses))
    for episode in episodes:
        kinds = by_kind(found[episode.path.name])
        assert set(kinds) == {"intro", "credits"}, (episode.path.name, found[episode.path.name])
        intro, credits = kinds["intro"], kinds["credits"]
        print(f"\n{episode.path.name}: intro {intro.start:.2f}-{intro.end:.2f} (true {episode.intro_start}-"
              f"{episode.intro_end}), credits {credits.start:.2f}-{credits.end:.2f} (true {episode.credits_start}-"
              f"{episode.credits_end})")
        assert abs(intro.start - episode.intro_start) <= TOLERANCE, intro
        assert abs(intro.end - episode.intro_end) <= TOLERANCE, intro
        assert abs(credits.start - episode.credits_start) <= TOLERANCE, credits
        assert abs(credits.end - episode.credits_end) <= TOLERANCE, credits
        assert intro.source == credits.source == "fingerprint"


def test_two_episodes_are_enough_and_a_new_one_is_found_against_the_others(episodes, analyses):
    first_two = {name: analyses[name] for name in sorted(analyses)[:2]}
    assert all(len(found) == 2 for found in segments.detect(first_two, list(first_two)).values())
    newest = sorted(analyses)[-1]
    assert {s.kind for s in segments.detect(analyses, [newest])[newest]} == {"intro", "credits"}


def test_one_episode_alone_has_nothing_to_compare_with(analyses):
    name = sorted(analyses)[0]
    assert segments.detect({name: analyses[name]}, [name]) == {name: []}


def test_chapters_named_intro_and_credits_are_read_from_the_file(episodes, tmp_path):
    meta = tmp_path / "chapters.txt"
    meta.write_text(";FFMETADATA1\n[CHAPTER]\nTIMEBASE=1/1000\nSTART=0\nEND=4000\ntitle=Cold open\n"
                    "[CHAPTER]\nTIMEBASE=1/1000\nSTART=4000\nEND=24000\ntitle=Opening\n"
                    "[CHAPTER]\nTIMEBASE=1/1000\nSTART=75000\nEND=90000\ntitle=End Credits\n")
    target = tmp_path / "with-chapters.mkv"
    subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-y", "-i", str(episodes[0].path), "-i", str(meta),
                    "-map_metadata", "1", "-map_chapters", "1", "-c", "copy", str(target)], check=True, timeout=60)
    found = segments.chapter_segments(segments.FileAnalysis(duration=90.0, chapters=segments.chapters(target, Tools())))
    assert found == [segments.Segment("intro", 4.0, 24.0, "chapters"),
                     segments.Segment("credits", 75.0, 90.0, "chapters")]


def test_a_file_without_audio_has_no_fingerprint(tmp_path):
    silent = tmp_path / "silent.mp4"
    subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i",
                    "testsrc=size=160x90:rate=10:duration=30", "-c:v", "libx264", "-preset", "ultrafast",
                    str(silent)], check=True, timeout=60)
    analysis = segments.analyze_file(silent, 30.0, Tools(), tmp_path)
    assert analysis.head is None and analysis.tail is None
