"""/api/v1/downloads: submit, list, read, cancel and the timeline of download jobs."""

from __future__ import annotations

from typing import Any

from chalice import Blueprint, Response

from chalicelib import api, errors, ratelimit
from chalicelib.api import endpoint, to_response
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
    StreamWaiting,
    TorrentUpload,
)

bp = Blueprint(__name__)
TAGS = ("downloads",)


# A .torrent sent inline is base64 (4 characters per 3 bytes) inside JSON: 3 MiB carries the default 2 MiB
# limit. The SPA uploads .torrent files to the bucket instead (POST /downloads/uploads).
CREATE_MAX_BODY = 3 * 1024 * 1024


def _idempotency_key() -> str | None:
    key = (api.current_request().headers or {}).get("idempotency-key")
    if key is None:
        return None
    key = key.strip()
    if not 1 <= len(key) <= 255:
        raise errors.ValidationFailed("Idempotency-Key must be 1 to 255 characters",
                                      fields={"Idempotency-Key": "1 to 255 characters"})
    return key


@endpoint(bp, "/api/v1/downloads", "POST", summary="Submit a magnet, .torrent (uploaded, or small ones "
          "base64) or HTTP(S) URL", tags=TAGS, body=CreateDownload, response=Download, status=201, auth="adult",
          errors_=(400, 401, 404, 409, 413, 422, 503), max_body_bytes=CREATE_MAX_BODY)
def create_download(body: CreateDownload, principal: Any) -> Response:
    job, replayed = service.submit(principal.user_id, body, _idempotency_key())
    response = to_response(job, 201)
    if replayed:
        response.headers["Idempotent-Replayed"] = "true"
    return response


@endpoint(bp, "/api/v1/downloads/uploads", "POST", summary="A presigned form to upload a .torrent file straight "
          "to the bucket (then POST /downloads with its torrentUploadId)", tags=TAGS, response=TorrentUpload,
          status=201, auth="adult", errors_=(401, 429, 503))
def create_upload(principal: Any) -> TorrentUpload:
    return uploads.start(principal.user_id)


@endpoint(bp, "/api/v1/downloads", summary="The user's downloads, newest first", tags=TAGS, query=ListQuery,
          response=DownloadPage, auth="adult", errors_=(400, 401, 422))
def list_downloads(query: ListQuery, principal: Any) -> DownloadPage:
    return service.list_downloads(principal.user_id, query.status, query.limit, query.cursor)


@endpoint(bp, "/api/v1/downloads/{job_id}", summary="One download with its stored files", tags=TAGS,
          response=DownloadDetail, auth="adult", errors_=(401, 404))
def get_download(job_id: str, principal: Any) -> DownloadDetail:
    return service.download_detail(principal.user_id, job_id)


@endpoint(bp, "/api/v1/downloads/{job_id}", "DELETE", summary="Cancel a download (no-op once it ended)",
          tags=TAGS, response=Download, auth="adult", errors_=(401, 404, 503))
def cancel_download(job_id: str, principal: Any) -> Download:
    return service.cancel_download(principal.user_id, job_id)


@endpoint(bp, "/api/v1/downloads/{job_id}/events", summary="The download's state-change timeline", tags=TAGS,
          query=EventsQuery, response=DownloadEventPage, auth="adult", errors_=(401, 404, 422))
def list_download_events(job_id: str, query: EventsQuery, principal: Any) -> DownloadEventPage:
    return service.list_events(principal.user_id, job_id, query.after, query.limit)


@endpoint(bp, "/api/v1/downloads/{job_id}/stream", summary=(
    "Play a download's file: the bucket's URL once stored, the worker's signed Range URL while it downloads "
    "(202 StreamWaiting with Retry-After until its first pieces are on disk)"),
          tags=TAGS, query=StreamQuery, response=DownloadStream | StreamWaiting, also_ok=(202,), auth="adult",
          errors_=(401, 404, 409, 422, 429), throttle=ratelimit.stream_poll)  # before the job and telemetry are read
def stream_download(job_id: str, query: StreamQuery, principal: Any) -> Any:
    try:
        return streaming.stream(principal.user_id, job_id, query.file, query.session)
    except streaming.NotReady as exc:  # waiting is not an error: a 4xx would be a console error per poll
        waiting = StreamWaiting(awaiting=exc.awaiting, message=exc.message, retry_after=exc.retry_after)
        response = to_response(waiting, 202)
        response.headers["Retry-After"] = str(exc.retry_after)
        return response
