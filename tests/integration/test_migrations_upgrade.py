"""Upgrades: a database made by an earlier schema version, holding a user's data, migrates to the
current schema; the user then logs in through the real API and finds everything.

The data is written with raw SQL valid for the old schema (0008: before instance settings, the
download queue reason, sources, picks and wanted, quality profiles, subtitle fetching, variants
and playback), the way an instance of that version would have stored it.
"""

from __future__ import annotations

import json
import os
import uuid

import psycopg
import pytest

from chalicelib.db import MIGRATIONS_DIR, migrate
from embedded import services

OLD_VERSION = "0008"
MIGRATION_IDS = sorted(p.name.removesuffix(".sql") for p in MIGRATIONS_DIR.glob("*.sql")
                       if not p.name.endswith(".rollback.sql"))
EMAIL = "ripley@seen.test"
PASSWORD = "nostromo-180-286 crew expendable"
INFO_HASH = "c9e15763f722f23e98a29decdfae341b98d53056"


@pytest.fixture
def old_db(template_url):
    url = services.with_database(template_url, f"seen_test_upg_{uuid.uuid4().hex[:8]}")
    services.create_database(url)
    yield url
    services.drop_database(url)


@pytest.fixture
def app_on(template_url, redis_client, aws):
    """``app_on(url)``: a chalice.test.Client on the real app using the database at ``url``."""
    from chalice.test import Client

    from app import app
    from chalicelib import config, db

    def point(url):
        db.reset()
        os.environ["DATABASE_URL"] = url
        config.get_settings.cache_clear()

    clients = []

    def make(url):
        point(url)
        clients.append(Client(app))
        return clients[-1].__enter__()

    yield make
    for client in clients:
        client.__exit__(None, None, None)
    point(template_url)


# --- the old instance's data (schema 0008)


def seed_catalog(conn) -> dict:
    ids = {}
    for key, title, tmdb, day in (("heat", "Heat", 949, "1995-12-15"), ("ronin", "Ronin", 8195, "1998-09-25")):
        ids[key] = conn.execute(
            "INSERT INTO media_items (media_type, tmdb_id, title, release_date, runtime_minutes, status)"
            " VALUES ('movie', %s, %s, %s, 170, 'released') RETURNING id", (tmdb, title, day)).fetchone()[0]
    ids["show"] = conn.execute(
        "INSERT INTO media_items (media_type, tmdb_id, title, release_date, status)"
        " VALUES ('show', 63639, 'The Expanse', '2015-12-14', 'ended') RETURNING id").fetchone()[0]
    season = conn.execute("INSERT INTO seasons (media_id, season_number, name, episode_count)"
                          " VALUES (%s, 1, 'Season 1', 3) RETURNING id", (ids["show"],)).fetchone()[0]
    for number in (1, 2, 3):
        ids[f"e{number}"] = conn.execute(
            "INSERT INTO episodes (media_id, season_id, season_number, episode_number, name, air_date,"
            " runtime_minutes) VALUES (%s, %s, 1, %s, %s, %s, 45) RETURNING id",
            (ids["show"], season, number, f"Episode {number}", f"2015-12-{13 + number}")).fetchone()[0]
    return ids


def seed_user(conn) -> uuid.UUID:
    from chalicelib.auth import passwords

    user_id = conn.execute(
        "INSERT INTO users (email, password_hash, display_name, role, last_login_at)"
        " VALUES (%s, %s, 'Ellen Ripley', 'admin', '2024-05-01T20:00:00Z') RETURNING id",
        (EMAIL, passwords.hash_password(PASSWORD))).fetchone()[0]
    conn.execute("INSERT INTO user_preferences (user_id, watched_threshold_percent, autoplay_next,"
                 " subtitle_language, theme, region) VALUES (%s, 85, false, 'en', 'light', 'DE')", (user_id,))
    return user_id


def seed_tracking(conn, user_id, ids) -> None:
    rows = [(ids["heat"], None, "2024-03-01T21:00:00Z", "player"),
            (ids["show"], ids["e1"], "2024-04-01T20:00:00Z", "manual"),
            (ids["show"], ids["e2"], "2024-04-02T20:00:00Z", "player")]
    for media_id, episode_id, at, source in rows:
        conn.execute("INSERT INTO user_watched (user_id, media_id, episode_id, watched_at, source)"
                     " VALUES (%s, %s, %s, %s, %s)", (user_id, media_id, episode_id, at, source))
    for media_id, episode_id, position, duration in ((ids["show"], ids["e3"], 600.5, 2700),
                                                     (ids["ronin"], None, 1234.0, 7320)):
        conn.execute("INSERT INTO user_progress (user_id, media_id, episode_id, position_seconds, duration_seconds)"
                     " VALUES (%s, %s, %s, %s, %s)", (user_id, media_id, episode_id, position, duration))
    conn.execute("INSERT INTO user_ratings (user_id, media_id, rating) VALUES (%s, %s, 9.5)", (user_id, ids["heat"]))
    conn.execute("INSERT INTO user_favorites (user_id, media_id) VALUES (%s, %s)", (user_id, ids["heat"]))
    conn.execute("INSERT INTO user_watch_later (user_id, media_id, position) VALUES (%s, %s, 1)",
                 (user_id, ids["ronin"]))
    ids["collection"] = conn.execute("INSERT INTO collections (user_id, name, description)"
                                     " VALUES (%s, 'Mann', 'Michael Mann and friends') RETURNING id",
                                     (user_id,)).fetchone()[0]
    conn.execute("INSERT INTO collection_items (collection_id, media_id, note) VALUES (%s, %s, 'the diner scene')",
                 (ids["collection"], ids["heat"]))


