"""parse_release's fast path (chalicelib.sources.release_fast) gives guessit's answer or none at all.

Every name the fast path accepts, in a large sample of release names (this module's table, the scoring
bench's 2,000 generated names, the fake indexer's names, the naming corpus' file names), must yield a
Release equal in every field to the guessit path's; names of other shapes must be refused.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
import yaml

from chalicelib.sources import release_fast
from chalicelib.sources.release import guessit_release, parse_release
from tests.bench.test_scoring_bench import DISTINCT_NAMES, _name
from tests.integration.sources_support import episode_releases
from tests.unit.test_release_parse import JUNK, TABLE

NAMING = Path(__file__).resolve().parents[1] / "data" / "naming"
SERVED = ["Breaking.Bad.S01E02.1080p.WEB-DL.DDP5.1.H.264-NTb", "The.Office.S03.1080p.BluRay.x265.10bit-Vyndros",
          "Dune.Messiah.2026.2160p.WEB-DL.DV.DDP5.1.H.265-FLUX", "Severance.S02E01E02.720p.HDTV.x264-KILLERS",
          "Breaking.Bad.S01E02.720p.WEB-DL.AAC2.0.H.264-GRP.v12", "Andor.S01E03.2160p.DSNP.WEB-DL.HDR10+.HEVC-FLUX"]
REFUSED = [
    "", "junk", "!!!$$$", "[SubsPlease] Frieren - 12 (1080p) [ABCDEF12]", "Frieren.-.12.1080p.WEB-DL-GRP",
    "The.Daily.Show.2024.03.14.1080p.WEB.h264-GRP", "2001.A.Space.Odyssey.1968.1080p.BluRay.x264-GRP",
    "9-1-1.S01E01.1080p.WEB-DL.DDP5.1.H.264-NTb", "The.Office.US.S03E05.1080p.WEB-DL.DDP5.1.H.264-NTb",
    "Doctor.Who.2005.S01E01.720p.BluRay.x264-GRP", "Show.S01E01.1080p.WEB-DL.DDP5.1.AV1-GRP",
    "Movie.2019.1080p.WEBRip.x264.AAC-[YTS.MX]", "Show.S01E05.GERMAN.DL.1080p.WEB.h264-SAUERKRAUT",
    "Show.S01E01.1080p.WEB-DL.UNKNOWNTAG.H.264-GRP", "Show.S01E01.1080p.WEB-DL", "Show.S01E01.H.264.1080p.WEB-DL-GRP",
    "Show.S01E02E05.1080p.WEB-DL.H.264-GRP", "Show.S01E01.1080p.WEB-DL.H.264-DL",
    "the.office.s01e01.720p.hdtv.x264-ctu", "Show.Part.S01E01.1080p.WEB-DL.H.264-GRP",
    "Show.S01E01.1080p.WEB.HDR.H.264-GRP", "Movie.Title.Imax.2018.1080p.AMZN.WEB-DL.DD5.1.H.264-NTG"]


def _sample() -> list[str]:
    rng = random.Random(19)  # noqa: S311 - the scoring bench's own names
    generated: set[str] = set()
    while len(generated) < DISTINCT_NAMES:
        generated.add(_name(rng))
    names = [name for name, _ in TABLE] + JUNK + SERVED + sorted(generated)
    for title in ("Breaking Bad", "The Office", "Severance"):
        names += [r.name for seed in (0, 101, 202) for r in episode_releases(title, 1, 2, 100, seed=seed)]
    for path in sorted(NAMING.glob("*.yaml")):
        names += [re.sub(r"\.(mkv|mp4|avi|m4v)$", "", item["path"].rsplit("/", 1)[-1])
                  for item in yaml.safe_load(path.read_text())["names"]]
    return list(dict.fromkeys(names))


def test_every_name_the_fast_path_serves_is_read_as_guessit_reads_it():
    served = [name for name in _sample() if release_fast.parse(name) is not None]
    assert len(served) > 500  # the scene names of the sample, not a handful
    different = {name: (parse_release(name), guessit_release(name)) for name in served
                 if parse_release(name) != guessit_release(name)}
    assert different == {}


@pytest.mark.parametrize("name", SERVED)
def test_scene_names_are_served(name):
    assert release_fast.parse(name) is not None
    assert parse_release(name) == guessit_release(name)


@pytest.mark.parametrize("name", REFUSED)
def test_other_shapes_are_refused_and_go_to_guessit(name):
    assert release_fast.parse(name) is None
    assert parse_release(name) == guessit_release(name)
