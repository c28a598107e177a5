"""The worker's egress guard: one address policy for HTTP connections and for libtorrent.

HTTP: ``chalicelib.downloads.pinned`` (resolve once, check every answer
against ``urlguard``, connect to a checked address; Host and SNI unchanged).
Every connection goes through it, the first request's and each redirect hop's.

libtorrent: the same ranges become the session's ``ip_filter``, which it
applies to peers, trackers (``apply_ip_filter_to_trackers``), web seeds and
the DHT as it resolves them at run time.
"""

from __future__ import annotations

import ipaddress
from typing import Any

import httpx

from chalicelib.downloads import urlguard
from chalicelib.downloads.pinned import pinned_transport

BLOCKED = 1  # libtorrent's ip_filter::blocked flag


def guarded_transport(*, allow_private: bool) -> httpx.HTTPTransport:
    """An httpx transport whose every connection goes through the pinned backend; no proxies."""
    return pinned_transport(allow_private=allow_private)


def _ipv4_mapped(net: ipaddress.IPv4Network) -> ipaddress.IPv6Network:
    return ipaddress.IPv6Network(f"::ffff:{net.network_address}/{96 + net.prefixlen}")


def torrent_ip_filter(lt: Any, *, allow_private: bool) -> Any:
    """A libtorrent ``ip_filter`` blocking every range the URL guard refuses (and their IPv4-mapped forms)."""
    ip_filter = lt.ip_filter()
    networks = list(urlguard.blocked_networks(allow_private=allow_private))
    networks += [_ipv4_mapped(net) for net in networks if isinstance(net, ipaddress.IPv4Network)]
    for net in networks:
        ip_filter.add_rule(str(net.network_address), str(net.broadcast_address), BLOCKED)
    return ip_filter
