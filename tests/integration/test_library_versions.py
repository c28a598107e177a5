"""Versions: a title's files are one library card, each version says how it plays or why not, and title and
episode pages learn what to play (best version first) and where to resume. Events go through the app's real
SQS handler, on the demo catalog."""

from __future__ import annotations

import json

import catalog_support
import pytest
from test_library_api import body, deliver, event_for

from chalicelib.messages import IndexedStream


@pytest.fixture(scope="module")
def demo_template(template_url):
    yield from catalog_support.demo_template(template_url)


@pytest.fixture
def app_db(demo_template):
    yield from catalog_support.app_database(demo_template)


@pytest.fixture
def user(auth_headers):
    return auth_headers(role="user")


def probe(container: str, video: str | None, audio: list[str], height: int = 1080) -> dict:
    return {"container": container, "duration": 60.0, "width": height * 16 // 9, "height": height,
            "videoCodec": video, "audioCodecs": audio, "audioLanguages": ["eng"]}


def matrix_file(name: str, container: str, video: str | None, audio: list[str], height: int = 1080,
                size: int = 1234, **fields):
    path = f"Movies/The Matrix (1999)/{name}"
    mime = {"mp4": "video/mp4", "mkv": "video/x-matroska", "avi": "video/x-msvideo"}[container]
    return event_for(path, size=size, probe=probe(container, video, audio, height), streams=[
        IndexedStream(kind="original", key=f"media/library/{path}", mime_type=mime, container=container, size=size)],
        **fields)


def titles(client, headers, **params):
    response = catalog_support.get(client, "/api/v1/library/titles", headers, **params)
    assert response.status_code == 200, response.body
    return body(response)


def test_a_titles_files_are_one_card_with_its_versions_best_first(client, user):
    deliver(client,
            matrix_file("The.Matrix.1999.2160p.UHD.BluRay.x265-GROUP.mkv", "mkv", "hevc", ["dts"], 2160, 9000),
            matrix_file("The.Matrix.1999.720p.WEB-DL.x264-GROUP.mp4", "mp4", "h264", ["aac"], 720, 700),
            matrix_file("The.Matrix.1999.1080p.BluRay.x264-GROUP.mkv", "mkv", "h264", ["aac"], 1080, 4000),
            matrix_file("The.Matrix.1999.1080p.WEBRip.x264-GROUP.mkv", "mkv", None, [], 1080, 10,
                        probe_error="Invalid data found when processing input"),
            event_for("Movies/Inception (2010)/Inception (2010).mp4"))

    page = titles(client, user)
    assert page["total"] == 2
    matrix = next(c for c in page["items"] if c["title"] == "The Matrix")
    assert matrix["versionCount"] == 4
    versions = matrix["versions"]
    # Direct play first, then a repackage, then a conversion; the damaged file last.
    assert [v["playMode"] for v in versions] == ["direct", "remux", "hls", "damaged"]
    assert [v["resolution"] for v in versions[:3]] == ["720p", "1080p", "2160p"]
    assert [v["source"] for v in versions] == ["WEB-DL", "BluRay", "BluRay", "WEBRip"]
    assert matrix["id"] == versions[0]["id"] and matrix["fileName"] == versions[0]["fileName"]
    assert versions[2]["playNote"] == "HEVC video: converted when you press Play, about a minute"
    assert versions[2]["audioCodecs"] == ["dts"] and versions[2]["sizeBytes"] == 9000
    assert versions[3]["playable"] is False
    assert versions[3]["playNote"] == "Damaged file: ffprobe could not read it"
    assert all(v["playNote"] for v in versions)


def test_title_filters_and_pagination_count_titles_not_files(client, user):
    deliver(client,
            matrix_file("The.Matrix.1999.1080p.mkv", "mkv", "h264", ["aac"]),
            matrix_file("The.Matrix.1999.720p.mp4", "mp4", "h264", ["aac"], 720),
            event_for("Movies/Inception (2010)/Inception (2010).mp4"),
            event_for("TV/Breaking Bad/Season 1/Breaking Bad - S01E01.mkv"),
            event_for("Home Videos/qzv clip birthday.mp4"))

    everything = titles(client, user, pageSize=100)
    assert everything["total"] == 4
    assert sorted(c["versionCount"] for c in everything["items"]) == [1, 1, 1, 2]
    first, second = titles(client, user, pageSize=2, page=1), titles(client, user, pageSize=2, page=2)
    assert first["total"] == second["total"] == 4
    ids = [c["id"] for c in first["items"] + second["items"]]
    assert len(ids) == len(set(ids)) == 4
    assert [c["title"] for c in titles(client, user, mediaType="show")["items"]] == ["Breaking Bad"]
    found = titles(client, user, query="matrix")
    assert (found["total"], found["items"][0]["versionCount"]) == (1, 2)
    # The per-file listing is unchanged: every file is its own card, now with how it plays.
    files = body(catalog_support.get(client, "/api/v1/library", user, pageSize=100))
    assert files["total"] == 5 and all(c["playNote"] for c in files["items"])
    assert catalog_support.get(client, "/api/v1/library/titles", user, pageSize=0).status_code == 422


