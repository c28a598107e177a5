"""HTTP clients for indexers and the files their results link to, every connection pinned to a checked address.

Connections go through ``chalicelib.egress.pinned``, the backend the worker's downloads use too:
a host is resolved once, every answer checked by the egress guard and a checked address connected to, so a
name cannot answer one address to the check and another to the connect (DNS rebinding).

An indexer the admin configured may be on the home network (``allow_private=True``: Prowlarr on a LAN
address); link-local and unspecified addresses are refused even then (cloud metadata lives there).
"""

from __future__ import annotations

import functools
import ssl
import time

import httpx

from chalicelib.egress.pinned import pinned_transport


@functools.lru_cache(maxsize=1)
def _ssl_context() -> ssl.SSLContext:
    # Loading the CA bundle costs tens of ms of CPU: once per process, not once per indexer and search.
    return httpx.create_ssl_context(trust_env=False)


def client(*, allow_private: bool, timeout: float) -> httpx.Client:
    """An httpx client (no proxies from the environment, no redirects followed) on the pinned backend."""
    transport = pinned_transport(allow_private=allow_private, ssl_context=_ssl_context(), max_connections=20,
                                 max_keepalive_connections=10)
    return httpx.Client(transport=transport, timeout=timeout, follow_redirects=False, trust_env=False,
                        headers={"User-Agent": "seen/1 (+torznab)"})


# The most a whole answer may take, however it trickles in: a read timeout alone is per read, and a server that
# sends a byte every few seconds held an API thread for over a minute.
DEFAULT_WITHIN = 60.0


def read_capped(response: httpx.Response, max_bytes: int, within: float = DEFAULT_WITHIN) -> bytes:
    """The body, refusing more than ``max_bytes`` (read in chunks: a huge answer is never held whole) or, with
    ``TooSlow`` (an httpx timeout, as the callers already handle), an answer not whole within ``within`` seconds
    of the call."""
    declared = response.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > max_bytes:
        raise TooLarge(max_bytes)
    deadline = time.monotonic() + within
    chunks: list[bytes] = []
    total = 0
    for chunk in response.iter_bytes():
        total += len(chunk)
        if total > max_bytes:
            raise TooLarge(max_bytes)
        if time.monotonic() > deadline:
            raise TooSlow(f"no whole answer within {within:g} s", request=response.request)
        chunks.append(chunk)
    return b"".join(chunks)


class TooSlow(httpx.ReadTimeout):
    """The answer kept coming slower than its deadline allows."""


class TooLarge(Exception):
    def __init__(self, max_bytes: int):
        super().__init__(f"the answer is larger than {max_bytes // 1024} KB")
