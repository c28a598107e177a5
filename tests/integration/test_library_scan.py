"""End to end, in-process: a generated library tree -> the real worker scanner (ffprobe, ffmpeg,
uploads to the moto server, SQS events) -> the app's event handler -> Postgres -> the API.

The tree holds real little videos made by ffmpeg: movies, episodes in Season folders,
anime absolute numbering, sidecar and embedded subtitles, a junk file, a truncated file
and symlinks pointing outside the root. The catalog is the bundled demo catalog.
"""

from __future__ import annotations

import json
import subprocess

import catalog_support
import httpx
import pytest
from library_support import age, build_tree, media_cache, pump, scanner

from chalicelib import aws
from chalicelib.config import get_aws_settings
from worker.scanner.loop import ScanRequest


@pytest.fixture(scope="module")
def demo_template(template_url):
    yield from catalog_support.demo_template(template_url)


@pytest.fixture
def app_db(demo_template):
    yield from catalog_support.app_database(demo_template)


@pytest.fixture(scope="module")
def media(tmp_path_factory):
    return media_cache(tmp_path_factory.mktemp("library-media"))


@pytest.fixture
def library(tmp_path, media, client):
    root = tmp_path / "library"
    files = build_tree(root, media, tmp_path / "outside")
    age([p for p in root.rglob("*") if not p.is_symlink()])
    return root, files


@pytest.fixture
def scan(tmp_path, library):
    from app import app

    root, _ = library
    worker = scanner(tmp_path / "staging", [root])

    def run(**request):
        report = worker.scan(ScanRequest(**request))
        pump(app)
        return report

    yield run, worker
    worker.state.close()


@pytest.fixture
def admin(auth_headers):
    return auth_headers(role="admin")


def body(response):
    return json.loads(response.body)


def items(client, headers, **params):
    response = catalog_support.get(client, "/api/v1/library", headers, pageSize=100, **params)
    assert response.status_code == 200, response.body
    return {item["fileName"]: item for item in body(response)["items"]}


def item_named(client, headers, name):
    return items(client, headers)[name]


def test_a_scan_indexes_and_matches_the_tree_against_the_demo_catalog(client, admin, scan):
    run, _ = scan
    report = run()
    assert (report.seen, report.indexed, report.failed) == (8, 8, 0)  # 6 videos + junk + truncated
    found = items(client, admin)
    assert "Secret (2020).mkv" not in found  # the symlink and the linked folder point outside the root
    matrix = found["The.Matrix.1999.1080p.BluRay.x264-GROUP.mkv"]
    assert (matrix["matchState"], matrix["title"], matrix["year"], matrix["mediaType"]) == (
        "matched", "The Matrix", 1999, "movie")
    assert matrix["matchConfidence"] == 1.0
    assert (matrix["resolution"], matrix["container"], matrix["videoCodec"]) == ("240p", "mkv", "h264")
    assert matrix["durationSeconds"] == pytest.approx(2.0, abs=0.2)
    assert matrix["hasMp4Variant"] and matrix["subtitleCount"] == 2 and not matrix["flagged"]
    inception = found["Inception (2010).mp4"]
    assert (inception["matchState"], inception["title"], inception["hasMp4Variant"]) == ("matched", "Inception", False)
    pilot = found["Breaking Bad - S01E01 - Pilot.mkv"]
    assert (pilot["matchState"], pilot["title"], pilot["matchConfidence"]) == ("matched", "Breaking Bad", 1.0)
    assert (pilot["episode"]["season"], pilot["episode"]["episode"]) == (1, 1)
    jjk = found["[SubsPlease] Jujutsu Kaisen - 30 (1080p).mkv"]
    assert jjk["matchState"] == "matched"  # absolute 30 in the Season 2 folder = S02E06 (season 1 has 24)
    assert (jjk["episode"]["season"], jjk["episode"]["episode"]) == (2, 6)
    assert found["Breaking Bad - S01E02.mkv"]["subtitleCount"] == 1  # the embedded subrip track


def test_unreadable_and_truncated_files_are_indexed_flagged_never_dropped(client, admin, scan):
    run, _ = scan
    run()
    found = items(client, admin)
    junk, truncated = found["Broken (2001).mkv"], found["Aliens (1986).mkv"]
    assert junk["flagged"] and junk["probeError"] and junk["durationSeconds"] is None
    assert junk["matchState"] == "unmatched"  # no "Broken" in the catalog, but the file is listed
    assert truncated["flagged"] and truncated["probeError"]
    assert truncated["title"] == "Aliens"  # matched by name: what is known is kept