def test_a_movie_page_gets_the_best_playable_version_and_the_users_resume_point(client, user, auth_headers):
    deliver(client, matrix_file("The.Matrix.1999.2160p.x265.mkv", "mkv", "hevc", ["aac"], 2160),
            matrix_file("The.Matrix.1999.1080p.x264.mkv", "mkv", "h264", ["flac"], 1080),
            matrix_file("The.Matrix.1999.480p.mp4", "mp4", "h264", ["aac"], 480))
    matrix = catalog_support.media_id("The Matrix", "movie")
    answer = body(catalog_support.get(client, "/api/v1/library/versions", user, mediaId=matrix))
    assert [v["resolution"] for v in answer["versions"]] == ["480p", "1080p", "2160p"]  # direct beats quality
    assert answer["bestId"] == answer["versions"][0]["id"] and answer["resume"] is None

    heartbeat = {"mediaId": matrix, "positionSeconds": 2530.0, "durationSeconds": 8160.0}
    assert client.http.post("/api/v1/progress", headers=user, body=json.dumps(heartbeat)).status_code == 200
    resumed = body(catalog_support.get(client, "/api/v1/library/versions", user, mediaId=matrix))
    assert resumed["resume"] == {"positionSeconds": 2530.0, "durationSeconds": 8160.0}
    other = body(catalog_support.get(client, "/api/v1/library/versions", auth_headers(), mediaId=matrix))
    assert other["resume"] is None  # resume points are the user's own


def test_a_show_page_plays_the_episode_in_progress_else_the_first_unwatched(client, user):
    deliver(client, event_for("TV/Breaking Bad/Season 1/Breaking Bad - S01E01.mkv"),
            event_for("TV/Breaking Bad/Season 1/Breaking Bad - S01E02.mkv"))
    show = catalog_support.media_id("Breaking Bad", "show")
    first = body(catalog_support.get(client, "/api/v1/library/versions", user, mediaId=show))
    assert (first["episode"]["season"], first["episode"]["episode"], len(first["versions"])) == (1, 1, 1)

    episode_two = catalog_support.rows("SELECT id FROM episodes WHERE media_id = %(m)s AND season_number = 1 "
                                       "AND episode_number = 2", m=show)[0]["id"]
    heartbeat = {"mediaId": show, "episodeId": episode_two, "positionSeconds": 600.0, "durationSeconds": 2800.0}
    assert client.http.post("/api/v1/progress", headers=user, body=json.dumps(heartbeat)).status_code == 200
    resumed = body(catalog_support.get(client, "/api/v1/library/versions", user, mediaId=show))
    assert resumed["episode"]["id"] == episode_two and resumed["resume"]["positionSeconds"] == 600.0
    one = body(catalog_support.get(client, "/api/v1/library/versions", user, mediaId=show, episodeId=episode_two))
    assert one["episode"]["episode"] == 2 and one["bestId"] == one["versions"][0]["id"]


def test_versions_of_a_title_the_library_lacks_is_empty_and_bad_input_is_a_4xx(client, user):
    inception = catalog_support.media_id("Inception", "movie")
    answer = body(catalog_support.get(client, "/api/v1/library/versions", user, mediaId=inception))
    assert answer == {"mediaId": inception, "episode": None, "bestId": None, "versions": [], "resume": None}
    missing = catalog_support.get(client, "/api/v1/library/versions", user, mediaId=2**40)
    assert (missing.status_code, body(missing)["error"]["code"]) == (404, "media_not_found")
    for params in ({}, {"mediaId": "x"}, {"mediaId": 0}, {"mediaId": 1, "episodeId": -1}):
        assert catalog_support.get(client, "/api/v1/library/versions", user, **params).status_code == 422, params
    assert client.http.get(f"/api/v1/library/versions?mediaId={inception}").status_code == 401
