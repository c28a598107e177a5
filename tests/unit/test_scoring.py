"""rank(): candidates + target + profile -> best first, rejected last, every part explained (sources.scoring)."""

from __future__ import annotations

import random
from datetime import UTC, datetime

import pytest

from chalicelib.settings.profile import DEFAULT_PROFILE, QualityProfile
from chalicelib.sources.release import parse_release
from chalicelib.sources.scoring import rank
from chalicelib.sources.scoring_types import Candidate, Scored, Target

GB = 1_000_000_000
EPISODE = Target("show", "The Office (US)", 2005, 3, 5, runtime_minutes=22, previous_group="NTb",
                 season_episodes=24)
MOVIE = Target("movie", "Dune: Part Two", 2024, None, None, runtime_minutes=166)
GOOD = "The.Office.US.S03E05.1080p.WEB-DL.DDP5.1.H.264-NTb"


def cand(name: str = GOOD, *, size: int | None = 1_400_000_000, seeders: int | None = 38,
         leechers: int | None = 4, indexer: str = "alpha", infohash: str | None = None) -> Candidate:
    return Candidate(name=name, infohash=infohash or f"{abs(hash((name, size, seeders, indexer))):040x}"[:40],
                     size=size, seeders=seeders, leechers=leechers, indexer=indexer,
                     published_at=datetime(2026, 1, 2, tzinfo=UTC), magnet=None, link=None,
                     release=parse_release(name))


def one(candidate: Candidate, target: Target = EPISODE, profile: QualityProfile = DEFAULT_PROFILE) -> Scored:
    return rank([candidate], target, profile)[0]


def names(scored: list[Scored]) -> list[str]:
    return [s.candidate.name for s in scored]


# ------------------------------------------------------------ each part moves the order


def test_more_seeders_rank_higher_when_all_else_is_equal():
    few, many = cand(seeders=5, infohash="a" * 40), cand(seeders=300, infohash="b" * 40)
    ranked = rank([few, many], EPISODE, DEFAULT_PROFILE)
    assert [s.candidate for s in ranked] == [many, few]
    assert ranked[0].health > ranked[1].health and ranked[0].quality == ranked[1].quality


def test_a_swarm_of_leechers_lowers_health():
    calm, crowded = one(cand(seeders=40, leechers=0)), one(cand(seeders=40, leechers=400))
    assert calm.health > crowded.health and calm.total > crowded.total


def test_seeders_count_on_a_log_scale():
    h = {n: one(cand(seeders=n, leechers=0)).health for n in (2, 10, 100, 1000, 5000)}
    assert h[10] - h[2] > h[1000] - h[100]  # the first few seeders matter most
    assert h[1000] == h[5000] == 100  # a big swarm is simply healthy


def test_the_preferred_resolution_beats_a_lower_one():
    ranked = rank([cand("The.Office.US.S03E05.720p.WEB-DL.H.264-NTb", size=700_000_000), cand()],
                  EPISODE, DEFAULT_PROFILE)
    assert names(ranked)[0] == GOOD and ranked[0].quality > ranked[1].quality
    assert "720p WEB-DL: below your preferred 1080p" in ranked[1].reasons


def test_above_the_maximum_resolution_scores_far_lower_even_with_more_seeders():
    uhd = cand("The.Office.US.S03E05.2160p.WEB-DL.H.264-NTb", size=5 * GB, seeders=80)
    ranked = rank([uhd, cand(seeders=38)], EPISODE, DEFAULT_PROFILE)
    assert names(ranked)[0] == GOOD
    assert any("above your maximum 1080p" in r for r in ranked[1].reasons)
    allowed = QualityProfile(max_resolution=2160)
    assert one(uhd, profile=allowed).quality > one(uhd).quality


def test_source_order_is_web_dl_then_webrip_then_bluray_then_hdtv():
    sources = ["HDTV", "BluRay", "WEBRip", "WEB-DL"]
    cands = [cand(f"The.Office.US.S03E05.1080p.{src}.H.264-NTb") for src in sources]
    ranked = rank(cands, EPISODE, DEFAULT_PROFILE)
    assert [s.candidate.release.source for s in ranked] == ["web-dl", "webrip", "bluray", "hdtv"]


