"""The library API and its event handler, driven with ``library.file_indexed`` events
(as the worker sends them) through the app's real SQS handler, on the demo catalog."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta

import catalog_support
import pytest

from chalicelib.config import get_aws_settings
from chalicelib.library.naming import parse
from chalicelib.messages import IndexedStream, IndexedSubtitle, LibraryFileIndexed, LibraryScanState, parse_command


@pytest.fixture(scope="module")
def demo_template(template_url):
    yield from catalog_support.demo_template(template_url)


@pytest.fixture
def app_db(demo_template):
    yield from catalog_support.app_database(demo_template)


@pytest.fixture
def admin(auth_headers):
    return auth_headers(role="admin")


@pytest.fixture
def user(auth_headers):
    return auth_headers(role="user")


def body(response):
    return json.loads(response.body)


def event_for(path: str, key: str | None = None, **fields) -> LibraryFileIndexed:
    key = key or f"media/library/{path}"
    defaults = {"size": 1234, "guess": parse(path), "probe": {"container": "mp4", "duration": 60.0, "width": 1920,
                                                               "height": 1080, "videoCodec": "h264",
                                                               "audioCodecs": ["aac"], "audioLanguages": ["eng"]},
                "streams": [IndexedStream(kind="original", key=key, mime_type="video/mp4", container="mp4", size=1234)]}
    return LibraryFileIndexed(key=key, path=f"/srv/library/{path}", **{**defaults, **fields})


def deliver(client, *messages) -> dict:
    """Hand events to the app's ``worker_events`` function as Lambda's SQS trigger would."""
    event = client.events.generate_sqs_event(message_bodies=[m.to_json() for m in messages],
                                             queue_name=get_aws_settings().events_queue)
    return client.lambda_.invoke("worker_events", event).payload


def item_by_key(client, headers, key):
    found = body(catalog_support.get(client, "/api/v1/library", headers, pageSize=100))["items"]
    ids = [i["id"] for i in found]
    for item_id in ids:
        detail = body(client.http.get(f"/api/v1/library/{item_id}", headers=headers))
        if detail["storageKey"] == key:
            return detail
    raise AssertionError(f"{key} not in the library")


def test_every_route_needs_a_signed_in_user(client):
    for method, path in (("GET", "/api/v1/library"), ("GET", "/api/v1/library/unmatched"),
                         ("GET", f"/api/v1/library/{uuid.uuid4()}"), ("GET", f"/api/v1/library/{uuid.uuid4()}/stream"),
                         ("POST", "/api/v1/library/rescan"), ("POST", "/api/v1/library/parse")):
        response = getattr(client.http, method.lower())(path, headers={"Content-Type": "application/json"},
                                                        **({"body": "{}"} if method == "POST" else {}))
        assert response.status_code == 401, (method, path)


def test_changing_the_library_is_admin_only(client, user):
    deliver(client, event_for("Movies/Inception (2010)/Inception (2010).mp4"))
    item = body(catalog_support.get(client, "/api/v1/library", user))["items"][0]
    for path, payload in ((f"/api/v1/library/{item['id']}/match", {"mediaId": 1}),
                          (f"/api/v1/library/{item['id']}/ignore", None), ("/api/v1/library/rescan", {}),
                          ("/api/v1/library/parse", {"path": "x.mkv"})):
        response = client.http.post(path, headers=user, body=json.dumps(payload) if payload is not None else "")
        assert response.status_code == 403, (path, response.body)
    assert client.http.delete(f"/api/v1/library/{item['id']}/match", headers=user).status_code == 403


def test_a_duplicate_event_changes_nothing_and_a_stale_one_is_ignored(client, admin):
    key = "media/library/Movies/The Matrix (1999)/The Matrix (1999).mkv"
    first = event_for("Movies/The Matrix (1999)/The Matrix (1999).mkv", subtitles=[
        IndexedSubtitle(key=key + ".subs/00.en.vtt", language="en", label="English", source="sidecar", format="srt")])
    assert deliver(client, first, first) == {"batchItemFailures": []}
    item = item_by_key(client, admin, key)
    assert (item["matchState"], item["title"], len(item["subtitles"])) == ("matched", "The Matrix", 1)
    stale = first.model_copy(update={"sent_at": first.sent_at - timedelta(hours=1), "size": 1, "subtitles": []})
    deliver(client, stale)
    again = item_by_key(client, admin, key)
    assert (again["id"], again["sizeBytes"], len(again["subtitles"])) == (item["id"], 1234, 1)
    total = body(catalog_support.get(client, "/api/v1/library", admin))["total"]
    assert total == 1


def test_a_newer_event_replaces_streams_and_subtitles(client, admin):
    path = "Movies/Inception (2010)/Inception (2010).mkv"
    key = f"media/library/{path}"
    deliver(client, event_for(path, streams=[
        IndexedStream(kind="original", key=key, mime_type="video/x-matroska", container="mkv"),
        IndexedStream(kind="mp4_remux", key=key + ".stream.mp4", mime_type="video/mp4", container="mp4")]))
    assert len(item_by_key(client, admin, key)["streams"]) == 2
    deliver(client, event_for(path, streams=[
        IndexedStream(kind="original", key=key, mime_type="video/x-matroska", container="mkv")]))
    assert [s["kind"] for s in item_by_key(client, admin, key)["streams"]] == ["original"]


def test_malformed_events_are_reported_for_redelivery_and_odd_fields_are_tolerated(client, admin):
    result = deliver(client, event_for("Movies/Up (2009).mkv"))
    assert result == {"batchItemFailures": []}
    odd = event_for("Movies/Coco (2017).mkv", guess={"title": ["not", "a string"], "year": "2017", "season": -3},
                    probe={"duration": "long", "width": 0, "height": 10**9, "audioCodecs": "aac"})
    assert deliver(client, odd) == {"batchItemFailures": []}
    item = item_by_key(client, admin, odd.key)
    assert (item["matchState"], item["durationSeconds"], item["width"], item["height"]) == ("unmatched", None, None,
                                                                                            None)
    bad = client.events.generate_sqs_event(message_bodies=['{"type": "library.file_indexed", "key": ""}'],
                                           queue_name=get_aws_settings().events_queue)
    assert len(client.lambda_.invoke("worker_events", bad).payload["batchItemFailures"]) == 1


def test_manual_match_errors_are_clear_4xx(client, admin):
    deliver(client, event_for("TV/Breaking Bad/Season 1/Breaking Bad - S01E01.mkv"),
            event_for("Movies/Inception (2010)/Inception (2010).mp4"))
    episode_item = item_by_key(client, admin, "media/library/TV/Breaking Bad/Season 1/Breaking Bad - S01E01.mkv")
    movie_item = item_by_key(client, admin, "media/library/Movies/Inception (2010)/Inception (2010).mp4")
    other_show = catalog_support.media_id("The Wire", "show")
    wire_episode = catalog_support.rows("SELECT id FROM episodes WHERE media_id = %(m)s LIMIT 1", m=other_show)[0]["id"]
    breaking_bad = catalog_support.media_id("Breaking Bad", "show")
    game = catalog_support.rows("SELECT id FROM media_items WHERE media_type = 'game' LIMIT 1")[0]["id"]

    def match(item, **payload):
        return client.http.post(f"/api/v1/library/{item['id']}/match", headers=admin, body=json.dumps(payload))

    assert body(match(episode_item, mediaId=2**62))["error"]["code"] == "media_not_found"
    assert match(episode_item, mediaId=2**62).status_code == 404
    wrong = match(episode_item, mediaId=breaking_bad, episodeId=wire_episode)
    assert (wrong.status_code, body(wrong)["error"]["code"]) == (422, "episode_not_in_show")
    assert match(episode_item, mediaId=breaking_bad, episodeId=2**62).status_code == 404
    assert match(movie_item, mediaId=game).status_code == 422
    contradicts = match(movie_item, mediaId=breaking_bad)
    assert (contradicts.status_code, body(contradicts)["error"]["code"]) == (409, "match_contradicts_parse")
    assert match(movie_item, mediaId=breaking_bad, force=True).status_code == 200
    assert match(episode_item, mediaId="x").status_code == 422
    assert match({"id": "not-a-uuid"}, mediaId=1).status_code == 404
    assert match({"id": str(uuid.uuid4())}, mediaId=1).status_code == 404


def test_a_manual_match_finds_the_episode_from_the_parse_and_survives_reindexing(client, admin):
    event = event_for("Downloads/bb.s01e03.mkv")
    deliver(client, event)
    item = item_by_key(client, admin, event.key)
    breaking_bad = catalog_support.media_id("Breaking Bad", "show")
    response = client.http.post(f"/api/v1/library/{item['id']}/match", headers=admin,
                                body=json.dumps({"mediaId": breaking_bad}))
    assert response.status_code == 200, response.body
    matched = body(response)
    assert (matched["episode"]["season"], matched["episode"]["episode"], matched["matchSource"]) == (1, 3, "manual")
    deliver(client, event.model_copy(update={"sent_at": datetime.now(UTC)}))
    again = item_by_key(client, admin, event.key)
    assert (again["matchState"], again["media"]["id"], again["matchSource"]) == ("matched", breaking_bad, "manual")


def test_ignore_is_kept_across_rescans_and_a_reset_matches_again(client, admin):
    event = event_for("Movies/Parasite (2019)/Parasite (2019).mkv")
    deliver(client, event)
    item = item_by_key(client, admin, event.key)
    assert item["matchState"] == "matched"
    assert body(client.http.post(f"/api/v1/library/{item['id']}/ignore", headers=admin, body=""))["matchState"] == \
        "ignored"
    deliver(client, event.model_copy(update={"sent_at": datetime.now(UTC)}))
    assert item_by_key(client, admin, event.key)["matchState"] == "ignored"
    ignored = body(catalog_support.get(client, "/api/v1/library", admin, matchState="ignored"))
    assert [i["id"] for i in ignored["items"]] == [item["id"]]
    reset = body(client.http.delete(f"/api/v1/library/{item['id']}/match", headers=admin))
    assert (reset["matchState"], reset["matchSource"]) == ("matched", "auto")


def test_matching_confidence_follows_title_year_and_episode(client, admin):
    cases = {
        "Movies/The.Matrix.1999.1080p.mkv": ("matched", 1.0),
        "Movies/Inception (1995).mkv": ("unmatched", 0.65),  # the title fits, the year does not
        "Movies/The Matrix (2003).mkv": ("unmatched", None),  # Reloaded (2003) or The Matrix (1999)?
        "Movies/The Matrx (1999).mkv": ("matched", None),  # a typo still matches
        "TV/Breaking Bad/Season 9/Breaking Bad - S09E01.mkv": ("unmatched", 0.65),  # no such season
        "TV/Breaking Bad/Breaking Bad 2008-01-27.mkv": ("matched", 1.0),  # daily-style air date: S01E02
    }
    deliver(client, *(event_for(path) for path in cases))
    for path, (state, confidence) in cases.items():
        item = item_by_key(client, admin, f"media/library/{path}")
        assert item["matchState"] == state, (path, item["matchConfidence"], item["candidates"][:1])
        if confidence is not None:
            assert item["matchConfidence"] == confidence, (path, item["candidates"])
        if state == "unmatched":
            assert {"Inception", "The Matrix", "Breaking Bad"} & {c["title"] for c in item["candidates"]}
    aired = item_by_key(client, admin, "media/library/TV/Breaking Bad/Breaking Bad 2008-01-27.mkv")
    assert (aired["episode"]["season"], aired["episode"]["episode"]) == (1, 2)


def test_a_deleted_catalog_title_unlinks_the_file_without_losing_it(client, admin):
    event = event_for("Movies/Up (2009)/Up (2009).mkv")
    deliver(client, event)
    up = catalog_support.media_id("Up", "movie")
    catalog_support.rows("DELETE FROM media_items WHERE id = %(m)s", m=up)
    item = item_by_key(client, admin, event.key)
    assert (item["matchState"], item["media"]) == ("unmatched", None)


def test_rescan_sends_a_command_and_the_worker_reports_progress(client, admin):
    from downloads_support import commands

    response = client.http.post("/api/v1/library/rescan", headers=admin,
                                body=json.dumps({"paths": ["/srv/library/Movies", "/srv/library/Movies", "tv/Dark"],
                                                 "force": True}))
    assert response.status_code == 202, response.body
    scan = body(response)
    assert (scan["status"], scan["acceptedCount"], scan["paths"], scan["force"]) == (
        "queued", 2, ["/srv/library/Movies", "tv/Dark"], True)
    [command] = commands()
    assert command == parse_command(command.to_json())
    assert (command.type, command.scan_id, command.paths, command.force) == (
        "library.rescan", scan["scanId"] if "scanId" in scan else scan["id"], ["/srv/library/Movies", "tv/Dark"], True)
    deliver(client, LibraryScanState(scan_id=command.scan_id, status="running"))
    deliver(client, LibraryScanState(scan_id=command.scan_id, status="completed", seen=10, accepted=3, indexed=3))
    deliver(client, LibraryScanState(scan_id=command.scan_id, status="running"))  # late: changes nothing
    done = body(client.http.get(f"/api/v1/library/scans/{command.scan_id}", headers=admin))
    assert (done["status"], done["indexedCount"], done["finishedAt"] is not None) == ("completed", 3, True)
    assert client.http.get(f"/api/v1/library/scans/{uuid.uuid4()}", headers=admin).status_code == 404
    bad = client.http.post("/api/v1/library/rescan", headers=admin, body=json.dumps({"paths": ["/a/../etc"]}))
    assert (bad.status_code, body(bad)["error"]["code"]) == (422, "validation_error")


def test_parse_returns_the_scanners_reading_without_indexing(client, admin):
    response = client.http.post("/api/v1/library/parse", headers=admin,
                                body=json.dumps({"path": "Anime/Show/Season 2/Show - 101.mkv"}))
    assert response.status_code == 200, response.body
    guess = body(response)["guess"]
    assert (guess["title"], guess["season"], guess["absolute"], guess["episode"], guess["type"]) == (
        "Show", 2, 101, None, "episode")
    assert "anime_absolute_number" in guess["corrections"]
    assert body(catalog_support.get(client, "/api/v1/library", admin))["total"] == 0
    assert client.http.post("/api/v1/library/parse", headers=admin, body=json.dumps({"path": ""})).status_code == 422


def test_list_query_validation(client, admin):
    for params in ({"matchState": "maybe"}, {"pageSize": 0}, {"pageSize": 101}, {"mediaType": "game"},
                   {"unknown": "x"}):
        assert catalog_support.get(client, "/api/v1/library", admin, **params).status_code == 422, params
    assert client.http.get("/api/v1/library/not-a-uuid", headers=admin).status_code == 404
    assert client.http.get("/api/v1/library/not-a-uuid/stream", headers=admin).status_code == 404
