"""Subtitles fetched from OpenSubtitles (a fake speaking its REST API over HTTP) for the languages a
library item lacks, stored in the bucket and listed first by ``GET /library/{id}/stream``."""

from __future__ import annotations

import json
import uuid

import catalog_support
import pytest
from cryptography.fernet import Fernet

from chalicelib import aws, db
from chalicelib.config import get_aws_settings, get_settings
from chalicelib.library.naming import parse
from chalicelib.messages import IndexedStream, IndexedSubtitle, LibraryFileIndexed
from chalicelib.subtitles import service
from embedded.fakes.opensubtitles import FakeOpenSubtitles

MOVIE = "Movies/The Matrix (1999)/The.Matrix.1999.1080p.BluRay.x264-GROUP.mp4"
EPISODE = "TV/Breaking Bad/Season 1/Breaking Bad - S01E02.mp4"
MOVIE_HASH = "8e245d9679d31e12"
EPISODE_HASH = "0123456789abcdef"


@pytest.fixture(scope="module")
def demo_template(template_url):
    yield from catalog_support.demo_template(template_url)


@pytest.fixture
def app_db(demo_template):
    yield from catalog_support.app_database(demo_template)


@pytest.fixture
def fake():
    server = FakeOpenSubtitles(api_key="stored-os-key").start()
    yield server
    server.stop()


@pytest.fixture
def fresh_credentials():
    from chalicelib.settings import credentials

    credentials.forget()
    yield
    credentials.forget()


@pytest.fixture
def subs_env(settings_env, client, fake, fresh_credentials):
    """The fake as OpenSubtitles, its key in the environment (``keyless`` tests override it)."""
    settings_key = Fernet.generate_key().decode()

    def apply(**extra: str) -> None:
        settings_env(**{"OPENSUBTITLES_BASE_URL": fake.url, "OPENSUBTITLES_ALLOW_PRIVATE": "true",
                        "OPENSUBTITLES_API_KEY": "stored-os-key", "SEEN_SETTINGS_KEY": settings_key, **extra})
    apply()
    return apply


@pytest.fixture
def user(make_user, client):
    """A user preferring English, then French."""
    user_id, headers = make_user()
    response = client.http.patch("/api/v1/settings", headers=headers,
                                 body=json.dumps({"subtitleLanguages": ["en", "fr"]}))
    assert response.status_code == 200, response.body
    assert json.loads(response.body)["subtitleLanguage"] == "en"
    return user_id, headers


def index(client, path: str, oshash: str | None, **fields) -> uuid.UUID:
    """Deliver a ``library.file_indexed`` (with a German sidecar) as the worker would; the item's id."""
    key = f"media/library/{path}"
    sidecar = IndexedSubtitle(key=key + ".subs/00.de.vtt", language="de", label="German", source="sidecar",
                              format="srt")
    event = LibraryFileIndexed(
        key=key, path=f"/srv/library/{path}", size=1234, oshash=oshash, guess=parse(path),
        probe={"container": "mp4", "duration": 60.0, "width": 1920, "height": 1080, "videoCodec": "h264",
               "audioCodecs": ["aac"], "audioLanguages": ["eng"]},
        streams=[IndexedStream(kind="original", key=key, mime_type="video/mp4", container="mp4", size=1234)],
        subtitles=[sidecar], **fields)
    sqs = client.events.generate_sqs_event(message_bodies=[event.to_json()],
                                           queue_name=get_aws_settings().events_queue)
    client.lambda_.invoke("worker_events", sqs)
    with db.connection() as conn:
        row = conn.execute("SELECT id, oshash, match_state FROM library_items WHERE storage_key = %s",
                           (key,)).fetchone()
    assert row["match_state"] == "matched", row
    return row["id"]


def stream(client, item_id, headers) -> dict:
    response = client.http.get(f"/api/v1/library/{item_id}/stream", headers=headers)
    assert response.status_code == 200, response.body
    return json.loads(response.body)


def stored_vtt(item_id, language: str) -> str:
    found = aws.client("s3").get_object(Bucket=get_settings().aws.bucket,
                                        Key=f"subtitles/opensubtitles/{item_id}/{language}.vtt")
    return found["Body"].read().decode()


def searches(fake) -> list[dict[str, str]]:
    return [r.query for r in fake.requests if r.path == "/api/v1/subtitles"]