def test_a_codec_the_browser_plays_beats_hevc_and_hevc_beats_xvid():
    cands = [cand(f"The.Office.US.S03E05.1080p.WEB-DL.{codec}-NTb") for codec in ("XviD", "x265", "x264")]
    ranked = rank(cands, EPISODE, DEFAULT_PROFILE)
    assert [s.candidate.release.codec for s in ranked] == ["h264", "h265", "xvid"]
    assert any("cannot play it" in r for r in ranked[2].reasons)
    safari = QualityProfile(playable_codecs=("h264", "h265"))
    assert one(cands[1], profile=safari).quality == one(cands[2], profile=safari).quality


def test_hdr_scores_lower_by_default_and_equal_when_the_profile_allows_it():
    sdr = cand("The.Office.US.S03E05.1080p.WEB-DL.H.264-NTb")
    hdr = cand("The.Office.US.S03E05.1080p.WEB-DL.HDR.H.264-NTb")
    dv = cand("The.Office.US.S03E05.1080p.WEB-DL.DV.H.264-NTb")
    ranked = rank([dv, hdr, sdr], EPISODE, DEFAULT_PROFILE)
    assert [s.candidate for s in ranked] == [sdr, hdr, dv]  # Dolby Vision is the worst in a browser
    assert any("HDR10" in r and "SDR" in r for r in ranked[1].reasons)
    hdr_ok = QualityProfile(allow_hdr=True)
    assert one(hdr, profile=hdr_ok).quality == one(sdr, profile=hdr_ok).quality


def test_a_size_inside_the_band_beats_one_outside_it():
    inside, bloated = cand(size=int(1.4 * GB)), cand(size=int(3.0 * GB))  # 64 vs 136 MB/min, band 8-80
    ranked = rank([bloated, inside], EPISODE, DEFAULT_PROFILE)
    assert [s.candidate for s in ranked] == [inside, bloated]
    assert ranked[0].size == 100 and 0 < ranked[1].size < 100
    assert "size 1.4 GB = 64 MB/min, within 8-80" in ranked[0].reasons
    assert any("above 8-80" in r for r in ranked[1].reasons)


def test_the_previous_episodes_group_wins_a_tie():
    same = cand("The.Office.US.S03E05.1080p.WEB-DL.H.264-NTb")
    other = cand("The.Office.US.S03E05.1080p.WEB-DL.H.264-FLUX")
    ranked = rank([other, same], EPISODE, DEFAULT_PROFILE)
    assert [s.candidate for s in ranked] == [same, other]
    assert "same group as the previous episode (NTb)" in ranked[0].reasons
    assert ranked[0].consistency == 100 and ranked[1].consistency == 0


def test_every_part_weighs_as_documented_in_the_total():
    for s in rank([cand(), cand("The.Office.US.S03E05.720p.HDTV.x265-KILLERS", seeders=3, leechers=90,
                                size=3 * GB)], EPISODE, DEFAULT_PROFILE):
        expected = 0.45 * s.health + 0.35 * s.quality + 0.15 * s.size + 0.05 * s.consistency
        assert s.total == pytest.approx(expected, abs=0.01)
        assert all(0 <= part <= 100 for part in (s.health, s.quality, s.size, s.consistency))


def test_health_outweighs_quality_and_quality_outweighs_size():
    dying_1080 = cand(seeders=2, leechers=30)
    thriving_720 = cand("The.Office.US.S03E05.720p.WEB-DL.H.264-NTb", size=700_000_000, seeders=400, leechers=10)
    assert names(rank([dying_1080, thriving_720], EPISODE, DEFAULT_PROFILE))[0] == thriving_720.name
    big_1080 = cand(size=int(2.2 * GB))  # 100 MB/min: above the band
    small_720 = cand("The.Office.US.S03E05.720p.WEB-DL.H.264-NTb", size=500_000_000)
    assert names(rank([small_720, big_1080], EPISODE, DEFAULT_PROFILE))[0] == big_1080.name


# ----------------------------------------------------------------------- hard rejects


@pytest.mark.parametrize(("name", "why"), [
    ("The.Office.US.S03E05.HDCAM.x264-GRP", "camera"),
    ("The.Office.US.S03E05.TS.1080p.x264-GRP", "telesync"),
    ("The.Office.US.S03E05.HDTC.720p.x264-GRP", "telecine"),
    ("The.Office.US.S03E05.DVDScr.XviD-GRP", "screener"),
])
def test_cinema_recordings_and_screeners_are_rejected(name, why):
    scored = one(cand(name, seeders=900))
    assert scored.rejected is not None and why in scored.rejected


