"""HTTP clients for indexers and the files their results link to, every connection pinned to a checked address.

The network backend resolves a host once, checks every answer with ``urlguard`` and connects to a
checked address, so a name cannot answer one address to the check and another to the connect (DNS
rebinding); the request still names the host (Host header, TLS SNI and certificate). The worker has
the same backend for downloads (``worker/engines/egress.py``); the control plane cannot import the
worker package (Chalice deploys ``chalicelib`` alone), hence this copy of its few lines.

An indexer the admin configured may be on the home network (``allow_private=True``: Prowlarr on a LAN
address); link-local and unspecified addresses are refused even then (cloud metadata lives there).
"""

from __future__ import annotations

import functools
import ssl
from typing import Any

import httpcore
import httpx

from chalicelib.downloads import urlguard


class _Pinned(httpcore.SyncBackend):
    def __init__(self, *, allow_private: bool):
        self.allow_private = allow_private

    def connect_tcp(self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
                    socket_options: Any = None) -> httpcore.NetworkStream:
        last: Exception | None = None
        for address in urlguard.allowed_addresses(host, port, allow_private=self.allow_private):
            try:
                return super().connect_tcp(str(address), port, timeout, local_address, socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last = exc
        raise last or httpcore.ConnectError(f"no address of {host} answered")

    def connect_unix_socket(self, path: str, timeout: float | None = None,
                            socket_options: Any = None) -> httpcore.NetworkStream:
        raise urlguard.UrlRefused("unsupported_scheme", "Unix sockets are not indexers")


@functools.lru_cache(maxsize=1)
def _ssl_context() -> ssl.SSLContext:
    # Loading the CA bundle costs tens of ms of CPU: once per process, not once per indexer and search.
    return httpx.create_ssl_context(trust_env=False)


def client(*, allow_private: bool, timeout: float) -> httpx.Client:
    """An httpx client (no proxies from the environment, no redirects followed) on the pinned backend."""
    transport = httpx.HTTPTransport(verify=_ssl_context(), trust_env=False)  # no second CA bundle load
    transport._pool = httpcore.ConnectionPool(  # httpx has no public way to hand httpcore a backend
        ssl_context=_ssl_context(), max_connections=20,
        max_keepalive_connections=10, keepalive_expiry=5.0, network_backend=_Pinned(allow_private=allow_private))
    return httpx.Client(transport=transport, timeout=timeout, follow_redirects=False, trust_env=False,
                        headers={"User-Agent": "seen/1 (+torznab)"})


def read_capped(response: httpx.Response, max_bytes: int) -> bytes:
    """The body, refusing more than ``max_bytes`` (read in chunks: a huge answer is never held whole)."""
    declared = response.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > max_bytes:
        raise TooLarge(max_bytes)
    chunks: list[bytes] = []
    total = 0
    for chunk in response.iter_bytes():
        total += len(chunk)
        if total > max_bytes:
            raise TooLarge(max_bytes)
        chunks.append(chunk)
    return b"".join(chunks)


class TooLarge(Exception):
    def __init__(self, max_bytes: int):
        super().__init__(f"the answer is larger than {max_bytes // 1024} KB")
