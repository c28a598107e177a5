"""The user's side: the list with its unread count, read marks, and rules and channels (settings)."""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID

from chalicelib import clock, db, errors
from chalicelib.config import get_settings
from chalicelib.notifications.models import (
    RULES,
    Channel,
    ChannelIn,
    Notification,
    NotificationList,
    NotificationSettings,
    NotificationSettingsIn,
    ReadIn,
    ReadOut,
    Rules,
)

LIST_LIMIT = 50


def _camel(rule: str) -> str:
    head, *rest = rule.split("_")
    return head + "".join(part.title() for part in rest)


def listing(conn: Any, user_id: UUID) -> NotificationList:
    rows = db.queries().notify_list(conn, user_id=user_id, row_limit=LIST_LIMIT)
    return NotificationList(items=[Notification.model_validate(row) for row in rows],
                            unread=db.queries().notify_unread_count(conn, user_id=user_id))


def mark_read(conn: Any, user_id: UUID, body: ReadIn) -> ReadOut:
    db.queries().notify_mark_read(conn, user_id=user_id, ids=body.ids, everything=body.all, now=clock.now())
    return ReadOut(unread=db.queries().notify_unread_count(conn, user_id=user_id))


def rules(conn: Any, user_id: UUID) -> Rules:
    stored = db.queries().notify_rules(conn, user_id=user_id) or {}
    return Rules(**{rule: stored.get(_camel(rule), True) is not False for rule in RULES})


def settings(conn: Any, user_id: UUID) -> NotificationSettings:
    channels = [Channel.model_validate(row) for row in db.queries().notify_channels(conn, user_id=user_id)]
    return NotificationSettings(rules=rules(conn, user_id), channels=channels)


def _service_of(index: int, label: str, url: str) -> str:
    """The channel's service when ``url`` may be saved (allow-listed, no injected method or headers,
    a host the egress guard allows); 422 naming the channel otherwise (nothing is stored)."""
    from chalicelib.notifications import channels  # imports apprise: only a settings change and the sender

    try:
        return channels.check(url, get_settings().notifications)
    except channels.ChannelRefused as exc:
        raise errors.ValidationFailed(f"The channel “{label}” cannot be used: {exc}",
                                      fields={f"notifications.channels.{index}.url": str(exc)}) from None


def _replace_channels(conn: Any, user_id: UUID, channels: list[ChannelIn]) -> None:
    from chalicelib.settings.service import _fernet

    added = [(c.label.strip(), c.url.strip(), _service_of(i, c.label.strip(), c.url.strip()))
             for i, c in enumerate(channels) if c.url and c.label]
    fernet, key_id = _fernet() if added else (None, "")  # before any write: a missing key changes nothing
    q = db.queries()
    q.notify_delete_channels_except(conn, user_id=user_id, keep=[c.id for c in channels if c.id])
    from psycopg import errors as pg_errors

    try:
        for label, url, service in added:
            q.notify_add_channel(conn, user_id=user_id, label=label, service=service, key_id=key_id,
                                 url_ciphertext=fernet.encrypt(url.encode()).decode())
    except pg_errors.UniqueViolation:  # the transaction is rolled back: nothing of the patch is kept
        raise errors.ValidationFailed("A channel with this label exists",
                                      fields={"notifications.channels": "duplicate label"}) from None


def update(conn: Any, user_id: UUID, patch: NotificationSettingsIn) -> None:
    """Apply a settings patch inside the caller's transaction."""
    if patch.rules is not None:
        merged = {**rules(conn, user_id).model_dump(), **patch.rules.model_dump(exclude_none=True)}
        stored = {_camel(rule): bool(merged[rule]) for rule in RULES}
        db.queries().notify_set_rules(conn, user_id=user_id, rules=json.dumps(stored))
    if patch.channels is not None:
        labels = [c.label.strip() for c in patch.channels if c.label]
        if len(labels) != len(set(labels)):
            raise errors.ValidationFailed("Channel labels must differ",
                                          fields={"notifications.channels": "duplicate label"})
        _replace_channels(conn, user_id, patch.channels)