def test_a_codec_the_profile_excludes_is_rejected():
    profile = QualityProfile(excluded_codecs=("xvid",))
    scored = one(cand("The.Office.US.S03E05.DVDRip.XviD-GRP", size=300_000_000), profile=profile)
    assert scored.rejected == "codec: XviD is excluded by your profile"
    assert one(cand("The.Office.US.S03E05.DVDRip.XviD-GRP", size=300_000_000)).rejected is None


@pytest.mark.parametrize(("size", "words"), [
    (3_000_000, "too small to be a video"),  # a .exe or a sample
    (30_000_000, "far below"),  # 1.4 MB/min for 1080p (band 8-80)
    (9 * GB, "far above"),  # 409 MB/min for a 22-minute episode
    (500 * GB, "absurd"),
])
def test_absurd_sizes_are_rejected(size, words):
    scored = one(cand(size=size))
    assert scored.rejected is not None and words in scored.rejected


@pytest.mark.parametrize(("name", "words"), [
    ("The.Office.US.S03E06.1080p.WEB-DL.H.264-NTb", "S03E06, S03E05 wanted"),
    ("The.Office.US.S02E05.1080p.WEB-DL.H.264-NTb", "S02E05, S03E05 wanted"),
    ("The.Office.US.S02.1080p.WEB-DL.H.264-NTb", "a pack of season 2"),
    ("The.Office.US.1080p.WEB-DL.H.264-NTb", "no season or episode"),
])
def test_another_episode_or_season_is_rejected(name, words):
    scored = one(cand(name))
    assert scored.rejected is not None and words in scored.rejected


def test_a_season_pack_of_the_right_season_serves_an_episode_and_a_multi_episode_file_too():
    pack = one(cand("The.Office.US.S03.1080p.WEB-DL.H.264-NTb", size=30 * GB))
    double = one(cand("The.Office.US.S03E05E06.1080p.WEB-DL.H.264-NTb", size=int(2.8 * GB)))
    assert pack.rejected is None and double.rejected is None
    assert "size 30.0 GB for 24 episodes = 57 MB/min, within 8-80" in pack.reasons
    assert any("for 2 episodes" in r and "within" in r for r in double.reasons)


def test_a_whole_season_wanted_rejects_single_episodes():
    season = Target("show", "The Office (US)", 2005, 3, None, runtime_minutes=22, season_episodes=24)
    ranked = rank([cand(), cand("The.Office.US.S03.1080p.WEB-DL.H.264-NTb", size=30 * GB)], season,
                  DEFAULT_PROFILE)
    assert ranked[0].candidate.release.pack and ranked[0].rejected is None
    assert "single episode" in ranked[1].rejected


@pytest.mark.parametrize(("name", "rejected"), [
    ("The.Office.US.S03E05.1080p.WEB-DL.H.264-NTb", False),
    ("The Office (US) S03E05 1080p WEB-DL H264-NTb", False),
    ("The.Office.S03E05.1080p.WEB-DL.H.264-NTb", False),  # no country tag: not evidence against
    ("The.Office.UK.S03E05.1080p.WEB-DL.H.264-NTb", True),
    ("The.Offspring.S03E05.1080p.WEB-DL.H.264-NTb", True),
    ("Office.Space.S03E05.1080p.WEB-DL.H.264-NTb", True),
    ("www.Torrenting.com - The.Office.US.S03E05.1080p.WEB-DL.H.264-NTb", False),
])
def test_the_title_must_match_and_a_country_tag_must_not_contradict(name, rejected):
    scored = one(cand(name))
    assert (scored.rejected is not None) is rejected, scored.rejected
    if rejected:
        assert scored.rejected.startswith("title:")


def test_a_title_that_ends_in_a_country_word_still_matches():
    among = Target("movie", "Among Us", 2021, None, None, runtime_minutes=90)
    assert one(cand("Among.Us.2021.1080p.WEB-DL.H.264-GRP", size=3 * GB), among).rejected is None
    assert one(cand("Among.2021.1080p.WEB-DL.H.264-GRP", size=3 * GB), among).rejected.startswith("title:")


def test_a_film_is_matched_on_its_full_title_and_year():
    right = cand("Dune.Part.Two.2024.1080p.WEB-DL.H.264-FLUX", size=8 * GB)
    first_film = cand("Dune.2021.1080p.WEB-DL.H.264-FLUX", size=8 * GB)
    old_film = cand("Dune.Part.Two.1984.1080p.WEB-DL.H.264-FLUX", size=8 * GB)
    series = cand("Dune.Part.Two.S01E01.1080p.WEB-DL.H.264-FLUX", size=8 * GB)
    ranked = rank([series, old_film, first_film, right], MOVIE, DEFAULT_PROFILE)
    assert ranked[0].candidate == right and ranked[0].rejected is None
    assert all(s.rejected for s in ranked[1:])
    by_name = {s.candidate.name: s.rejected for s in ranked}
    assert by_name[old_film.name].startswith("year:") and by_name[series.name].startswith("episode:")


