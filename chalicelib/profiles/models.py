"""Request and response bodies of /api/v1/me/profiles."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from chalicelib.auth.models import RawPassword
from chalicelib.models import ApiModel, RequestModel

MAX_PROFILES = 6

Kind = Literal["adult", "kid"]
Theme = Literal["dark", "light", "system"]
Name = Annotated[str, StringConstraints(min_length=1, max_length=40)]
# 4-6 digits, taken exactly as typed.
Pin = Annotated[str, StringConstraints(strip_whitespace=False, pattern=r"^[0-9]{4,6}$")]
Rating = Annotated[str, StringConstraints(min_length=1, max_length=16)]
Avatar = Annotated[str, StringConstraints(min_length=1, max_length=40, pattern=r"^[a-z0-9_-]+$")]
Color = Annotated[str, StringConstraints(to_lower=True, pattern=r"^#[0-9a-fA-F]{6}$")]
Collections = Annotated[list[uuid.UUID], Field(max_length=100)]
OWNER_PIN = ("A PIN for the account owner's profile, set in the same step: a household with a kid profile needs one "
             "(422 owner_pin_required without it while the owner's profile has none; ignored when it has one)")


class ProfileIn(RequestModel):
    name: Name
    kind: Kind = "adult"
    max_rating: Rating | None = Field(default=None, description=(
        "Kid profiles: the highest certification they may see (\"PG-13\", \"TV-14\", \"12\", \"E10+\"); "
        "default for a kid: 7 years"))
    allowed_collections: Collections = Field(default_factory=list, description=(
        "Kid profiles: ids of the household's collections they are limited to (empty: no allow-list)"))
    pin: Pin | None = Field(default=None, description="4-6 digits asked when the profile is selected")
    owner_pin: Pin | None = Field(default=None, description=OWNER_PIN)
    theme: Theme | None = None
    avatar: Avatar | None = None
    color: Color | None = None


class ProfilePatch(RequestModel):
    """Only the fields sent change; ``pin: null`` clears the PIN, ``maxRating: null`` the kid's rating."""

    name: Name | None = None
    kind: Kind | None = None
    max_rating: Rating | None = None
    allowed_collections: Collections | None = None
    pin: Pin | None = None
    owner_pin: Pin | None = Field(default=None, description=OWNER_PIN)
    theme: Theme | None = None
    avatar: Avatar | None = None
    color: Color | None = None


class SelectIn(RequestModel):
    pin: Pin | None = Field(default=None, description=(
        "The profile's PIN; from a kid profile, an adult profile without a PIN takes the account owner's"))
    password: RawPassword | None = Field(default=None, description=(
        "From a kid profile while the owner's profile has no PIN (a household from before PINs were needed): "
        "the account's password, with ownerPin, sets the owner's PIN and selects the adult profile"))
    owner_pin: Pin | None = Field(default=None, description="The account owner's new PIN (with password)")


class ProfileOut(ApiModel):
    id: uuid.UUID
    name: str
    kind: Kind
    max_rating: str | None
    allowed_collections: list[uuid.UUID]
    has_pin: bool
    is_owner: bool = Field(description="The account's own profile: cannot be deleted or made a kid")
    theme: Theme
    avatar: str | None
    color: str | None
    created_at: datetime


class ProfileList(ApiModel):
    items: list[ProfileOut]
    current_id: uuid.UUID = Field(description="The profile this session acts as")
