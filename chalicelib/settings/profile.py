"""The quality profile: what a good release is for this user and the device that plays it (a browser).

The defaults and why:

- **1080p at most, 1080p preferred.** The player is a browser streaming from the home server's bucket; a
  2160p file is 3-5x the bytes for a picture most laptop screens and upload links cannot show.
- **Playable codecs: H.264, VP9, AV1.** Every current browser decodes H.264; Chrome, Edge and Firefox decode
  VP9 and AV1 (Safari AV1 only on recent Apple hardware). **H.265/HEVC is not in the list**: Firefox does not
  play it and Chrome only with hardware decoding, so an HEVC release scores lower (not rejected: on Safari or
  Edge it plays, and a user on those adds ``h265`` to ``playableCodecs``). No codec is excluded by default —
  an old show may only exist as XviD; it scores low, and users who never want one add it to ``excludedCodecs``.
- **HDR off.** Browsers tone-map HDR10 to an SDR screen poorly (washed out), and Dolby Vision without an HDR10
  base layer shows wrong colours; an HDR release scores lower unless ``allowHdr``.
- **Size bands in MB per minute of runtime**, per resolution: below the band is starved (blocky), above it is a
  remux or bloat that streams badly. 1080p 8-80 covers an x265 encode (~10) up to a high-bitrate WEB-DL (~60).
- **At least 2 seeders**: one seeder is one home connection going away mid-download.
- **Cutoff 1080p**: monitoring stops looking for upgrades once a file is at least this good.

Stored per user in ``user_preferences.quality_profile`` as the fields the user changed (absent = all
defaults), so better defaults reach everyone who did not choose otherwise.
"""

from __future__ import annotations

import hashlib
import json
from typing import Literal
from uuid import UUID

from pydantic import ConfigDict, Field, ValidationError, field_validator, model_validator
from pydantic.alias_generators import to_camel

from chalicelib.db import Conn
from chalicelib.logs import get_logger
from chalicelib.models import ApiModel
from chalicelib.settings import queries

RESOLUTIONS = (480, 576, 720, 1080, 2160)
CODECS = ("h264", "h265", "av1", "vp9", "vp8", "xvid", "divx", "mpeg2", "vc1")
Resolution = Literal[480, 576, 720, 1080, 2160]
Codec = Literal["h264", "h265", "av1", "vp9", "vp8", "xvid", "divx", "mpeg2", "vc1"]
Overrides = dict[str, object]  # the fields a user changed, as stored (JSON data, snake_case)


class SizeBand(ApiModel):
    """Sizes that are sane for one resolution, in MB (10^6 bytes) per minute of runtime."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, frozen=True, extra="forbid")

    min: float = Field(ge=0.1, le=2000, strict=True, description="MB per minute below which a file is starved")
    max: float = Field(ge=0.1, le=2000, strict=True, description="MB per minute above which a file is bloated")

    @model_validator(mode="after")
    def _ordered(self) -> SizeBand:
        if self.min >= self.max:
            raise ValueError("min must be below max")
        return self


DEFAULT_BANDS: dict[int, SizeBand] = {
    480: SizeBand(min=1.5, max=20.0), 576: SizeBand(min=2.0, max=25.0), 720: SizeBand(min=4.0, max=40.0),
    1080: SizeBand(min=8.0, max=80.0), 2160: SizeBand(min=15.0, max=400.0),
}


def _known_bands(bands: dict[int, SizeBand]) -> dict[int, SizeBand]:
    if set(bands) - set(RESOLUTIONS):
        raise ValueError(f"size bands are for the resolutions {', '.join(map(str, RESOLUTIONS))}")
    return bands


class QualityProfile(ApiModel):
    """A user's quality profile (see the module docstring for the defaults and their reasons)."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, frozen=True, extra="forbid")

    max_resolution: Resolution = Field(default=1080, description="Highest resolution worth fetching")
    preferred_resolution: Resolution = Field(default=1080, description="The resolution that scores best")
    cutoff_resolution: Resolution = Field(default=1080, description=(
        "Monitoring: a file at least this good is not replaced by an upgrade"))
    playable_codecs: tuple[Codec, ...] = Field(default=("h264", "vp9", "av1"), max_length=len(CODECS),
                                               description="Video codecs the browser plays")
    excluded_codecs: tuple[Codec, ...] = Field(default=(), max_length=len(CODECS),
                                               description="Video codecs never picked (a hard reject)")
    allow_hdr: bool = Field(default=False, strict=True, description="HDR10/HDR10+/Dolby Vision score as well as SDR")
    size_bands: dict[int, SizeBand] = Field(default_factory=lambda: dict(DEFAULT_BANDS), description=(
        "MB per minute of runtime that is sane, per resolution (480, 576, 720, 1080, 2160)"))
    min_seeders: int = Field(default=2, ge=1, le=1000, strict=True, description=(
        "Smaller swarms are rejected (a download that may never finish)"))

    @field_validator("size_bands")
    @classmethod
    def _all_resolutions(cls, bands: dict[int, SizeBand]) -> dict[int, SizeBand]:
        return {res: _known_bands(bands).get(res, DEFAULT_BANDS[res]) for res in RESOLUTIONS}

    @model_validator(mode="after")
    def _consistent(self) -> QualityProfile:
        if self.preferred_resolution > self.max_resolution or self.cutoff_resolution > self.max_resolution:
            raise ValueError("preferredResolution and cutoffResolution must not exceed maxResolution")
        if set(self.playable_codecs) & set(self.excluded_codecs):
            raise ValueError("a codec cannot be both playable and excluded")
        return self


