"""Settings rules: user preferences (merged patches) and instance settings (secrets encrypted, write-only).

Instance settings are read from Postgres when used; the upstream credentials
are kept at most a minute per warm container (``settings.credentials``), so a
change made through the admin API reaches every function within a minute,
without a redeploy. Secrets are Fernet-encrypted with ``SEEN_SETTINGS_KEY``;
``key_id`` (a hash prefix of the key) names the key that encrypted each one.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any
from uuid import UUID

from cryptography.fernet import Fernet, InvalidToken
from pydantic import ValidationError
from pydantic.alias_generators import to_camel

from chalicelib import cache, db
from chalicelib.config import get_settings
from chalicelib.errors import ServiceUnavailable, ValidationFailed
from chalicelib.logs import get_logger
from chalicelib.picks import profile as quality
from chalicelib.settings import credentials
from chalicelib.settings.models import (
    InstanceSettings,
    InstanceSettingsPatch,
    SecretState,
    UserSettings,
    UserSettingsPatch,
)

DEFAULT_MAX_CONCURRENT = 3
# API field -> instance_settings key; secrets are never returned.
SECRETS = {"tmdb_api_key": "tmdb.api_key", "twitch_client_secret": "twitch.client_secret",
           "opensubtitles_api_key": "opensubtitles.api_key", "omdb_api_key": "omdb.api_key"}
VALUES = {"twitch_client_id": "twitch.client_id", "library_roots": "library.roots",
          "downloads_max_concurrent": "downloads.max_concurrent",
          "download_events_retention_days": "cleanup.download_events_retention_days"}


class SettingsKeyMissing(ServiceUnavailable):
    code = "settings_key_missing"


def q() -> Any:
    return db.queries()


# ------------------------------------------------------------------ user


def user_settings(conn: Any, user_id: UUID) -> UserSettings:
    """The user's preferences (defaults when never saved)."""
    return _user_settings(user_id, q().settings_user_get(conn, user_id=user_id))


def _user_settings(user_id: UUID, row: dict[str, Any] | None) -> UserSettings:
    if row is None:
        defaults = UserSettingsPatch().model_dump(exclude={"quality_profile"})
        return UserSettings(**defaults, quality_profile=quality.DEFAULT_PROFILE, updated_at=None)
    data = dict(row)
    profile = quality.stored_profile(data.pop("quality_profile"), user_id)
    return UserSettings(**data, quality_profile=profile)


def update_user_settings(user_id: UUID, patch: UserSettingsPatch) -> UserSettings:
    """Apply the fields sent (validated as a whole, the merged quality profile too: nothing is half-applied)."""
    sent = patch.model_fields_set
    with db.transaction() as conn:
        row = q().settings_user_get(conn, user_id=user_id)
        current = _user_settings(user_id, row).model_dump(exclude={"updated_at", "quality_profile"})
        merged = _subtitle_languages({**current, **patch.model_dump(include=sent - {"quality_profile"})}, sent)
        overrides = row["quality_profile"] if row else None
        if "quality_profile" in sent:
            overrides = _profile_overrides(overrides, patch.quality_profile)
        row = q().settings_user_upsert(conn, user_id=user_id, **merged,
                                       quality_profile=json.dumps(overrides) if overrides else None)
    # The region decides which release dates the calendar (and the dashboard) shows.
    cache.invalidate_pattern(cache.Keys.calendar_pattern(user_id))
    cache.invalidate(cache.Keys.dashboard(user_id))
    return _user_settings(user_id, row)


def _subtitle_languages(merged: dict[str, Any], sent: set[str]) -> dict[str, Any]:
    """Keep the single language and the ordered list in step: the list's first entry is the single one."""
    listed = list(dict.fromkeys(merged.get("subtitle_languages") or ()))
    single = merged.get("subtitle_language")
    if "subtitle_languages" in sent and "subtitle_language" not in sent:
        single = listed[0] if listed else None
    elif single:
        listed = [single, *(tag for tag in listed if tag != single)][:10]
    return {**merged, "subtitle_language": single, "subtitle_languages": listed}


def _profile_overrides(stored: dict[str, Any] | None,
                       patch: quality.QualityProfilePatch | None) -> dict[str, Any] | None:
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


def _fernet() -> tuple[Fernet, str]:
    key = get_settings().settings_key
    if not key:
        raise SettingsKeyMissing("Secrets cannot be stored: SEEN_SETTINGS_KEY is not configured")
    return Fernet(key.encode()), hashlib.sha256(key.encode()).hexdigest()[:12]


def instance_settings(conn: Any) -> InstanceSettings:
    """Every instance setting; secrets as set / not set only."""
    rows = {row["key"]: row for row in q().settings_instance_all(conn)}
    defaults = get_settings()
    data: dict[str, Any] = {field: SecretState(set=key in rows, updated_at=rows[key]["updated_at"] if key in rows
                                               else None) for field, key in SECRETS.items()}
    fallback = {"twitch_client_id": None, "library_roots": [], "downloads_max_concurrent": DEFAULT_MAX_CONCURRENT,
                "download_events_retention_days": defaults.cleanup_event_retention_days}
    for field, key in VALUES.items():
        data[field] = rows[key]["value"] if key in rows else fallback[field]
    data["downloads_max_concurrent_set"] = VALUES["downloads_max_concurrent"] in rows
    return InstanceSettings(**data)


def update_instance_settings(user_id: UUID, patch: InstanceSettingsPatch) -> InstanceSettings:
    """Write the fields sent in one transaction (secrets encrypted); null removes a setting."""
    sent = patch.model_fields_set
    if any(field in sent and getattr(patch, field) is not None for field in SECRETS):
        fernet, key_id = _fernet()  # before any write: a missing key changes nothing
    with db.transaction() as conn:
        for field in sent:
            value = getattr(patch, field)
            key = SECRETS.get(field) or VALUES[field]
            if value is None:
                q().settings_instance_delete(conn, key=key)
            elif field in SECRETS:
                token = fernet.encrypt(value.get_secret_value().encode())
                q().settings_instance_put_secret(conn, key=key, secret_ciphertext=token, key_id=key_id,
                                                 updated_by=user_id)
            else:
                q().settings_instance_put_value(conn, key=key, value=json.dumps(value), updated_by=user_id)
        result = instance_settings(conn)
    credentials.forget()  # this container uses the new credentials at once; the others within a minute
    get_logger().info("instance settings changed", extra={"action": "instance_settings_changed",
                                                          "user_id": str(user_id), "fields": sorted(sent)})
    return result


def instance_value(conn: Any, field: str, default: Any = None) -> Any:
    """A plain instance setting by API field name, read now (for jobs and clients)."""
    row = q().settings_instance_get(conn, key=VALUES[field])
    return default if row is None else row["value"]


def decrypt_row(row: dict[str, Any] | None) -> str | None:
    """A stored secret row decrypted; None when absent, or not decryptable with the configured key (logged)."""
    if row is None:
        return None
    try:
        fernet, _ = _fernet()
        return fernet.decrypt(bytes(row["secret_ciphertext"])).decode()
    except (InvalidToken, SettingsKeyMissing):
        get_logger().warning("instance secret not decryptable", extra={
            "action": "instance_secret_undecryptable", "setting": row["key"], "key_id": row["key_id"]})
        return None


def instance_secret(conn: Any, field: str) -> str | None:
    """A decrypted secret by API field name, read now; None when unset or not decryptable with the current key."""
    return decrypt_row(q().settings_instance_get(conn, key=SECRETS[field]))
