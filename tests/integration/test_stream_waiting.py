"""Waiting for a download's first pieces is a 202 with Retry-After, not a 409: browsers log every 4xx a page
fetches as a console error, and the player asks about once a second until the file can play."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from downloads_support import body, submit

MIB = 1024 * 1024


def _downloading_with(job_id: str, contiguous: int) -> None:
    from chalicelib import db
    from chalicelib.telemetry import DownloadTelemetry

    with db.connection() as conn:
        conn.execute("UPDATE download_jobs SET status = 'downloading' WHERE id = %s", (job_id,))
    files = [{"index": 0, "path": "Film.2024.1080p/Film.2024.1080p.mkv", "size": 8 * MIB,
              "contiguousBytes": contiguous, "tailReady": True, "mimeType": "video/x-matroska"}]
    DownloadTelemetry(job_id, status="downloading", files_json=json.dumps(files), updated_at=datetime.now(UTC)).save()


def test_missing_first_pieces_answer_202_with_retry_after_then_the_stream(client, make_user, aws):
    _, headers = make_user()
    job_id = body(submit(client, headers, "magnet", "magnet:?xt=urn:btih:" + "a" * 40))["id"]
    _downloading_with(job_id, contiguous=512 * 1024)  # under the 2 MiB a player needs to start

    waiting = client.http.get(f"/api/v1/downloads/{job_id}/stream", headers=headers)
    assert waiting.status_code == 202, waiting.body
    assert body(waiting) == {"awaiting": "pieces", "message": "The file's first pieces are still downloading",
                             "retryAfter": 1}
    assert waiting.headers["Retry-After"] == "1"

    _downloading_with(job_id, contiguous=4 * MIB)
    playing = client.http.get(f"/api/v1/downloads/{job_id}/stream", headers=headers)
    assert playing.status_code == 200, playing.body
    assert body(playing)["mode"] == "progressive" and body(playing)["path"].endswith("Film.2024.1080p.mkv")


def test_a_download_not_running_waits_longer_and_says_so(client, make_user, aws):
    _, headers = make_user()
    job_id = body(submit(client, headers, "magnet", "magnet:?xt=urn:btih:" + "b" * 40))["id"]
    _downloading_with(job_id, contiguous=4 * MIB)
    from chalicelib import db

    with db.connection() as conn:
        conn.execute("UPDATE download_jobs SET status = 'stalled' WHERE id = %s", (job_id,))
    waiting = client.http.get(f"/api/v1/downloads/{job_id}/stream", headers=headers)
    assert waiting.status_code == 202, waiting.body
    assert body(waiting)["awaiting"] == "download" and body(waiting)["retryAfter"] == 5
    assert waiting.headers["Retry-After"] == "5"


def test_the_openapi_document_offers_the_waiting_answer(client):
    document = json.loads(client.http.get("/api/v1/openapi.json").body)
    answers = document["paths"]["/api/v1/downloads/{job_id}/stream"]["get"]["responses"]
    refs = {ref["$ref"].rsplit("/", 1)[-1] for ref in answers["202"]["content"]["application/json"]["schema"]["anyOf"]}
    assert refs == {"DownloadStream", "StreamWaiting"}
