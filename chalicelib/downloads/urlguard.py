"""The egress guard, under the name the download and source code has always imported it by.

The guard itself is the shared-kernel module ``chalicelib.egress`` (notification channels and subtitles
use it too, and the worker imports it without the control plane); this module only re-exports it.
"""

from __future__ import annotations

from chalicelib.egress import (
    ALWAYS_BLOCKED,
    DEFAULT_PORTS,
    MAX_URL,
    PRIVATE,
    SCHEMES,
    TRACKER_SCHEMES,
    Address,
    Network,
    UrlRefused,
    address_refusal,
    allowed_addresses,
    blocked_networks,
    check_url,
    embedded_ipv4,
    resolve,
    split_url,
)

__all__ = [
    "ALWAYS_BLOCKED",
    "DEFAULT_PORTS",
    "MAX_URL",
    "PRIVATE",
    "SCHEMES",
    "TRACKER_SCHEMES",
    "Address",
    "Network",
    "UrlRefused",
    "address_refusal",
    "allowed_addresses",
    "blocked_networks",
    "check_url",
    "embedded_ipv4",
    "resolve",
    "split_url",
]
