"""Request and response bodies of /api/v1/auth (also used by /api/v1/admin)."""

from __future__ import annotations

import re
import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field, StringConstraints, field_validator

from chalicelib.models import ApiModel, RequestModel

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+$")

# Passwords are taken exactly as typed (RequestModel strips other strings).
# The upper bound here only refuses absurd input early; the policy (10-256)
# is checked by the service and answers ``weak_password``.
RawPassword = Annotated[str, StringConstraints(strip_whitespace=False, min_length=1, max_length=1024)]
DisplayName = Annotated[str, StringConstraints(min_length=1, max_length=200)]


class _WithEmail(RequestModel):
    email: str = Field(min_length=3, max_length=320, examples=["me@example.com"])

    @field_validator("email")
    @classmethod
    def _normalise(cls, value: str) -> str:
        value = value.strip().lower()
        if not _EMAIL.match(value):
            raise ValueError("must be an e-mail address")
        return value


class RegisterIn(_WithEmail):
    password: RawPassword
    display_name: DisplayName | None = None


class LoginIn(_WithEmail):
    password: RawPassword


class ProfilePatch(RequestModel):
    display_name: DisplayName | None


class PasswordChangeIn(RequestModel):
    current_password: RawPassword
    new_password: RawPassword


class UserOut(ApiModel):
    id: uuid.UUID
    email: str
    display_name: str | None
    role: Literal["user", "admin"]
    created_at: datetime
    last_login_at: datetime | None


class SessionOut(ApiModel):
    """A login: the access token for ``Authorization: Bearer``; the refresh token is only in a cookie."""

    user: UserOut
    access_token: str
    token_type: Literal["Bearer"] = "Bearer"  # noqa: S105 - the scheme name, not a secret
    expires_in: int = Field(description="Seconds until the access token expires")
    csrf_token: str = Field(description="Same value as the seen_csrf cookie; echo it in X-CSRF-Token")
    profile_id: uuid.UUID | None = Field(default=None, description="The household profile the access token acts "
                                                                     "as (GET /api/v1/me/profiles lists them)")
