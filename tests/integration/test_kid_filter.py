"""Kid profiles see only titles at or under their rating, everywhere a title list or a title is answered.

The catalog here: a PG movie, an R movie, a TV-PG show, a TV-MA show, an E game, an M game and an unrated
movie, all titled "Kidfilter ...", each in a discover row, on the calendar, in the library, in a snapshot of
recommendations and credited to one person. A kid limited to PG (10 years) must see the PG movie, the TV-PG
show and the E game and nothing else; an adult sees all seven. The service-level tests pass a ``Limit`` as the
auth layer puts it on the principal; ``test_a_kid_profile_over_http`` goes through a real kid profile.
"""

from __future__ import annotations

import json
import uuid
from datetime import date

import pytest

from chalicelib.contentrating import Limit

KID = Limit(max_age=10)
ALLOWED = {"Kidfilter PG Movie", "Kidfilter TV-PG Show", "Kidfilter E Game"}
HIDDEN = {"Kidfilter R Movie", "Kidfilter TV-MA Show", "Kidfilter M Game", "Kidfilter Unrated Movie"}
TITLES = [  # (title, media type, label, min age)
    ("Kidfilter PG Movie", "movie", "PG", 10), ("Kidfilter R Movie", "movie", "R", 17),
    ("Kidfilter TV-PG Show", "show", "TV-PG", 10), ("Kidfilter TV-MA Show", "show", "TV-MA", 17),
    ("Kidfilter E Game", "game", "E", 6), ("Kidfilter M Game", "game", "M", 17),
    ("Kidfilter Unrated Movie", "movie", None, None),
]


@pytest.fixture
def world(client, cat, make_user):
    """The seven titles and everything around them; returns ids by title plus the person and user."""
    conn = cat.conn
    ids = {title: cat.media(kind, title, content_rating=label, min_age=age, popularity=50.0 + n,
                            vote_count=500, vote_average=7.5, release_date=date.today(),
                            details_fetched_at=date.today())
           for n, (title, kind, label, age) in enumerate(TITLES)}
    section = cat._one("INSERT INTO discover_sections (key, title, source, position) "
                       "VALUES ('kidfilter.trending', 'Kidfilter trending', 'tmdb', 1) RETURNING id", {})
    person = cat._one("INSERT INTO people (name) VALUES ('Kidfilter Person') RETURNING id", {})
    platform = cat.platform()
    for position, (title, kind, _, _) in enumerate(TITLES):
        media_id = ids[title]
        conn.execute("INSERT INTO discover_section_items (section_id, media_id, position) VALUES (%s, %s, %s)",
                     (section, media_id, position))
        conn.execute("INSERT INTO media_credits (media_id, kind, ordering, person_id, character, source) "
                     "VALUES (%s, 'cast', 0, %s, 'Someone', 'tmdb')", (media_id, person))
        if kind != "show":
            conn.execute("INSERT INTO release_events (media_id, kind, release_date, platform_id, source) "
                         "VALUES (%s, %s, %s, %s, 'tmdb')",
                         (media_id, "game_release" if kind == "game" else "movie_release", date.today(),
                          platform if kind == "game" else None))
        if kind != "game":
            conn.execute("INSERT INTO library_items (storage_key, file_name, size_bytes, match_state, media_id) "
                         "VALUES (%s, %s, 1, 'matched', %s)", (f"library/{media_id}.mkv", f"{title}.mkv", media_id))
    user_id, headers = make_user()
    return {"ids": ids, "person": person, "user_id": user_id, "headers": headers}


def _titles(items) -> set[str]:
    return {item["title"] for item in items if item["title"].startswith("Kidfilter")}


def _discover(limit):
    from chalicelib.catalog import service
    from chalicelib.catalog.models import DiscoverQuery

    page = service.discover(DiscoverQuery(), limit)
    return _titles(item for row in page["items"] for item in row["items"])


