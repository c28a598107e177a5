from __future__ import annotations

from typing import Any

from chalice import Blueprint

from chalicelib import openapi
from chalicelib.api import endpoint
from chalicelib.config import get_settings

bp = Blueprint(__name__)
_document: dict[str, Any] | None = None


@endpoint(bp, "/api/v1/openapi.json", summary="This API's OpenAPI 3.1 document", tags=("meta",))
def openapi_document() -> dict[str, Any]:
    global _document
    if _document is None:  # built on first request, not at import (cold start)
        _document = openapi.build(get_settings().version)
    return _document