class QualityProfilePatch(ApiModel):
    """Some fields of a quality profile; sizeBands are merged per resolution."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid")

    max_resolution: Resolution | None = None
    preferred_resolution: Resolution | None = None
    cutoff_resolution: Resolution | None = None
    playable_codecs: list[Codec] | None = Field(default=None, max_length=len(CODECS))
    excluded_codecs: list[Codec] | None = Field(default=None, max_length=len(CODECS))
    allow_hdr: bool | None = Field(default=None, strict=True)
    size_bands: dict[int, SizeBand] | None = Field(default=None, max_length=len(RESOLUTIONS))
    min_seeders: int | None = Field(default=None, ge=1, le=1000, strict=True)

    @field_validator("size_bands")
    @classmethod
    def _known_resolutions(cls, bands: dict[int, SizeBand] | None) -> dict[int, SizeBand] | None:
        return None if bands is None else _known_bands(bands)


DEFAULT_PROFILE = QualityProfile()


def profile_hash(profile: QualityProfile) -> str:
    """A stable 16-hex digest of the profile (cache and pick keys): equal profiles, equal hashes."""
    canonical = json.dumps(profile.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()[:16]


def merge_overrides(stored: Overrides | None, patch: QualityProfilePatch) -> Overrides:
    """The user's stored overrides with ``patch`` applied (sizeBands per resolution), as JSON-ready data."""
    merged = dict(stored or {})
    sent = patch.model_dump(mode="json", include=patch.model_fields_set)
    for field, value in sent.items():
        if field == "size_bands" and value is not None:
            bands = merged.get("size_bands")
            merged["size_bands"] = {**(bands if isinstance(bands, dict) else {}), **value}
        elif value is None:
            merged.pop(field, None)  # null: back to the default
        else:
            merged[field] = value
    return merged


def from_overrides(overrides: Overrides | None) -> QualityProfile:
    """The defaults with ``overrides`` applied; raises pydantic's ValidationError when they do not fit."""
    if not overrides:
        return DEFAULT_PROFILE
    return QualityProfile.model_validate(overrides)


def stored_profile(overrides: Overrides | None, user_id: UUID) -> QualityProfile:
    """The profile from stored overrides; DEFAULT_PROFILE when they no longer validate (logged)."""
    try:
        return from_overrides(overrides)
    except ValidationError:
        get_logger().warning("stored quality profile invalid; using the default", extra={
            "action": "quality_profile_invalid", "user_id": str(user_id)})
        return DEFAULT_PROFILE


def for_user(conn: Conn, user_id: UUID) -> QualityProfile:
    """The user's stored profile, or DEFAULT_PROFILE (none stored, or what is stored no longer validates)."""
    row = queries.quality_profile_get(conn, user_id=user_id)
    return stored_profile(row["quality_profile"] if row else None, user_id)
