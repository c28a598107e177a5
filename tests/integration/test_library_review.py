"""The review queue and manual corrections, on the demo catalog with real Postgres: the queue shows the parse
and the evidence behind it; correcting one file of a show re-files the show's other files in its folder. And
issue 18's Done-when: a real scan of a tree holding season packs, a daily show and an anime series files every
episode under the right show, season and episode, as the library UI reads it."""

from __future__ import annotations

import json
from datetime import date, timedelta

import catalog_support
import pytest
from library_support import age, media_cache, place, pump, scanner
from test_library_api import deliver, event_for

SHOW_DIR = "TV/BrBa Complete/Season 1"


@pytest.fixture(scope="module")
def demo_template(template_url):
    yield from catalog_support.demo_template(template_url)


@pytest.fixture
def app_db(demo_template):
    yield from catalog_support.app_database(demo_template)


@pytest.fixture
def admin(auth_headers):
    return auth_headers(role="admin")


def body(response):
    return json.loads(response.body)


def library(client, headers) -> dict[str, dict]:
    found = body(catalog_support.get(client, "/api/v1/library", headers, pageSize=100))["items"]
    return {item["fileName"]: item for item in found}


def queue(client, headers) -> dict[str, dict]:
    found = body(catalog_support.get(client, "/api/v1/library/unmatched", headers, pageSize=100))["items"]
    return {item["fileName"]: item for item in found}


def match(client, headers, item_id, **payload):
    return client.http.post(f"/api/v1/library/{item_id}/match", headers={**headers, "Content-Type":
                            "application/json"}, body=json.dumps(payload))


def test_the_review_queue_shows_the_parsed_fields_and_the_evidence_behind_them(client, admin):
    deliver(client, event_for("TV/Qwzx Nonesuch/Season 16/16 - 05 The Long Night.mkv"),
            event_for("Downloads/Qwzx.Nonesuch.S03.1080p.WEB-DL.x264-GRP/Qwzx.Nonesuch.S03.1080p.WEB-DL.x264-GRP.mkv"),
            event_for("TV/Qwzx Daily/Qwzx.Daily.2018_03_24.720p.mkv"))
    found = queue(client, admin)
    episode = found["16 - 05 The Long Night.mkv"]["guess"]
    assert (episode["title"], episode["season"], episode["episode"], episode["absolute"]) == ("Qwzx Nonesuch", 16, 5,
                                                                                              None)
    assert episode["evidence"] == ["season from folder `Season 16`, episode `05` after the season number"]
    pack = found["Qwzx.Nonesuch.S03.1080p.WEB-DL.x264-GRP.mkv"]["guess"]
    assert (pack["pack"], pack["season"], pack["episode"]) == (True, 3, None)
    assert pack["evidence"] == ["season 3 with no episode: a season pack"]
    daily = found["Qwzx.Daily.2018_03_24.720p.mkv"]["guess"]
    assert (daily["title"], daily["airDate"]) == ("Qwzx Daily", "2018-03-24")
    assert "air date `2018_03_24` in the name" in daily["evidence"]


def test_correcting_one_file_refiles_its_unmatched_siblings_by_their_own_episodes(client, admin):
    names = [f"{SHOW_DIR}/BrBa - S01E0{n} - Chapter.mkv" for n in range(1, 6)]
    deliver(client, *[event_for(name) for name in names])
    before = queue(client, admin)
    assert {f"BrBa - S01E0{n} - Chapter.mkv" for n in range(1, 6)} <= set(before)  # "BrBa" is no catalog title
    show = catalog_support.media_id("Breaking Bad", "show")
    response = match(client, admin, before["BrBa - S01E03 - Chapter.mkv"]["id"], mediaId=show)
    assert response.status_code == 200, response.body
    assert body(response)["refiledSiblings"] == 4
    assert (body(response)["episode"]["season"], body(response)["episode"]["episode"]) == (1, 3)
    after = library(client, admin)
    for n in range(1, 6):
        item = after[f"BrBa - S01E0{n} - Chapter.mkv"]
        assert (item["matchState"], item["title"]) == ("matched", "Breaking Bad"), n
        assert (item["episode"]["season"], item["episode"]["episode"]) == (1, n)
    assert not {f"BrBa - S01E0{n} - Chapter.mkv" for n in range(1, 6)} & set(queue(client, admin))


def test_a_correction_leaves_other_titles_other_folders_and_missing_episodes_alone(client, admin):
    deliver(client, event_for("Downloads/BrBa - S01E01.mkv"), event_for("Downloads/BrBa - S01E02.mkv"),
            event_for("Downloads/BrBa - S01E40.mkv"),  # season 1 has 7 episodes: left for review
            event_for("Downloads/Zqxv Other - S01E03.mkv"),  # another parsed title in the same folder
            event_for("Incoming/BrBa - S01E05.mkv"),  # another folder
            event_for("Downloads/Extras/BrBa - S01E04.mkv"))  # a sub-folder is another folder
    found = queue(client, admin)
    response = match(client, admin, found["BrBa - S01E01.mkv"]["id"], mediaId=catalog_support.media_id(
        "Breaking Bad", "show"))
    assert response.status_code == 200, response.body
    assert body(response)["refiledSiblings"] == 1
    after = library(client, admin)
    assert (after["BrBa - S01E02.mkv"]["matchState"], after["BrBa - S01E02.mkv"]["episode"]["episode"]) == (
        "matched", 2)
    for name in ("BrBa - S01E40.mkv", "Zqxv Other - S01E03.mkv", "BrBa - S01E05.mkv", "BrBa - S01E04.mkv"):
        assert after[name]["matchState"] == "unmatched", name


