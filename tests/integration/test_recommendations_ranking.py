"""The ranking properties the fast snapshot relies on, end to end through Postgres and the API.

The snapshot reads the user in one statement and the candidates in another
(one walk down the popularity index serves every followed genre; a rarer genre
walks on by itself). These tests pin what must not change with that: a title
that shares the user's top genres and is linked from a loved title outranks a
popular unrelated one; nothing the user knows, dismissed or that is adult ever
appears; the per-genre walk gives the same snapshot however short it is; and the
fingerprint stored with a snapshot is the one the job compares against.
"""

from __future__ import annotations

from typing import Any

import pytest

from chalicelib import db
from tests.integration.test_recommendations_api import Shelf, recommendations, titles, watch_and_rate
from tests.integration.tracking_support import Api

V1 = "/api/v1"


@pytest.fixture
def catalog(client) -> dict[str, int]:
    """A sci-fi/thriller fan's world: loved and seen titles, a linked candidate, popular unrelated titles."""
    s = Shelf()
    for name in ("Science Fiction", "Thriller", "Comedy", "Romance", "Western"):
        s.genre(name)
    ids = {f"Seen {n}": s.title(f"Seen {n}", "Science Fiction", "Thriller", popularity=80.0 + n) for n in range(6)}
    ids["Loved"] = s.title("Loved", "Science Fiction", "Thriller", popularity=40.0)
    ids["Linked"] = s.title("Linked", "Science Fiction", "Thriller", popularity=2.0)  # obscure, but similar
    ids["Same genres"] = s.title("Same genres", "Science Fiction", "Thriller", popularity=5.0)
    ids["Blockbuster"] = s.title("Blockbuster", "Comedy", popularity=99.0)
    ids["Romcom"] = s.title("Romcom", "Comedy", "Romance", popularity=95.0)
    ids["Dismissed"] = s.title("Dismissed", "Science Fiction", popularity=90.0)
    ids["Adult"] = s.title("Adult", "Science Fiction", "Thriller", popularity=100.0)
    ids["Rare"] = s.title("Rare", "Western", popularity=0.5)
    s.link(ids["Loved"], ids["Linked"], "similar")
    s.link(ids["Loved"], ids["Seen 0"], "similar")  # a link to a seen title never brings it back
    with db.connection() as conn:
        conn.execute("UPDATE media_items SET adult = true WHERE id = %s", (ids["Adult"],))
    return ids


def _fan(client, make_user, catalog: dict[str, int]) -> tuple[Any, Api]:
    user_id, headers = make_user()
    api = Api(client, headers)
    watch_and_rate(api, catalog["Loved"], 10)
    for n in range(6):
        watch_and_rate(api, catalog[f"Seen {n}"], 8)
    assert api("POST", f"{V1}/recommendations/{catalog['Dismissed']}/dismiss")[0] == 200
    assert api("PUT", f"{V1}/me/preferences", {"favoriteGenres": ["western"]})[0] in (200, 204)
    return user_id, api


def _snapshot_items(user_id) -> list[dict[str, Any]]:
    from chalicelib.recommendations import service

    with db.connection() as conn:
        service.compute_snapshot(conn, user_id, "manual")
        return conn.execute("SELECT items FROM recommendation_snapshots WHERE user_id = %s "
                            "ORDER BY computed_at DESC LIMIT 1", (user_id,)).fetchone()["items"]


def test_similar_titles_in_the_top_genres_outrank_popular_unrelated_ones(client, make_user, catalog):
    _, api = _fan(client, make_user, catalog)

    ranked = titles(recommendations(api, page_size=50))

    assert ranked.index("Linked") < ranked.index("Same genres") < ranked.index("Blockbuster")
    assert ranked.index("Linked") < ranked.index("Romcom")
    assert "Rare" in ranked  # the onboarding pick still brings its genre in
    never = {"Loved", "Dismissed", "Adult", *(f"Seen {n}" for n in range(6))}
    assert never.isdisjoint(ranked)


def test_the_genre_walk_gives_the_same_snapshot_however_short_it_is(client, make_user, catalog, monkeypatch):
    from chalicelib.recommendations import candidates

    user_id, _ = _fan(client, make_user, catalog)
    monkeypatch.setattr(candidates, "PER_TYPE_POPULAR", 1)  # so genre titles come from the genre walk alone
    full = _snapshot_items(user_id)
    monkeypatch.setattr(candidates, "GENRE_WALK", 2)  # every followed genre now walks on by itself
    short = _snapshot_items(user_id)
    monkeypatch.setattr(candidates, "GENRE_WALK", 0)
    none = _snapshot_items(user_id)

    assert full == short == none
    ids = {item["mediaId"] for item in full}
    assert {catalog["Linked"], catalog["Same genres"], catalog["Rare"]} <= ids
    assert catalog["Adult"] not in ids and catalog["Dismissed"] not in ids


def test_a_snapshot_stores_the_fingerprint_the_job_compares(client, make_user, catalog):
    from chalicelib.recommendations import service

    user_id, _ = _fan(client, make_user, catalog)
    _snapshot_items(user_id)
    with db.connection() as conn:
        state = next(iter(db.queries().recs_taste_states(conn, user_ids=[user_id], all_users=False)))

    assert state["snapshot_taste"] == state["taste"]
    assert service.refresh_due()["computed"] == 0  # nothing stale: the job leaves it alone
