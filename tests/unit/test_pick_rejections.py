"""Every reject reason the scoring writes reads as a kind in plain words (sources.rejections)."""

from __future__ import annotations

import pytest

from chalicelib.settings.profile import DEFAULT_PROFILE, QualityProfile
from chalicelib.sources import rejections
from chalicelib.sources.scoring import rank
from tests.unit.test_scoring import EPISODE, GB, MOVIE, cand

SEASON = EPISODE.__class__("show", "The Office (US)", 2005, 3, None, runtime_minutes=22, season_episodes=24)


@pytest.mark.parametrize(("name", "overrides", "target", "kind"), [
    ("The.Office.UK.S03E05.1080p.WEB-DL.H.264-NTb", {}, EPISODE, rejections.WRONG_TITLE),
    ("The.Offspring.S03E05.1080p.WEB-DL.H.264-NTb", {}, EPISODE, rejections.WRONG_TITLE),
    ("Dune.Part.Two.1984.1080p.WEB-DL.H.264-NTb", {"size": 8 * GB}, MOVIE, rejections.WRONG_YEAR),
    ("Dune.Part.Two.S01E01.1080p.WEB-DL.H.264-NTb", {"size": 8 * GB}, MOVIE, rejections.SERIES_EPISODE),
    ("The.Office.US.S03E06.1080p.WEB-DL.H.264-NTb", {}, EPISODE, rejections.WRONG_EPISODE),
    ("The.Office.US.S02E05.1080p.WEB-DL.H.264-NTb", {}, EPISODE, rejections.WRONG_SEASON),
    ("The.Office.US.S02.1080p.WEB-DL.H.264-NTb", {"size": 30 * GB}, EPISODE, rejections.WRONG_SEASON),
    ("The.Office.US.S03E05.1080p.WEB-DL.H.264-NTb", {}, SEASON, rejections.SINGLE_EPISODE),
    ("The.Office.US.1080p.WEB-DL.H.264-NTb", {}, EPISODE, rejections.NO_EPISODE),
    ("The.Office.US.S03E05.HDCAM.x264-GRP", {}, EPISODE, rejections.RECORDING),
    ("The.Office.US.S03E05.1080p.WEB-DL.H.264-NTb", {"size": 30_000_000}, EPISODE, rejections.TOO_SMALL),
    ("The.Office.US.S03E05.1080p.WEB-DL.H.264-NTb", {"size": 9 * GB}, EPISODE, rejections.TOO_BIG),
    ("The.Office.US.S03E05.1080p.WEB-DL.H.264-NTb", {"size": 3_000_000}, EPISODE, rejections.NOT_VIDEO),
    ("The.Office.US.S03E05.1080p.WEB-DL.H.264-NTb", {"size": 500 * GB}, EPISODE, rejections.ABSURD),
    ("The.Office.US.S03E05.1080p.WEB-DL.H.264-NTb", {"seeders": 0}, EPISODE, rejections.NO_SEEDERS),
    ("The.Office.US.S03E05.1080p.WEB-DL.H.264-NTb", {"seeders": 1}, EPISODE, rejections.FEW_SEEDERS),
])
def test_each_reject_the_scoring_writes_has_its_kind(name, overrides, target, kind):
    scored = rank([cand(name, **overrides)], target, DEFAULT_PROFILE)[0]
    assert scored.rejected is not None
    assert rejections.kind(scored.rejected) == kind


def test_an_excluded_codec_reads_as_such():
    profile = QualityProfile(excluded_codecs=("xvid",))
    scored = rank([cand("The.Office.US.S03E05.DVDRip.XviD-GRP", size=300_000_000)], EPISODE, profile)[0]
    assert rejections.kind(scored.rejected) == rejections.CODEC


def test_an_unknown_reason_is_counted_as_other():
    assert rejections.kind("something new: a rule added later") == rejections.OTHER


def test_every_kind_has_a_code_the_api_documents():
    import typing

    from chalicelib.sources.models import RejectCode

    kinds = [v for v in vars(rejections).values() if isinstance(v, rejections.Kind)]
    assert {k.code for k in kinds} == set(typing.get_args(RejectCode))
    assert len({k.words for k in kinds}) == len(kinds)