def seed_downloads(conn, user_id, ids) -> None:
    ids["done_job"] = conn.execute(
        "INSERT INTO download_jobs (user_id, source_type, source, info_hash, title, status, progress, bytes_done,"
        " bytes_total, command_sent_at, started_at, completed_at, ended_at)"
        " VALUES (%s, 'magnet', %s, %s, 'Heat.1995.1080p', 'completed', 100, 8000000000, 8000000000,"
        " '2024-02-01T10:00:00Z', '2024-02-01T10:00:01Z', '2024-02-01T11:00:00Z', '2024-02-01T11:00:00Z')"
        " RETURNING id", (user_id, f"magnet:?xt=urn:btih:{INFO_HASH}", INFO_HASH)).fetchone()[0]
    for from_status, to_status, progress in ((None, "queued", 0), ("queued", "downloading", 0),
                                             ("downloading", "completed", 100)):
        conn.execute("INSERT INTO download_events (job_id, from_status, to_status, attempt, progress, actor)"
                     " VALUES (%s, %s, %s, 1, %s, 'worker')", (ids["done_job"], from_status, to_status, progress))
    conn.execute("INSERT INTO download_files (job_id, path, storage_key, size_bytes)"
                 " VALUES (%s, 'Heat.1995.1080p/Heat.mkv', %s, 8000000000)",
                 (ids["done_job"], f"downloads/{ids['done_job']}/Heat.mkv"))
    # Queued and never sent to the worker: 0010 gives it the reason it waits.
    ids["queued_job"] = conn.execute(
        "INSERT INTO download_jobs (user_id, source_type, source, title, status)"
        " VALUES (%s, 'http', 'https://files.example.org/ronin.mkv', 'Ronin.mkv', 'queued') RETURNING id",
        (user_id,)).fetchone()[0]


def seed_library(conn, ids) -> None:
    ids["item"] = conn.execute(
        "INSERT INTO library_items (storage_key, source_path, file_name, size_bytes, match_state, match_confidence,"
        " match_source, matched_at, media_id, guess, container, duration_seconds, width, height, video_codec,"
        " audio_codecs, audio_languages, source_job_id)"
        " VALUES (%s, 'Heat (1995)/Heat.mkv', 'Heat.mkv', 8000000000, 'matched', 0.97, 'auto', now(), %s,"
        " '{\"title\": \"Heat\", \"year\": 1995}', 'matroska', 10200.5, 1920, 1080, 'h264', '{aac}', '{eng}', %s)"
        " RETURNING id", (f"downloads/{ids['done_job']}/Heat.mkv", ids["heat"], ids["done_job"])).fetchone()[0]
    conn.execute("INSERT INTO library_streams (library_item_id, kind, storage_key, mime_type, container, size_bytes)"
                 " VALUES (%s, 'original', %s, 'video/x-matroska', 'matroska', 8000000000)",
                 (ids["item"], f"downloads/{ids['done_job']}/Heat.mkv"))
    conn.execute("INSERT INTO library_subtitles (library_item_id, language, label, storage_key, source, format,"
                 " is_default) VALUES (%s, 'en', 'English', %s, 'sidecar', 'srt', true)",
                 (ids["item"], f"subtitles/{ids['item']}/en.vtt"))


def seed(url) -> dict:
    with psycopg.connect(url) as conn:
        ids = seed_catalog(conn)
        ids["user"] = seed_user(conn)
        seed_tracking(conn, ids["user"], ids)
        seed_downloads(conn, ids["user"], ids)
        seed_library(conn, ids)
    return ids


# --- helpers


def table_digests(url) -> dict[str, str]:
    """An md5 of every public table's rows (yoyo's own tables included)."""
    with psycopg.connect(url) as conn:
        tables = [row[0] for row in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]
        return {table: conn.execute(f'SELECT md5(coalesce(string_agg(t::text, \'|\' ORDER BY t::text), \'\'))'
                                    f' FROM "{table}" t').fetchone()[0] for table in tables}


def upgrade(url) -> dict:
    """Make the old instance (schema 0008 with its data), then roll it forward to now."""
    assert migrate.apply(url, target=OLD_VERSION) == 8
    ids = seed(url)
    assert migrate.apply(url) == len(MIGRATION_IDS) - 8
    return ids


def get(client, path, headers):
    response = client.http.get(path, headers=headers)
    assert response.status_code == 200, (path, response.body)
    return json.loads(response.body)


