"""Matching falls back to TMDB search when the local catalog has no match and a key is set.

TMDB is a local fake speaking its documented JSON (``/search/movie``, ``/search/tv``
added here to the catalog's fake); the real catalog client talks to it over HTTP.
"""

from __future__ import annotations

import json
import re

import catalog_support
import pytest

from chalicelib.config import get_aws_settings
from chalicelib.library.naming import parse
from chalicelib.messages import IndexedStream, LibraryFileIndexed
from embedded.fakes import Reply
from embedded.fakes.tmdb import FakeTmdb


class SearchingTmdb(FakeTmdb):
    """The catalog's fake TMDB plus search: case-insensitive words of the query in the title, year filters."""

    def handle(self, request):
        path = request.path.removeprefix("/3")
        if not path.startswith("/search/"):
            return super().handle(request)
        if request.query.get("api_key") != self.api_key:
            return super().handle(request)
        kind = path.rsplit("/", 1)[-1]
        words = re.findall(r"\w+", (request.query.get("query") or "").lower())
        source, name, date_key, year_key = ((self.movies, "title", "release_date", "year") if kind == "movie" else
                                            (self.shows, "name", "first_air_date", "first_air_date_year"))
        year = request.query.get(year_key)
        hits = [item for item in source.values()
                if all(w in re.findall(r"\w+", item[name].lower()) for w in words)
                and (not year or (item.get(date_key) or "").startswith(year))]
        return Reply(200, {"page": 1, "results": [self._summary(i) for i in hits[:20]], "total_pages": 1,
                           "total_results": len(hits)})


@pytest.fixture(scope="module")
def demo_template(template_url):
    yield from catalog_support.demo_template(template_url)


@pytest.fixture
def app_db(demo_template):
    yield from catalog_support.app_database(demo_template)


@pytest.fixture
def tmdb(settings_env):
    fake = SearchingTmdb().start()
    fake.add_movie(616, "Nosferatu", release_date="1922-03-04")
    fake.add_show(990001, "Quiet Harbour", seasons=[(8, "2021-02-01"), (6, "2022-02-01")],
                  first_air_date="2021-02-01")
    settings_env(**catalog_support.upstream_env(fake, None))
    catalog_support.reset_process_state()
    yield fake
    fake.stop()


def deliver(client, path):
    key = f"media/library/{path}"
    event = LibraryFileIndexed(key=key, size=10, path=f"/srv/{path}", guess=parse(path), streams=[
        IndexedStream(kind="original", key=key, mime_type="video/x-matroska")])
    sqs = client.events.generate_sqs_event(message_bodies=[event.to_json()], queue_name=get_aws_settings().events_queue)
    assert client.lambda_.invoke("worker_events", sqs).payload == {"batchItemFailures": []}
    return key


def item(client, headers, key):
    for card in json.loads(catalog_support.get(client, "/api/v1/library", headers, pageSize=100).body)["items"]:
        detail = json.loads(client.http.get(f"/api/v1/library/{card['id']}", headers=headers).body)
        if detail["storageKey"] == key:
            return detail
    raise AssertionError(key)


def test_a_movie_missing_locally_is_found_on_tmdb_and_added_to_the_catalog(client, auth_headers, tmdb):
    headers = auth_headers()
    key = deliver(client, "Movies/Nosferatu (1922)/Nosferatu.1922.1080p.BluRay.mkv")
    found = item(client, headers, key)
    assert (found["matchState"], found["title"], found["year"], found["matchConfidence"]) == (
        "matched", "Nosferatu", 1922, 1.0)
    assert found["candidates"][0]["source"] == "tmdb"
    assert catalog_support.rows("SELECT tmdb_id FROM media_items WHERE id = %(m)s",
                                m=found["media"]["id"])[0]["tmdb_id"] == 616
    assert any(p.startswith("/3/search/movie") for p in tmdb.paths())


def test_a_show_from_tmdb_is_fetched_with_its_episodes_so_the_episode_links(client, auth_headers, tmdb):
    headers = auth_headers()
    key = deliver(client, "TV/Quiet Harbour/Season 2/Quiet Harbour - S02E03.mkv")
    found = item(client, headers, key)
    assert (found["matchState"], found["title"]) == ("matched", "Quiet Harbour")
    assert (found["episode"]["season"], found["episode"]["episode"]) == (2, 3)


def test_titles_in_the_local_catalog_never_reach_tmdb(client, auth_headers, tmdb):
    key = deliver(client, "Movies/Inception (2010)/Inception (2010).mkv")
    assert item(client, auth_headers(), key)["matchState"] == "matched"
    assert not tmdb.paths("/3/search")


def test_tmdb_being_down_leaves_the_file_unmatched_not_failed(client, auth_headers, tmdb):
    tmdb.fail("/3/search", 500, times=20)
    key = deliver(client, "Movies/Nosferatu (1922)/Nosferatu (1922).mkv")
    found = item(client, auth_headers(), key)
    assert (found["matchState"], found["media"]) == ("unmatched", None)
