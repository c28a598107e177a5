"""Every read of a list goes through the egress guard's pinned client, with a capped body and few redirects."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urljoin

import httpx

from chalicelib import egress
from chalicelib.config import ListSettings
from chalicelib.egress import clients
from chalicelib.lists.entries import Fetch
from chalicelib.lists.errors import ListFailed

MAX_HOPS = 3
USER_AGENT = "seen/1 (+list import)"


@contextmanager
def fetcher(settings: ListSettings, service: str) -> Iterator[Fetch]:
    """A ``Fetch`` for one sync (one client, closed afterwards); failures are ``ListFailed`` naming ``service``."""
    http = clients.client(allow_private=settings.allow_private, timeout=settings.timeout)

    def get(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
        sent = {"User-Agent": USER_AGENT, "Accept-Language": "en", **(headers or {})}
        for _ in range(MAX_HOPS + 1):
            try:
                egress.check_url(url, allow_private=settings.allow_private)
                with http.stream("GET", url, headers=sent) as response:
                    if response.is_redirect and (location := response.headers.get("location")):
                        url = urljoin(url, location)
                        continue
                    body = clients.read_capped(response, settings.max_page_bytes)
                    return response.status_code, {k.lower(): v for k, v in response.headers.items()}, body
            except egress.UrlRefused as exc:
                raise ListFailed("list_refused", f"{service}'s address was refused: {exc}") from exc
            except clients.TooLarge as exc:
                raise ListFailed("list_too_large", f"{service}'s answer was too large ({exc})") from exc
            except httpx.HTTPError as exc:
                raise ListFailed("list_unreachable", f"{service} did not answer ({type(exc).__name__})") from exc
        raise ListFailed("list_unreachable", f"{service} redirected too many times")

    try:
        yield get
    finally:
        http.close()


def check_status(status: int, service: str, what: str) -> None:
    """404/403/401: the list is gone or private; anything else but 200: the service failed."""
    if status in (401, 403, 404):
        raise ListFailed("list_not_found", f"{service} has no public list at {what} (it is private or gone)")
    if status != 200:
        raise ListFailed("list_unreachable", f"{service} answered {status} for {what}")
