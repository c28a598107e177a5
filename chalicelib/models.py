"""Base pydantic models for the HTTP API: camelCase on the wire, strict input."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any, Generic, TypeVar

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field
from pydantic.alias_generators import to_camel

T = TypeVar("T")

# Years a request may name (releases, watches, calendar ranges). Python's date
# stops at 9999 and arithmetic near either end overflows; these bounds keep
# every +/- a day or a month far from that, and match the catalog's year filters.
MIN_YEAR, MAX_YEAR = 1850, 2200
MONTH_PATTERN = r"^(18[5-9][0-9]|19[0-9]{2}|2[01][0-9]{2}|2200)-(0[1-9]|1[0-2])$"


def supported_year(value: date) -> date:
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise ValueError(f"must be between the years {MIN_YEAR} and {MAX_YEAR}")
    return value


def _iso_text(value: Any) -> Any:
    """Dates are ISO 8601 text, as documented: pydantic would also read 0 or "0.5" as a Unix timestamp."""
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not ISO_DATE_START.match(value.strip()):
        raise ValueError("must be an ISO 8601 date (YYYY-MM-DD...)")
    return value


ISO_DATE_START = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
Year = Annotated[int, Field(ge=MIN_YEAR, le=MAX_YEAR)]
Day = Annotated[date, BeforeValidator(_iso_text), AfterValidator(supported_year)]
Instant = Annotated[datetime, BeforeValidator(_iso_text), AfterValidator(supported_year)]
Month = Annotated[str, Field(pattern=MONTH_PATTERN, description=f"YYYY-MM, {MIN_YEAR} to {MAX_YEAR}")]


class ApiModel(BaseModel):
    """Response models: snake_case in Python, camelCase in JSON."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, from_attributes=True, defer_build=True)


class RequestModel(ApiModel):
    """Request bodies and query strings: unknown fields are an error, not ignored."""

    model_config = ConfigDict(
        alias_generator=to_camel, populate_by_name=True, extra="forbid", str_strip_whitespace=True, defer_build=True
    )


class ErrorDetail(ApiModel):
    code: str = Field(examples=["validation_error"])
    message: str
    fields: dict[str, str] | None = None
    retry_after: int | None = Field(default=None, description=(
        "Seconds to wait before asking again (429, 503): the Retry-After header's value, for clients that "
        "cannot read headers"))


class ErrorEnvelope(ApiModel):
    error: ErrorDetail


class Page(ApiModel, Generic[T]):
    items: list[T]
    page: int
    page_size: int
    total: int


class CursorPage(ApiModel, Generic[T]):
    items: list[T]
    next_cursor: str | None = None
