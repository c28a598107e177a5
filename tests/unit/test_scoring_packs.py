"""One episode wanted: single-episode releases rank above season packs unless no single is healthy (Sonarr's rule)."""

from __future__ import annotations

import json

from chalicelib.settings.profile import DEFAULT_PROFILE
from chalicelib.sources.scoring import rank
from chalicelib.sources.scoring_types import Scored, Target
from tests.unit.test_scoring import EPISODE, GB, GOOD, cand, names

PACK = "The.Office.US.S03.1080p.WEB-DL.DDP5.1.H.264-NTb"
SEASON = Target("show", "The Office (US)", 2005, 3, None, runtime_minutes=22, season_episodes=24)


def first_fit(ranked: list[Scored]) -> Scored:
    """What "Best match" pre-selects and a pick without an infohash takes: the first not rejected."""
    return next(s for s in ranked if s.rejected is None)


def test_a_healthy_single_episode_beats_a_season_pack_that_scores_higher():
    pack, single = cand(PACK, size=30 * GB, seeders=600), cand(GOOD, seeders=4, leechers=9)
    ranked = rank([pack, single], EPISODE, DEFAULT_PROFILE)
    assert names(ranked) == [GOOD, PACK]
    assert ranked[1].total > ranked[0].total  # the rule, not the score, put the pack second
    assert ranked[1].rejected is None and ranked[1].reasons[0] == "Season pack: ranked below single-episode releases"
    assert not any(r.startswith("Season pack") for r in ranked[0].reasons)
    assert first_fit(ranked).candidate == single


def test_a_pack_is_taken_when_it_is_the_only_source_with_seeders():
    dead_single = cand(GOOD, seeders=0)
    pack = cand(PACK, size=30 * GB, seeders=25)
    ranked = rank([dead_single, pack], EPISODE, DEFAULT_PROFILE)
    assert names(ranked) == [PACK, GOOD] and ranked[1].rejected is not None
    assert first_fit(ranked).candidate == pack
    assert ranked[0].reasons[0] == "Season pack: the only source with seeders"


def test_a_pack_says_why_when_singles_are_too_small_a_swarm_or_another_episode_or_missing():
    few = rank([cand(GOOD, seeders=1), cand(PACK, size=30 * GB)], EPISODE, DEFAULT_PROFILE)
    assert few[0].reasons[0] == "Season pack: the only source with enough seeders"
    other = rank([cand(GOOD.replace("E05", "E06")), cand(PACK, size=30 * GB)], EPISODE, DEFAULT_PROFILE)
    assert other[0].reasons[0] == "Season pack: no single-episode release fits your profile, so the pack is used"
    alone = rank([cand(PACK, size=30 * GB)], EPISODE, DEFAULT_PROFILE)
    assert alone[0].reasons[0] == "Season pack: no single-episode release was found, so the pack is used"


def test_every_healthy_single_ranks_above_every_pack_and_packs_keep_their_own_order():
    packs = [cand(PACK, size=30 * GB, seeders=900), cand(PACK.replace("NTb", "FLUX"), size=25 * GB, seeders=50)]
    singles = [cand(GOOD, seeders=3), cand(GOOD.replace("1080p", "720p"), size=700_000_000, seeders=80)]
    ranked = rank([*packs, *singles], EPISODE, DEFAULT_PROFILE)
    assert [s.candidate.release.pack for s in ranked] == [False, False, True, True]
    assert names(ranked)[2] == PACK  # the better pack stays first among the packs


def test_a_rejected_pack_stays_with_the_rejects_and_carries_no_pack_note():
    wrong_season = cand(PACK.replace("S03", "S02"), size=30 * GB)
    ranked = rank([wrong_season, cand(GOOD)], EPISODE, DEFAULT_PROFILE)
    assert names(ranked) == [GOOD, wrong_season.name] and ranked[1].rejected
    assert not any(r.startswith("Season pack") for r in ranked[1].reasons)


def test_a_whole_season_wanted_leaves_packs_first_and_without_a_note():
    ranked = rank([cand(PACK, size=30 * GB), cand(GOOD)], SEASON, DEFAULT_PROFILE)
    assert ranked[0].candidate.release.pack and ranked[0].rejected is None
    assert not any(r.startswith("Season pack") for r in ranked[0].reasons)


def test_the_pack_note_survives_the_search_cache():
    ranked = rank([cand(PACK, size=30 * GB, seeders=600), cand(GOOD)], EPISODE, DEFAULT_PROFILE)
    restored = [Scored.from_cache(json.loads(json.dumps(s.to_cache()))) for s in ranked]
    assert restored == ranked and restored[1].reasons[0].startswith("Season pack: ranked below")
