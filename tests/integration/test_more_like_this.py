""""More like this" on the demo catalog: what titles share (genres, people, franchises, words) decides, and the
user's own history orders it.

Assertions are ranking properties read against the catalog itself (who directed what, which genres a title
has), not a list copied from a run.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.integration import catalog_support as support
from tests.integration.catalog_support import body
from tests.integration.tracking_support import Api

V1 = "/api/v1"
POPULAR_BLOCKBUSTERS = {"Star Wars", "Avatar", "The Avengers", "Avengers: Endgame", "Avengers: Infinity War"}


@pytest.fixture(scope="module")
def demo_template(template_url):
    yield from support.demo_template(template_url)


@pytest.fixture
def app_db(demo_template):
    yield from support.app_database(demo_template)


def similar(client: Any, headers: dict[str, str], title: str, media_type: str = "movie") -> list[str]:
    path = {"movie": "movies", "show": "shows", "game": "games"}[media_type]
    detail = body(client.http.get(f"{V1}/{path}/{support.media_id(title, media_type)}", headers=headers))
    assert all(s["mediaType"] == media_type for s in detail["similar"])
    return [s["title"] for s in detail["similar"]]


def directed_by(name: str) -> set[str]:
    return {r["title"] for r in support.rows(
        "SELECT m.title FROM media_credits c JOIN people p ON p.id = c.person_id"
        " JOIN media_items m ON m.id = c.media_id"
        " WHERE p.name = %(name)s AND c.kind = 'crew' AND c.job = 'Director'", name=name)}


def genres_of(title: str) -> set[str]:
    return {r["name"] for r in support.rows(
        "SELECT g.name FROM media_genres mg JOIN genres g ON g.id = mg.genre_id"
        " JOIN media_items m ON m.id = mg.media_id WHERE m.title = %(title)s", title=title)}


def test_inception_is_followed_by_nolans_science_fiction_not_by_the_most_popular_titles(client, auth_headers):
    found = similar(client, auth_headers(), "Inception")
    nolan = directed_by("Christopher Nolan")

    assert len(nolan) >= 6 and "Inception" in nolan  # the demo catalog holds his films with their credits
    assert set(found[:5]) <= nolan  # the first five share the director
    assert {"Science Fiction"} <= genres_of(found[0]) and {"Science Fiction"} <= genres_of(found[1])
    assert POPULAR_BLOCKBUSTERS.isdisjoint(found[:8])
    in_its_genres = {t for t in nolan - {"Inception"} if genres_of(t) & genres_of("Inception")}
    assert in_its_genres <= set(found)  # every Nolan film that shares a genre with it is listed
    popular = [r["title"] for r in support.rows(
        "SELECT title FROM media_items WHERE media_type = 'movie' AND title <> 'Inception'"
        " ORDER BY popularity DESC NULLS LAST LIMIT 5")]
    assert found[:5] != popular


def test_a_franchise_and_its_people_come_first_for_a_show_and_a_movie(client, auth_headers):
    headers = auth_headers()
    assert similar(client, headers, "The Matrix")[:3] == [
        "The Matrix Reloaded", "The Matrix Revolutions", "The Matrix Resurrections"]
    tarantino = directed_by("Quentin Tarantino")
    assert set(similar(client, headers, "Pulp Fiction")[:4]) <= tarantino
    assert similar(client, headers, "Breaking Bad", "show")[0] == "Better Call Saul"


def test_a_games_list_never_holds_add_ons_of_other_games(client, auth_headers):
    found = similar(client, auth_headers(), "The Witcher 3: Wild Hunt", "game")
    addons = {r["title"] for r in support.rows(
        "SELECT m.title FROM media_relations r JOIN media_items m ON m.id = r.related_media_id"
        " WHERE r.relation IN ('dlc', 'expansion')")}

    assert found and addons and addons.isdisjoint(found)


def test_the_users_history_orders_it_seen_last_and_dismissed_or_disliked_never(client, make_user):
    _, headers = make_user()
    api = Api(client, headers)
    before = similar(client, headers, "Inception")
    seen, dismissed, disliked = before[0], before[1], before[2]

    assert api("POST", f"{V1}/watched", {"mediaId": support.media_id(seen, "movie")})[0] == 201
    assert api("POST", f"{V1}/recommendations/{support.media_id(dismissed, 'movie')}/dismiss")[0] == 200
    assert api("PUT", f"{V1}/ratings/{support.media_id(disliked, 'movie')}", {"rating": 3})[0] == 200
    after = similar(client, headers, "Inception")

    assert {dismissed, disliked}.isdisjoint(after)
    assert after[:3] == [t for t in before if t not in {seen, dismissed, disliked}][:3]  # the rest keeps its order
    assert seen not in after[:-1]  # watched: after every unseen title, or left out for them
    assert similar(client, make_user()[1], "Inception") == before  # another user's history changes nothing
