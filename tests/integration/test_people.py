"""Issue 23's read side: credits and outside ratings on title pages, person pages, people in search.

Real Postgres and HTTP through chalice.test.Client; people and credits are seeded per test.
"""

from __future__ import annotations

from datetime import date

import pytest

from tests.integration.people_support import People, body, counting_statements, sql
from tests.integration.tracking_support import code

V1 = "/api/v1"


@pytest.fixture
def people(cat):
    return People(cat.conn)


def _film(cat, people):
    """A movie with a director who also wrote it, a composer, a second writer, three billed actors, a logo
    and three outside ratings."""
    movie = cat.movie("Tenet Prime", logo_path="/logo-tp.png", popularity=50.0)
    nolan = people.person("Kit Nolander", profile_path="/kit.jpg", known_for_department="Directing")
    lead, second, third = (people.person(n, profile_path=p) for n, p in
                           (("Ada Lead", "/ada.jpg"), ("Ben Second", None), ("Cy Third", "/cy.jpg")))
    composer, writer = people.person("Dee Composer"), people.person("Eve Writer")
    people.credit(movie, third, "cast", 2, character="Driver")
    people.credit(movie, lead, "cast", 0, character="The Protagonist")
    people.credit(movie, second, "cast", 1, character=None)
    people.credit(movie, composer, "crew", 0, job="Original Music Composer", department="Sound")
    people.credit(movie, writer, "crew", 1, job="Screenplay", department="Writing")
    people.credit(movie, nolan, "crew", 2, job="Writer", department="Writing")
    people.credit(movie, nolan, "crew", 3, job="Director", department="Directing")
    people.rating(movie, "metacritic", "69/100", 69, None)
    people.rating(movie, "imdb", "7.3/10", 73, 612000)
    people.rating(movie, "rotten_tomatoes", "70%", 70, None)
    return movie, {"nolan": nolan, "lead": lead, "second": second, "third": third, "composer": composer,
                   "writer": writer}


def test_a_movie_page_has_its_cast_by_billing_crew_directors_first_and_outside_ratings(me, cat, people):
    _, api = me
    movie, who = _film(cat, people)
    status, data = api("GET", f"{V1}/movies/{movie}")
    assert status == 200
    cast = data["credits"]["cast"]
    assert [(c["personId"], c["name"], c["character"], c["order"]) for c in cast] == [
        (who["lead"], "Ada Lead", "The Protagonist", 0), (who["second"], "Ben Second", None, 1),
        (who["third"], "Cy Third", "Driver", 2)]
    assert cast[0]["profileUrl"].endswith("/w185/ada.jpg") and cast[1]["profileUrl"] is None
    assert data["credits"]["crew"] == [
        {"personId": who["nolan"], "name": "Kit Nolander", "job": "Director"},
        {"personId": who["writer"], "name": "Eve Writer", "job": "Screenplay"},
        {"personId": who["nolan"], "name": "Kit Nolander", "job": "Writer"},
        {"personId": who["composer"], "name": "Dee Composer", "job": "Original Music Composer"}]
    assert data["externalRatings"] == [
        {"source": "imdb", "value": "7.3/10", "score": 73.0, "votes": 612000},
        {"source": "rotten_tomatoes", "value": "70%", "score": 70.0, "votes": None},
        {"source": "metacritic", "value": "69/100", "score": 69.0, "votes": None}]
    assert data["logoUrl"].endswith("/w500/logo-tp.png")


def test_a_title_without_people_has_empty_credits_and_no_logo(me, cat):
    _, api = me
    show, _ = cat.show({1: 2})
    status, data = api("GET", f"{V1}/shows/{show}")
    assert status == 200
    assert data["credits"] == {"cast": [], "crew": []} and data["externalRatings"] == [] and data["logoUrl"] is None
    assert [s["seasonNumber"] for s in data["seasons"]] == [1]


