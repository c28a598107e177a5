"""Household profiles: list, create, change, delete, select (with an optional PIN).

Every lookup is scoped by the caller's account, so another account's profile answers 404 like a missing
one. Changes that alter what a session may see (kind, rating, collections, deletion) forget the account's
cached principals after they commit, so the next request of every session reads them again. Argon2 work
(PINs) happens outside transactions.
"""

from __future__ import annotations

import uuid
from typing import Any

from chalicelib import clock, contentrating, db, errors, ratelimit
from chalicelib.auth import passwords, principals
from chalicelib.auth import service as auth_service
from chalicelib.auth.users import Issued, Principal
from chalicelib.db import Conn
from chalicelib.logs import get_logger
from chalicelib.profiles import queries
from chalicelib.profiles.errors import (
    InvalidProfile,
    OwnerProfile,
    PinRequired,
    ProfileLimit,
    ProfileNameTaken,
    ProfileNotFound,
    WrongPin,
)
from chalicelib.profiles.models import MAX_PROFILES, ProfileIn, ProfilePatch
from chalicelib.profiles.queries import ProfileRow

# Wrong PINs per profile: past PIN_FAILURES in PIN_WINDOW seconds, 429 until the oldest leaves the window.
PIN_BUCKET = "profile_pin_fail"
PIN_FAILURES = 5
PIN_WINDOW = 15 * 60


def profile_id_of(raw: str) -> uuid.UUID:
    """A path's profile id; anything but a uuid is a profile that does not exist."""
    try:
        return uuid.UUID(raw)
    except ValueError:
        raise ProfileNotFound("No such profile") from None


def list_profiles(principal: Principal) -> list[ProfileRow]:
    """The account's profiles, its owner profile first."""
    with db.connection() as conn:
        queries.ensure_owner(conn, account_id=principal.account_id, now=clock.now())
        return queries.list_profiles(conn, account_id=principal.account_id)


def _get(conn: Conn, principal: Principal, profile_id: uuid.UUID) -> ProfileRow:
    row = queries.get(conn, account_id=principal.account_id, profile_id=profile_id)
    if row is None:
        raise ProfileNotFound("No such profile")
    return row


def _check_limits(conn: Conn, account_id: uuid.UUID, kind: str, max_rating: str | None,
                  collections: list[uuid.UUID]) -> None:
    """A kid's rating must be a known label and its collections the household's; an adult has neither."""
    if kind == "adult":
        fields = {name: "only a kid profile has one" for name, value in
                  (("maxRating", max_rating), ("allowedCollections", collections)) if value}
        if fields:
            raise InvalidProfile("An adult profile has no rating limit", fields=fields)
        return
    if max_rating is not None and not contentrating.is_known(max_rating):
        raise InvalidProfile("Unknown content rating", fields={"maxRating": f"unknown rating {max_rating!r}"})
    foreign = queries.foreign_collections(conn, account_id=account_id, collection_ids=collections)
    if foreign:
        raise InvalidProfile("Not a collection of this household",
                             fields={"allowedCollections": f"unknown collection {foreign[0]}"})


def _check_name(conn: Conn, account_id: uuid.UUID, name: str, except_id: uuid.UUID | None) -> None:
    if queries.name_taken(conn, account_id=account_id, name=name, except_id=except_id):
        raise ProfileNameTaken("Another profile already has this name", fields={"name": "already taken"})


def create(principal: Principal, body: ProfileIn) -> ProfileRow:
    """Add a profile (409 ``profile_limit`` past six, ``profile_name_taken``; 422 for a bad rating)."""
    pin_hash = passwords.hash_password(body.pin) if body.pin is not None else None
    account_id = principal.account_id
    now = clock.now()
    with db.connection() as conn, conn.transaction():
        queries.lock_account(conn, account_id=account_id)
        queries.ensure_owner(conn, account_id=account_id, now=now)
        if queries.count(conn, account_id=account_id) >= MAX_PROFILES:
            raise ProfileLimit(f"An account holds at most {MAX_PROFILES} profiles")
        _check_name(conn, account_id, body.name, None)
        _check_limits(conn, account_id, body.kind, body.max_rating, body.allowed_collections)
        profile_id = queries.insert_user(conn, account_id=account_id, now=now)
        queries.insert(conn, profile_id=profile_id, account_id=account_id, name=body.name, kind=body.kind,
                       max_rating=body.max_rating, allowed_collections=list(body.allowed_collections),
                       avatar=body.avatar, color=body.color, pin_hash=pin_hash, now=now)
        if body.theme is not None:
            queries.set_theme(conn, profile_id=profile_id, theme=body.theme, now=now)
        row = _get(conn, principal, profile_id)
    get_logger().info("profile created", extra={"action": "profile_created", "user_id": str(account_id),
                                                "profile_id": str(profile_id), "kind": body.kind})
    return row


