"""History import routes: upload a file, watch its preview, apply it, fix an unmatched row."""

from __future__ import annotations

from uuid import UUID

from chalice import Blueprint

from chalicelib import errors
from chalicelib.api import endpoint
from chalicelib.auth import Principal
from chalicelib.imports import fixes, forwarding, service  # noqa: F401 - forwarding registers @on_event
from chalicelib.imports.models import (
    FixRow,
    ImportCreate,
    ImportCreated,
    ImportOut,
    ImportsQuery,
    ImportSummary,
    UploadCreate,
    UploadOut,
)
from chalicelib.models import Page

bp = Blueprint(__name__)
V1 = "/api/v1"
TAGS = ("imports",)
# Inline (base64) uploads are for small files: a Lambda request body cannot exceed 6 MB. Anything larger
# goes to the bucket with a presigned POST (POST /imports/uploads) and is named by its upload id.
MAX_INLINE_BODY = 6_000_000


def _import_id(value: str) -> UUID:
    try:
        return UUID(value)
    except ValueError:
        raise errors.NotFound(f"No import {value}", code="import_not_found") from None


@endpoint(bp, f"{V1}/imports", "POST", summary="Upload a Letterboxd, IMDb, Trakt, Ryot, Yamtrack or /seen/ "
          "export to import (parsed in the background)", tags=TAGS, body=ImportCreate, response=ImportCreated,
          status=202, auth="adult", errors_=(404, 409, 413, 422, 503), max_body_bytes=MAX_INLINE_BODY)
def create_import(principal: Principal, body: ImportCreate) -> ImportCreated:
    return service.create(principal.user_id, body)


@endpoint(bp, f"{V1}/imports/uploads", "POST", summary="A presigned POST to upload an export to (up to "
          "48 MiB), then create the import with its uploadId", tags=TAGS, body=UploadCreate,
          response=UploadOut, status=201, auth="adult", errors_=(422,))
def create_upload(principal: Principal, body: UploadCreate) -> UploadOut:
    return service.create_upload(principal.user_id, body)


@endpoint(bp, f"{V1}/imports", summary="Your imports, newest first", tags=TAGS, query=ImportsQuery,
          response=Page[ImportSummary], auth="adult")
def list_imports(principal: Principal, query: ImportsQuery) -> Page[ImportSummary]:
    items, total = service.list_imports(principal.user_id, query.page_size, query.offset)
    return Page[ImportSummary](items=items, page=query.page, page_size=query.page_size, total=total)


@endpoint(bp, f"{V1}/imports/{{import_id}}", summary="One import: status, preview, unmatched rows, progress",
          tags=TAGS, response=ImportOut, auth="adult", errors_=(404,))
def get_import(principal: Principal, import_id: str) -> ImportOut:
    return service.get(principal.user_id, _import_id(import_id))


@endpoint(bp, f"{V1}/imports/{{import_id}}/apply", "POST", summary="Apply a previewed import (in the "
          "background; applying again changes nothing)", tags=TAGS, response=ImportSummary, status=202,
          auth="adult", errors_=(404, 409, 503))
def apply_import(principal: Principal, import_id: str) -> ImportSummary:
    return service.apply(principal.user_id, _import_id(import_id))


@endpoint(bp, f"{V1}/imports/{{import_id}}/unmatched/{{row}}", "POST", summary="Match an unmatched row to "
          "a title you pick", tags=TAGS, body=FixRow, response=ImportOut, auth="adult", errors_=(404, 409, 422))
def fix_row(principal: Principal, import_id: str, row: str, body: FixRow) -> ImportOut:
    if not row.isdigit() or not 1 <= int(row) <= 2**31 - 1:
        raise errors.NotFound(f"No row {row}", code="import_row_not_found")
    return fixes.fix_row(principal.user_id, _import_id(import_id), int(row), body.media_id)
