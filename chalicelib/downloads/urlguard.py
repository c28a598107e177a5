"""SSRF guard for HTTP(S) downloads, shared by the API (on submit) and the worker (on every redirect).

A URL must be ``http`` or ``https`` with a host, and unless private addresses
are allowed (local development, tests) every address the host resolves to
must be globally routable: no loopback, private, link-local (cloud metadata),
shared, multicast, reserved or unspecified address. Standard library only, so
the worker can import it without pulling in anything of the control plane.
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

SCHEMES = ("http", "https")
MAX_URL = 8192


class UrlRefused(ValueError):
    """The URL may not be downloaded; ``code`` is a stable reason."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


def _address_refused(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return not address.is_global or address.is_multicast


def resolve(host: str, port: int) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise UrlRefused("unresolvable_host", f"The host {host!r} cannot be resolved") from exc
    return [ipaddress.ip_address(info[4][0].split("%", 1)[0]) for info in infos]


def check_url(url: str, *, allow_private: bool) -> str:
    """Return ``url`` when it may be fetched, else raise ``UrlRefused``."""
    if len(url) > MAX_URL:
        raise UrlRefused("url_too_long", f"A URL may be at most {MAX_URL} characters")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise UrlRefused("invalid_url", "The URL cannot be parsed") from None
    scheme = parts.scheme.lower()
    if scheme not in SCHEMES:
        raise UrlRefused("unsupported_scheme", "Only http:// and https:// URLs can be downloaded")
    host = parts.hostname
    if not host:
        raise UrlRefused("invalid_url", "The URL has no host")
    if allow_private:
        return url
    for address in resolve(host, port or (443 if scheme == "https" else 80)):
        if _address_refused(address):
            raise UrlRefused("private_address",
                             "The URL points at a private, loopback or link-local address")
    return url
