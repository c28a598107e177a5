"""Egress guard for every address a download contacts, shared by the API (on submit) and the worker.

The API checks HTTP sources, trackers and web seeds when a job is submitted;
the worker checks every HTTP connection it opens (and every redirect hop),
and gives libtorrent the same address ranges as its ``ip_filter``.

Unless private addresses are allowed (local development, tests), every
address a host resolves to must be globally routable: no loopback, private,
shared, reserved or multicast address. Link-local addresses (where cloud
metadata lives) and 0.0.0.0 (which reaches the machine itself) are refused
even when private addresses are allowed. Standard library only, so the
worker can import it without pulling in anything of the control plane.
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network

SCHEMES = ("http", "https")
TRACKER_SCHEMES = ("http", "https", "udp")
MAX_URL = 8192
DEFAULT_PORTS = {"http": 80, "https": 443}

# Refused whatever the settings say: "this host" (0.0.0.0 connects to the machine itself),
# link-local (169.254.169.254 and fe80:: are where cloud metadata services answer), multicast, broadcast.
ALWAYS_BLOCKED: tuple[Network, ...] = tuple(ipaddress.ip_network(net) for net in (
    "0.0.0.0/8", "169.254.0.0/16", "224.0.0.0/4", "255.255.255.255/32",
    "::/128", "fe80::/10", "ff00::/8",
))
# Refused unless private addresses are allowed: every other range that is not the public internet.
PRIVATE: tuple[Network, ...] = tuple(ipaddress.ip_network(net) for net in (
    "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "172.16.0.0/12", "192.0.0.0/24", "192.0.2.0/24",
    "192.168.0.0/16", "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24", "240.0.0.0/4",
    "::1/128", "64:ff9b:1::/48", "100::/64", "2001::/23", "2001:db8::/32", "fc00::/7", "fec0::/10",
))


class UrlRefused(ValueError):
    """The URL or address may not be contacted; ``code`` is a stable reason."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


def blocked_networks(*, allow_private: bool) -> tuple[Network, ...]:
    """The ranges nothing may connect to; the worker hands the same list to libtorrent's ip_filter."""
    return ALWAYS_BLOCKED if allow_private else ALWAYS_BLOCKED + PRIVATE


def address_refusal(address: Address, *, allow_private: bool) -> str | None:
    """What kind of address ``address`` is when it may not be contacted, or None when it may."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    if any(address in net for net in ALWAYS_BLOCKED):
        return "link-local, multicast or unspecified"
    if not allow_private and (not address.is_global or any(address in net for net in PRIVATE)):
        return "private or loopback"
    return None


def _refuse(kind: str) -> UrlRefused:
    return UrlRefused("private_address", f"The URL points at a {kind} address, where downloads may not go")


def resolve(host: str, port: int) -> list[Address]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, OSError) as exc:
        raise UrlRefused("unresolvable_host", f"The host {host!r} cannot be resolved") from exc
    return [ipaddress.ip_address(info[4][0].split("%", 1)[0]) for info in infos]


def allowed_addresses(host: str, port: int, *, allow_private: bool) -> list[Address]:
    """Resolve ``host`` once; every answer must be allowed. Connect only to what this returns."""
    addresses = resolve(host, port)
    for address in addresses:
        kind = address_refusal(address, allow_private=allow_private)
        if kind is not None:
            raise _refuse(kind)
    if not addresses:
        raise UrlRefused("unresolvable_host", f"The host {host!r} cannot be resolved")
    return addresses


def split_url(url: str, schemes: tuple[str, ...] = SCHEMES) -> tuple[str, str, int | None]:
    """``(scheme, host, port)`` of a URL with an allowed scheme and a host; no DNS."""
    if len(url) > MAX_URL:
        raise UrlRefused("url_too_long", f"A URL may be at most {MAX_URL} characters")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise UrlRefused("invalid_url", "The URL cannot be parsed") from None
    scheme = parts.scheme.lower()
    if scheme not in schemes:
        raise UrlRefused("unsupported_scheme",
                         f"Only {', '.join(s + '://' for s in schemes)} URLs can be used")
    if not parts.hostname:
        raise UrlRefused("invalid_url", "The URL has no host")
    return scheme, parts.hostname, port


def check_url(url: str, *, allow_private: bool, schemes: tuple[str, ...] = SCHEMES) -> str:
    """Return ``url`` when it may be fetched, else raise ``UrlRefused``."""
    scheme, host, port = split_url(url, schemes)
    allowed_addresses(host, port or DEFAULT_PORTS.get(scheme, 80), allow_private=allow_private)
    return url