def test_the_worker_hash_is_stored_and_a_movie_gets_english_by_hash_listed_first(client, subs_env, fake, user):
    by_hash = fake.add("en", moviehash=MOVIE_HASH, download_count=5)
    fake.add("en", tmdb_id=603, download_count=9999)  # more popular, but not made for this file
    fake.add("fr", moviehash=MOVIE_HASH)
    item_id = index(client, MOVIE, MOVIE_HASH)
    with db.connection() as conn:
        assert conn.execute("SELECT oshash FROM library_items WHERE id = %s", (item_id,)).fetchone()["oshash"] == \
            MOVIE_HASH

    played = stream(client, item_id, user[1])

    assert [(s["language"], s["source"]) for s in played["subtitles"]] == [
        ("en", "opensubtitles"), ("fr", "opensubtitles"), ("de", "sidecar")]
    assert played["subtitles"][0]["label"] == "English"
    assert searches(fake) == [{"languages": "en,fr", "moviehash": MOVIE_HASH}]  # one search, sorted params
    downloads = fake.downloads()
    assert json.loads(downloads[0].body) == {"file_id": by_hash.file_id}
    assert all(r.headers["api-key"] == "stored-os-key" and r.headers["user-agent"] == "seen v0.1"
               for r in fake.api_calls())
    vtt = stored_vtt(item_id, "en")
    assert vtt.startswith("WEBVTT") and f"Fake subtitle {by_hash.file_id}" in vtt and "00:00:01.000 -->" in vtt


def test_an_episode_without_a_hash_match_gets_english_by_the_show_tmdb_id_and_numbers(client, subs_env, fake,
                                                                                        user):
    wrong = fake.add("en", parent_tmdb_id=1396, season_number=1, episode_number=3, download_count=10**6)
    right = fake.add("en", parent_tmdb_id=1396, season_number=1, episode_number=2)
    item_id = index(client, EPISODE, EPISODE_HASH)

    played = stream(client, item_id, user[1])

    assert [s["language"] for s in played["subtitles"]][:1] == ["en"]
    first, second = searches(fake)
    assert first == {"languages": "en,fr", "moviehash": EPISODE_HASH}
    assert second == {"episode_number": "2", "languages": "en,fr", "parent_tmdb_id": "1396", "season_number": "1"}
    assert [json.loads(r.body)["file_id"] for r in fake.downloads()] == [right.file_id]
    assert wrong.file_id != right.file_id
    assert f"Fake subtitle {right.file_id}" in stored_vtt(item_id, "en")


def test_a_second_play_asks_opensubtitles_nothing(client, subs_env, fake, user):
    fake.add("en", moviehash=MOVIE_HASH)  # French: nowhere
    item_id = index(client, MOVIE, MOVIE_HASH)
    stream(client, item_id, user[1])
    asked = len(fake.requests)
    assert asked == 4  # hash search, id search (for French), download, file

    again = stream(client, item_id, user[1])

    assert len(fake.requests) == asked  # English is there, French on its 24 h cooldown
    assert [s["language"] for s in again["subtitles"]] == ["en", "de"]
    with db.connection() as conn:
        rows = conn.execute("SELECT language, found FROM library_subtitle_searches WHERE library_item_id = %s"
                            " ORDER BY language", (item_id,)).fetchall()
    assert [(r["language"], r["found"]) for r in rows] == [("en", True), ("fr", False)]


def test_a_rescan_keeps_the_fetched_track(client, subs_env, fake, user):
    fake.add("en", moviehash=MOVIE_HASH)
    item_id = index(client, MOVIE, MOVIE_HASH)
    stream(client, item_id, user[1])
    index(client, MOVIE, MOVIE_HASH)  # the worker reports the file again, with only its own tracks
    with db.connection() as conn:
        sources = [r["source"] for r in conn.execute(
            "SELECT source FROM library_subtitles WHERE library_item_id = %s ORDER BY source", (item_id,))]
    assert sources == ["opensubtitles", "sidecar"]


def test_without_a_key_nothing_is_asked(client, subs_env, fake, user):
    subs_env(OPENSUBTITLES_API_KEY="")
    fake.add("en", moviehash=MOVIE_HASH)
    item_id = index(client, MOVIE, MOVIE_HASH)

    played = stream(client, item_id, user[1])

    assert fake.requests == []
    assert [s["language"] for s in played["subtitles"]] == ["de"]


def test_a_failing_opensubtitles_never_breaks_playback_and_is_asked_again(client, subs_env, fake, user):
    fake.add("en", moviehash=MOVIE_HASH)
    fake.fail("/api/v1/subtitles", 500, times=2)  # the first try and its one retry
    item_id = index(client, MOVIE, MOVIE_HASH)

    played = stream(client, item_id, user[1])

    assert [s["language"] for s in played["subtitles"]] == ["de"]
    assert len(searches(fake)) == 2
    assert [s["language"] for s in stream(client, item_id, user[1])["subtitles"]] == ["en", "de"]