def test_empty_and_unopenable_files_are_flagged_without_ffprobe_and_the_scan_goes_on(client, admin, scan, library,
                                                                                   monkeypatch):
    from worker.scanner import probe as probing

    root, _ = library
    empty = root / "Movies/Toy Story (1995)/Toy Story (1995).mkv"
    empty.parent.mkdir(parents=True)
    empty.touch()
    locked = root / "Movies/Heat (1995)/Heat (1995).mkv"
    locked.parent.mkdir(parents=True)
    locked.write_bytes(b"\x1a\x45\xdf\xa3" * 256)
    age([empty, locked])
    real_open, real_run, probed = open, probing.subprocess.run, []

    def denied(path, *args, **kwargs):  # tests run as root, for whom chmod 000 still reads: deny it here
        if str(path) == str(locked):
            raise PermissionError(13, "Permission denied")
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(probing, "open", denied, raising=False)
    monkeypatch.setattr(probing.subprocess, "run", lambda cmd, **kw: probed.append(cmd[-1]) or real_run(cmd, **kw))
    run, _ = scan
    report = run()
    assert (report.seen, report.indexed, report.failed) == (10, 10, 0)
    assert str(empty) not in probed and str(locked) not in probed  # short-circuited: ffprobe never started
    found = items(client, admin)
    toy, heat = found["Toy Story (1995).mkv"], found["Heat (1995).mkv"]
    assert (toy["flagged"], toy["probeError"], toy["matchState"]) == (True, "empty file", "matched")
    assert (heat["flagged"], heat["probeError"]) == (True, "unreadable: Permission denied")
    assert heat["matchState"] == "matched" and heat["title"] == "Heat"  # known by name, listed for review
    assert client.http.get(f"/api/v1/library/{heat['id']}/stream", headers=admin).status_code == 404
    again = run()  # the unopenable file was not recorded: it is tried again (and re-reported) next scan
    assert (again.accepted, again.indexed) == (1, 1)


def test_an_unparseable_name_stays_unmatched_with_candidates_until_matched_by_hand(client, admin, scan):
    run, _ = scan
    run()
    queue = body(catalog_support.get(client, "/api/v1/library/unmatched", admin))
    home = next(i for i in queue["items"] if i["fileName"] == "qzv clip birthday.mp4")
    assert home["matchState"] == "unmatched" and home["guess"]["title"] == "qzv clip birthday"
    assert home["matchConfidence"] is not None and home["matchConfidence"] < 0.8
    matrix_id = catalog_support.media_id("The Matrix", "movie")
    response = client.http.post(f"/api/v1/library/{home['id']}/match", headers=admin,
                                body=json.dumps({"mediaId": matrix_id}))
    assert response.status_code == 200, response.body
    assert (body(response)["matchState"], body(response)["matchSource"]) == ("matched", "manual")
    run(force=True)  # a forced rescan re-indexes every file: the manual match stays
    again = body(client.http.get(f"/api/v1/library/{home['id']}", headers=admin))
    assert (again["matchState"], again["media"]["id"], again["matchSource"]) == ("matched", matrix_id, "manual")


def test_a_rescan_of_an_unchanged_tree_skips_every_file_and_a_changed_one_is_indexed_again(scan, library):
    run, _ = scan
    first = run()
    assert first.accepted == 8
    second = run()
    assert (second.seen, second.accepted, second.indexed) == (8, 0, 0)
    _, files = library
    files["inception"].write_bytes(files["inception"].read_bytes() + b"\0" * 16)
    age(files["inception"])
    third = run()
    assert (third.accepted, third.indexed) == (1, 1)


def test_a_file_still_being_copied_waits_for_the_next_scan(tmp_path, library, client):
    root, files = library
    worker = scanner(tmp_path / "staging2", [root], LIBRARY_SETTLE_SECONDS="30")
    files["matrix"].touch()
    report = worker.scan(ScanRequest())
    assert report.unsettled == 1 and report.indexed == 7
    worker.state.close()


def test_sidecar_subtitles_are_stored_as_valid_webvtt(client, admin, scan):
    import pysubs2

    run, _ = scan
    run()
    matrix = item_named(client, admin, "The.Matrix.1999.1080p.BluRay.x264-GROUP.mkv")
    detail = body(client.http.get(f"/api/v1/library/{matrix['id']}", headers=admin))
    tracks = {s["language"]: s for s in detail["subtitles"]}
    assert set(tracks) == {"en", "de"} and tracks["de"]["isForced"] and tracks["en"]["label"] == "English"
    s3 = aws.client("s3")
    stored = [k["Key"] for k in s3.list_objects_v2(Bucket=get_aws_settings().bucket,
                                                   Prefix="media/library/Movies/The Matrix")["Contents"]]
    vtt_key = next(k for k in stored if k.endswith(".en.vtt"))
    vtt = s3.get_object(Bucket=get_aws_settings().bucket, Key=vtt_key)["Body"].read().decode()
    assert vtt.startswith("WEBVTT\n") and "00:00:00.000 --> 00:00:01.000" in vtt
    cues = pysubs2.SSAFile.from_string(vtt, format_="vtt")
    assert [event.plaintext for event in cues] == ["Wake up, Neo.", "The Matrix has you."]


