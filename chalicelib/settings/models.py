"""Request and response models of both settings endpoints (strict types: "90" is not a number)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field, SecretStr, StringConstraints, field_validator

from chalicelib.models import ApiModel, RequestModel
from chalicelib.settings.profile import QualityProfile, QualityProfilePatch

LANGUAGE = r"^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*$"
Theme = Literal["dark", "light", "system"]
LanguageTag = Annotated[str, StringConstraints(pattern=LANGUAGE, max_length=35)]

# Instance settings: API field -> instance_settings key; secrets are never returned.
SECRETS = {"tmdb_api_key": "tmdb.api_key", "twitch_client_secret": "twitch.client_secret",
           "opensubtitles_api_key": "opensubtitles.api_key", "omdb_api_key": "omdb.api_key",
           "tvdb_api_key": "tvdb.api_key", "tvdb_pin": "tvdb.pin"}
VALUES = {"twitch_client_id": "twitch.client_id", "library_roots": "library.roots",
          "downloads_max_concurrent": "downloads.max_concurrent",
          "download_events_retention_days": "cleanup.download_events_retention_days"}


class UserSettings(ApiModel):
    watched_threshold_percent: int = Field(description="Share of a title played that marks it watched")
    autoplay_next: bool
    subtitle_language: str | None = Field(description="Default subtitle language; null = subtitles off")
    subtitle_languages: list[str] = Field(default_factory=list, description=(
        "Preferred subtitle languages, most wanted first (the first is subtitleLanguage); the player lists "
        "them first and missing ones are fetched from OpenSubtitles when the instance has a key"))
    audio_language: str | None
    theme: Theme
    region: str | None = Field(description="ISO 3166-1 alpha-2 region for release dates; null = US")
    stall_switch_seconds: int = Field(default=15, description=(
        "Seconds a torrent's stream may stall at one spot before the player switches to the next release "
        "that fits (a playback session's fallback)"))
    quality_profile: QualityProfile = Field(description=(
        "What a good release is for you and your browser (Get ranks sources with it); defaults until changed"))
    updated_at: datetime | None


class UserSettingsPatch(RequestModel):
    """Only the fields sent change; null clears an optional one."""

    watched_threshold_percent: int = Field(default=90, ge=50, le=100, strict=True)
    autoplay_next: bool = Field(default=True, strict=True)
    subtitle_language: str | None = Field(default=None, pattern=LANGUAGE, max_length=35)
    subtitle_languages: list[LanguageTag] = Field(default_factory=list, max_length=10, description=(
        "Ordered; sent without subtitleLanguage, its first entry becomes subtitleLanguage"))
    audio_language: str | None = Field(default=None, pattern=LANGUAGE, max_length=35)
    theme: Theme = "dark"
    region: str | None = Field(default=None, pattern=r"^[A-Z]{2}$")
    stall_switch_seconds: int = Field(default=15, ge=3, le=300, strict=True, description=(
        "Seconds a torrent's stream may stall before the player switches to the next release"))
    quality_profile: QualityProfilePatch | None = Field(default=None, description=(
        "Some fields of your quality profile, merged into it (sizeBands per resolution); null = all defaults"))


class SecretState(ApiModel):
    set: bool = Field(description="Secrets are write-only: only whether one is stored is returned")
    updated_at: datetime | None = None


class InstanceSettings(ApiModel):
    tmdb_api_key: SecretState
    twitch_client_id: str | None = Field(description="Twitch application id (IGDB authenticates through Twitch)")
    twitch_client_secret: SecretState
    opensubtitles_api_key: SecretState = Field(description=(
        "OpenSubtitles REST API key: subtitles in the users' languages are fetched for files that lack them"))
    omdb_api_key: SecretState = Field(description=(
        "OMDb API key: IMDb, Rotten Tomatoes and Metacritic ratings are fetched in the background "
        "(GET /api/v1/admin/ratings shows the coverage)"))
    tvdb_api_key: SecretState = Field(description=(
        "TheTVDB v4 API key: exact episode air times for the calendar (without one, a show's time is its "
        "network's usual slot, marked approximate); TVDB_API_KEY applies when none is stored"))
    tvdb_pin: SecretState = Field(description="TheTVDB subscriber PIN, needed only with a user-supported key")
    library_roots: list[str] = Field(description=(
        "The library roots the admin UI shows and offers as rescan paths (POST /api/v1/library/rescan). "
        "The worker has no database access: it scans the roots in its own LIBRARY_ROOTS setting, so keep "
        "the two lists in step."))
    downloads_max_concurrent: int = Field(description=(
        "Downloads sent to the worker at once (the oldest active jobs); newer jobs stay queued until one "
        "ends. Unset: every job is sent at once and the worker's DOWNLOAD_MAX_ACTIVE slots apply (default 3)."))
    downloads_max_concurrent_set: bool = Field(default=False, description=(
        "Whether downloadsMaxConcurrent was stored (enforced) or is the default shown"))
    download_events_retention_days: int
    secrets_storable: bool = Field(default=True, description=(
        "Whether this server has a key to encrypt secrets with (SEEN_SETTINGS_KEY); false: saving a key answers "
        "503 settings_key_missing, and Settings says so beside each key field before anyone types one"))


class InstanceSettingsPatch(RequestModel):
    """Only the fields sent change; null removes a setting (back to its default)."""

    tmdb_api_key: SecretStr | None = Field(default=None, min_length=1, max_length=512)
    twitch_client_id: str | None = Field(default=None, min_length=1, max_length=256)
    twitch_client_secret: SecretStr | None = Field(default=None, min_length=1, max_length=512)
    opensubtitles_api_key: SecretStr | None = Field(default=None, min_length=1, max_length=512)
    omdb_api_key: SecretStr | None = Field(default=None, min_length=1, max_length=512)
    tvdb_api_key: SecretStr | None = Field(default=None, min_length=1, max_length=512)
    tvdb_pin: SecretStr | None = Field(default=None, min_length=1, max_length=64)
    library_roots: list[str] | None = Field(default=None, max_length=32)
    downloads_max_concurrent: int | None = Field(default=None, ge=1, le=50, strict=True)
    download_events_retention_days: int | None = Field(default=None, ge=1, le=3650, strict=True)

    @field_validator("library_roots")
    @classmethod
    def _absolute_paths(cls, roots: list[str] | None) -> list[str] | None:
        if roots is None:
            return None
        for root in roots:
            if not root.startswith("/") or len(root) > 1024 or "\x00" in root:
                raise ValueError("each library root must be an absolute path (at most 1024 characters)")
        return list(dict.fromkeys(roots))