def _merged(row: ProfileRow, body: ProfilePatch) -> dict[str, Any]:
    """The row's editable values with the patch's sent fields applied (a kid made adult loses its limits)."""
    sent = body.model_fields_set
    stored: dict[str, Any] = dict(row)
    values = {name: getattr(body, name) if name in sent else stored[name]
              for name in ("name", "kind", "max_rating", "allowed_collections", "avatar", "color")}
    if values["name"] is None or values["kind"] is None:
        raise InvalidProfile("A profile needs a name and a kind",
                             fields={"name" if values["name"] is None else "kind": "must not be null"})
    if values["allowed_collections"] is None:
        values["allowed_collections"] = []
    if values["kind"] == "adult" and row["kind"] == "kid":
        values["max_rating"] = values["max_rating"] if "max_rating" in sent else None
        values["allowed_collections"] = values["allowed_collections"] if "allowed_collections" in sent else []
    return values


def update(principal: Principal, raw_id: str, body: ProfilePatch) -> ProfileRow:
    """Change some fields of a profile; ``pin: null`` clears its PIN."""
    profile_id = profile_id_of(raw_id)
    sent = body.model_fields_set
    pin_hash = passwords.hash_password(body.pin) if "pin" in sent and body.pin is not None else None
    account_id = principal.account_id
    now = clock.now()
    with db.connection() as conn, conn.transaction():
        queries.lock_account(conn, account_id=account_id)
        row = _get(conn, principal, profile_id)
        values = _merged(row, body)
        if values["kind"] == "kid" and profile_id == account_id:
            raise OwnerProfile("The account's own profile cannot be a kid profile", fields={"kind": "owner profile"})
        if values["name"] != row["name"]:
            _check_name(conn, account_id, values["name"], profile_id)
        _check_limits(conn, account_id, values["kind"], values["max_rating"], values["allowed_collections"])
        queries.update(conn, account_id=account_id, profile_id=profile_id, now=now, **values)
        if "pin" in sent:
            queries.set_pin(conn, account_id=account_id, profile_id=profile_id, pin_hash=pin_hash, now=now)
        if body.theme is not None:
            queries.set_theme(conn, profile_id=profile_id, theme=body.theme, now=now)
        row = _get(conn, principal, profile_id)
    principals.forget_user(account_id)  # committed: sessions acting as it see its new kind and limits now
    if "pin" in sent:
        ratelimit.reset(PIN_BUCKET, profile_id)
    get_logger().info("profile changed", extra={"action": "profile_changed", "user_id": str(account_id),
                                                "profile_id": str(profile_id), "fields": sorted(sent)})
    return row


def delete(principal: Principal, raw_id: str) -> None:
    """Delete a profile and all its data, ending the sessions acting as it; never the owner profile (409)."""
    profile_id = profile_id_of(raw_id)
    account_id = principal.account_id
    with db.connection() as conn, conn.transaction():
        queries.lock_account(conn, account_id=account_id)
        _get(conn, principal, profile_id)
        if profile_id == account_id:
            raise OwnerProfile("The account's own profile cannot be deleted")
        queries.delete(conn, account_id=account_id, profile_id=profile_id)
    principals.forget_user(account_id)  # committed: sessions acting as it are gone
    get_logger().info("profile deleted", extra={"action": "profile_deleted", "user_id": str(account_id),
                                                "profile_id": str(profile_id)})


def _check_pin(row: ProfileRow, pin: str | None) -> None:
    """Raise unless the profile has no PIN or ``pin`` is it; wrong PINs are throttled per profile."""
    pin_hash = row["pin_hash"]
    if pin_hash is None:
        return
    if pin is None:
        raise PinRequired("This profile needs its PIN", fields={"pin": "required"})
    # The attempt is counted before the PIN is checked, in one Redis step with the check of the count: counted
    # after (look, verify, record), 32 parallel guesses all saw room and 12 were verified against a limit of 5.
    try:
        ratelimit.check(PIN_BUCKET, row["id"], PIN_FAILURES, PIN_WINDOW, fail_closed=True)
    except errors.RateLimited as exc:
        raise errors.RateLimited("Too many wrong PINs; try again later", retry_after=exc.retry_after) from None
    if not passwords.verify(pin_hash, pin):  # the attempt stays counted: a failure
        get_logger().info("wrong profile pin", extra={"action": "profile_pin_wrong", "profile_id": str(row["id"])})
        raise WrongPin("The PIN is wrong", fields={"pin": "does not match"})
    ratelimit.reset(PIN_BUCKET, row["id"])  # the right PIN forgets the failures


def select(principal: Principal, raw_id: str, pin: str | None) -> Issued:
    """Make this session act as one of the account's profiles and issue its access token.

    Raises ``ProfileNotFound``, ``PinRequired`` / ``WrongPin`` (403), ``errors.RateLimited`` (429).
    """
    profile_id = profile_id_of(raw_id)
    with db.connection() as conn:
        queries.ensure_owner(conn, account_id=principal.account_id, now=clock.now())
        row = _get(conn, principal, profile_id)
        _check_pin(row, pin)
        return auth_service.act_as(conn, account_id=principal.account_id, session_id=principal.session_id,
                                   profile_id=profile_id)
