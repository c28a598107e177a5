"""rank() in context (issue 37): the previous episode's release group and the playing device's decoders."""

from __future__ import annotations

from dataclasses import replace

import pytest

from chalicelib.settings.profile import DEFAULT_PROFILE, QualityProfile
from chalicelib.sources.scoring import rank
from chalicelib.sources.scoring_device import Device
from chalicelib.sources.scoring_types import Context, Target
from tests.unit.test_scoring import GB, cand, names

EPISODE_5 = Target("show", "The Office (US)", 2005, 3, 5, runtime_minutes=22, season_episodes=24)
HEVC_OK = QualityProfile(playable_codecs=("h264", "h265", "vp9", "av1"))  # a profile that likes HEVC
X264 = "The.Office.US.S03E05.1080p.WEB-DL.DDP5.1.H.264-NTb"
HEVC = "The.Office.US.S03E05.1080p.WEB-DL.DDP5.1.x265-FLUX"
PHONE = Device(video=frozenset({"h264"}), audio=frozenset({"aac", "eac3"}))
DESKTOP = Device(video=frozenset({"h264", "hevc", "av1", "vp9"}), audio=frozenset({"aac", "ac3", "eac3", "opus"}),
                 hdr=True, max_height=2160)


def in_context(target: Target = EPISODE_5, **context) -> Target:
    return Context(**context).apply(target)


# ------------------------------------------------------------------ consistency


def test_the_previous_episodes_group_gets_the_bonus_and_names_the_episode():
    same = cand("The.Office.US.S03E05.1080p.WEB-DL.H.264-NTb")
    other = cand("The.Office.US.S03E05.1080p.WEB-DL.H.264-FLUX")
    ranked = rank([other, same], in_context(previous_group="ntb", previous_season=3, previous_episode=4),
                  DEFAULT_PROFILE)
    assert [s.candidate for s in ranked] == [same, other]
    assert (ranked[0].consistency, ranked[1].consistency) == (100, 0)
    assert ranked[0].reasons[-1] == "same group as episode 4"
    assert ranked[1].reasons[-1] == "not the group of episode 4 (ntb)"
    assert ranked[0].total - ranked[1].total == pytest.approx(0.05 * 100, abs=0.01)


def test_a_group_from_an_earlier_season_names_season_and_episode():
    [scored] = rank([cand(X264)], in_context(previous_group="NTb", previous_season=2, previous_episode=22),
                    DEFAULT_PROFILE)
    assert scored.reasons[-1] == "same group as S02E22"


def test_without_a_previous_group_consistency_stays_neutral():
    [scored] = rank([cand(X264)], EPISODE_5, DEFAULT_PROFILE)
    assert scored.consistency == 50 and not any("group" in r for r in scored.reasons)


# ------------------------------------------------------------------ the device


def test_a_device_without_hevc_ranks_the_x264_release_first():
    x264, hevc = cand(X264, seeders=20, infohash="a" * 40), cand(HEVC, seeders=400, infohash="b" * 40)
    assert names(rank([x264, hevc], EPISODE_5, HEVC_OK)) == [HEVC, X264]  # no device: the healthier HEVC
    ranked = rank([hevc, x264], in_context(device=PHONE), HEVC_OK)
    assert names(ranked) == [X264, HEVC]
    assert ranked[1].rejected is None and ranked[1].reasons[0] == "your device can't play HEVC"


def test_a_device_with_hevc_keeps_every_score_and_place():
    pool = [cand(X264, seeders=20, infohash="a" * 40), cand(HEVC, seeders=400, infohash="b" * 40),
            cand("The.Office.US.S03E05.720p.HDTV.x264-KILLERS", seeders=90, size=GB // 2),
            cand("The.Office.US.S03E05.2160p.WEB-DL.DV.HDR10.x265-EDITH", seeders=50, size=6 * GB),
            cand("The.Office.US.S03E05.1080p.WEB-DL.AV1-FLUX", seeders=30)]
    plain, desktop = rank(pool, EPISODE_5, HEVC_OK), rank(pool, in_context(device=DESKTOP), HEVC_OK)
    assert [(s.candidate, s.total, s.reasons) for s in desktop] == [(s.candidate, s.total, s.reasons) for s in plain]
    assert names(desktop)[0] == HEVC


def test_an_undecodable_release_is_still_taken_when_nothing_else_exists_and_ranks_above_rejects():
    hevc, cam = cand(HEVC, seeders=10), cand("The.Office.US.S03E05.HDCAM.x264-BAD", seeders=900)
    ranked = rank([cam, hevc], in_context(device=PHONE), HEVC_OK)
    assert names(ranked) == [HEVC, cam.name] and ranked[0].rejected is None and ranked[1].rejected
    assert "your device can't play HEVC" in ranked[0].reasons


def test_ten_bit_h264_is_refused_and_unplayable_audio_only_costs_quality():
    hi10, plain = cand("The.Office.US.S03E05.1080p.BluRay.x264.10bit-GRP", seeders=300), cand(X264, seeders=20)
    ranked = rank([hi10, plain], in_context(device=DESKTOP), DEFAULT_PROFILE)
    assert names(ranked) == [X264, hi10.name] and ranked[1].reasons[0] == "your device can't play 10-bit H.264"
    no_eac3 = replace(DESKTOP, audio=frozenset({"aac"}))
    [with_ddp] = rank([cand(X264)], in_context(device=no_eac3), DEFAULT_PROFILE)
    [played] = rank([cand(X264)], EPISODE_5, DEFAULT_PROFILE)
    assert with_ddp.quality < played.quality and with_ddp.rejected is None
    assert with_ddp.reasons[0] == "your device can't play Dolby Digital Plus audio (converted while playing)"


def test_more_lines_than_the_screen_cost_quality():
    uhd = HEVC_OK.model_copy(update={"max_resolution": 2160, "preferred_resolution": 2160})
    release = cand("The.Office.US.S03E05.2160p.WEB-DL.H.264-NTb", size=4 * GB)
    [big_screen] = rank([release], in_context(device=DESKTOP), uhd)
    [small_screen] = rank([release], in_context(device=replace(DESKTOP, max_height=1080)), uhd)
    assert small_screen.quality < big_screen.quality
    assert "2160p is more than your device's screen shows (1080 lines)" in small_screen.reasons