def test_a_sibling_a_person_already_decided_keeps_that_decision(client, admin):
    deliver(client, event_for(f"{SHOW_DIR}/BrBa - S01E01.mkv"), event_for(f"{SHOW_DIR}/BrBa - S01E02.mkv"))
    found = queue(client, admin)
    ignored = client.http.post(f"/api/v1/library/{found['BrBa - S01E02.mkv']['id']}/ignore", headers=admin)
    assert ignored.status_code == 200, ignored.body
    response = match(client, admin, found["BrBa - S01E01.mkv"]["id"], mediaId=catalog_support.media_id(
        "Breaking Bad", "show"))
    assert body(response)["refiledSiblings"] == 0
    assert library(client, admin).get("BrBa - S01E02.mkv", {"matchState": "ignored"})["matchState"] == "ignored"


def test_matching_a_movie_refiles_no_siblings(client, admin):
    deliver(client, event_for("Movies/Zqxv/Zqxv (1999).mkv"), event_for("Movies/Zqxv/Zqxv (1999) sample.mkv"))
    found = queue(client, admin)
    response = match(client, admin, found["Zqxv (1999).mkv"]["id"], mediaId=catalog_support.media_id(
        "The Matrix", "movie"))
    assert response.status_code == 200, response.body
    assert body(response)["refiledSiblings"] == 0
    assert queue(client, admin)["Zqxv (1999) sample.mkv"]["matchState"] == "unmatched"


# --- the Done-when tree: a real scan (ffprobe, moto S3/SQS, the app's event handler) ---------------------------

SEVERANCE = "Downloads/Severance.S02.1080p.ATVP.WEB-DL.DDP5.1.H.264-GRP"
CHERNOBYL = "Downloads/Chernobyl.S01.1080p.WEB-DL.DDP5.1.H.264-GRP"
TREE = {  # path -> (show, season, episode)
    **{f"{SEVERANCE}/Severance.S02E0{n}.1080p.ATVP.WEB-DL.mkv": ("Severance", 2, n) for n in (1, 2, 3)},
    **{f"{CHERNOBYL}/0{n} - Episode.mkv": ("Chernobyl", 1, n) for n in (1, 2)},  # season from the pack folder
    f"{CHERNOBYL}/Chernobyl.E03.1080p.WEB-DL.mkv": ("Chernobyl", 1, 3),
    "TV/The Daily Show/The.Daily.Show.2018_03_20.720p.mkv": ("The Daily Show", 23, 2),
    "TV/The Daily Show/The.Daily.Show.2018.03.21.Guest.Name.720p.mkv": ("The Daily Show", 23, 3),
    "TV/The Daily Show/The Daily Show - 22.03.2018.mkv": ("The Daily Show", 23, 4),
    # Jujutsu Kaisen's season 1 has 24 episodes: absolute 25 is S02E01.
    **{f"Anime/Jujutsu Kaisen/[SubsPlease] Jujutsu Kaisen - {n} (1080p).mkv": ("Jujutsu Kaisen", 1 + (n > 24),
                                                                               n - 24 * (n > 24))
       for n in (23, 24, 25, 26)},
}


@pytest.fixture(scope="module")
def media(tmp_path_factory):
    return media_cache(tmp_path_factory.mktemp("review-media"))


@pytest.fixture
def daily_show(app_db):
    """A daily show the demo catalog lacks: season 23, one episode a weekday from 2018-03-19."""
    from chalicelib import db
    from chalicelib.catalog import store
    from chalicelib.catalog.records import EpisodeRecord, MediaRecord, SeasonRecord

    first = date(2018, 3, 19)
    episodes = [EpisodeRecord(23, n, air_date=first + timedelta(days=n - 1)) for n in range(1, 6)]
    record = MediaRecord("show", "The Daily Show", tmdb_id=2224, release_date=date(1996, 7, 22),
                         seasons=[SeasonRecord(23, name="Season 23", episode_count=5, episodes=episodes)])
    with db.transaction() as conn:
        store.save(conn, [record])


def test_a_scan_of_season_packs_a_daily_show_and_an_anime_files_every_episode(client, admin, daily_show, media,
                                                                              tmp_path):
    from app import app
    from worker.scanner.loop import ScanRequest

    root = tmp_path / "library"
    age([place(media["mkv"], root / path) for path in TREE])
    worker = scanner(tmp_path / "staging", [root])
    try:
        report = worker.scan(ScanRequest())
    finally:
        worker.state.close()
    pump(app)
    assert (report.indexed, report.failed) == (len(TREE), 0)
    found = library(client, admin)
    filed = {name: (item["matchState"], item["title"], item["mediaType"],
                    (item["episode"] or {}).get("season"), (item["episode"] or {}).get("episode"))
             for name, item in found.items()}
    assert filed == {path.rsplit("/", 1)[1]: ("matched", show, "show", season, episode)
                     for path, (show, season, episode) in TREE.items()}
    assert queue(client, admin) == {}
