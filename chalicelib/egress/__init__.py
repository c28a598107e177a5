"""The egress guard: one address policy for every outbound connection a user or a remote can steer.

Downloads (HTTP sources, trackers, web seeds; ``chalicelib.downloads``), indexers and the links their
results give (``chalicelib.sources``), subtitle downloads and notification channels all ask this module
whether an address may be contacted. The API checks on submit or save; whatever connects checks again
at connect time and connects only to the address it checked (``chalicelib.egress.pinned`` for httpx,
``pinned_resolution`` below for libraries that open their own connections, such as Apprise).

Unless private addresses are allowed (local development, tests, a LAN service the admin opened), every
address a host resolves to must be globally routable: no loopback, private, shared, reserved or
multicast address. Link-local addresses (where cloud metadata lives) and 0.0.0.0 (which reaches the
machine itself) are refused even when private addresses are allowed, and so are the cloud metadata
addresses that are not link-local (``CLOUD_METADATA``). An IPv6 address that carries an
IPv4 address (IPv4-mapped, -translated and -compatible, NAT64 64:ff9b::/96, 6to4 2002::/16, Teredo
2001::/32) is judged by the IPv4 inside, where its packets really go. Standard library only, so the
worker can import it without pulling in anything of the control plane.
"""

from __future__ import annotations

import contextlib
import contextvars
import ipaddress
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import SplitResult, urlsplit

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network

SCHEMES = ("http", "https")
TRACKER_SCHEMES = ("http", "https", "udp")
MAX_URL = 8192
DEFAULT_PORTS = {"http": 80, "https": 443}

# Refused whatever the settings say: "this host" (0.0.0.0 connects to the machine itself),
# link-local (169.254.169.254 and fe80:: are where most cloud metadata services answer), multicast, broadcast.
# NAT64 local-use prefixes (64:ff9b:1::/48) carry an IPv4 address at a place only the site's translator
# knows (/48 to /96, RFC 8215), so what is inside cannot be judged: refused too.
# Cloud metadata services outside link-local, which a private-allowed setting would otherwise let through:
# AWS over IPv6 (fd00:ec2::254), Google Cloud over IPv6 (fd20:ce::254), Alibaba Cloud (100.100.100.200),
# Oracle Cloud's older address (192.0.0.192) and Azure's WireServer (168.63.129.16).
CLOUD_METADATA = ("fd00:ec2::254/128", "fd20:ce::254/128", "100.100.100.200/32", "192.0.0.192/32",
                  "168.63.129.16/32")
ALWAYS_BLOCKED: tuple[Network, ...] = tuple(ipaddress.ip_network(net) for net in (
    "0.0.0.0/8", "169.254.0.0/16", "224.0.0.0/4", "255.255.255.255/32",
    "::/128", "fe80::/10", "ff00::/8", "64:ff9b:1::/48", *CLOUD_METADATA,
))
# Refused unless private addresses are allowed: every other range that is not the public internet.
PRIVATE: tuple[Network, ...] = tuple(ipaddress.ip_network(net) for net in (
    "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "172.16.0.0/12", "192.0.0.0/24", "192.0.2.0/24",
    "192.168.0.0/16", "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24", "240.0.0.0/4",
    "::1/128", "100::/64", "2001::/23", "2001:db8::/32", "fc00::/7", "fec0::/10",
))
LOOPBACK_V6 = ipaddress.IPv6Address("::1")
# IPv6 ranges whose last 32 bits are an IPv4 address a packet is delivered to (prefix, prefix length).
# IPv4-compatible (::/96) is deprecated, but a stack that still routes it sends ::a9fe:a9fe to 169.254.169.254.
IPV4_IN_LAST_32 = tuple(ipaddress.ip_network(net) for net in (
    "::ffff:0:0/96", "::ffff:0:0:0/96", "::/96", "64:ff9b::/96",
))
SIX_TO_FOUR = ipaddress.ip_network("2002::/16")  # the IPv4 address is bits 16-47
TEREDO = ipaddress.ip_network("2001::/32")  # server IPv4 in bits 32-63, client IPv4 (XOR ffff:ffff) in 96-127


