"""/api/v1/downloads: submit, list, read, cancel and the timeline of download jobs."""

from __future__ import annotations

from typing import Any

from chalice import Blueprint, Response

from chalicelib import db, errors
from chalicelib.api import endpoint, error_response, to_response
from chalicelib.downloads import service, streaming, uploads
from chalicelib.downloads.models import (
    CreateDownload,
    Download,
    DownloadDetail,
    DownloadEventPage,
    DownloadPage,
    DownloadStream,
    EventsQuery,
    ListQuery,
    StreamQuery,
    TorrentUpload,
)

bp = Blueprint(__name__)
TAGS = ("downloads",)


# A .torrent sent inline is base64 (4 characters per 3 bytes) inside JSON: 3 MiB carries the default 2 MiB
# limit. The SPA uploads .torrent files to the bucket instead (POST /downloads/uploads).
CREATE_MAX_BODY = 3 * 1024 * 1024


def _idempotency_key() -> str | None:
    key = (bp.current_request.headers or {}).get("idempotency-key")
    if key is None:
        return None
    key = key.strip()
    if not 1 <= len(key) <= 255:
        raise errors.ValidationFailed("Idempotency-Key must be 1 to 255 characters",
                                      fields={"Idempotency-Key": "1 to 255 characters"})
    return key


@endpoint(bp, "/api/v1/downloads", "POST", summary="Submit a magnet, .torrent (uploaded, or small ones "
          "base64) or HTTP(S) URL", tags=TAGS, body=CreateDownload, response=Download, status=201, auth="user",
          errors_=(400, 401, 404, 409, 413, 422, 503), max_body_bytes=CREATE_MAX_BODY)
def create_download(body: CreateDownload, principal: Any) -> Response:
    with db.connection() as conn:
        job, replayed = service.create_download(conn, principal.user_id, body, _idempotency_key())
    response = to_response(job, 201)
    if replayed:
        response.headers["Idempotent-Replayed"] = "true"
    return response


@endpoint(bp, "/api/v1/downloads/uploads", "POST", summary="A presigned form to upload a .torrent file straight "
          "to the bucket (then POST /downloads with its torrentUploadId)", tags=TAGS, response=TorrentUpload,
          status=201, auth="user", errors_=(401, 429, 503))
def create_upload(principal: Any) -> TorrentUpload:
    with db.transaction() as conn:
        return uploads.start(conn, principal.user_id)


@endpoint(bp, "/api/v1/downloads", summary="The user's downloads, newest first", tags=TAGS, query=ListQuery,
          response=DownloadPage, auth="user", errors_=(400, 401, 422))
def list_downloads(query: ListQuery, principal: Any) -> DownloadPage:
    with db.connection() as conn:
        return service.list_downloads(conn, principal.user_id, query.status, query.limit, query.cursor)


@endpoint(bp, "/api/v1/downloads/{job_id}", summary="One download with its stored files", tags=TAGS,
          response=DownloadDetail, auth="user", errors_=(401, 404))
def get_download(job_id: str, principal: Any) -> DownloadDetail:
    with db.connection() as conn:
        return service.get_download(conn, principal.user_id, job_id)


@endpoint(bp, "/api/v1/downloads/{job_id}", "DELETE", summary="Cancel a download (no-op once it ended)",
          tags=TAGS, response=Download, auth="user", errors_=(401, 404, 503))
def cancel_download(job_id: str, principal: Any) -> Download:
    with db.connection() as conn:
        return service.cancel_download(conn, principal.user_id, job_id)


@endpoint(bp, "/api/v1/downloads/{job_id}/events", summary="The download's state-change timeline", tags=TAGS,
          query=EventsQuery, response=DownloadEventPage, auth="user", errors_=(401, 404, 422))
def list_download_events(job_id: str, query: EventsQuery, principal: Any) -> DownloadEventPage:
    with db.connection() as conn:
        return service.list_events(conn, principal.user_id, job_id, query.after, query.limit)


@endpoint(bp, "/api/v1/downloads/{job_id}/stream", summary=(
    "Play a download's file: the bucket's URL once stored, the worker's signed Range URL while it downloads "
    "(409 not_ready with Retry-After and error.retryAfter until its first pieces are on disk)"),
          tags=TAGS, query=StreamQuery, response=DownloadStream, auth="user", errors_=(401, 404, 409, 422))
def stream_download(job_id: str, query: StreamQuery, principal: Any) -> Any:
    try:
        with db.connection() as conn:
            return streaming.stream(conn, principal.user_id, job_id, query.file)
    except streaming.NotReady as exc:  # the envelope plus the hint in the body, for clients without headers
        response = error_response(exc)
        response.body["error"]["retryAfter"] = exc.retry_after
        return response
