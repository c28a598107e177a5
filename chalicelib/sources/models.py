"""Request and response models of the indexer admin API and the source search (camelCase on the wire)."""

from __future__ import annotations

import hashlib
import ipaddress
import json
import uuid
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import Field, SecretStr, StringConstraints, field_validator

from chalicelib import egress
from chalicelib.models import ApiModel, RequestModel
from chalicelib.sources import scoring_device

MAX_URL = 2048
MAX_CATEGORY = 999_999  # Torznab categories: 1000-8999 standard, 100000+ indexer-specific


def check_indexer_url(url: str) -> str:
    """An indexer endpoint: http(s), a host, no credentials or fragment. Private/LAN hosts are allowed
    (Prowlarr usually runs on the home network); link-local and unspecified addresses never are."""
    if len(url) > MAX_URL:
        raise ValueError(f"at most {MAX_URL} characters")
    parts = egress.service_url_parts(url, "API key")
    if parts.fragment or any(ch.isspace() for ch in url):
        raise ValueError("must not contain a fragment or spaces")
    try:
        address = ipaddress.ip_address(parts.hostname or "")  # a host is known to be there
    except ValueError:
        return url
    if egress.address_refusal(address, allow_private=True):
        raise ValueError("points at a link-local, multicast, unspecified or cloud metadata address")
    return url


Categories = list[int]


class IndexerCreate(RequestModel):
    name: str = Field(min_length=1, max_length=100)
    url: str = Field(min_length=1, max_length=MAX_URL, description=(
        "The Torznab endpoint (Prowlarr: http://host:9696/<id>/api; Jackett: .../torznab/api). "
        "Private/LAN addresses are allowed"))
    api_key: SecretStr = Field(min_length=1, max_length=512, description="Write-only: never returned")
    categories: Categories = Field(default_factory=list, max_length=50, description=(
        "Torznab categories to search (empty: the indexer's defaults)"))
    enabled: bool = Field(default=True, strict=True)

    @field_validator("url")
    @classmethod
    def _url(cls, value: str) -> str:
        return check_indexer_url(value)

    @field_validator("categories")
    @classmethod
    def _categories(cls, values: list[int]) -> list[int]:
        return _valid_categories(values)


class IndexerPatch(RequestModel):
    """Only the fields sent change."""

    name: str | None = Field(default=None, min_length=1, max_length=100)
    url: str | None = Field(default=None, min_length=1, max_length=MAX_URL)
    api_key: SecretStr | None = Field(default=None, min_length=1, max_length=512)
    categories: Categories | None = Field(default=None, max_length=50)
    enabled: bool | None = Field(default=None, strict=True)

    @field_validator("url")
    @classmethod
    def _url(cls, value: str | None) -> str | None:
        return None if value is None else check_indexer_url(value)

    @field_validator("categories")
    @classmethod
    def _categories(cls, values: list[int] | None) -> list[int] | None:
        return None if values is None else _valid_categories(values)

    @field_validator("name", "url", "categories", "enabled")
    @classmethod
    def _not_null(cls, value: Any) -> Any:
        if value is None:
            raise ValueError("may not be null")
        return value


def _valid_categories(values: list[int]) -> list[int]:
    if any(isinstance(v, bool) or not 0 < v <= MAX_CATEGORY for v in values):
        raise ValueError(f"categories are numbers from 1 to {MAX_CATEGORY}")
    return sorted(set(values))


class SearchMode(ApiModel):
    available: bool
    params: list[str] = Field(description="Parameters the mode accepts (q, season, ep, imdbid, tmdbid, tvdbid...)")


class Category(ApiModel):
    id: int
    name: str
    subcategories: list[Category] = Field(default_factory=list)


class Caps(ApiModel):
    """What an indexer's t=caps says it supports."""

    search: SearchMode
    tv_search: SearchMode
    movie_search: SearchMode
    categories: list[Category]
    limit_max: int | None = None
    limit_default: int | None = None


class IndexerOut(ApiModel):
    id: uuid.UUID
    name: str
    url: str
    api_key_set: bool = Field(description="The API key is write-only: only whether one is stored")
    categories: list[int]
    enabled: bool
    caps: Caps | None = Field(description="From the last test (or first search); null = not read yet")
    caps_checked_at: datetime | None
    created_at: datetime
    updated_at: datetime


class IndexerList(ApiModel):
    items: list[IndexerOut]


CodecName = Annotated[str, StringConstraints(min_length=1, max_length=32)]


