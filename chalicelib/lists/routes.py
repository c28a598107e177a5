"""/api/v1/collections/import and /api/v1/collections/{id}/sync: a public list as a collection that keeps
itself in sync (the collection itself, with its ``source``, is read through the collections routes)."""

from __future__ import annotations

from chalice.app import Blueprint

from chalicelib.api import endpoint
from chalicelib.auth.users import Principal
from chalicelib.lists import service
from chalicelib.lists.models import ListFileImportIn, ListImportIn, ListImportStarted

bp = Blueprint(__name__)
TAGS = ("collections",)
FILE_MAX_BODY = 6 * 1024 * 1024 - 64 * 1024  # a 4 MB export in base64, in JSON (what a Lambda event carries)


@endpoint(bp, "/api/v1/collections/import", "POST", tags=TAGS, body=ListImportIn, response=ListImportStarted,
          status=202, auth="user", errors_=(409, 429, 503),
          summary="Import a public Trakt, Letterboxd or IMDb list as a collection (read in the background)")
def import_list(principal: Principal, body: ListImportIn) -> ListImportStarted:
    return service.import_list(principal.user_id, body.url)


@endpoint(bp, "/api/v1/collections/import/file", "POST", tags=TAGS, body=ListFileImportIn,
          response=ListImportStarted, status=202, auth="user", errors_=(409, 413, 429, 503),
          max_body_bytes=FILE_MAX_BODY,
          summary="Import a Letterboxd or IMDb list export file as a collection (applied in the background)")
def import_list_file(principal: Principal, body: ListFileImportIn) -> ListImportStarted:
    return service.import_file(principal.user_id, body.filename, body.content)


@endpoint(bp, "/api/v1/collections/{collection_id}/sync", "POST", tags=TAGS, response=ListImportStarted,
          status=202, auth="user", errors_=(404, 409, 429, 503),
          summary="Sync an imported collection with its list now")
def sync_list(collection_id: str, principal: Principal) -> ListImportStarted:
    return service.request_sync(principal.user_id, collection_id)
