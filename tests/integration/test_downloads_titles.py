"""The downloads list and the dashboard show what a download is of: title, poster, season/episode, quality."""

import json

import pytest
from downloads_support import body, submit

from chalicelib import db

PARSED = {"title": "The Matrix", "year": 1999, "season": None, "seasons": [], "episodes": [], "pack": False,
          "absolute": None, "resolution": 1080, "source": "web-dl", "codec": "h265", "hdr": None, "audio": "aac",
          "languages": [], "group": "GRP"}


@pytest.fixture
def user(make_user):
    return make_user()


def _media(title: str, media_type: str = "movie") -> int:
    with db.connection() as conn:
        return conn.execute("INSERT INTO media_items (media_type, title, release_date, poster_path) "
                            "VALUES (%s, %s, '1999-03-31', '/matrix.jpg') RETURNING id",
                            (media_type, title)).fetchone()["id"]


def _link(job_id: str, user_id, media_id: int, season=None, episode=None, parsed=None) -> None:
    """What a Get does: the job names its title, and a pick with the parsed release points at the job."""
    with db.connection() as conn:
        conn.execute("UPDATE download_jobs SET media_id = %s, season = %s, episode = %s WHERE id = %s",
                     (media_id, season, episode, job_id))
        if parsed is not None:
            conn.execute("INSERT INTO picks (user_id, media_id, season, episode, profile_hash, name, indexer, score, "
                         "job_id, reason) VALUES (%s, %s, %s, %s, '0123456789abcdef', 'The.Matrix.1999.1080p', "
                         "'demo', %s, %s, 'best')",
                         (user_id, media_id, season, episode, json.dumps({"parsed": parsed}), job_id))


def _list(client, headers) -> dict:
    return {job["id"]: job for job in body(client.http.get("/api/v1/downloads", headers=headers))["items"]}


def test_a_picked_download_carries_its_title_poster_episode_and_quality(client, user):
    user_id, headers = user
    movie = _media("The Matrix")
    show = _media("Breaking Bad", "show")
    picked = body(submit(client, headers, title="The.Matrix.1999.1080p.WEB-DL.x265-GRP"))["id"]
    episode = body(submit(client, headers, "magnet", f"magnet:?xt=urn:btih:{'d' * 40}&dn=Breaking.Bad.S01E02"))["id"]
    by_hand = body(submit(client, headers, "magnet", "magnet:?xt=urn:btih:" + "e" * 40 + "&dn=Something.mkv"))["id"]
    _link(picked, user_id, movie, parsed=PARSED)
    _link(episode, user_id, show, season=1, episode=2)

    jobs = _list(client, headers)
    assert jobs[picked]["media"]["title"] == "The Matrix" and jobs[picked]["media"]["id"] == movie
    assert jobs[picked]["media"]["posterUrl"]  # an image URL made of the stored path
    assert jobs[picked]["release"]["resolution"] == 1080 and jobs[picked]["release"]["codec"] == "h265"
    assert jobs[picked]["title"] == "The.Matrix.1999.1080p.WEB-DL.x265-GRP"  # the release name stays
    shown = (jobs[episode]["media"]["title"], jobs[episode]["season"], jobs[episode]["episode"])
    assert shown == ("Breaking Bad", 1, 2)
    assert jobs[episode]["release"] is None
    assert jobs[by_hand]["media"] is None and jobs[by_hand]["release"] is None

    detail = body(client.http.get(f"/api/v1/downloads/{picked}", headers=headers))
    assert detail["media"]["title"] == "The Matrix" and detail["release"]["source"] == "web-dl"

    dashboard = body(client.http.get("/api/v1/dashboard", headers=headers))
    active = {job["id"]: job for job in dashboard["activeDownloads"]["items"]}
    assert active[picked]["media"]["title"] == "The Matrix" and active[picked]["release"]["resolution"] == 1080
    assert active[episode]["episode"] == 2 and active[by_hand]["media"] is None


def test_a_download_added_by_hand_takes_the_title_its_file_was_filed_under(client, user):
    _, headers = user
    movie = _media("Night of the Living Dead")
    job = body(submit(client, headers, title="notld.mkv"))["id"]
    assert _list(client, headers)[job]["media"] is None
    with db.connection() as conn:
        conn.execute("INSERT INTO library_items (storage_key, file_name, size_bytes, match_state, media_id, "
                     "source_job_id) VALUES ('library/notld.mkv', 'notld.mkv', 10, 'matched', %s, %s)", (movie, job))
    assert _list(client, headers)[job]["media"]["title"] == "Night of the Living Dead"


def test_another_users_listing_shows_none_of_it(client, user, make_user):
    user_id, headers = user
    job = body(submit(client, headers))["id"]
    _link(job, user_id, _media("The Matrix"), parsed=PARSED)
    _, other = make_user()
    assert _list(client, other) == {}
    assert client.http.get(f"/api/v1/downloads/{job}", headers=other).status_code == 404