def test_a_429_is_retried_after_its_retry_after(client, subs_env, fake, user):
    fake.add("en", moviehash=MOVIE_HASH)
    fake.fail("/api/v1/download", 429, times=1, retry_after=0)
    item_id = index(client, MOVIE, MOVIE_HASH)

    assert [s["language"] for s in stream(client, item_id, user[1])["subtitles"]][:1] == ["en"]
    assert len(fake.downloads()) == 2


def test_the_admin_stores_the_key_encrypted_and_it_is_used(client, subs_env, fake, make_user, user):
    subs_env(OPENSUBTITLES_API_KEY="")
    _, admin = make_user(role="admin")
    response = client.http.patch("/api/v1/admin/settings", headers=admin,
                                 body=json.dumps({"opensubtitlesApiKey": "stored-os-key"}))
    assert response.status_code == 200, response.body
    assert json.loads(response.body)["opensubtitlesApiKey"]["set"] is True
    with db.connection() as conn:
        row = conn.execute("SELECT secret_ciphertext FROM instance_settings WHERE key = 'opensubtitles.api_key'"
                           ).fetchone()
    assert b"stored-os-key" not in bytes(row["secret_ciphertext"])
    fake.add("en", moviehash=MOVIE_HASH)
    item_id = index(client, MOVIE, MOVIE_HASH)

    assert [s["language"] for s in stream(client, item_id, user[1])["subtitles"]][:1] == ["en"]
    assert {r.headers["api-key"] for r in fake.api_calls()} == {"stored-os-key"}


def test_a_wrong_key_gets_401_and_playback_goes_on(client, subs_env, fake, user):
    subs_env(OPENSUBTITLES_API_KEY="not-the-key")
    fake.add("en", moviehash=MOVIE_HASH)
    item_id = index(client, MOVIE, MOVIE_HASH)

    assert [s["language"] for s in stream(client, item_id, user[1])["subtitles"]] == ["de"]
    assert len(fake.api_calls()) == 1  # a 401 is not retried


def test_prefetch_fetches_the_users_languages_for_the_next_episode(client, subs_env, fake, user):
    fake.add("fr", parent_tmdb_id=1396, season_number=1, episode_number=2)
    item_id = index(client, EPISODE, None)
    with db.connection() as conn:
        rows = service.prefetch(conn, item_id, user[0])
    assert [(r["language"], r["source"], r["storage_key"]) for r in rows] == [
        ("fr", "opensubtitles", f"subtitles/opensubtitles/{item_id}/fr.vtt")]
    assert [q.get("moviehash") for q in searches(fake)] == [None]  # no hash: straight to the ids


def test_settings_keep_the_single_language_and_the_list_in_step(client, make_user):
    _, headers = make_user()

    def patch(body):
        response = client.http.patch("/api/v1/settings", headers=headers, body=json.dumps(body))
        assert response.status_code == 200, response.body
        data = json.loads(response.body)
        return data["subtitleLanguage"], data["subtitleLanguages"]

    assert patch({"subtitleLanguages": ["fr", "en"]}) == ("fr", ["fr", "en"])
    assert patch({"subtitleLanguage": "en"}) == ("en", ["en", "fr"])
    assert patch({"subtitleLanguage": "de"}) == ("de", ["de", "en", "fr"])
    bad = client.http.patch("/api/v1/settings", headers=headers, body=json.dumps({"subtitleLanguages": ["e n"]}))
    assert bad.status_code == 422 and json.loads(bad.body)["error"]["code"] == "validation_error"


def test_tracks_are_ordered_by_the_users_languages_then_alphabetically():
    rows = [{"language": tag} for tag in ("de", "pt-BR", "en-US", "ar", "fr", "und")]
    assert [r["language"] for r in service.ordered(rows, ["fr", "en"])] == ["fr", "en-US", "ar", "de", "pt-BR",
                                                                              "und"]
    assert [r["language"] for r in service.ordered(rows, [])] == ["ar", "de", "en-US", "fr", "pt-BR", "und"]


def test_the_scanner_reports_the_files_moviehash(aws, tmp_path):
    import os
    import struct

    from library_support import worker_ctx

    from worker.scanner.index import Indexer, Source

    media = tmp_path / "library" / "Some Movie (2020).mkv"
    media.parent.mkdir()
    data = os.urandom(300 * 1024)
    media.write_bytes(data)
    words = struct.unpack("<8192Q", data[:65536]) + struct.unpack("<8192Q", data[-65536:])
    expected = format((len(data) + sum(words)) % 2**64, "016x")

    event = Indexer(worker_ctx(tmp_path / "staging", [media.parent])).store(
        Source(local=media, rel=media.name, key=f"media/library/{media.name}"))

    assert event.oshash == expected
    assert LibraryFileIndexed.model_validate_json(event.to_json()).oshash == expected
