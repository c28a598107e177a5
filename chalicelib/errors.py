"""Domain errors. Services raise these; ``chalicelib.api`` maps them to HTTP.

Each domain subclasses the kind that fits (``class JobNotFound(NotFound)``) so
services speak in their own terms and never in status codes.
"""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    status = 400
    code = "bad_request"

    def __init__(self, message: str, *, fields: dict[str, Any] | None = None, code: str | None = None):
        super().__init__(message)
        self.message = message
        self.fields = fields
        if code is not None:
            self.code = code


class BadRequest(DomainError):
    status, code = 400, "bad_request"


class Unauthorized(DomainError):
    status, code = 401, "unauthorized"


class Forbidden(DomainError):
    status, code = 403, "forbidden"


class NotFound(DomainError):
    status, code = 404, "not_found"


class Conflict(DomainError):
    status, code = 409, "conflict"


class PayloadTooLarge(DomainError):
    status, code = 413, "payload_too_large"


class ValidationFailed(DomainError):
    status, code = 422, "validation_error"


class RateLimited(DomainError):
    status, code = 429, "rate_limited"

    def __init__(self, message: str, *, retry_after: int, **kwargs: Any):
        super().__init__(message, **kwargs)
        self.retry_after = max(1, int(retry_after))


class ServiceUnavailable(DomainError):
    status, code = 503, "service_unavailable"


class StorageUnavailable(ServiceUnavailable):
    """The bucket could not be reached (a .torrent, an import file, an upload): try again shortly."""

    code = "storage_unavailable"


class UploadNotFound(NotFound):
    """A presigned upload the caller named is unknown, someone else's, used or expired."""

    code = "upload_not_found"
