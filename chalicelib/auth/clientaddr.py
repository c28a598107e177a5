"""The caller's address, as the per-address login limits and the sessions list see it.

The connection's address (API Gateway's ``sourceIp``; ``chalice local``
always reports 127.0.0.1) is the client unless it is one of the configured
proxies (``SEEN_TRUSTED_PROXIES``). Behind a trusted proxy, X-Forwarded-For
is walked from the right: each entry was appended by the hop before it, so
the first entry that is *not* a trusted proxy is the client. Entries to its
left were written by the client itself and are never believed, which is what
makes a forged X-Forwarded-For useless.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from typing import Any

from chalicelib.config import get_settings

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def _parse(value: str | None) -> Address | None:
    try:
        address = ipaddress.ip_address((value or "").strip())
    except ValueError:
        return None
    mapped = getattr(address, "ipv4_mapped", None)  # ::ffff:1.2.3.4 is 1.2.3.4
    return mapped or address


def _trusted(address: Address, proxies: Sequence[Any]) -> bool:
    return any(address.version == net.version and address in net for net in proxies)


def resolve(source_ip: str | None, forwarded_for: str | None, proxies: Sequence[Any]) -> str | None:
    """The client address given the connection's address and the X-Forwarded-For header."""
    address = _parse(source_ip)
    if address is None:
        return None
    hops = [part for part in (forwarded_for or "").split(",") if part.strip()]
    while _trusted(address, proxies) and hops:
        previous = _parse(hops.pop())
        if previous is None:  # garbage from the client's side: the proxy is all we know
            break
        address = previous
    return str(address)


def client_ip(request: Any) -> str | None:
    """The address of the client that sent ``request`` (a Chalice request)."""
    source_ip = ((request.context or {}).get("identity") or {}).get("sourceIp")
    return resolve(source_ip, request.headers.get("x-forwarded-for"), get_settings().auth.trusted_proxies)
