"""Who may read ``/metrics`` (the home server and the worker): a caller on this host, or one with the token.

A request a proxy forwarded (it carries X-Forwarded-For / Forwarded) is never "on this host", even when the
proxy itself connects from loopback: Caddy at home forwards the public's requests from 127.0.0.1.
"""

from __future__ import annotations

import hmac
import ipaddress

from chalicelib.config.observability import get_observability_settings


def allowed(remote_addr: str | None, authorization: str | None, forwarded: bool) -> bool:
    token = get_observability_settings().metrics_token
    if token and authorization and authorization.startswith("Bearer "):
        return hmac.compare_digest(authorization[7:].strip().encode(), token.encode())
    return not forwarded and _loopback(remote_addr)


def _loopback(address: str | None) -> bool:
    try:
        return ipaddress.ip_address((address or "").split("%", 1)[0]).is_loopback
    except ValueError:
        return False