def log_in(client) -> dict:
    response = client.http.post("/api/v1/auth/login", body=json.dumps({"email": EMAIL, "password": PASSWORD}),
                                headers={"Content-Type": "application/json"})
    assert response.status_code == 200, response.body
    return {"Authorization": f"Bearer {json.loads(response.body)['accessToken']}"}




def check_tracking(client, headers, ids) -> None:
    history = get(client, "/api/v1/watched", headers)
    assert [(e["media"]["title"], (e["episode"] or {}).get("episodeNumber"), e["watchedAt"], e["source"])
            for e in history["items"]] == [("The Expanse", 2, "2024-04-02T20:00:00Z", "player"),
                                           ("The Expanse", 1, "2024-04-01T20:00:00Z", "manual"),
                                           ("Heat", None, "2024-03-01T21:00:00Z", "player")]
    resume = get(client, "/api/v1/progress/continue-watching", headers)["items"]
    assert {(i["media"]["title"], i["positionSeconds"], i["durationSeconds"]) for i in resume} == {
        ("The Expanse", 600.5, 2700.0), ("Ronin", 1234.0, 7320.0)}
    show = get(client, f"/api/v1/shows/{ids['show']}/progress", headers)
    assert (show["aired"], show["watched"], show["nextEpisode"]["episodeNumber"]) == (3, 2, 3)
    heat = get(client, f"/api/v1/me/titles/{ids['heat']}", headers)
    assert (heat["rating"], heat["favorite"], heat["watchedCount"]) == (9.5, True, 1)
    assert [i["media"]["title"] for i in get(client, "/api/v1/watch-later", headers)["items"]] == ["Ronin"]
    items = get(client, f"/api/v1/collections/{ids['collection']}/items", headers)["items"]
    assert [(i["media"]["title"], i["note"]) for i in items] == [("Heat", "the diner scene")]


def check_downloads_and_library(client, headers, ids) -> None:
    jobs = {job["id"]: job for job in get(client, "/api/v1/downloads", headers)["items"]}
    done, queued = jobs[str(ids["done_job"])], jobs[str(ids["queued_job"])]
    assert (done["status"], done["infoHash"], done["completedAt"]) == ("completed", INFO_HASH, "2024-02-01T11:00:00Z")
    assert (queued["status"], queued["queuedReason"]) == ("queued", "waiting for a free download slot")  # by 0010
    files = get(client, f"/api/v1/downloads/{ids['done_job']}", headers)["files"]
    assert [(f["path"], f["sizeBytes"]) for f in files] == [("Heat.1995.1080p/Heat.mkv", 8_000_000_000)]
    [item] = get(client, "/api/v1/library", headers)["items"]
    assert (item["id"], item["matchState"], item["media"]["id"]) == (str(ids["item"]), "matched", ids["heat"])
    detail = get(client, f"/api/v1/library/{ids['item']}", headers)
    assert [(s["language"], s["source"], s["format"]) for s in detail["subtitles"]] == [("en", "sidecar", "srt")]
    assert [s["kind"] for s in detail["streams"]] == ["original"]
    assert detail["sourceJobId"] == str(ids["done_job"])


def check_settings_then_write(client, headers, ids) -> None:
    settings = get(client, "/api/v1/settings", headers)
    assert {k: settings[k] for k in ("watchedThresholdPercent", "autoplayNext", "subtitleLanguage", "theme",
                                     "region", "subtitleLanguages")} == {
        "watchedThresholdPercent": 85, "autoplayNext": False, "subtitleLanguage": "en", "theme": "light",
        "region": "DE", "subtitleLanguages": []}  # the last one: a column 0014 added
    json_headers = {**headers, "Content-Type": "application/json"}
    patched = client.http.patch("/api/v1/settings", headers=json_headers,
                                body=json.dumps({"subtitleLanguages": ["en", "de"]}))
    assert patched.status_code == 200, patched.body
    assert get(client, "/api/v1/settings", headers)["theme"] == "light"
    beat = client.http.post("/api/v1/progress", headers=json_headers, body=json.dumps(
        {"mediaId": ids["ronin"], "positionSeconds": 1300.0, "durationSeconds": 7320.0}))
    assert beat.status_code == 200, beat.body
    assert json.loads(beat.body)["positionSeconds"] == 1300.0


def test_a_database_made_by_schema_0008_upgrades_and_its_user_finds_everything(old_db, app_on):
    ids = upgrade(old_db)
    client = app_on(old_db)
    headers = log_in(client)  # with the argon2 hash the old instance stored
    me = get(client, "/api/v1/auth/me", headers)
    assert (me["id"], me["email"], me["displayName"], me["role"]) == (str(ids["user"]), EMAIL, "Ellen Ripley", "admin")
    check_tracking(client, headers, ids)
    check_downloads_and_library(client, headers, ids)
    check_settings_then_write(client, headers, ids)


def test_rolling_an_upgraded_database_forward_again_changes_nothing(old_db):
    upgrade(old_db)
    before = table_digests(old_db)
    assert migrate.apply(old_db) == 0
    assert migrate.apply(old_db) == 0
    assert table_digests(old_db) == before
    assert "playback_next_up" in before and "_yoyo_log" in before