def test_discover_keeps_only_what_the_kid_may_see(world):
    assert _discover(KID) == ALLOWED
    assert _discover(None) == ALLOWED | HIDDEN  # the adult read (cached first) never leaks into the kid's


def test_browse_pages_are_full_and_counted_after_the_filter(world):
    from chalicelib.catalog import service
    from chalicelib.catalog.models import BrowseQuery

    kid = service.browse("movie", BrowseQuery(page_size=1), KID)
    assert kid["total"] == 1 and _titles(kid["items"]) == {"Kidfilter PG Movie"}
    adult = service.browse("movie", BrowseQuery(page_size=1), None)
    assert adult["total"] == 3 and len(adult["items"]) == 1


def test_search_and_suggestions_hide_titles_above_the_rating(world):
    from chalicelib.catalog import search
    from chalicelib.catalog.models import SearchQuery, SuggestQuery

    kid = search.search(SearchQuery(q="kidfilter"), KID)
    assert _titles(i for i in kid["items"] if i["type"] != "person") == ALLOWED and kid["total"] == 3
    adult = search.search(SearchQuery(q="kidfilter"), None)
    assert _titles(i for i in adult["items"] if i["type"] != "person") == ALLOWED | HIDDEN
    assert _titles(search.suggest(SuggestQuery(q="kidfilter"), KID)) == ALLOWED
    assert _titles(search.suggest(SuggestQuery(q="kidfilter"), None)) == ALLOWED | HIDDEN


@pytest.mark.parametrize(("title", "kind"), [("Kidfilter R Movie", "movie"), ("Kidfilter TV-MA Show", "show"),
                                             ("Kidfilter M Game", "game"), ("Kidfilter Unrated Movie", "movie")])
def test_a_direct_url_to_a_title_above_the_rating_is_not_found(world, title, kind):
    from chalicelib.catalog import service
    from chalicelib.catalog.errors import NOT_FOUND

    read = getattr(service, kind)
    with pytest.raises(NOT_FOUND[kind]) as raised:
        read(str(world["ids"][title]), world["user_id"], KID)
    assert str(world["ids"][title]) in str(raised.value)  # the same message a missing title gets
    assert read(str(world["ids"][title]), world["user_id"], None).title == title


def test_a_kid_reads_an_allowed_title_and_its_season_but_not_a_hidden_shows_season(world, cat):
    from chalicelib.catalog import service
    from chalicelib.catalog.errors import ShowNotFound

    detail = service.movie(str(world["ids"]["Kidfilter PG Movie"]), world["user_id"], KID)
    assert detail.content_rating == "PG"
    assert not _titles(s.model_dump() for s in detail.similar) & HIDDEN
    adult = service.movie(str(world["ids"]["Kidfilter PG Movie"]), world["user_id"], None)
    assert "Kidfilter R Movie" in _titles(s.model_dump() for s in adult.similar)  # shares the person
    with pytest.raises(ShowNotFound):
        service.season(str(world["ids"]["Kidfilter TV-MA Show"]), "1", KID)


def test_the_allow_list_narrows_to_the_collections(world, cat):
    from chalicelib.catalog import service
    from chalicelib.catalog.models import DiscoverQuery

    collection = cat._one("INSERT INTO collections (user_id, name) VALUES (%(u)s, 'Kidfilter picks') RETURNING id",
                          {"u": world["user_id"]})
    cat.conn.execute("INSERT INTO collection_items (collection_id, media_id) VALUES (%s, %s), (%s, %s)",
                     (collection, world["ids"]["Kidfilter E Game"], collection, world["ids"]["Kidfilter M Game"]))
    narrowed = Limit(max_age=10, collections=(collection,))
    page = service.discover(DiscoverQuery(), narrowed)
    # in the collection and within the rating: the E game only (the M game is in it, but rated above)
    assert _titles(item for row in page["items"] for item in row["items"]) == {"Kidfilter E Game"}
    assert _discover(KID) == ALLOWED  # another limit, another cache entry


