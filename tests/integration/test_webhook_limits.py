"""Media-server webhooks through the WSGI adapter the production server runs (issue 33, items 2 and 3):
each route's own body limit applies before the body is read (Plex's thumbnail fits, a bigger body is a
413 envelope), and NaN or Infinity in a webhook number is a 422 naming the field, never a 500."""

from __future__ import annotations

import base64
import io
import json
from pathlib import Path

import pytest

from tests.integration.tracking_support import Catalog

DATA = Path(__file__).resolve().parents[1] / "data" / "hooks"
BOUNDARY = "------------------------9d1e8a7c6b5f4e33"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00"


@pytest.fixture
def adapter(client):
    from app import app
    from chalicelib.config import get_settings
    from server.wsgi import ApiAdapter

    return ApiAdapter(app, get_settings().max_body_bytes)  # as server/__main__.py build_app makes it


@pytest.fixture
def hooks(client, make_user):
    from chalicelib import db

    with db.transaction() as conn:
        cat = Catalog(conn)
        movie = cat.movie("Limit Test Movie", imdb_id="tt7654329", tmdb_id=999009)
        show, _ = cat.show({1: 3}, title="Hook Test Show", status="returning")
        conn.execute("UPDATE media_items SET tvdb_id = 349232 WHERE id = %s", (show,))
    _, headers = make_user()
    urls = json.loads(client.http.get("/api/v1/me/webhooks", headers=headers).body)
    return {"movie": movie, "plex": urls["plex"]["path"], "jellyfin": urls["jellyfin"]["path"]}


def post(adapter, path: str, body: bytes, content_type: str) -> tuple[int, dict]:
    environ = {"REQUEST_METHOD": "POST", "RAW_URI": path, "PATH_INFO": path, "QUERY_STRING": "",
               "CONTENT_TYPE": content_type, "CONTENT_LENGTH": str(len(body)), "wsgi.input": io.BytesIO(body),
               "REMOTE_ADDR": "192.0.2.9", "SERVER_PROTOCOL": "HTTP/1.1", "HTTP_HOST": "seen.test"}
    seen = {}
    payload = b"".join(adapter(environ, lambda status, headers: seen.update(status=int(status.split()[0]))))
    return seen["status"], json.loads(payload)


def plex_form(payload: str, thumb: bytes) -> tuple[bytes, str]:
    body = (f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"payload\"\r\n"
            f"Content-Type: application/json\r\n\r\n{payload}\r\n").encode()
    body += (f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"thumb\"; filename=\"thumb.jpg\"\r\n"
             "Content-Type: image/jpeg\r\n\r\n").encode() + thumb + f"\r\n--{BOUNDARY}--\r\n".encode()
    return body, f"multipart/form-data; boundary={BOUNDARY}"


def plex_payload() -> dict:
    payload = json.loads((DATA / "plex_movie_pause.json").read_text())
    payload["Metadata"].update(Guid=[{"id": "imdb://tt7654329"}], title="Limit Test Movie")
    return payload


def test_a_plex_event_with_a_one_megabyte_thumbnail_is_applied(adapter, hooks):
    thumb = JPEG + bytes(range(256)) * 4096  # ~1 MB of poster
    body, content_type = plex_form(json.dumps(plex_payload()), thumb)
    assert len(body) > 1024 * 1024  # more than the default limit every route had
    status, answer = post(adapter, hooks["plex"], body, content_type)
    assert status == 200, answer
    assert answer["status"] == "applied" and answer["mediaId"] == hooks["movie"]


def test_an_819_kb_csv_as_base64_json_is_not_a_413_at_the_adapter_where_the_route_allows_more(adapter, hooks):
    csv = b"".join(b"tt%07d,Some Film Title,2021-01-01,8\n" % i for i in range(819 * 1024 // 36 + 1))[:819 * 1024]
    body = json.dumps({**plex_payload(), "export": base64.b64encode(csv).decode()}).encode()
    assert 1024 * 1024 < len(body) < 4 * 1024 * 1024  # 1.09 MB: over the old cap, under the Plex route's
    status, answer = post(adapter, hooks["plex"], body, "application/json")
    assert status == 200, answer
    assert answer["status"] == "applied"


def test_bodies_past_each_webhooks_own_limit_are_a_413_envelope(adapter, hooks):
    body, content_type = plex_form(json.dumps(plex_payload()), JPEG + b"\0" * (4 * 1024 * 1024))
    status, answer = post(adapter, hooks["plex"], body, content_type)
    assert status == 413 and answer["error"]["code"] == "payload_too_large"
    big_json = json.dumps({"NotificationType": "PlaybackStart", "pad": "x" * (1024 * 1024)}).encode()
    status, answer = post(adapter, hooks["jellyfin"], big_json, "application/json")
    assert status == 413 and answer["error"]["code"] == "payload_too_large"


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity", "1e999"])
def test_nan_or_infinity_in_a_jellyfin_webhook_is_a_422(adapter, hooks, number):
    event = json.loads((DATA / "jellyfin_episode_stop.json").read_text())
    event.update(NotificationType="PlaybackProgress", PlayedToCompletion=False, PlaybackPositionTicks=0)
    body = json.dumps(event).replace('"PlaybackPositionTicks": 0', f'"PlaybackPositionTicks": {number}')
    status, answer = post(adapter, hooks["jellyfin"], body.encode(), "application/json")
    assert status == 422, answer
    assert answer["error"]["fields"] == {"PlaybackPositionTicks": "must be a finite number"}


@pytest.mark.parametrize("field", ["viewOffset", "duration"])
def test_nan_in_a_plex_webhook_is_a_422(adapter, hooks, field):
    payload = json.dumps(plex_payload()).replace(f'"{field}": ', f'"{field}": NaN, "was_{field}": ')
    body, content_type = plex_form(payload, JPEG)
    status, answer = post(adapter, hooks["plex"], body, content_type)
    assert status == 422, answer
    assert answer["error"]["code"] == "validation_error" and list(answer["error"]["fields"]) == [
        f"Metadata.{field}"], answer


def test_a_position_too_big_for_a_float_is_no_position_not_a_500(adapter, hooks):
    event = json.loads((DATA / "jellyfin_episode_stop.json").read_text())
    event.update(NotificationType="PlaybackProgress", PlayedToCompletion=False, PlaybackPositionTicks=0)
    body = json.dumps(event).replace('"PlaybackPositionTicks": 0', '"PlaybackPositionTicks": 1' + "0" * 400)
    status, answer = post(adapter, hooks["jellyfin"], body.encode(), "application/json")
    assert status == 200, answer
    assert answer["status"] == "ignored"  # a progress event without a usable position