class DeviceCaps(RequestModel):
    """What the playing device decodes, as the player probes it. Normalised (lower case, aliases such as
    h265/x265 folded into hevc, unknown codecs dropped, sorted, no duplicates): one device, one key,
    however its browser listed them."""

    video: list[CodecName] = Field(default_factory=list, max_length=32, description=(
        "Video codecs it decodes: h264, hevc, av1, vp9, vp8 (others are ignored)"))
    audio: list[CodecName] = Field(default_factory=list, max_length=32, description=(
        "Audio codecs it decodes: aac, ac3, eac3, dts, truehd, opus, flac, mp3, vorbis (others are ignored)"))
    hdr: bool = Field(default=False, strict=True, description="The screen shows HDR")
    max_height: int | None = Field(default=None, ge=1, le=16_384, strict=True, description=(
        "Lines the screen shows (device pixels); null: unknown"))

    @field_validator("video")
    @classmethod
    def _video(cls, names: list[str]) -> list[str]:
        return sorted({n for n in map(scoring_device.canonical, names) if n in scoring_device.VIDEO})

    @field_validator("audio")
    @classmethod
    def _audio(cls, names: list[str]) -> list[str]:
        return sorted({n for n in map(scoring_device.canonical, names) if n in scoring_device.AUDIO})

    def key(self) -> str:
        """16 hex digits of the SHA-1 of the canonical JSON: part of a pick's key."""
        text = json.dumps(self.model_dump(by_alias=True), sort_keys=True, separators=(",", ":"))
        return hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()[:16]

    def device(self) -> scoring_device.Device:
        return scoring_device.Device(frozenset(self.video), frozenset(self.audio), self.hdr, self.max_height)


class SourcesQuery(RequestModel):
    media_id: int = Field(ge=1, le=2**63 - 1)
    season: int | None = Field(default=None, ge=0, le=10_000)
    episode: int | None = Field(default=None, ge=0, le=100_000)
    fresh: bool = Field(default=False, description="Skip the cache (ask the indexers again)")
    video: list[CodecName] = Field(default_factory=list, max_length=32, description=(
        "The playing device's video codecs (deviceCaps.video, repeated): rank for the device; absent: no device"))
    audio: list[CodecName] = Field(default_factory=list, max_length=32, description="deviceCaps.audio, repeated")
    hdr: bool = Field(default=False, description="deviceCaps.hdr")
    max_height: int | None = Field(default=None, ge=1, le=16_384, description="deviceCaps.maxHeight")

    def device(self) -> scoring_device.Device | None:
        """The device the query names (None without video codecs)."""
        if not self.video:
            return None
        return DeviceCaps(video=self.video, audio=self.audio, hdr=self.hdr, max_height=self.max_height).device()


class Score(ApiModel):
    total: float
    health: float
    quality: float
    size: float
    consistency: float


class SourceCandidate(ApiModel):
    name: str
    infohash: str | None = Field(description="Lower hex; null for a .torrent link not fetched yet")
    size: int | None
    seeders: int | None
    leechers: int | None
    indexer: str
    published_at: datetime | None
    file_index: int | None = None
    parsed: dict[str, Any] = Field(description="The release name read: resolution, source, codec, group, pack...")
    score: Score
    rejected: str | None
    reasons: list[str]


class SourceError(ApiModel):
    indexer: str
    message: str
    title: str | None = Field(default=None, description=(
        "A release the indexer sent that cannot be used (the message says why); none when the indexer failed"))


class SentQuery(ApiModel):
    """The query one indexer was sent (never its API key)."""

    function: str = Field(description="The Torznab function: search, tvsearch or movie")
    text: str | None = Field(default=None, description="The text searched (q), when one was sent")
    imdb_id: str | None = Field(default=None, description="tt1375666")
    tmdb_id: int | None = None
    tvdb_id: int | None = None
    season: int | None = None
    episode: int | None = None
    categories: list[int] = Field(default_factory=list, description="Torznab categories (empty: the indexer's)")


RejectCode = Literal["wrong_title", "wrong_year", "wrong_season", "wrong_episode", "single_episode",
                     "series_episode", "no_episode", "recording", "excluded_codec", "too_small", "too_big",
                     "not_video", "absurd_size", "no_seeders", "few_seeders", "unusable", "other"]


class RejectCount(ApiModel):
    code: RejectCode = Field(description="The kind of reject")
    reason: str = Field(description="The kind in plain words, to follow the count (2 wrong episode)")
    count: int


class IndexerSearch(ApiModel):
    """What one indexer asked in this search gave, and why its releases were rejected."""

    indexer: str
    query: SentQuery
    found: int = Field(description="Releases the indexer returned")
    fitting: int = Field(description="Of those, releases that fit (not rejected)")
    rejected: int = Field(description="Of those, releases rejected (by kind in rejections)")
    rejections: list[RejectCount] = Field(description="Rejected releases by kind, most first")
    error: str | None = Field(default=None, description="Why the indexer gave nothing (timeout, key refused...)")


class SourcesOut(ApiModel):
    candidates: list[SourceCandidate] = Field(description="Best first, rejected last")
    errors: list[SourceError] = Field(description=(
        "Indexers that failed (the others' results are still here), and releases left out, each with its title"))
    searched: list[IndexerSearch] = Field(default_factory=list, description=(
        "Every enabled indexer asked: the query sent, releases found and why they were rejected "
        "(empty: no indexer is enabled)"))
