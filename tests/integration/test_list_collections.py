"""Lists as collections (issue 38 item 5): a public Trakt, Letterboxd or IMDb list imported by URL fills a
collection in the list's order (titles missing from the catalog looked up on TMDB), and a later change to the
list shows up after the next sync (asked for, or the schedule's). Fakes of the three services speak their real
wire format over HTTP; the imports consumer runs through the SQS pump as Lambda would run it.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

import pytest

from embedded.fakes.lists import FakeImdbLists, FakeLetterboxd, FakeTraktApi, ImdbTitle, LetterboxdFilm, TraktItem
from embedded.fakes.tmdb import FakeTmdb
from tests.integration import catalog_support as support
from tests.integration.imports_support import eager_queue, pump
from tests.integration.tracking_support import Api, Catalog, code

V1 = "/api/v1/collections"
TRAKT_URL = "https://trakt.tv/users/seenfan/lists/favourites"
LB_URL = "https://letterboxd.com/seenfan/list/favourites/"
IMDB_URL = "https://www.imdb.com/list/ls000000042/"


@pytest.fixture
def app(client):
    from app import app as chalice_app

    return chalice_app


@pytest.fixture
def titles(client) -> dict[str, int]:
    from chalicelib import db

    with db.transaction() as conn:
        cat = Catalog(conn)
        ids = {
            "matrix": cat.movie("The Matrix", release_date=date(1999, 3, 31), imdb_id="tt0133093", tmdb_id=603),
            "inception": cat.movie("Inception", release_date=date(2010, 7, 16), imdb_id="tt1375666", tmdb_id=27205),
            "heat": cat.movie("Heat", release_date=date(1995, 12, 15), imdb_id="tt0113277", tmdb_id=949),
            "spirited": cat.movie("Spirited Away", release_date=date(2001, 7, 20), tmdb_id=129),
        }
        ids["bb"] = cat.show({1: 2}, title="Breaking Bad")[0]
        conn.execute("UPDATE media_items SET tmdb_id = 1396, imdb_id = 'tt0903747' WHERE id = %s", (ids["bb"],))
    return ids


@pytest.fixture
def tmdb(settings_env):
    fake = FakeTmdb(seed=False).start()
    fake.add_movie(496243, "Parasite", imdb_id="tt6751668", release_date="2019-05-30")
    settings_env(**support.upstream_env(fake, None))
    yield fake
    fake.stop()


@pytest.fixture
def lists_env(settings_env):
    trakt, letterboxd, imdb = FakeTraktApi().start(), FakeLetterboxd().start(), FakeImdbLists().start()
    settings_env(TRAKT_API_URL=trakt.origin, TRAKT_CLIENT_ID=trakt.client_id, LETTERBOXD_BASE_URL=letterboxd.origin,
                 IMDB_LIST_BASE_URL=imdb.origin, SEEN_LISTS_ALLOW_PRIVATE="true")
    yield trakt, letterboxd, imdb
    for fake in (trakt, letterboxd, imdb):
        fake.stop()


@pytest.fixture
def user(client, make_user) -> Api:
    return Api(client, make_user()[1])


def start_import(api: Api, url: str) -> str:
    status, body = api("POST", f"{V1}/import", {"url": url})
    assert status == 202, body
    return body["collectionId"]


def collection(api: Api, collection_id: str) -> dict[str, Any]:
    status, body = api("GET", f"{V1}/{collection_id}")
    assert status == 200, body
    return body


def item_ids(api: Api, collection_id: str) -> list[int]:
    status, body = api("GET", f"{V1}/{collection_id}/items?pageSize=100")
    assert status == 200, body
    return [item["media"]["id"] for item in body["items"]]


def sync_now(api: Api, app: Any, collection_id: str) -> dict[str, Any]:
    status, body = api("POST", f"{V1}/{collection_id}/sync")
    assert status == 202 and body["collectionId"] == collection_id, body
    pump(app)
    return collection(api, collection_id)


def test_a_trakt_list_fills_a_collection_in_order_and_a_change_shows_after_the_next_sync(
        user, app, titles, tmdb, lists_env):
    trakt, _, _ = lists_env
    items = [TraktItem("movie", "Inception", 2010, "tt1375666", 27205),
             TraktItem("movie", "The Matrix", 1999, "tt0133093", 603),
             TraktItem("movie", "Parasite", 2019, "tt6751668", None),  # not in the catalog: found on TMDB
             TraktItem("show", "Breaking Bad", 2008, None, 1396)]
    trakt.add_list("seenfan", "favourites", "Seen favourites", items, trakt_id=4242)
    collection_id = start_import(user, TRAKT_URL + "?sort=rank,asc")
    waiting = collection(user, collection_id)
    assert waiting["name"] == "Importing…" and waiting["itemCount"] == 0
    assert waiting["source"]["kind"] == "trakt" and waiting["source"]["status"] == "queued"
    assert waiting["source"]["url"] == TRAKT_URL and waiting["source"]["syncedAt"] is None

    pump(app)
    synced = collection(user, collection_id)
    assert synced["name"] == "Seen favourites" and synced["itemCount"] == 4
    assert synced["source"]["status"] == "synced" and synced["source"]["syncedAt"] is not None
    assert synced["source"]["entries"] == 4 and synced["source"]["unmatched"] == 0
    parasite = support.media_id("Parasite", "movie")
    assert item_ids(user, collection_id) == [titles["inception"], titles["matrix"], parasite, titles["bb"]]
    sent = [r for r in trakt.requests if r.path.endswith("/items")]
    assert sent and all(r.headers["trakt-api-key"] == trakt.client_id and r.headers["trakt-api-version"] == "2"
                        for r in sent)
    assert tmdb.paths("/3/find/tt6751668")

    # The user renames it; the list changes: The Matrix leaves, Heat and a title nobody knows arrive.
    status, _ = user("PATCH", f"{V1}/{collection_id}", {"name": "Our picks"})
    assert status == 200
    trakt.lists[("seenfan", "favourites")].items = [
        items[3], TraktItem("movie", "Heat", 1995, "tt0113277", 949), items[0], items[2],
        TraktItem("movie", "No Such Film", 2020, None, None)]
    after = sync_now(user, app, collection_id)
    assert item_ids(user, collection_id) == [titles["bb"], titles["heat"], titles["inception"], parasite]
    assert after["name"] == "Our picks"  # named from the list once; the user's name stays
    assert after["source"]["unmatched"] == 1 and after["source"]["unmatchedTitles"] == ["No Such Film (2020)"]
    # A list by its numeric Trakt id is the same list.
    other = start_import(user, "https://trakt.tv/users/seenfan/lists/4242")
    pump(app)
    assert collection(user, other)["name"] == "Seen favourites"


def test_a_letterboxd_list_over_pages_reads_each_film_page_once(user, app, titles, lists_env, monkeypatch):
    _, letterboxd, _ = lists_env
    monkeypatch.setattr(FakeLetterboxd, "per_page", 2)
    films = [LetterboxdFilm("heat", "Heat", 1995, 949, imdb="tt0113277"),
             LetterboxdFilm("spirited-away", "Spirited Away", 2001, 129),
             LetterboxdFilm("the-matrix", "The Matrix", 1999, 603, imdb="tt0133093")]
    letterboxd.add_list("seenfan", "favourites", "Films to rewatch", films)
    collection_id = start_import(user, LB_URL + "detail/")
    pump(app)
    synced = collection(user, collection_id)
    assert synced["name"] == "Films to rewatch" and synced["source"]["kind"] == "letterboxd"
    assert synced["source"]["url"] == LB_URL
    assert item_ids(user, collection_id) == [titles["heat"], titles["spirited"], titles["matrix"]]
    assert letterboxd.paths("/seenfan/list/favourites/") == ["/seenfan/list/favourites/",
                                                             "/seenfan/list/favourites/page/2/"]
    assert sorted(letterboxd.paths("/film/")) == ["/film/heat/", "/film/spirited-away/", "/film/the-matrix/"]

    # A film joins at the top, one leaves: only the new film's page is read.
    letterboxd.add_list("seenfan", "favourites", "Films to rewatch",
                        [LetterboxdFilm("inception", "Inception", 2010, 27205), films[0], films[2]])
    before = len(letterboxd.paths("/film/"))
    sync_now(user, app, collection_id)
    assert item_ids(user, collection_id) == [titles["inception"], titles["heat"], titles["matrix"]]
    assert letterboxd.paths("/film/")[before:] == ["/film/inception/"]


def test_an_imdb_list_export_fills_a_collection_and_episodes_count_as_unmatched(user, app, titles, lists_env):
    _, _, imdb = lists_env
    imdb.add_list("ls000000042", "Crime classics", [
        ImdbTitle("tt0113277", "Heat", 1995), ImdbTitle("tt0903747", "Breaking Bad", 2008, "TV Series"),
        ImdbTitle("tt0959621", "Pilot", 2008, "TV Episode")])
    collection_id = start_import(user, "http://imdb.com/list/ls000000042/?ref_=nv_usr_lst_3")
    pump(app)
    synced = collection(user, collection_id)
    assert synced["name"] == "Crime classics" and synced["source"]["url"] == IMDB_URL
    assert item_ids(user, collection_id) == [titles["heat"], titles["bb"]]
    assert synced["source"]["unmatched"] == 1 and synced["source"]["unmatchedTitles"] == ["Pilot (2008)"]
    assert imdb.paths() == ["/list/ls000000042/", "/list/ls000000042/export"]

    imdb.add_list("ls000000042", "Crime classics", [ImdbTitle("tt0903747", "Breaking Bad", 2008, "TV Series"),
                                                    ImdbTitle("tt0133093", "The Matrix", 1999)])
    after = sync_now(user, app, collection_id)
    assert item_ids(user, collection_id) == [titles["bb"], titles["matrix"]] and after["source"]["unmatched"] == 0


@pytest.mark.parametrize("url", [
    "https://example.com/users/seenfan/lists/favourites",
    "https://trakt.tv/users/seenfan",
    "https://letterboxd.com/film/the-matrix/",
    "https://www.imdb.com/title/tt0133093/",
    "ftp://trakt.tv/users/seenfan/lists/favourites",
    "https://trakt.tv.evil.example/users/a/lists/b",
    "not a url at all",
])
def test_a_url_that_names_no_supported_list_is_a_400_and_creates_nothing(user, lists_env, url):
    status, body = user("POST", f"{V1}/import", {"url": url})
    assert (status, code(body)) == (400, "unsupported_list_url"), body
    assert support.rows("SELECT count(*) AS n FROM collections")[0]["n"] == 0


def test_trakt_without_a_client_id_tells_the_admin_to_set_it(user, lists_env, settings_env):
    settings_env(TRAKT_CLIENT_ID="")
    status, body = user("POST", f"{V1}/import", {"url": TRAKT_URL})
    assert (status, code(body)) == (409, "trakt_not_configured") and "TRAKT_CLIENT_ID" in body["error"]["message"]
    assert support.rows("SELECT count(*) AS n FROM collections")[0]["n"] == 0


def test_another_users_collection_is_not_found_and_a_hand_made_one_has_nothing_to_sync(
        client, make_user, app, titles, lists_env):
    _, _, imdb = lists_env
    imdb.add_list("ls000000042", "Crime classics", [ImdbTitle("tt0113277", "Heat", 1995)])
    owner, stranger = Api(client, make_user()[1]), Api(client, make_user()[1])
    collection_id = start_import(owner, IMDB_URL)
    pump(app)
    for method, path in (("GET", f"{V1}/{collection_id}"), ("POST", f"{V1}/{collection_id}/sync"),
                         ("POST", f"{V1}/not-a-uuid/sync")):
        status, body = stranger(method, path)
        assert (status, code(body)) == (404, "collection_not_found"), body
    status, body = stranger("GET", V1)
    assert status == 200 and body["items"] == []
    status, made = owner("POST", V1, {"name": "By hand"})
    assert status == 201 and made["source"] is None
    status, body = owner("POST", f"{V1}/{made['id']}/sync")
    assert (status, code(body)) == (404, "collection_not_imported"), body


def test_a_list_too_long_or_malformed_fails_the_sync_and_leaves_the_items_as_they_were(
        user, app, titles, lists_env, settings_env):
    trakt, _, imdb = lists_env
    trakt.add_list("seenfan", "favourites", "Seen favourites",
                   [TraktItem("movie", "Heat", 1995, "tt0113277", 949),
                    TraktItem("movie", "The Matrix", 1999, "tt0133093", 603)])
    collection_id = start_import(user, TRAKT_URL)
    pump(app)
    assert item_ids(user, collection_id) == [titles["heat"], titles["matrix"]]

    settings_env(SEEN_LIST_MAX_ENTRIES="2")
    trakt.lists[("seenfan", "favourites")].items.insert(0, TraktItem("movie", "Inception", 2010, "tt1375666"))
    failed = sync_now(user, app, collection_id)
    assert failed["source"]["status"] == "failed" and failed["source"]["errorCode"] == "list_too_large"
    assert "2 titles" in failed["source"]["error"]
    assert item_ids(user, collection_id) == [titles["heat"], titles["matrix"]]
    assert failed["source"]["syncedAt"] is not None  # the last good sync is still told

    trakt.fail("/users/seenfan/lists/favourites/items", 200, body=b"<html>maintenance</html>")
    settings_env(SEEN_LIST_MAX_ENTRIES="100")
    broken = sync_now(user, app, collection_id)
    assert broken["source"]["errorCode"] == "list_malformed", broken["source"]
    assert item_ids(user, collection_id) == [titles["heat"], titles["matrix"]]

    imdb.add_list("ls000000042", "Crime classics", [])
    imdb.raw_exports["ls000000042"] = b"Name,Stars\nfoo,5\n"
    other = start_import(user, IMDB_URL)
    pump(app)
    refused = collection(user, other)
    assert refused["source"]["errorCode"] == "list_malformed" and refused["itemCount"] == 0
    assert refused["name"] == "Importing…"


def test_a_gone_list_and_a_refused_address_fail_cleanly_and_nothing_leaves(user, app, titles, lists_env,
                                                                            settings_env):
    trakt, _, _ = lists_env
    collection_id = start_import(user, LB_URL)
    pump(app)
    gone = collection(user, collection_id)["source"]
    assert gone["status"] == "failed" and gone["errorCode"] == "list_not_found"

    settings_env(SEEN_LISTS_ALLOW_PRIVATE="false")  # the fakes listen on loopback: the egress guard refuses them
    trakt.add_list("seenfan", "favourites", "Seen favourites", [TraktItem("movie", "Heat", 1995, "tt0113277")])
    before = len(trakt.requests)
    refused_id = start_import(user, TRAKT_URL)
    pump(app)
    refused = collection(user, refused_id)["source"]
    assert refused["errorCode"] == "list_refused" and len(trakt.requests) == before


def test_the_schedule_resyncs_lists_not_synced_for_six_hours_one_per_user_per_run(
        user, app, titles, lists_env):
    from chalicelib.lists import service

    _, _, imdb = lists_env
    imdb.add_list("ls000000042", "Crime classics", [ImdbTitle("tt0113277", "Heat", 1995)])
    imdb.add_list("ls000000043", "More crime", [ImdbTitle("tt0133093", "The Matrix", 1999)])
    first, second = start_import(user, IMDB_URL), start_import(user, "https://www.imdb.com/list/ls000000043/")
    pump(app)
    assert service.sync_due() == {"requested": 0}  # synced just now
    imdb.add_list("ls000000042", "Crime classics", [ImdbTitle("tt0133093", "The Matrix", 1999),
                                                    ImdbTitle("tt0113277", "Heat", 1995)])
    support.rows("UPDATE collection_sources SET requested_at = now() - interval '7 hours'")
    assert service.sync_due() == {"requested": 1}  # one per user per run
    pump(app)
    assert service.sync_due() == {"requested": 1}
    pump(app)
    assert service.sync_due() == {"requested": 0}
    assert item_ids(user, first) == [titles["matrix"], titles["heat"]]
    assert item_ids(user, second) == [titles["matrix"]]


def test_a_redelivered_sync_message_changes_nothing(user, app, titles, lists_env):
    from chalicelib.lists import sync

    _, _, imdb = lists_env
    imdb.add_list("ls000000042", "Crime classics", [ImdbTitle("tt0113277", "Heat", 1995)])
    collection_id = start_import(user, IMDB_URL)
    request_id = support.rows("SELECT request_id FROM collection_sources")[0]["request_id"]
    pump(app)
    before = len(imdb.requests)
    sync.run(UUID(collection_id), request_id)  # the same message again
    assert len(imdb.requests) == before
    assert collection(user, collection_id)["source"]["status"] == "synced"


def test_a_user_has_at_most_so_many_syncs_waiting(user, lists_env, settings_env):
    settings_env(SEEN_LIST_MAX_ACTIVE="2")
    for _ in range(2):
        start_import(user, IMDB_URL)
    status, body = user("POST", f"{V1}/import", {"url": IMDB_URL})
    assert (status, code(body)) == (429, "list_syncs_busy"), body
    assert support.rows("SELECT count(*) AS n FROM collections")[0]["n"] == 2



@pytest.fixture
def sqs_as(monkeypatch):
    return eager_queue(monkeypatch)


def test_a_consumer_that_takes_the_message_at_once_finds_the_request(user, titles, lists_env, sqs_as):
    # The request commits before its message leaves: a consumer fast enough to beat the commit once found
    # nothing to claim and the list stayed "Syncing…" until the stale timeout.
    _, _, imdb = lists_env
    imdb.add_list("ls000000042", "Crime classics", [ImdbTitle("tt0113277", "Heat", 1995)])
    sqs_as()
    collection_id = start_import(user, IMDB_URL)
    assert collection(user, collection_id)["source"]["status"] == "synced"
    assert item_ids(user, collection_id) == [titles["heat"]]

    imdb.add_list("ls000000042", "Crime classics", [ImdbTitle("tt0133093", "The Matrix", 1999),
                                                    ImdbTitle("tt0113277", "Heat", 1995)])
    status, _ = user("POST", f"{V1}/{collection_id}/sync")
    assert status == 202
    assert collection(user, collection_id)["source"]["status"] == "synced"
    assert item_ids(user, collection_id) == [titles["matrix"], titles["heat"]]


def test_a_queue_that_refuses_the_message_is_a_503_and_nothing_waits_on_it(user, app, titles, lists_env, sqs_as):
    _, _, imdb = lists_env
    imdb.add_list("ls000000042", "Crime classics", [ImdbTitle("tt0113277", "Heat", 1995)])
    kept = start_import(user, IMDB_URL)
    pump(app)
    sqs_as(refuse=True)
    status, body = user("POST", f"{V1}/import", {"url": IMDB_URL})
    assert (status, code(body)) == (503, "list_queue_unavailable"), body
    assert [row["id"] for row in support.rows("SELECT id FROM collections")] == [UUID(kept)]  # no orphan

    status, body = user("POST", f"{V1}/{kept}/sync")
    assert (status, code(body)) == (503, "list_queue_unavailable"), body
    source = collection(user, kept)["source"]
    assert source["status"] == "failed" and "try again" in source["error"]
    sqs_as()  # the queue is back: asking again works at once
    status, _ = user("POST", f"{V1}/{kept}/sync")
    assert status == 202 and collection(user, kept)["source"]["status"] == "synced"
