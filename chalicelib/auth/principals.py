"""The per-request session check, cached in Redis: one Redis read instead of two Postgres round trips.

Every authenticated request used to check its session and user in Postgres (a pool health check plus
one query), which was most of a warm dashboard or a heartbeat. Now the answer of that check is kept
per account in one hash, ``seen:v1:auth:{user_id}``: field ``<session id>`` ->
``"<role> <filled at> <acting profile>"`` (``users.ActingProfile.encode``: the profile the session acts as,
its kind and a kid's limit), and field ``gen``, a random token that every invalidation replaces.

Only a live session of an enabled user is cached; refusals always come from Postgres. Whatever ends a
session or changes a user calls ``forget_session`` / ``forget_user`` **after its transaction commits**
(logout, refresh-token reuse, logout everywhere, password change here; disable and role change in
the admin routes; selecting a profile forgets its session, changing or deleting a profile the account).
A fill is applied only if ``gen`` is still the one read before the database check (a compare-and-set
in Redis), so a check that raced an invalidation cannot put the old answer back.
An entry is trusted for ``FRESH_SECONDS`` at most: that bounds an invalidation lost while Redis was
unreachable. Redis down means every request checks Postgres, as before.
"""

from __future__ import annotations

import math
import secrets
from dataclasses import dataclass
from typing import Any, cast

from chalicelib import cache, clock

FRESH_SECONDS = 60
CLOCK_SKEW_SECONDS = 1.0
# A tombstone ``gen`` outlives any database check in flight when it was written.
GEN_SECONDS = 10 * 60
GEN = "gen"

# KEYS[1] the user's hash; ARGV: gen seen before the check ('' = none), session id, value, ttl.
_FILL = """
local gen = redis.call('HGET', KEYS[1], 'gen')
if (gen or '') ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], ARGV[2], ARGV[3])
if redis.call('TTL', KEYS[1]) < tonumber(ARGV[4]) then redis.call('EXPIRE', KEYS[1], ARGV[4]) end
return 1
"""


def key(user_id: Any) -> str:
    return f"{cache.PREFIX}:auth:{user_id}"


@dataclass(frozen=True)
class Lookup:
    role: str | None  # the cached role: the session is live and the user enabled
    gen: bytes | None  # None: Redis unavailable, so nothing may be filled
    profile: str = ""  # the acting profile as cached (``ActingProfile.encode``); "" in entries without one


_DOWN = Lookup(None, None)


def lookup(user_id: Any, session_id: Any) -> Lookup:
    """The cached answer for this session (one HMGET), and the ``gen`` a later fill must match."""
    found = cache._guard("auth_get", lambda: cache.get_redis().hmget(key(user_id), str(session_id), GEN), None)
    if found is None:
        return _DOWN
    value, gen = cast("list[bytes | None]", found)  # the client answers bytes (no decode_responses)
    gen = gen or b""
    if value is None:
        return Lookup(None, gen)
    role, _, rest = value.decode().partition(" ")
    filled, _, profile = rest.partition(" ")
    try:
        # another host's clock may run a little ahead: an entry up to CLOCK_SKEW_SECONDS "from the future" is fresh
        fresh = -CLOCK_SKEW_SECONDS <= clock.timestamp() - float(filled) < FRESH_SECONDS
    except ValueError:
        fresh = False
    return Lookup(role if fresh else None, gen, profile if fresh else "")


def remember(user_id: Any, session_id: Any, role: str, seen: Lookup, profile: str = "") -> None:
    """Cache a successful check (``profile``: the acting profile, no spaces), unless an invalidation
    happened since ``seen`` was read."""
    gen = seen.gen
    if gen is None:
        return
    value = f"{role} {math.floor(clock.timestamp() * 1000) / 1000:.3f}"  # rounded down: never in the future
    if profile:
        value = f"{value} {profile}"

    def fill() -> Any:
        client = cache.get_redis()
        return client.eval(_FILL, 1, key(user_id), gen, str(session_id), value, FRESH_SECONDS * 2)

    cache._guard("auth_fill", fill, None)


def _replace_gen(user_id: Any, *sessions: Any) -> None:
    """Drop ``sessions`` (all of them when none is named) and write a new ``gen``, in one transaction."""
    def run() -> Any:
        pipe = cache.get_redis().pipeline(transaction=True)
        if sessions:
            pipe.hdel(key(user_id), *(str(s) for s in sessions))
        else:
            pipe.delete(key(user_id))
        pipe.hset(key(user_id), GEN, secrets.token_hex(8))
        pipe.expire(key(user_id), GEN_SECONDS)
        return pipe.execute()

    cache._guard("auth_forget", run, None)


def forget_session(user_id: Any, session_id: Any) -> None:
    """After a session is revoked (logout, refresh-token reuse): its next request checks Postgres."""
    _replace_gen(user_id, session_id)


def forget_user(user_id: Any) -> None:
    """After a user is disabled, re-enabled, changes role or password, or logs out everywhere."""
    _replace_gen(user_id)
