"""Login throttling that a stranger cannot turn against the account's owner.

Three counters in Redis (``chalicelib.ratelimit``):

- every attempt per client address: a hard limit (429), whatever the account;
- *failures* per (account, address): a hard limit (429) for that address only,
  cleared when that address signs in;
- *failures* per account from anywhere: past a threshold, a client that has
  itself been failing must wait a delay that doubles with each further failure
  (capped) since its own last failure, or it gets 429 with ``Retry-After``.

Failures are counted after the password check, never before, and a client
that has not been failing is never held back by the account's counters: a
guesser elsewhere cannot lock the owner out. An IPv6 client counts as its
/64 (one host usually owns the whole prefix). An unknown e-mail is counted
like a known one, so the limits do not tell which accounts exist.
"""

from __future__ import annotations

import ipaddress
import math

from chalicelib import clock, errors, ratelimit
from chalicelib.config import get_settings
from chalicelib.logs import get_logger

ATTEMPTS = "login_ip"
FAILURES_HERE = "login_fail_account_ip"
FAILURES_ANYWHERE = "login_fail_account"


def _where(ip: str | None) -> str:
    if ip is None:
        return "unknown"
    address = ipaddress.ip_address(ip)
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


def _subjects(email: str, ip: str | None) -> tuple[str, str]:
    account = ratelimit.subject_hash(email)
    return account, f"{account}:{_where(ip)}"


def _limited(seconds: float, reason: str) -> None:
    retry_after = max(1, math.ceil(seconds))
    get_logger().info("login throttled", extra={"action": "login_throttled", "reason": reason,
                                                "retry_after": retry_after})
    raise errors.RateLimited("Too many failed logins; try again later", retry_after=retry_after)


def slowdown(failures_anywhere: int) -> float:
    """Seconds a failing client waits after its last failure, given the account's recent failures."""
    settings = get_settings().auth
    excess = failures_anywhere - settings.login_per_email.limit
    return 0.0 if excess < 0 else min(settings.login_slowdown_max, 2.0 ** excess)


def before_login(email: str, ip: str | None) -> None:
    """Raise ``errors.RateLimited`` if this client must not try now (503 when Redis is down)."""
    settings = get_settings().auth
    ratelimit.check_rate(ATTEMPTS, _where(ip), settings.login_per_ip, fail_closed=True)
    account, here = _subjects(email, ip)
    mine = ratelimit.peek(FAILURES_HERE, here, settings.login_per_account_ip.window)
    if mine.count == 0:
        return  # a client that has not been failing is never held back by the account's counters
    now = clock.timestamp()
    if mine.count >= settings.login_per_account_ip.limit:
        _limited(mine.oldest + settings.login_per_account_ip.window - now, "address_failures")
    everyone = ratelimit.peek(FAILURES_ANYWHERE, account, settings.login_per_email.window)
    wait = mine.newest + slowdown(everyone.count) - now
    if wait > 0:
        _limited(wait, "account_slowdown")


def failed(email: str, ip: str | None) -> None:
    """Count one failed login (wrong password or unknown e-mail) for this client and the account."""
    settings = get_settings().auth
    account, here = _subjects(email, ip)
    ratelimit.record(FAILURES_HERE, here, settings.login_per_account_ip.window)
    ratelimit.record(FAILURES_ANYWHERE, account, settings.login_per_email.window)


def succeeded(email: str, ip: str | None) -> None:
    """The right password from this client: forget its failures (the account-wide count stays)."""
    ratelimit.reset(FAILURES_HERE, _subjects(email, ip)[1])