class UrlRefused(ValueError):
    """The URL or address may not be contacted; ``code`` is a stable reason."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


def blocked_networks(*, allow_private: bool) -> tuple[Network, ...]:
    """The ranges nothing may connect to (embedded IPv4 forms: ``ipv6_forms``); the worker's ip_filter."""
    return ALWAYS_BLOCKED if allow_private else ALWAYS_BLOCKED + PRIVATE


def ipv6_forms(net: ipaddress.IPv4Network) -> list[tuple[ipaddress.IPv6Address, ipaddress.IPv6Address]]:
    """Every IPv6 range (first, last) that carries an address of ``net`` inside: mapped, translated,
    compatible, NAT64 and 6to4 (Teredo's client is obfuscated into bits no single range can express)."""
    first, last = int(net.network_address), int(net.broadcast_address)
    ranges = [(int(prefix.network_address) | first, int(prefix.network_address) | last)
              for prefix in IPV4_IN_LAST_32]
    six_to_four = int(SIX_TO_FOUR.network_address)
    ranges.append((six_to_four | first << 80, six_to_four | last << 80 | (1 << 80) - 1))
    found = []
    for low, high in ranges:
        if low <= int(LOOPBACK_V6) <= high:  # ::0.0.0.1 is ::1, loopback, judged as itself
            found += [(low, int(LOOPBACK_V6) - 1), (int(LOOPBACK_V6) + 1, high)]
        else:
            found.append((low, high))
    return [(ipaddress.IPv6Address(low), ipaddress.IPv6Address(high)) for low, high in found if low <= high]


def embedded_ipv4(address: ipaddress.IPv6Address) -> tuple[ipaddress.IPv4Address, ...]:
    """The IPv4 addresses packets to ``address`` are delivered to (empty when it carries none)."""
    if address != LOOPBACK_V6 and any(address in prefix for prefix in IPV4_IN_LAST_32):
        return (ipaddress.IPv4Address(int(address) & 0xFFFFFFFF),)
    if address in SIX_TO_FOUR:
        return (ipaddress.IPv4Address(int(address) >> 80 & 0xFFFFFFFF),)
    if address in TEREDO:
        server = ipaddress.IPv4Address(int(address) >> 64 & 0xFFFFFFFF)
        return server, ipaddress.IPv4Address(~int(address) & 0xFFFFFFFF)
    return ()


def _plain_refusal(address: Address, allow_private: bool, opened: tuple[Network, ...]) -> str | None:
    if any(address in net for net in ALWAYS_BLOCKED):
        return "link-local, multicast, unspecified or cloud metadata"
    if allow_private or any(address in net for net in opened if net.version == address.version):
        return None
    if not address.is_global or any(address in net for net in PRIVATE):
        return "private or loopback"
    return None


def address_refusal(address: Address, *, allow_private: bool, opened: tuple[Network, ...] = ()) -> str | None:
    """What kind of address ``address`` is when it may not be contacted, or None when it may.

    ``opened``: private ranges allowed even when private addresses are not (never an always-blocked one).
    An IPv6 address carrying IPv4 addresses is refused when any of them is; Teredo's own prefix is
    judged too (it is not global), the other forms are only a way of writing the IPv4 address.
    """
    if isinstance(address, ipaddress.IPv6Address):
        inside = embedded_ipv4(address)
        for ipv4 in inside:
            if kind := _plain_refusal(ipv4, allow_private, opened):
                return kind
        if inside and address not in TEREDO:
            return None
    return _plain_refusal(address, allow_private, opened)


def _refuse(kind: str, purpose: str) -> UrlRefused:
    return UrlRefused("private_address", f"The URL points at a {kind} address, where {purpose} may not go")


def resolve(host: str, port: int) -> list[Address]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, OSError) as exc:
        raise UrlRefused("unresolvable_host", f"The host {host!r} cannot be resolved") from exc
    return [ipaddress.ip_address(str(info[4][0]).split("%", 1)[0]) for info in infos]