def test_a_show_page_with_fifty_credits_takes_at_most_five_statements(me, cat, people, monkeypatch):
    _, api = me
    show, _ = cat.show({1: 2, 2: 1})
    for n in range(50):
        people.credit(show, people.person(f"Actor {n:02d}"), "cast", 49 - n, character=f"Role {n}")
    people.rating(show, "imdb", "8.1/10", 81, 1000)
    api("GET", f"{V1}/shows/{show}")  # the session check is cached from here on, as in steady use
    sent = counting_statements(monkeypatch)
    status, data = api("GET", f"{V1}/shows/{show}")
    assert status == 200 and len(data["credits"]["cast"]) == 50
    assert [c["name"] for c in data["credits"]["cast"][:2]] == ["Actor 49", "Actor 48"]
    assert [s["seasonNumber"] for s in data["seasons"]] == [1, 2]
    assert len(sent) <= 5, sent
    # genres, franchises, credits, ratings and seasons: one statement; More like this (ranked by shared people,
    # genres and words for this user): one more, whatever the number of credits
    assert len(sql(sent)) == 2, sent


def test_cast_and_crew_are_capped(me, cat, people):
    _, api = me
    movie = cat.movie()
    crew = [people.person(f"Crew {n}") for n in range(45)]
    for n, person in enumerate(crew):
        people.credit(movie, person, "crew", n, job="Grip" if n else None, department="Camera")
    for n in range(55):
        people.credit(movie, people.person(f"Cast {n}"), "cast", n)
    data = api("GET", f"{V1}/movies/{movie}")[1]
    assert len(data["credits"]["cast"]) == 50 and len(data["credits"]["crew"]) == 40
    assert data["credits"]["crew"][0] == {"personId": crew[0], "name": "Crew 0", "job": "Camera"}


def _career(cat, people):
    """A person with titles across the years, a show among them, and more than eight credits."""
    star = people.person("Gina Star", profile_path="/gina.jpg", biography="Born on a stage.", birth_year=1970,
                         known_for_department="Acting", popularity=30.0)
    titles = {}
    for n in range(10):
        titles[n] = cat.movie(f"Star Film {n}", release_date=date(2000 + n, 5, 1), popularity=float(n))
        people.credit(titles[n], star, "cast", 0, character=f"Hero {n}")
    show, episodes = cat.show({1: 2}, title="Star Show")
    cat.conn.execute("UPDATE media_items SET release_date = '2015-01-01', popularity = 100 WHERE id = %s", (show,))
    people.credit(show, star, "cast", 3, character="Host")
    people.credit(titles[9], star, "crew", 0, job="Director", department="Directing")
    undated = cat.movie("Star Project", release_date=None)
    people.credit(undated, star, "crew", 0, job="Producer", department="Production")
    return star, titles, show, episodes, undated


def test_a_person_page_has_the_filmography_newest_first_with_what_the_user_saw(me, cat, people, make_user,
                                                                               client):
    _, api = me
    star, titles, show, episodes, undated = _career(cat, people)
    api("POST", f"{V1}/watched", {"mediaId": titles[3]})
    api("POST", f"{V1}/progress", {"mediaId": show, "episodeId": episodes[(1, 1)], "positionSeconds": 60.0,
                                   "durationSeconds": 1500.0})
    status, data = api("GET", f"{V1}/people/{star}")
    assert status == 200
    assert {k: data[k] for k in ("id", "name", "biography", "birthYear", "deathYear", "knownForDepartment",
                                 "following")} == {"id": star, "name": "Gina Star", "biography": "Born on a stage.",
                                                   "birthYear": 1970, "deathYear": None,
                                                   "knownForDepartment": "Acting", "following": False}
    assert data["profileUrl"].endswith("/w185/gina.jpg")
    # Known for: the eight most popular titles, as cards.
    assert [k["id"] for k in data["knownFor"]] == [show] + [titles[n] for n in range(9, 2, -1)]
    assert data["knownFor"][0]["mediaType"] == "show" and data["knownFor"][1]["posterUrl"]
    films = [(f["mediaId"], f["kind"], f["role"], f["seen"]) for f in data["filmography"]]
    assert films[:4] == [(undated, "crew", "Producer", False), (show, "cast", "Host", True),
                         (titles[9], "cast", "Hero 9", False), (titles[9], "crew", "Director", False)]
    assert (titles[3], "cast", "Hero 3", True) in films and len(films) == 13
    assert [f["year"] for f in data["filmography"][2:]] == sorted([f["year"] for f in data["filmography"][2:]],
                                                                  reverse=True)
    assert data["filmography"][1] == {"mediaId": show, "mediaType": "show", "title": "Star Show", "year": 2015,
                                      "role": "Host", "kind": "cast", "posterUrl": data["filmography"][1]["posterUrl"],
                                      "seen": True}
    # Another user saw none of it.
    _, other = make_user()
    theirs = body(client.http.get(f"{V1}/people/{star}", headers=other))
    assert not any(f["seen"] for f in theirs["filmography"])