def test_no_seeders_or_a_tiny_swarm_is_rejected():
    assert one(cand(seeders=0)).rejected == "swarm: no seeders (it would never finish)"
    assert "at least 2" in one(cand(seeders=1)).rejected
    assert one(cand(seeders=1), profile=QualityProfile(min_seeders=1)).rejected is None


def test_rejected_candidates_come_last_with_their_scores_kept():
    fake = cand(size=2_000_000, seeders=5000)  # would otherwise win on health
    ranked = rank([fake, cand(seeders=10)], EPISODE, DEFAULT_PROFILE)
    assert ranked[-1].candidate == fake and ranked[-1].total > ranked[0].total
    assert ranked[-1].health > 99 and ranked[-1].reasons


def test_anime_absolute_numbers_match_a_first_season_or_a_known_absolute():
    anime = Target("show", "Frieren", 2023, 1, 12, runtime_minutes=24)
    name = "[SubsPlease] Frieren - 12 (1080p) [ABCDEF12].mkv"
    assert one(cand(name, size=1 * GB), anime).rejected is None
    later = Target("show", "Frieren", 2023, 2, 3, runtime_minutes=24)
    assert "absolute episode 12" in one(cand(name, size=1 * GB), later).rejected
    known = Target("show", "Frieren", 2023, 2, 3, runtime_minutes=24, absolute_episode=12)
    assert one(cand(name, size=1 * GB), known).rejected is None


# ---------------------------------------------------------------- unknowns, order, output


def test_unknown_runtime_size_or_pack_length_is_neutral_and_said():
    no_runtime = Target("show", "The Office (US)", 2005, 3, 5, runtime_minutes=None)
    scored = one(cand(), no_runtime)
    assert scored.size == 50 and "size 1.4 GB, not judged: runtime unknown" in scored.reasons
    unknown_count = Target("show", "The Office (US)", 2005, 3, 5, runtime_minutes=22)
    pack = one(cand("The.Office.US.S03.1080p.WEB-DL.H.264-NTb", size=30 * GB), unknown_count)
    assert pack.size == 50 and any("episodes in the pack unknown" in r for r in pack.reasons)
    unreported = one(cand(size=None, seeders=None, leechers=None))
    assert unreported.size == 50 and unreported.health == 0
    assert {"size not reported", "seeders not reported"} <= set(unreported.reasons)


def test_negative_counts_from_a_broken_indexer_read_as_nobody():
    scored = one(cand(seeders=-1, leechers=-5))
    assert scored.health == 0 and scored.rejected.startswith("swarm: no seeders")
    assert one(cand(seeders=40, leechers=-40)).health == one(cand(seeders=40, leechers=0)).health


def test_the_same_candidates_in_any_order_rank_the_same():
    pool = [cand(f"The.Office.US.S03E05.{res}.{src}.{codec}-{grp}", seeders=seeders, size=size, indexer=ix)
            for res, src, codec, grp, seeders, size, ix in [
                ("1080p", "WEB-DL", "H.264", "NTb", 38, int(1.4 * GB), "a"),
                ("1080p", "WEB-DL", "H.264", "NTb", 38, int(1.4 * GB), "b"),  # the same release on two indexers
                ("720p", "HDTV", "x264", "KILLERS", 120, 550_000_000, "a"),
                ("1080p", "WEBRip", "x265", "EDITH", 38, int(1.4 * GB), "c"),
                ("2160p", "WEB-DL", "H.265", "FLUX", 80, 6 * GB, "a"),
                ("1080p", "HDCAM", "x264", "CAM", 900, int(1.4 * GB), "b"),
                ("1080p", "WEB-DL", "H.264", "NTb", 0, int(1.4 * GB), "c"),
            ]]
    expected = [(s.candidate.name, s.candidate.indexer) for s in rank(pool, EPISODE, DEFAULT_PROFILE)]
    shuffler = random.Random(19)  # noqa: S311 - a fixed shuffle, nothing secret
    for _ in range(25):
        shuffled = pool[:]
        shuffler.shuffle(shuffled)
        assert [(s.candidate.name, s.candidate.indexer) for s in rank(shuffled, EPISODE, DEFAULT_PROFILE)] == expected


