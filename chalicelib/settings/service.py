"""Settings rules: user preferences (merged patches) and instance settings (secrets encrypted, write-only).

Instance settings are read from Postgres when used; the upstream credentials
are kept at most a minute per warm container (``settings.credentials``), so a
change made through the admin API reaches every function within a minute,
without a redeploy. Secrets are encrypted by ``settings.crypto``.
"""

from __future__ import annotations

import json
from typing import Any, cast
from uuid import UUID

from pydantic import ValidationError
from pydantic.alias_generators import to_camel

from chalicelib import cache, db
from chalicelib.config import get_settings
from chalicelib.db import Conn
from chalicelib.errors import ValidationFailed
from chalicelib.logs import get_logger
from chalicelib.settings import credentials, crypto, queries
from chalicelib.settings import profile as quality
from chalicelib.settings.models import (
    SECRETS,
    VALUES,
    InstanceSettings,
    InstanceSettingsPatch,
    SecretState,
    UserSettings,
    UserSettingsPatch,
)
from chalicelib.settings.queries import Preferences, PreferencesRow

DEFAULT_MAX_CONCURRENT = 3


# ------------------------------------------------------------------ user


def user_settings(user_id: UUID) -> UserSettings:
    """The user's preferences (defaults when never saved)."""
    with db.connection() as conn:
        return _user_settings(user_id, queries.user_get(conn, user_id=user_id))


def _user_settings(user_id: UUID, row: PreferencesRow | None) -> UserSettings:
    if row is None:
        defaults = UserSettingsPatch().model_dump(exclude={"quality_profile"})
        return UserSettings(**defaults, quality_profile=quality.DEFAULT_PROFILE, updated_at=None)
    data = {k: v for k, v in row.items() if k != "quality_profile"}
    profile = quality.stored_profile(row["quality_profile"], user_id)
    return UserSettings.model_validate({**data, "quality_profile": profile})


def update_user_settings(user_id: UUID, patch: UserSettingsPatch) -> UserSettings:
    """Apply the fields sent (validated as a whole, the merged quality profile too: nothing is half-applied)."""
    sent = patch.model_fields_set
    with db.transaction() as conn:
        row = queries.user_get(conn, user_id=user_id)
        current = _user_settings(user_id, row).model_dump(exclude={"updated_at", "quality_profile"})
        merged = _subtitle_languages(cast(Preferences, {
            **current, **patch.model_dump(include=sent - {"quality_profile"})}), sent)
        overrides = row["quality_profile"] if row else None
        if "quality_profile" in sent:
            overrides = _profile_overrides(overrides, patch.quality_profile)
        row = queries.user_upsert(conn, user_id=user_id, **merged,
                                  quality_profile=json.dumps(overrides) if overrides else None)
    # The region decides which release dates the calendar (and the dashboard) shows.
    cache.invalidate_pattern(cache.Keys.calendar_pattern(user_id))
    cache.invalidate(cache.Keys.dashboard(user_id))
    return _user_settings(user_id, row)


def _subtitle_languages(merged: Preferences, sent: set[str]) -> Preferences:
    """Keep the single language and the ordered list in step: the list's first entry is the single one."""
    listed = list(dict.fromkeys(merged.get("subtitle_languages") or ()))
    single = merged.get("subtitle_language")
    if "subtitle_languages" in sent and "subtitle_language" not in sent:
        single = listed[0] if listed else None
    elif single:
        listed = [single, *(tag for tag in listed if tag != single)][:10]
    return {**merged, "subtitle_language": single, "subtitle_languages": listed}


def _profile_overrides(stored: quality.Overrides | None,
                       patch: quality.QualityProfilePatch | None) -> quality.Overrides | None:
    """The stored overrides with the patch merged in, validated as a whole profile (None: all defaults)."""
    if patch is None:
        return None
    merged = quality.merge_overrides(stored, patch)
    try:
        quality.from_overrides(merged)
    except ValidationError as exc:
        fields = {".".join(["qualityProfile", *(to_camel(str(p)) for p in err["loc"])]): err["msg"]
                  for err in exc.errors(include_url=False)}
        raise ValidationFailed("The quality profile is invalid", fields=fields) from None
    return merged or None


# ------------------------------------------------------------- instance


def instance_settings() -> InstanceSettings:
    """Every instance setting; secrets as set / not set only."""
    with db.connection() as conn:
        return _instance_settings(conn)


def _instance_settings(conn: Conn) -> InstanceSettings:
    rows = {row["key"]: row for row in queries.instance_all(conn)}
    defaults = get_settings()
    data: dict[str, object] = {field: SecretState(set=key in rows, updated_at=rows[key]["updated_at"] if key in rows
                                               else None) for field, key in SECRETS.items()}
    fallback: dict[str, object] = {
        "twitch_client_id": None, "library_roots": [], "downloads_max_concurrent": DEFAULT_MAX_CONCURRENT,
        "download_events_retention_days": defaults.cleanup_event_retention_days}
    for field, key in VALUES.items():
        data[field] = rows[key]["value"] if key in rows else fallback[field]
    data["downloads_max_concurrent_set"] = VALUES["downloads_max_concurrent"] in rows
    return InstanceSettings.model_validate({**data, "secrets_storable": bool(defaults.settings_key)})


def update_instance_settings(user_id: UUID, patch: InstanceSettingsPatch) -> InstanceSettings:
    """Write the fields sent in one transaction (secrets encrypted); null removes a setting."""
    sent = patch.model_fields_set
    secrets = tuple(to_camel(field) for field in SECRETS if field in sent and getattr(patch, field) is not None)
    fernet = crypto.fernet(secrets) if secrets else None  # before any write: a missing key changes nothing
    with db.transaction() as conn:
        for field in sent:
            value = getattr(patch, field)
            key = SECRETS.get(field) or VALUES[field]
            if value is None:
                queries.instance_delete(conn, key=key)
            elif fernet is not None and field in SECRETS:
                token = fernet[0].encrypt(value.get_secret_value().encode())
                queries.instance_put_secret(conn, key=key, secret_ciphertext=token, key_id=fernet[1],
                                            updated_by=user_id)
            else:
                queries.instance_put_value(conn, key=key, value=json.dumps(value), updated_by=user_id)
        result = _instance_settings(conn)
    credentials.forget()  # this container uses the new credentials at once; the others within a minute
    get_logger().info("instance settings changed", extra={"action": "instance_settings_changed",
                                                          "user_id": str(user_id), "fields": sorted(sent)})
    return result


def instance_value(conn: Conn, field: str, default: object = None) -> Any:
    """A plain instance setting by API field name, read now (for jobs and clients)."""
    row = queries.instance_get(conn, key=VALUES[field])
    return default if row is None else row["value"]


def instance_secret(conn: Conn, field: str) -> str | None:
    """A decrypted secret by API field name, read now; None when unset or not decryptable with the current key."""
    return crypto.decrypt_row(queries.instance_get(conn, key=SECRETS[field]))
