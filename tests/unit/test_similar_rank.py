""""More like this" ranking on plain rows: what is shared scores, the user's history orders and filters."""

from __future__ import annotations

from chalicelib.catalog import similar


def row(id_: int, **over) -> dict:
    values = dict(id=id_, popularity=10.0, link_position=None, link_recommended=False, own_genre_count=3,
                  genre_count=3, shared_genres=0, same_franchise=False, shared_people=[], shared_words=0,
                  your_rating=None, watched=False, dismissed=False)
    values.update(over)
    return values


def ids(rows: list[dict]) -> list[int]:
    return [r["id"] for r in similar.rank(rows)]


def test_a_shared_director_outweighs_popularity_and_identical_genres():
    blockbuster = row(1, shared_genres=3, popularity=500.0)
    same_director = row(2, shared_genres=2, shared_people=[["director", "Christopher Nolan"]], popularity=50.0)
    assert ids([blockbuster, same_director]) == [2, 1]


def test_people_are_capped_so_a_shared_cast_does_not_drown_the_genres():
    many_people = row(1, shared_genres=1, genre_count=4,
                      shared_people=[["director", "a"], ["writer", "b"], ["cast", "c"], ["cast", "d"], ["cast", "e"]])
    fewer_closer = row(2, shared_genres=2, shared_people=[["director", "a"], ["writer", "b"]])
    assert ids([many_people, fewer_closer]) == [2, 1]


def test_nothing_shared_is_never_listed_and_popularity_only_breaks_ties():
    assert ids([row(1, popularity=999.0), row(2, shared_words=1)]) == [2]
    assert ids([row(3, shared_genres=1), row(4, shared_genres=1, popularity=20.0)]) == [4, 3]


def test_seen_titles_go_last_and_dismissed_or_disliked_ones_never_show():
    rows = [row(1, same_franchise=True, watched=True), row(2, shared_genres=1),
            row(3, same_franchise=True, dismissed=True), row(4, same_franchise=True, your_rating=4.0),
            row(5, shared_genres=2, your_rating=9.0)]
    assert ids(rows) == [2, 1, 5]


def test_the_list_is_cut_at_the_limit_best_first():
    rows = [row(i, shared_words=i % 4) for i in range(1, 30)]
    found = similar.rank(rows, limit=5)
    assert len(found) == 5 and all(r["shared_words"] == 3 for r in found)