def test_equal_totals_are_ordered_by_seeders_then_name_then_infohash():
    a = cand("The.Office.US.S03E05.1080p.WEB-DL.H.264-NTb", seeders=500, leechers=0, infohash="b" * 40)
    b = cand("The.Office.US.S03E05.1080p.WEB-DL.H.264-NTb", seeders=900, leechers=0, infohash="c" * 40)
    c = cand("The.Office.US.S03E05.1080p.WEB-DL.H.264-NTb", seeders=500, leechers=0, infohash="a" * 40)
    d = cand("The.Office.US.S03E05.1080p.WEB.DL.H.264-NTb", seeders=500, leechers=0, infohash="0" * 40)
    ranked = rank([a, b, c, d], EPISODE, DEFAULT_PROFILE)
    assert len({s.total for s in ranked}) == 1  # all at full health: a tie
    assert [s.candidate for s in ranked] == [b, c, a, d]  # more seeders first; then name ("-" < "."), infohash


def test_as_json_is_the_api_candidate_without_links():
    scored = one(Candidate(name=GOOD, infohash="f" * 40, size=1_400_000_000, seeders=38, leechers=4,
                           indexer="alpha", published_at=datetime(2026, 1, 2, tzinfo=UTC),
                           magnet="magnet:?xt=urn:btih:" + "f" * 40, link="http://idx/dl?apikey=secret",
                           release=parse_release(GOOD), file_index=3))
    data = scored.as_json()
    assert set(data) == {"name", "infohash", "size", "seeders", "leechers", "indexer", "publishedAt", "fileIndex",
                         "parsed", "score", "rejected", "reasons"}
    assert data["score"] == {"total": scored.total, "health": scored.health, "quality": scored.quality,
                             "size": scored.size, "consistency": scored.consistency}
    assert data["parsed"]["resolution"] == 1080 and data["parsed"]["group"] == "NTb"
    assert data["publishedAt"] == "2026-01-02T00:00:00+00:00" and data["fileIndex"] == 3
    assert "apikey" not in str(data) and "magnet:" not in str(data)
    assert data["reasons"][:5] == ["1080p WEB-DL fits your profile", "H.264 plays in your browser",
                                   "38 seeders, 4 leechers", "size 1.4 GB = 64 MB/min, within 8-80",
                                   "same group as the previous episode (NTb)"]


def test_nothing_to_rank_is_an_empty_list():
    assert rank([], EPISODE, DEFAULT_PROFILE) == []


# ------------------------------------------------------------ lazy reasons, cache round trip


def test_reasons_written_on_first_read_are_those_a_plain_scored_carries():
    bloated = cand("The.Office.US.S03E05.1080p.WEB-DL.H.264-FLUX", size=30 * GB)
    ranked = rank([cand(), bloated, cand(seeders=0), cand(size=None, seeders=None)], EPISODE, DEFAULT_PROFILE)
    for s in ranked:
        plain = Scored(s.candidate, s.total, s.health, s.quality, s.size, s.consistency, s.rejected, s.reasons)
        assert plain == s and plain.as_json() == s.as_json()
        assert s.reasons is s.reasons  # written once
    by_name = {s.candidate.name: s for s in ranked}
    assert by_name[bloated.name].rejected == "size: 1363.6 MB/min is far above 8-80"  # rejects: exact, eager
    assert "size 30.0 GB = 1364 MB/min, far above 8-80" in by_name[bloated.name].reasons


def test_to_cache_survives_json_and_from_cache_rebuilds_an_equal_scored():
    import dataclasses
    import json

    scored = rank([cand(), cand("The.Office.US.S03.1080p.WEB-DL.H.264-NTb", size=30 * GB)], EPISODE,
                  DEFAULT_PROFILE)
    for s in scored:
        text = json.dumps(s.to_cache())
        again = Scored.from_cache(json.loads(text))
        assert again == s and again.candidate == s.candidate and again.candidate.release.seasons == (3,)
        # a payload written before to_cache existed (dataclasses.asdict of the old dataclass) has the same shape
        old = {"candidate": dataclasses.asdict(s.candidate), "total": s.total, "health": s.health,
               "quality": s.quality, "size": s.size, "consistency": s.consistency, "rejected": s.rejected,
               "reasons": list(s.reasons)}
        assert Scored.from_cache(json.loads(json.dumps(old, default=lambda v: v.isoformat()))) == s
    with pytest.raises((TypeError, KeyError)):
        Scored.from_cache({"candidate": {"name": "x"}, "total": 1})
