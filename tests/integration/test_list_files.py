"""Lists as collections by file (issue 38 item 5): a Letterboxd or IMDb list export uploaded as a file fills a
collection through the same queued sync as a URL import. Letterboxd's export names its list: later syncs read
that URL. IMDb's does not: a one-off import that "Sync now" and the schedule leave alone. A file that is not
an export, is broken or too large is refused before anything is written.
"""

from __future__ import annotations

import base64
import csv
import io
from typing import Any
from uuid import UUID

import pytest

from embedded.fakes.lists import FakeImdbLists, ImdbTitle, LetterboxdFilm
from tests.integration import catalog_support as support
from tests.integration import test_list_collections as base
from tests.integration.imports_support import pump
from tests.integration.tracking_support import Api, code

V1, LB_URL = base.V1, base.LB_URL
collection, item_ids, sync_now = base.collection, base.item_ids, base.sync_now
app, titles, tmdb, lists_env, user = base.app, base.titles, base.tmdb, base.lists_env, base.user


def letterboxd_export(name: str, url: str, films: list[tuple[str, int | None, str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerows([["Letterboxd list export v7"], ["Date", "Name", "Tags", "URL", "Description"],
                      ["2026-11-01", name, "", url, "Films, and\nmore films"], [],
                      ["Position", "Name", "Year", "URL", "Description"]])
    writer.writerows([[n, title, year or "", link, ""] for n, (title, year, link) in enumerate(films, 1)])
    return out.getvalue().encode()


def upload(api: Api, filename: str, body: bytes) -> tuple[int, Any]:
    return api("POST", f"{V1}/import/file", {"filename": filename, "content": base64.b64encode(body).decode()})


def start_upload(api: Api, filename: str, body: bytes) -> str:
    status, answer = upload(api, filename, body)
    assert status == 202, answer
    return answer["collectionId"]


def nothing_written() -> None:
    for table in ("collections", "collection_sources", "collection_source_files"):
        assert support.rows(f"SELECT count(*) AS n FROM {table}")[0]["n"] == 0, table


def test_a_letterboxd_export_fills_a_collection_and_later_syncs_read_the_list_it_names(
        user, app, titles, lists_env):
    _, letterboxd, _ = lists_env
    letterboxd.add_film(LetterboxdFilm("heat", "Heat", 1995, 949, imdb="tt0113277"))
    body = letterboxd_export("Films to rewatch", LB_URL, [
        ("Heat", 1995, "https://letterboxd.com/film/heat/"),  # its film page names the ids
        ("Spirited Away", 2001, "https://boxd.it/2b0k"),  # a short link: matched by title and year
        ("The Matrix", 1999, "https://boxd.it/2a1m")])
    collection_id = start_upload(user, "favourites.csv", body)
    waiting = collection(user, collection_id)["source"]
    assert waiting["kind"] == "letterboxd" and waiting["url"] == LB_URL and waiting["status"] == "queued"

    pump(app)
    synced = collection(user, collection_id)
    assert synced["name"] == "Films to rewatch" and synced["source"]["syncedAt"] is not None
    assert synced["source"]["entries"] == 3 and synced["source"]["unmatched"] == 0
    assert item_ids(user, collection_id) == [titles["heat"], titles["spirited"], titles["matrix"]]
    assert letterboxd.paths("/seenfan/") == [] and letterboxd.paths("/film/") == ["/film/heat/"]
    assert support.rows("SELECT count(*) AS n FROM collection_source_files")[0]["n"] == 0

    # The next sync reads the list the export named.
    letterboxd.add_list("seenfan", "favourites", "Films to rewatch",
                        [LetterboxdFilm("inception", "Inception", 2010, 27205), LetterboxdFilm(
                            "heat", "Heat", 1995, 949, imdb="tt0113277")])
    after = sync_now(user, app, collection_id)
    assert item_ids(user, collection_id) == [titles["inception"], titles["heat"]]
    assert after["source"]["url"] == LB_URL and letterboxd.paths("/seenfan/list/favourites/")


def test_an_imdb_export_is_a_one_off_import_that_sync_now_and_the_schedule_leave_alone(
        user, app, titles, tmdb, lists_env):
    from chalicelib.lists import service, sync

    _, _, imdb = lists_env
    body = FakeImdbLists.export_csv([
        ImdbTitle("tt0113277", "Heat", 1995), ImdbTitle("tt6751668", "Parasite", 2019),  # found on TMDB
        ImdbTitle("tt0903747", "Breaking Bad", 2008, "TV Series"), ImdbTitle("tt0959621", "Pilot", 2008,
                                                                               "TV Episode")])
    collection_id = start_upload(user, "Crime classics.csv", b"\xef\xbb\xbf" + body)
    request_id = support.rows("SELECT request_id FROM collection_sources")[0]["request_id"]
    pump(app)
    synced = collection(user, collection_id)
    assert synced["name"] == "Crime classics"
    assert synced["source"]["kind"] == "imdb" and synced["source"]["url"] is None
    assert synced["source"]["status"] == "synced" and synced["source"]["syncedAt"] is not None
    parasite = support.media_id("Parasite", "movie")
    assert item_ids(user, collection_id) == [titles["heat"], parasite, titles["bb"]]
    assert synced["source"]["unmatchedTitles"] == ["Pilot (2008)"] and imdb.paths() == []

    sync.run(UUID(collection_id), request_id)  # the same message again: nothing changes
    assert item_ids(user, collection_id) == [titles["heat"], parasite, titles["bb"]]
    status, answer = user("POST", f"{V1}/{collection_id}/sync")
    assert (status, code(answer)) == (409, "list_from_file"), answer
    support.rows("UPDATE collection_sources SET requested_at = now() - interval '7 hours'")
    assert service.sync_due() == {"requested": 0}
    assert collection(user, collection_id)["source"]["status"] == "synced"


@pytest.mark.parametrize(("filename", "body"), [
    ("trakt-list.json", b'[{"rank": 1, "type": "movie", "movie": {"title": "Heat", "ids": {"trakt": 1}}}]'),
    ("favourites.csv", b'{"items": []}'),
    ("watched.csv", b"Date,Name,Year,Letterboxd URI\n2024-01-01,Heat,1995,https://boxd.it/a\n"),
    ("list.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),
    ("list.csv", b"just some words\n"),
])
def test_a_file_that_is_no_list_export_is_a_400_and_creates_nothing(user, lists_env, filename, body):
    status, answer = upload(user, filename, body)
    assert (status, code(answer)) == (400, "unsupported_list_file"), answer
    if filename.startswith("trakt") or body.startswith(b"{"):
        assert "Trakt" in answer["error"]["message"] and "URL" in answer["error"]["message"]
    nothing_written()


def test_a_broken_export_is_refused_whole_and_nothing_is_half_written(user, lists_env, settings_env):
    good = letterboxd_export("Films", LB_URL, [("Heat", 1995, "https://boxd.it/a"), ("Ran", 1985, "")])
    unterminated = good + b'3,"Alien,1979,https://boxd.it/c,\n'
    no_table = b"Letterboxd list export v7\nDate,Name,Tags,URL,Description\n2026-11-01,Films,,,\n"
    for body in (unterminated, no_table):
        status, answer = upload(user, "favourites.csv", body)
        assert (status, code(answer)) == (400, "list_file_malformed"), answer
    status, answer = user("POST", f"{V1}/import/file", {"filename": "a.csv", "content": "not base64!"})
    assert (status, code(answer)) == (400, "list_file_malformed"), answer
    settings_env(SEEN_LIST_MAX_ENTRIES="1")
    status, answer = upload(user, "favourites.csv", good)
    assert (status, code(answer)) == (400, "list_too_large"), answer
    nothing_written()


def test_a_file_over_the_cap_is_a_413(user, lists_env):
    from chalicelib.lists import service

    header = b"Position,Const,Created,Modified,Description,Title\n"
    big = header + b"1,tt0113277,,,,Heat\n" * (service.MAX_FILE_BYTES // 19 + 1)
    assert len(big) > service.MAX_FILE_BYTES
    status, answer = upload(user, "huge.csv", big)
    assert (status, code(answer)) == (413, "list_file_too_large"), answer
    nothing_written()


def test_another_users_file_import_is_not_reachable_and_bounds_hold(client, make_user, app, titles, lists_env,
                                                                   settings_env):
    owner, stranger = Api(client, make_user()[1]), Api(client, make_user()[1])
    body = FakeImdbLists.export_csv([ImdbTitle("tt0113277", "Heat", 1995)])
    collection_id = start_upload(owner, "mine.csv", body)
    pump(app)
    answers = [stranger(method, f"{V1}/{collection_id}{tail}")
               for method, tail in (("GET", ""), ("POST", "/sync"), ("GET", "/items"))]
    assert [(status, code(answer)) for status, answer in answers] == [(404, "collection_not_found")] * 3, answers
    assert stranger("GET", V1) == (200, {"items": []})

    settings_env(SEEN_LIST_MAX_ACTIVE="1")
    start_upload(stranger, "theirs.csv", body)
    status, answer = upload(stranger, "theirs.csv", body)
    assert (status, code(answer)) == (429, "list_syncs_busy"), answer
    settings_env(SEEN_LIST_MAX_ACTIVE="3", SEEN_LIST_MAX_PER_USER="1")
    status, answer = upload(owner, "again.csv", body)
    assert (status, code(answer)) == (409, "too_many_lists"), answer


def test_a_letterboxd_export_still_matches_by_title_when_letterboxd_is_down(user, app, titles, lists_env):
    _, letterboxd, _ = lists_env
    letterboxd.fail("/film/heat/", 503)
    body = letterboxd_export("Crime", "", [("Heat", 1995, "https://letterboxd.com/film/heat/")])
    collection_id = start_upload(user, "crime.csv", body)
    pump(app)
    synced = collection(user, collection_id)
    assert synced["source"]["status"] == "synced" and synced["source"]["url"] is None
    assert synced["source"]["filename"] == "crime.csv" and synced["name"] == "Crime"
    assert item_ids(user, collection_id) == [titles["heat"]]