def test_calendar_shows_only_allowed_releases(world):
    from chalicelib.calendar import service
    from chalicelib.calendar.models import CalendarQuery

    query = CalendarQuery(month=date.today().strftime("%Y-%m"))
    kid = {e.media.title for e in service.calendar(world["user_id"], query, KID).items}
    adult = {e.media.title for e in service.calendar(world["user_id"], query, None).items}
    assert kid == {"Kidfilter PG Movie", "Kidfilter E Game"}
    assert adult == {"Kidfilter PG Movie", "Kidfilter R Movie", "Kidfilter Unrated Movie", "Kidfilter E Game",
                     "Kidfilter M Game"}


def test_recommendation_snapshots_are_filtered_when_read(world, cat):
    from chalicelib.recommendations import queries

    items = [{"mediaId": media_id, "score": 1.0, "reasons": []} for media_id in world["ids"].values()]
    cat.conn.execute("INSERT INTO recommendation_snapshots (user_id, algorithm_version, items, item_count) "
                     "VALUES (%s, 'test', %s, %s)", (world["user_id"], json.dumps(items), len(items)))
    kid = queries.snapshot_items(cat.conn, user_id=world["user_id"], limit=KID)
    adult = queries.snapshot_items(cat.conn, user_id=world["user_id"])
    assert {r["title"] for r in kid} == ALLOWED
    assert {r["title"] for r in adult} == ALLOWED | HIDDEN


def test_library_listings_show_only_allowed_titles_with_right_totals(world):
    from chalicelib.library import service
    from chalicelib.library.models import ListQuery

    kid = service.list_titles(ListQuery(), KID)
    assert kid.total == 2 and {c.title for c in kid.items} == {"Kidfilter PG Movie", "Kidfilter TV-PG Show"}
    items = service.list_items(ListQuery(), KID)
    assert items.total == 2
    assert service.list_items(ListQuery(), None).total == 5


def test_a_person_page_lists_only_allowed_credits(world):
    from chalicelib.people import service

    kid = service.person(str(world["person"]), world["user_id"], KID)
    assert {f.title for f in kid.filmography} == ALLOWED
    assert _titles(k.model_dump() for k in kid.known_for) <= ALLOWED
    adult = service.person(str(world["person"]), world["user_id"], None)
    assert {f.title for f in adult.filmography} == ALLOWED | HIDDEN


def test_the_dashboard_of_a_kid_is_filtered_and_never_cached(world, redis_client):
    from chalicelib import cache
    from chalicelib.dashboard import service

    kid = json.loads(service.dashboard(world["user_id"], KID))
    assert _titles(kid["trending"]["items"]) == ALLOWED
    assert not redis_client.exists(cache.Keys.dashboard(world["user_id"]))
    adult = json.loads(service.dashboard(world["user_id"], None))
    assert _titles(adult["trending"]["items"]) == ALLOWED | HIDDEN


def _kid_headers(client, owner_headers, max_rating: str) -> dict[str, str]:
    """Headers acting as a new kid profile (the owner's session now acts as the kid: its old token is spent)."""
    created = client.http.post("/api/v1/me/profiles", headers=owner_headers,
                               body=json.dumps({"name": f"Kid {uuid.uuid4().hex[:6]}", "kind": "kid",
                                                "maxRating": max_rating, "ownerPin": "9753"}))
    assert created.status_code == 201, created.body
    selected = client.http.post(f"/api/v1/me/profiles/{json.loads(created.body)['id']}/select",
                                headers=owner_headers, body="{}")
    assert selected.status_code == 200, selected.body
    return {**owner_headers, "Authorization": f"Bearer {json.loads(selected.body)['accessToken']}"}


