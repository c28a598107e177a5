"""Scoring on fixture catalogs and histories: expected top items, reasons, exclusions, diversity, cold start."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest

from chalicelib.recommendations import reasons, scoring
from chalicelib.recommendations.scoring import Inputs, Link, Signal, Title

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
SCIFI, DRAMA, COMEDY, HORROR, RPG, ADVENTURE = 878, 18, 35, 27, 12, 31
GENRES = {SCIFI: "Science Fiction", DRAMA: "Drama", COMEDY: "Comedy", HORROR: "Horror", RPG: "Role-playing (RPG)",
          ADVENTURE: "Adventure"}
DUNE_FRANCHISE, SOULS_FRANCHISE = 1, 2
PC, PS5, SWITCH = 6, 167, 130


def movie(id_: int, title: str, genres: tuple[int, ...], popularity: float = 10.0, **extra) -> Title:
    return Title(id_, "movie", title, genres, popularity=popularity, vote_average=7.0, vote_count=100, **extra)


def game(id_: int, title: str, genres: tuple[int, ...], platforms: tuple[int, ...], **extra) -> Title:
    return Title(id_, "game", title, genres, platform_ids=platforms, popularity=10.0, vote_average=8.0,
                 vote_count=100, **extra)


DUNE = movie(1, "Dune", (SCIFI, ADVENTURE), franchise_ids=(DUNE_FRANCHISE,))
ARRIVAL = movie(2, "Arrival", (SCIFI, DRAMA))
NOTEBOOK = movie(3, "The Notebook", (DRAMA,))
ELDEN = game(4, "Elden Ring", (RPG, ADVENTURE), (PC, PS5), franchise_ids=(SOULS_FRANCHISE,))

CATALOG = {t.id: t for t in [
    movie(10, "Dune: Part Two", (SCIFI, ADVENTURE), franchise_ids=(DUNE_FRANCHISE,)),
    movie(11, "Interstellar", (SCIFI, DRAMA), popularity=50.0),
    movie(12, "Blade Runner 2049", (SCIFI,), popularity=30.0),
    movie(13, "A Comedy", (COMEDY,), popularity=90.0),
    movie(14, "A Horror Film", (HORROR,), popularity=95.0),
    movie(15, "Another Romance", (DRAMA,), popularity=40.0),
    game(20, "Dark Souls III", (RPG,), (PC, PS5), franchise_ids=(SOULS_FRANCHISE,)),
    game(21, "Elden Ring: Shadow of the Erdtree", (RPG, ADVENTURE), (PC, PS5), is_addon=True),
    game(22, "A Switch Platformer", (ADVENTURE,), (SWITCH,)),
    game(23, "Unrelated DLC", (RPG,), (PC,), is_addon=True),
]}


def signal(title: Title, days_ago: int = 10, **fields) -> Signal:
    return Signal(title=title, at=NOW - timedelta(days=days_ago), **fields)


def sci_fi_fan(**overrides) -> Inputs:
    values = dict(
        now=NOW,
        signals=[signal(DUNE, rating=9.0, watches=1), signal(ARRIVAL, rating=10.0, watches=1),
                 signal(ELDEN, game_status="completed", game_platform_id=PS5), signal(NOTEBOOK, rating=3.0)],
        candidates=dict(CATALOG),
        links=[Link(DUNE.id, 12, "recommended", 0), Link(ELDEN.id, 21, "expansion", 0),
               Link(NOTEBOOK.id, 15, "similar", 0)],
        genre_names=GENRES, platform_names={PC: "PC", PS5: "PlayStation 5", SWITCH: "Nintendo Switch"})
    values.update(overrides)
    return Inputs(**values)


def by_id(items: list[dict]) -> dict[int, dict]:
    return {item["mediaId"]: item for item in items}


def texts(item: dict) -> list[str]:
    return [reason["text"] for reason in item["reasons"]]


def test_a_sci_fi_fan_gets_sci_fi_first_with_the_reasons_that_put_it_there():
    items, stats = scoring.rank(sci_fi_fan())

    movies = [i["mediaId"] for i in items if i["mediaType"] == "movie"]
    assert movies[:3] == [12, 10, 11]  # linked from Dune, the Dune sequel, then more sci-fi
    found = by_id(items)
    assert texts(found[10]) == ["Same franchise as Dune", "You rate Science Fiction highly"]  # the named title first
    assert texts(found[12])[:2] == ["Because you rated Dune ★★★★½", "You rate Science Fiction highly"]
    assert found[12]["reasons"][0]["refRating"] == 9.0 and found[12]["reasons"][0]["refMediaId"] == DUNE.id
    assert texts(found[11])[0] == "You rate Science Fiction highly"
    assert stats["seeds"] == 3 and stats["dislikes"] == 1 and not stats["coldStart"]


def test_an_unrated_watch_is_the_reason_in_words_and_carries_no_rating():
    show = Title(40, "show", "Breaking Bad", (DRAMA,), popularity=50.0, vote_average=9.0, vote_count=100)
    similar = Title(41, "show", "Better Call Saul", (DRAMA,), popularity=20.0, vote_average=8.0, vote_count=100)
    items, _ = scoring.rank(Inputs(now=NOW, signals=[signal(show, watches=1)], candidates={41: similar},
                                   links=[Link(40, 41, "recommended", 0)], genre_names=GENRES))

    assert {"code": "because_you", "text": "Because you watched Breaking Bad", "refMediaId": 40} in \
        items[0]["reasons"]


@pytest.mark.parametrize(("rating", "shown"), [(10, "★★★★★"), (9, "★★★★½"), (8, "★★★★"), (7.5, "★★★★"),
                                                (8.5, "★★★★½"), (5, "★★½"), (1, "½")])
def test_stars_show_a_one_to_ten_rating_out_of_five_with_halves(rating, shown):
    assert reasons.stars(rating) == shown


def test_popular_right_now_is_only_for_a_user_without_any_signal():
    comedy = {13: CATALOG[13]}
    cold, _ = scoring.rank(Inputs(now=NOW, signals=[], candidates=dict(comedy), genre_names=GENRES))
    warm, _ = scoring.rank(Inputs(now=NOW, signals=[signal(DUNE, rating=9.0)], candidates=dict(comedy),
                                  genre_names=GENRES))

    assert texts(cold[0]) == ["Popular right now"]
    assert texts(warm[0]) == ["Popular in Comedy"]


def test_games_follow_franchise_addons_and_platform():
    found = by_id(scoring.rank(sci_fi_fan())[0])

    assert texts(found[20])[0] == "Same franchise as Elden Ring"
    assert "On PlayStation 5, where you play" in texts(found[20])
    assert texts(found[21])[0] == "Expansion for Elden Ring"
    assert 23 not in found  # an add-on of a game the user does not play is never suggested
    assert found[20]["score"] > found[22]["score"]


def test_dislikes_pull_their_links_and_genres_down():
    found = by_id(scoring.rank(sci_fi_fan())[0])
    liked_neutral = by_id(scoring.rank(sci_fi_fan(signals=sci_fi_fan().signals[:3]))[0])

    # "Another Romance" is similar to The Notebook (rated 3): lower than without the dislike.
    assert found[15]["score"] < liked_neutral[15]["score"]
    assert not any("Notebook" in text for text in texts(found[15]))


def test_recency_weights_recent_taste_more():
    old = scoring.seeds(Inputs(now=NOW, signals=[signal(DUNE, days_ago=1000, rating=9.0)], candidates={}))
    new = scoring.seeds(Inputs(now=NOW, signals=[signal(DUNE, days_ago=1, rating=9.0)], candidates={}))

    assert new[0].weight > old[0].weight >= 0.8 * scoring.RECENCY_FLOOR


def test_scoring_is_deterministic_and_ties_break_by_id():
    first = scoring.rank(sci_fi_fan())[0]
    shuffled = sci_fi_fan(candidates=dict(reversed(list(CATALOG.items()))),
                          signals=list(reversed(sci_fi_fan().signals)))
    assert scoring.rank(shuffled)[0] == first
    twins = {i: movie(i, f"Twin {i}", (COMEDY,)) for i in (31, 30)}
    items = scoring.rank(Inputs(now=NOW, signals=[], candidates=twins))[0]
    assert [i["mediaId"] for i in items] == [30, 31]


def test_cold_start_follows_the_onboarding_genres_and_says_trending():
    items, stats = scoring.rank(Inputs(now=NOW, signals=[], candidates=dict(CATALOG), genre_names=GENRES,
                                       picked_genres=frozenset({DRAMA})))

    assert stats["coldStart"]
    top = items[0]
    assert top["mediaId"] in (11, 15) and texts(top) == ["Trending in Drama"]


def test_cold_start_without_picks_is_the_popularity_prior():
    items, _ = scoring.rank(Inputs(now=NOW, signals=[], candidates=dict(CATALOG)))

    assert items[0]["mediaId"] == 14  # the most popular title
    assert texts(items[0]) == ["Popular right now"]
    assert len(items) == len([t for t in CATALOG.values() if not t.is_addon])


def test_each_type_is_capped_so_a_type_filter_never_runs_dry():
    many = {i: movie(i, f"Movie {i}", (SCIFI,), popularity=float(i)) for i in range(100, 160)}
    many[999] = game(999, "Lonely game", (RPG,), (PC,))
    items, _ = scoring.rank(Inputs(now=NOW, signals=[], candidates=many), per_type=10)

    assert Counter(i["mediaType"] for i in items) == {"movie": 10, "game": 1}


def item(media_id: int, genre: int | None, franchises: tuple[int, ...] = ()) -> dict:
    return {"mediaId": media_id, "primaryGenreId": genre, "franchiseIds": list(franchises)}


def test_diversify_caps_each_page_per_franchise_and_genre():
    ranked = [item(i, SCIFI, (DUNE_FRANCHISE,)) for i in range(1, 6)] + [item(i, SCIFI) for i in range(6, 16)] + \
        [item(i, DRAMA) for i in range(16, 30)] + [item(i, COMEDY) for i in range(30, 40)]
    ordered = scoring.diversify(ranked, 10)

    first_page = ordered[:10]
    assert sum(DUNE_FRANCHISE in i["franchiseIds"] for i in first_page) == 2
    assert Counter(i["primaryGenreId"] for i in first_page) == {SCIFI: 4, DRAMA: 4, COMEDY: 2}  # 40% of 10
    assert [i["mediaId"] for i in first_page[:4]] == [1, 2, 6, 7]  # the best items keep their places
    assert sorted(i["mediaId"] for i in ordered) == list(range(1, 40))  # nothing lost


def test_diversify_relaxes_the_genre_share_before_the_franchise_cap():
    ranked = [item(i, SCIFI, (DUNE_FRANCHISE,)) for i in range(1, 6)] + [item(i, SCIFI) for i in range(6, 12)]
    first_page = scoring.diversify(ranked, 5)[:5]

    assert [i["mediaId"] for i in first_page] == [1, 2, 6, 7, 8]


def test_diversify_never_leaves_a_page_short():
    ranked = [item(i, SCIFI, (DUNE_FRANCHISE,)) for i in range(1, 8)]

    assert [i["mediaId"] for i in scoring.diversify(ranked, 5)] == [1, 2, 3, 4, 5, 6, 7]