def test_a_presigned_stream_url_answers_a_range_request_with_the_right_bytes(client, admin, scan, library):
    run, _ = scan
    run()
    _, files = library
    inception = item_named(client, admin, "Inception (2010).mp4")
    stream = body(client.http.get(f"/api/v1/library/{inception['id']}/stream", headers=admin))
    assert (stream["mimeType"], stream["kind"], stream["playable"]) == ("video/mp4", "original", True)
    response = httpx.get(stream["url"], headers={"Range": "bytes=0-1023"}, timeout=10)
    assert response.status_code == 206
    assert response.content == files["inception"].read_bytes()[:1024]
    assert response.headers["content-range"].startswith("bytes 0-1023/")


def test_the_mp4_variant_plays_with_the_same_streams(client, admin, scan, library, tmp_path):
    run, _ = scan
    run()
    _, files = library
    matrix = item_named(client, admin, "The.Matrix.1999.1080p.BluRay.x264-GROUP.mkv")
    stream = body(client.http.get(f"/api/v1/library/{matrix['id']}/stream", headers=admin))
    assert (stream["kind"], stream["mimeType"], stream["playable"]) == ("mp4_remux", "video/mp4", True)
    assert {s["language"] for s in stream["subtitles"]} == {"en", "de"}
    variant = tmp_path / "variant.mp4"
    variant.write_bytes(httpx.get(stream["url"], timeout=10).content)
    original, remuxed = _probe(files["matrix"]), _probe(variant)
    assert "mp4" in remuxed["format"]["format_name"]
    assert [(s["codec_type"], s["codec_name"]) for s in remuxed["streams"]] == [
        (s["codec_type"], s["codec_name"]) for s in original["streams"]]
    assert float(remuxed["format"]["duration"]) == pytest.approx(float(original["format"]["duration"]), abs=0.1)


def _probe(path):
    done = subprocess.run(["ffprobe", "-v", "error", "-print_format", "json", "-show_format", "-show_streams",
                           str(path)], capture_output=True, check=True)
    return json.loads(done.stdout)


def test_stream_gives_resume_position_and_the_next_episode(client, make_user, scan):
    run, _ = scan
    run()
    user_id, headers = make_user()
    pilot = item_named(client, headers, "Breaking Bad - S01E01 - Pilot.mkv")
    second = item_named(client, headers, "Breaking Bad - S01E02.mkv")
    catalog_support.rows("INSERT INTO user_progress (user_id, media_id, episode_id, position_seconds, "
                         "duration_seconds) VALUES (%(u)s, %(m)s, %(e)s, 1.5, 2) RETURNING id", u=user_id,
                         m=pilot["media"]["id"], e=pilot["episode"]["id"])
    stream = body(client.http.get(f"/api/v1/library/{pilot['id']}/stream", headers=headers))
    assert stream["resume"] == {"positionSeconds": 1.5, "durationSeconds": 2.0}
    assert stream["next"]["libraryItemId"] == second["id"]
    assert (stream["next"]["season"], stream["next"]["episode"]) == (1, 2)
    last = body(client.http.get(f"/api/v1/library/{second['id']}/stream", headers=headers))
    assert last["next"] is None and last["resume"] is None


def test_list_filters_and_search(client, admin, scan):
    run, _ = scan
    run()
    shows = items(client, admin, mediaType="show")
    assert set(shows) == {"Breaking Bad - S01E01 - Pilot.mkv", "Breaking Bad - S01E02.mkv",
                          "[SubsPlease] Jujutsu Kaisen - 30 (1080p).mkv"}
    assert set(items(client, admin, query="matrix")) == {"The.Matrix.1999.1080p.BluRay.x264-GROUP.mkv"}
    unmatched = items(client, admin, matchState="unmatched")
    assert "qzv clip birthday.mp4" in unmatched and "Inception (2010).mp4" not in unmatched
    page = body(catalog_support.get(client, "/api/v1/library", admin, pageSize=3, page=2))
    assert (page["total"], page["page"], len(page["items"])) == (8, 2, 3)
