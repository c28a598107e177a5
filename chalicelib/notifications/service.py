"""The user's side: the list with its unread count, read marks, and rules and channels (settings)."""

from __future__ import annotations

from uuid import UUID

from chalicelib import clock, db, errors
from chalicelib.config import get_settings
from chalicelib.db import Conn
from chalicelib.notifications import queries
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
from chalicelib.settings import crypto

LIST_LIMIT = 50


def _camel(rule: str) -> str:
    head, *rest = rule.split("_")
    return head + "".join(part.title() for part in rest)


def listing(user_id: UUID) -> NotificationList:
    """The user's notifications, unread first, with the unread count."""
    with db.connection() as conn:
        rows = queries.listing(conn, user_id=user_id, row_limit=LIST_LIMIT)
        return NotificationList(items=[Notification.model_validate(row) for row in rows],
                                unread=queries.unread_count(conn, user_id=user_id))


def mark_read(user_id: UUID, body: ReadIn) -> ReadOut:
    """Mark ``body.ids`` (or all) read; the unread count after."""
    with db.transaction() as conn:
        queries.mark_read(conn, user_id=user_id, ids=body.ids, everything=body.all, now=clock.now())
        return ReadOut(unread=queries.unread_count(conn, user_id=user_id))


def rules(conn: Conn, user_id: UUID) -> Rules:
    stored = queries.rules(conn, user_id=user_id) or {}
    return Rules(**{rule: stored.get(_camel(rule), True) is not False for rule in RULES})


def settings(conn: Conn, user_id: UUID) -> NotificationSettings:
    channels = [Channel.model_validate(row) for row in queries.channels(conn, user_id=user_id)]
    return NotificationSettings(rules=rules(conn, user_id), channels=channels)


def _service_of(index: int, label: str, url: str) -> str:
    """The channel's service when ``url`` may be saved (allow-listed, no injected method or headers,
    a host the egress guard allows); 422 naming the channel otherwise (nothing is stored)."""
    from chalicelib.notifications import channels  # lazy: imports apprise, only a settings change and the sender

    try:
        return channels.check(url, get_settings().notifications)
    except channels.ChannelRefused as exc:
        raise errors.ValidationFailed(f"The channel “{label}” cannot be used: {exc}",
                                      fields={f"notifications.channels.{index}.url": str(exc)}) from None


def _replace_channels(conn: Conn, user_id: UUID, channels: list[ChannelIn]) -> None:
    added = [(c.label.strip(), c.url.strip(), _service_of(i, c.label.strip(), c.url.strip()))
             for i, c in enumerate(channels) if c.url and c.label]
    sealed: list[tuple[str, str, str, str]] = []
    if added:  # encrypted before any write: a missing key changes nothing
        fernet, key_id = crypto.fernet()
        sealed = [(label, service, fernet.encrypt(url.encode()).decode(), key_id) for label, url, service in added]
    queries.delete_channels_except(conn, user_id=user_id, keep=[c.id for c in channels if c.id])
    from psycopg import errors as pg_errors  # lazy: psycopg stays off the cold start of every route

    try:
        for label, service, ciphertext, key_id in sealed:
            queries.add_channel(conn, user_id=user_id, label=label, service=service, key_id=key_id,
                                url_ciphertext=ciphertext)
    except pg_errors.UniqueViolation:  # the transaction is rolled back: nothing of the patch is kept
        raise errors.ValidationFailed("A channel with this label exists",
                                      fields={"notifications.channels": "duplicate label"}) from None


def update(conn: Conn, user_id: UUID, patch: NotificationSettingsIn) -> None:
    """Apply a settings patch inside the caller's transaction."""
    if patch.rules is not None:
        merged = {**rules(conn, user_id).model_dump(), **patch.rules.model_dump(exclude_none=True)}
        stored = {_camel(rule): bool(merged[rule]) for rule in RULES}
        queries.set_rules(conn, user_id=user_id, rules=stored)
    if patch.channels is not None:
        labels = [c.label.strip() for c in patch.channels if c.label]
        if len(labels) != len(set(labels)):
            raise errors.ValidationFailed("Channel labels must differ",
                                          fields={"notifications.channels": "duplicate label"})
        _replace_channels(conn, user_id, patch.channels)
