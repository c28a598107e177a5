"""Household profiles: list, create, change, delete, select (with an optional PIN).

Every lookup is scoped by the caller's account, so another account's profile answers 404 like a missing
one. Changes that alter what a session may see (kind, rating, collections, deletion) forget the account's
cached principals after they commit, so the next request of every session reads them again. Argon2 work
(PINs) happens outside transactions.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from chalicelib import clock, contentrating, db, errors, ratelimit
from chalicelib.auth import account, passwords, principals
from chalicelib.auth import service as auth_service
from chalicelib.auth.users import Issued, Principal
from chalicelib.db import Conn
from chalicelib.logs import get_logger
from chalicelib.profiles import queries
from chalicelib.profiles.errors import (
    InvalidProfile,
    OwnerPinRequired,
    OwnerPinSetup,
    OwnerProfile,
    PinRequired,
    ProfileLimit,
    ProfileNameTaken,
    ProfileNotFound,
    WrongPin,
)
from chalicelib.profiles.models import MAX_PROFILES, ProfileIn, ProfilePatch, SelectIn
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


def _hash(pin: str | None) -> str | None:
    return passwords.hash_password(pin) if pin is not None else None


def _owner_keeps_a_pin(conn: Conn, account_id: uuid.UUID, owner_pin_hash: str | None, now: datetime) -> bool:
    """A kid joins the household only while the owner's profile has a PIN, so the kid cannot pick it: the one
    sent with the kid (``ownerPin``) when it has none, or 422 ``owner_pin_required``. True when it set it."""
    owner = queries.get(conn, account_id=account_id, profile_id=account_id)
    if owner is not None and owner["pin_hash"] is not None:
        return False
    if owner_pin_hash is None:
        raise OwnerPinRequired("Set a PIN for the account owner's profile first: with a kid profile in the "
                               "household it needs one", fields={"ownerPin": "required while the owner's profile "
                                                                             "has no PIN"})
    queries.set_pin(conn, account_id=account_id, profile_id=account_id, pin_hash=owner_pin_hash, now=now)
    return True


def create(principal: Principal, body: ProfileIn) -> ProfileRow:
    """Add a profile (409 ``profile_limit`` past six, ``profile_name_taken``; 422 for a bad rating, and
    ``owner_pin_required`` for a kid while the owner's profile has no PIN and none is sent)."""
    pin_hash = _hash(body.pin)
    owner_pin_hash = _hash(body.owner_pin) if body.kind == "kid" else None
    owner_pin_set = False
    account_id = principal.account_id
    now = clock.now()
    with db.connection() as conn, conn.transaction():
        queries.lock_account(conn, account_id=account_id)
        queries.ensure_owner(conn, account_id=account_id, now=now)
        if queries.count(conn, account_id=account_id) >= MAX_PROFILES:
            raise ProfileLimit(f"An account holds at most {MAX_PROFILES} profiles")
        _check_name(conn, account_id, body.name, None)
        _check_limits(conn, account_id, body.kind, body.max_rating, body.allowed_collections)
        if body.kind == "kid":
            owner_pin_set = _owner_keeps_a_pin(conn, account_id, owner_pin_hash, now)
        profile_id = queries.insert_user(conn, account_id=account_id, now=now)
        queries.insert(conn, profile_id=profile_id, account_id=account_id, name=body.name, kind=body.kind,
                       max_rating=body.max_rating, allowed_collections=list(body.allowed_collections),
                       avatar=body.avatar, color=body.color, pin_hash=pin_hash, now=now)
        if body.theme is not None:
            queries.set_theme(conn, profile_id=profile_id, theme=body.theme, now=now)
        row = _get(conn, principal, profile_id)
    if owner_pin_set:
        _owner_pin_logged(account_id)
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


def _keeps_owner_pin(conn: Conn, row: ProfileRow, kind: str, clears_pin: bool, owner_pin_hash: str | None,
                     now: datetime) -> bool:
    """A change keeps the owner's PIN in a household with a kid: a profile made a kid needs it
    (``_owner_keeps_a_pin``, True when it set it), and the owner's own PIN is not cleared while a kid exists."""
    account_id = row["account_id"]
    if row["id"] == account_id and clears_pin and queries.has_kid(conn, account_id=account_id):
        raise OwnerPinRequired("The account owner's profile keeps its PIN while the household has a kid profile",
                               fields={"pin": "required while a kid profile exists"})
    if kind == "kid" and row["kind"] != "kid":
        return _owner_keeps_a_pin(conn, account_id, owner_pin_hash, now)
    return False


def update(principal: Principal, raw_id: str, body: ProfilePatch) -> ProfileRow:
    """Change some fields of a profile; ``pin: null`` clears its PIN."""
    profile_id = profile_id_of(raw_id)
    sent = body.model_fields_set
    pin_hash = _hash(body.pin) if "pin" in sent else None
    owner_pin_hash = _hash(body.owner_pin)
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
        clears_pin = "pin" in sent and pin_hash is None
        owner_pin_set = _keeps_owner_pin(conn, row, values["kind"], clears_pin, owner_pin_hash, now)
        queries.update(conn, account_id=account_id, profile_id=profile_id, now=now, **values)
        if "pin" in sent:
            queries.set_pin(conn, account_id=account_id, profile_id=profile_id, pin_hash=pin_hash, now=now)
        if body.theme is not None:
            queries.set_theme(conn, profile_id=profile_id, theme=body.theme, now=now)
        row = _get(conn, principal, profile_id)
    principals.forget_user(account_id)  # committed: sessions acting as it see its new kind and limits now
    if "pin" in sent:
        ratelimit.reset(PIN_BUCKET, profile_id)
    if owner_pin_set:
        _owner_pin_logged(account_id)
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


def _owner_pin_logged(account_id: uuid.UUID) -> None:
    ratelimit.reset(PIN_BUCKET, account_id)  # a new PIN starts without the old one's failures
    get_logger().info("owner pin set", extra={"action": "profile_owner_pin_set", "user_id": str(account_id)})


def _check_pin(row: ProfileRow, pin: str | None, asking: str = "This profile needs its PIN") -> None:
    """Raise unless the profile has no PIN or ``pin`` is it; wrong PINs are throttled per profile."""
    pin_hash = row["pin_hash"]
    if pin_hash is None:
        return
    if pin is None:
        raise PinRequired(asking, fields={"pin": "required"})
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


def _set_up_owner_pin(conn: Conn, principal: Principal, body: SelectIn) -> None:
    """The household's owner has no PIN yet but a kid profile (made before one was needed): the kid's session
    opens an adult profile only with the account's password, and the owner's new PIN is set on the way."""
    if body.password is None or body.owner_pin is None:
        missing = {name: "required" for name, value in (("password", body.password), ("ownerPin", body.owner_pin))
                   if value is None}
        raise OwnerPinSetup("The account owner's profile needs a PIN now that the household has a kid profile: "
                            "enter the account's password and choose one", fields=missing)
    account.check_password(conn, principal.account_id, body.password, field="password")
    queries.set_pin(conn, account_id=principal.account_id, profile_id=principal.account_id,
                    pin_hash=passwords.hash_password(body.owner_pin), now=clock.now())
    _owner_pin_logged(principal.account_id)


def _check_entry(conn: Conn, principal: Principal, row: ProfileRow, body: SelectIn) -> None:
    """Raise unless this session may act as ``row``: its PIN when it has one. From a kid's session an adult
    profile always asks a PIN: one without its own takes the account owner's (or, while the owner has none,
    the account's password and the owner's new PIN: ``_set_up_owner_pin``)."""
    if not (principal.is_kid and row["kind"] == "adult" and row["pin_hash"] is None):
        _check_pin(row, body.pin)
        return
    owner = _get(conn, principal, principal.account_id)
    if owner["pin_hash"] is None:
        _set_up_owner_pin(conn, principal, body)
        return
    _check_pin(owner, body.pin, "Enter the account owner's PIN")


def select(principal: Principal, raw_id: str, body: SelectIn) -> Issued:
    """Make this session act as one of the account's profiles and issue its access token.

    Raises ``ProfileNotFound``, ``PinRequired`` / ``WrongPin`` / ``OwnerPinSetup`` / wrong password (403),
    ``errors.RateLimited`` (429).
    """
    profile_id = profile_id_of(raw_id)
    with db.connection() as conn:
        queries.ensure_owner(conn, account_id=principal.account_id, now=clock.now())
        row = _get(conn, principal, profile_id)
        _check_entry(conn, principal, row, body)
        return auth_service.act_as(conn, account_id=principal.account_id, session_id=principal.session_id,
                                   profile_id=profile_id)