def test_a_person_page_takes_at_most_five_statements(me, cat, people, monkeypatch):
    _, api = me
    star, *_ = _career(cat, people)
    api("GET", f"{V1}/people/{star}")
    sent = counting_statements(monkeypatch)
    assert api("GET", f"{V1}/people/{star}")[0] == 200
    assert len(sent) <= 5, sent
    assert len(sql(sent)) == 1, sent


@pytest.mark.parametrize("raw", ["987654321", "abc", "0", "-1", "1.5", "99999999999999999999999"])
def test_an_unknown_or_invalid_person_is_a_404_in_the_envelope(me, raw):
    _, api = me
    status, data = api("GET", f"{V1}/people/{raw}")
    assert (status, code(data)) == (404, "person_not_found")


def test_person_pages_need_a_user(client, cat, people):
    star = people.person("Nobody Special")
    assert client.http.get(f"{V1}/people/{star}").status_code == 401


# ------------------------------------------------------------------ search


def _search(api, **params):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    status, data = api("GET", f"{V1}/search?{query}")
    assert status == 200, data
    return data


def test_people_appear_in_search_with_type_person_and_titles_keep_their_type(me, cat, people):
    _, api = me
    zed = people.person("Zorbalina Quux", profile_path="/zq.jpg", known_for_department="Acting", popularity=5.0)
    for n, pop in enumerate((1.0, 9.0, 5.0, 3.0)):
        people.credit(cat.movie(f"Quux Picture {n}", popularity=pop), zed, "cast", 0)
    film = cat.movie("Zorbalina Quux Returns")
    data = _search(api, q="zorbalina%20quux")
    assert [(h["type"], h["id"]) for h in data["items"]] == [("person", zed), ("movie", film)]
    person = data["items"][0]
    assert {k: person[k] for k in ("title", "name", "knownForDepartment", "knownFor", "match")} == {
        "title": "Zorbalina Quux", "name": "Zorbalina Quux", "knownForDepartment": "Acting",
        "knownFor": ["Quux Picture 1", "Quux Picture 2", "Quux Picture 3"], "match": "exact"}
    assert person["profileUrl"].endswith("/w185/zq.jpg") and person["score"] > data["items"][1]["score"]
    assert data["items"][1]["mediaType"] == "movie" and data["total"] == 1  # titles only
    # A surname alone and a typo find the person too; a type filter or page 2 do not.
    assert [h["id"] for h in _search(api, q="quux")["items"] if h["type"] == "person"] == [zed]
    assert [h["id"] for h in _search(api, q="zorbalena")["items"] if h["type"] == "person"] == [zed]
    assert all(h["type"] == "movie" for h in _search(api, q="zorbalina", mediaType="movie")["items"])
    assert all(h["type"] != "person" for h in _search(api, q="zorbalina", page=2)["items"])


def test_search_lists_at_most_three_people_and_only_good_name_matches(me, cat, people):
    _, api = me
    for n in range(5):
        people.person(f"Wexlington Vorp {n}", popularity=float(n))
    people.person("Wexford Somebody")
    data = _search(api, q="wexlington%20vorp")
    names = [h["name"] for h in data["items"] if h["type"] == "person"]
    assert names == ["Wexlington Vorp 4", "Wexlington Vorp 3", "Wexlington Vorp 2"]
    assert [h for h in _search(api, q="vorpal%20blade")["items"] if h["type"] == "person"] == []
