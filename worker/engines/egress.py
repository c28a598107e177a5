"""The worker's egress guard: one address policy for HTTP connections and for libtorrent.

HTTP: ``chalicelib.egress.pinned`` (resolve once, check every answer
against ``chalicelib.egress``, connect to a checked address; Host and SNI
unchanged). Every connection goes through it, the first request's and each
redirect hop's.

libtorrent: the same ranges become the session's ``ip_filter``, which it
applies to peers, trackers (``apply_ip_filter_to_trackers``), web seeds and
the DHT as it resolves them at run time. A filter holds ranges, not rules, so
each blocked IPv4 range is blocked in every IPv6 form that carries it
(mapped, translated, compatible, NAT64, 6to4); Teredo (2001::/32) hides its
client's address in bits no range can express, and is blocked as a whole.
"""

from __future__ import annotations

import ipaddress
from typing import Any

import httpx

from chalicelib import egress
from chalicelib.egress.pinned import pinned_transport

BLOCKED = 1  # libtorrent's ip_filter::blocked flag


def guarded_transport(*, allow_private: bool) -> httpx.HTTPTransport:
    """An httpx transport whose every connection goes through the pinned backend; no proxies."""
    return pinned_transport(allow_private=allow_private)


def blocked_ranges(*, allow_private: bool) -> list[tuple[egress.Address, egress.Address]]:
    """(first, last) of every range the guard refuses, with the IPv6 forms of its IPv4 ranges, and Teredo."""
    ranges: list[tuple[egress.Address, egress.Address]] = []
    for net in egress.blocked_networks(allow_private=allow_private):
        ranges.append((net.network_address, net.broadcast_address))
        if isinstance(net, ipaddress.IPv4Network):
            ranges += egress.ipv6_forms(net)
    ranges.append((egress.TEREDO.network_address, egress.TEREDO.broadcast_address))
    return ranges


def torrent_ip_filter(lt: Any, *, allow_private: bool) -> Any:
    """A libtorrent ``ip_filter`` blocking every range the URL guard refuses (and the IPv6 forms of them)."""
    ip_filter = lt.ip_filter()
    for first, last in blocked_ranges(allow_private=allow_private):
        ip_filter.add_rule(str(first), str(last), BLOCKED)
    return ip_filter