def allowed_addresses(host: str, port: int, *, allow_private: bool, opened: tuple[Network, ...] = (),
                      purpose: str = "downloads") -> list[Address]:
    """Resolve ``host`` once; every answer must be allowed. Connect only to what this returns."""
    addresses = resolve(host, port)
    for address in addresses:
        kind = address_refusal(address, allow_private=allow_private, opened=opened)
        if kind is not None:
            raise _refuse(kind, purpose)
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


def service_url_parts(url: str, secret: str) -> SplitResult:
    """The parts of a service's address an admin typed (an indexer, a media server): http(s) with a host and
    no credentials (``secret`` names the field that has them). ``ValueError`` says what is wrong; no DNS."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises on a bad port
    except ValueError:
        raise ValueError("not a valid URL") from None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise ValueError("must be an http:// or https:// URL with a host")
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        raise ValueError(f"must not carry credentials (the {secret} has its own field)")
    return parts


def check_url(url: str, *, allow_private: bool, schemes: tuple[str, ...] = SCHEMES) -> str:
    """Return ``url`` when it may be fetched, else raise ``UrlRefused``."""
    scheme, host, port = split_url(url, schemes)
    allowed_addresses(host, port or DEFAULT_PORTS.get(scheme, 80), allow_private=allow_private)
    return url


# --- pinning for libraries that open their own connections ------------------------------------------


@dataclass
class Pin:
    """The policy of one ``pinned_resolution`` block, and what it refused (for the caller's message)."""

    allow_private: bool
    opened: tuple[Network, ...] = ()
    refused: list[str] = field(default_factory=list)


_pin: contextvars.ContextVar[Pin | None] = contextvars.ContextVar("seen_egress_pin", default=None)
_install_lock = threading.Lock()
_system_getaddrinfo = socket.getaddrinfo
_inner_getaddrinfo = socket.getaddrinfo
_busy = threading.local()


def _lookup(host, port, family, type, proto, flags):
    # Whatever replaced socket.getaddrinfo after the hook (a test's resolver) may call back into it:
    # the inner call then goes to the system's resolver instead of around in a circle.
    if getattr(_busy, "inside", False):
        return _system_getaddrinfo(host, port, family, type, proto, flags)
    _busy.inside = True
    try:
        return _inner_getaddrinfo(host, port, family, type, proto, flags)
    finally:
        _busy.inside = False


def _guarded_getaddrinfo(host, port, family=0, type=0, proto=0, flags=0):
    infos = _lookup(host, port, family, type, proto, flags)
    pin = _pin.get()
    if pin is None:
        return infos
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%", 1)[0])
        if kind := address_refusal(address, allow_private=pin.allow_private, opened=pin.opened):
            pin.refused.append(f"{host} is a {kind} address")
            raise socket.gaierror(socket.EAI_NONAME, f"{host}: refused by the egress guard ({kind})")
    return infos


def _install() -> None:
    global _inner_getaddrinfo
    with _install_lock:
        if socket.getaddrinfo is not _guarded_getaddrinfo:
            _inner_getaddrinfo = socket.getaddrinfo
            socket.getaddrinfo = _guarded_getaddrinfo


@contextlib.contextmanager
def pinned_resolution(*, allow_private: bool, opened: tuple[Network, ...] = ()) -> Iterator[Pin]:
    """Inside the block (and in threads started with a copy of its context), every name resolved through
    ``socket.getaddrinfo`` -- what requests/urllib3, smtplib and ``socket.create_connection`` use -- is
    checked, and a refused answer fails the lookup: the connect can only go to the addresses checked.

    For libraries that take no transport of their own (Apprise's plugins call ``requests`` and
    ``smtplib`` directly). The hook is installed once and does nothing outside such a block; names and
    TLS (Host, SNI, certificate) are unchanged because only the resolver's answer is judged.
    """
    _install()
    pin = Pin(allow_private=allow_private, opened=opened)
    token = _pin.set(pin)
    try:
        yield pin
    finally:
        _pin.reset(token)
