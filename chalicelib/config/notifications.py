"""Where notification channels may send: the egress policy of Apprise URLs."""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass

from ._env import ConfigError, _bool, _float, _list


def _networks(env: Mapping[str, str], name: str) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    try:
        return tuple(ipaddress.ip_network(part, strict=False) for part in _list(env, name, ()))
    except ValueError as exc:
        raise ConfigError(f"{name} must be a comma-separated list of addresses or CIDR ranges: {exc}") from None


@dataclass(frozen=True)
class NotifySettings:
    """Any user can add a channel, so by default one may only send to the public internet: a household
    member cannot aim a webhook at the router or another LAN service. A self-hosted ntfy/gotify/Matrix on
    the home network is opened by address (``SEEN_NOTIFY_PRIVATE_NETWORKS=192.168.1.20``), or the whole
    private space with ``SEEN_NOTIFY_ALLOW_PRIVATE``. Link-local (cloud metadata), 0.0.0.0, multicast and
    broadcast stay refused whatever these say."""

    allow_private: bool = False
    private_networks: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...] = ()
    send_timeout: float = 10.0  # seconds one channel may take to take one message

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> NotifySettings:
        return cls(
            allow_private=_bool(env, "SEEN_NOTIFY_ALLOW_PRIVATE", cls.allow_private),
            private_networks=_networks(env, "SEEN_NOTIFY_PRIVATE_NETWORKS"),
            send_timeout=max(1.0, _float(env, "SEEN_NOTIFY_SEND_TIMEOUT", cls.send_timeout)),
        )
