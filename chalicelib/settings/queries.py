"""Settings' SQL: the named queries of ``db/queries/settings.sql``, typed."""

from __future__ import annotations

from datetime import datetime
from typing import TypedDict
from uuid import UUID

from chalicelib import db
from chalicelib.db import Conn


class Preferences(TypedDict):
    """The preferences a PATCH merges and writes (all but the quality profile)."""

    watched_threshold_percent: int
    autoplay_next: bool
    subtitle_language: str | None
    subtitle_languages: list[str]
    audio_language: str | None
    theme: str
    region: str | None
    stall_switch_seconds: int


class PreferencesRow(Preferences):
    quality_profile: dict[str, object] | None  # the user's overrides only; NULL: every default
    updated_at: datetime


class QualityProfileRow(TypedDict):
    quality_profile: dict[str, object] | None


class InstanceSettingRow(TypedDict):
    key: str
    value: object  # jsonb; NULL for a secret
    is_secret: bool
    secret_ciphertext: bytes | None
    key_id: str | None
    updated_at: datetime


def user_get(conn: Conn, *, user_id: UUID) -> PreferencesRow | None:
    return db.queries().settings_user_get(conn, user_id=user_id)


def user_upsert(conn: Conn, *, user_id: UUID, watched_threshold_percent: int, autoplay_next: bool,
                subtitle_language: str | None, subtitle_languages: list[str], audio_language: str | None,
                theme: str, region: str | None, stall_switch_seconds: int,
                quality_profile: str | None) -> PreferencesRow:
    """Every column written; ``quality_profile`` is JSON text of the overrides (None: every default)."""
    return db.queries().settings_user_upsert(
        conn, user_id=user_id, watched_threshold_percent=watched_threshold_percent, autoplay_next=autoplay_next,
        subtitle_language=subtitle_language, subtitle_languages=subtitle_languages, audio_language=audio_language,
        theme=theme, region=region, stall_switch_seconds=stall_switch_seconds, quality_profile=quality_profile)


def quality_profile_get(conn: Conn, *, user_id: UUID) -> QualityProfileRow | None:
    return db.queries().settings_quality_profile_get(conn, user_id=user_id)


def instance_all(conn: Conn) -> list[InstanceSettingRow]:
    return list(db.queries().settings_instance_all(conn))


def instance_get(conn: Conn, *, key: str) -> InstanceSettingRow | None:
    return db.queries().settings_instance_get(conn, key=key)


def instance_put_value(conn: Conn, *, key: str, value: str, updated_by: UUID) -> None:
    """``value``: JSON text."""
    db.queries().settings_instance_put_value(conn, key=key, value=value, updated_by=updated_by)


def instance_put_secret(conn: Conn, *, key: str, secret_ciphertext: bytes, key_id: str, updated_by: UUID) -> None:
    db.queries().settings_instance_put_secret(conn, key=key, secret_ciphertext=secret_ciphertext, key_id=key_id,
                                              updated_by=updated_by)


def instance_delete(conn: Conn, *, key: str) -> None:
    db.queries().settings_instance_delete(conn, key=key)