def test_a_kid_profile_over_http(world, client, make_user):
    kid = _kid_headers(client, world["headers"], "PG")
    _, adult = make_user()

    def get(path: str, headers: dict[str, str]):
        response = client.http.get(path, headers=headers)
        return response.status_code, json.loads(response.body)

    status, page = get("/api/v1/discover", kid)
    assert status == 200 and _titles(i for row in page["items"] for i in row["items"]) == ALLOWED
    status, found = get("/api/v1/search?q=kidfilter", kid)
    assert status == 200 and _titles(i for i in found["items"] if i["type"] != "person") == ALLOWED
    status, body = get(f"/api/v1/movies/{world['ids']['Kidfilter R Movie']}", kid)
    assert status == 404 and body["error"]["code"] == "movie_not_found"
    status, body = get(f"/api/v1/movies/{world['ids']['Kidfilter PG Movie']}", kid)
    assert status == 200 and body["contentRating"] == "PG"
    status, cal = get(f"/api/v1/calendar?month={date.today():%Y-%m}", kid)
    assert status == 200 and {e["media"]["title"] for e in cal["items"]} == {"Kidfilter PG Movie",
                                                                             "Kidfilter E Game"}
    status, body = get(f"/api/v1/movies/{world['ids']['Kidfilter R Movie']}", adult)
    assert status == 200 and body["contentRating"] == "R"


def test_a_kid_profiles_ical_feed_is_filtered(world, client, make_user):
    kid = _kid_headers(client, world["headers"], "PG")
    _, adult = make_user()
    feeds = {}
    for who, headers in (("kid", kid), ("adult", adult)):
        rotated = client.http.post("/api/v1/calendar/token", headers=headers, body="")
        assert rotated.status_code == 201, rotated.body
        feed = client.http.get(json.loads(rotated.body)["feedPath"])
        assert feed.status_code == 200
        feeds[who] = feed.body.decode() if isinstance(feed.body, bytes) else feed.body
    assert "Kidfilter PG Movie" in feeds["kid"] and "Kidfilter R Movie" not in feeds["kid"]
    assert "Kidfilter M Game" not in feeds["kid"] and "Kidfilter Unrated Movie" not in feeds["kid"]
    assert "Kidfilter R Movie" in feeds["adult"] and "Kidfilter M Game" in feeds["adult"]


def test_a_hidden_titles_library_versions_are_not_found(world):
    from chalicelib.library import errors, service
    from chalicelib.library.models import TitleVersionsQuery

    hidden = TitleVersionsQuery(media_id=world["ids"]["Kidfilter R Movie"])
    with pytest.raises(errors.MediaNotFound):
        service.title_versions(world["user_id"], hidden, KID)
    assert len(service.title_versions(world["user_id"], hidden, None).versions) == 1
    allowed = TitleVersionsQuery(media_id=world["ids"]["Kidfilter PG Movie"])
    assert len(service.title_versions(world["user_id"], allowed, KID).versions) == 1


def test_a_kid_cannot_put_a_title_above_its_rating_on_its_lists(world, client):
    kid = _kid_headers(client, world["headers"], "PG")
    hidden, allowed = world["ids"]["Kidfilter R Movie"], world["ids"]["Kidfilter PG Movie"]

    def call(method: str, path: str, body: dict | None = None) -> tuple[int, dict]:
        response = client.http.request(method, path, headers=kid, body=json.dumps(body) if body else "")
        return response.status_code, json.loads(response.body) if response.body else {}

    for method, path, body in (("PUT", f"/api/v1/watch-later/{hidden}", None),
                               ("PUT", f"/api/v1/ratings/{hidden}", {"rating": 8}),
                               ("PUT", f"/api/v1/favorites/{hidden}", None),
                               ("GET", f"/api/v1/me/titles/{hidden}", None),
                               ("POST", "/api/v1/watched", {"mediaId": hidden})):
        status, answer = call(method, path, body)
        assert status == 404 and answer["error"]["code"] == "media_not_found", (method, path, status, answer)
    assert call("PUT", f"/api/v1/watch-later/{allowed}")[0] == 200
    assert call("POST", "/api/v1/watched", {"mediaId": allowed})[0] == 201
    status, page = call("GET", "/api/v1/watch-later")
    assert status == 200 and [i["media"]["id"] for i in page["items"]] == [allowed]
