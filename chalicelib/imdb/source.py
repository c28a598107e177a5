"""Where the dataset files come from: a local directory or the datasets site, hashed on the way.

The SHA-256 is of the compressed bytes (hashing costs what reading the file costs, not what
decompressing it would). A download is streamed to a file next to the others, never held in memory.

Every connection, redirects included, goes through the egress guard's pinned client: the datasets site is
the operator's choice (a mirror on the home network is fine), but where it redirects is the remote's, so a
redirect may reach a private address only when the configured site is itself on one, and never link-local
(cloud metadata) or unspecified addresses.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from chalicelib import egress
from chalicelib.config.imdb import ImdbSettings

BLOCK = 1 << 20


class SourceError(RuntimeError):
    """A dataset file could not be read or downloaded."""


@dataclass(frozen=True)
class Fetched:
    name: str  # dataset name, e.g. title.basics
    path: Path
    sha256: str
    downloaded: bool = False

    def discard(self) -> None:
        """Remove a downloaded copy (a local source directory is never touched)."""
        if self.downloaded:
            self.path.unlink(missing_ok=True)


def file_name(name: str) -> str:
    return f"{name}.tsv.gz"


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(BLOCK):
            digest.update(block)
    return digest.hexdigest()


def local(directory: str | Path, name: str) -> Fetched:
    path = Path(directory) / file_name(name)
    if not path.is_file():
        raise SourceError(f"{path} does not exist")
    return Fetched(name, path, sha256_file(path))


MAX_REDIRECTS = 5


def _private_site(url: str) -> bool:
    """Whether the configured datasets site is itself on a private or loopback address (an operator's mirror)."""
    try:
        egress.check_url(url, allow_private=False)
    except egress.UrlRefused as exc:
        return exc.code == "private_address"
    return False


def download(settings: ImdbSettings, name: str) -> Fetched:
    """GET ``<datasets_url><name>.tsv.gz`` into the download directory, hashing while writing."""
    import httpx  # lazy: ~300 ms of import, only a download needs it

    from chalicelib.egress.clients import client  # lazy: loads httpx, only a download needs it

    target_dir = Path(settings.download_dir)
    target_dir.mkdir(parents=True, exist_ok=True)
    path = target_dir / file_name(name)
    partial = path.with_suffix(".part")
    digest = hashlib.sha256()
    url = settings.datasets_url + file_name(name)
    try:
        with client(allow_private=_private_site(url), timeout=settings.request_timeout) as http:
            http.max_redirects = MAX_REDIRECTS
            with http.stream("GET", url, follow_redirects=True) as response:
                response.raise_for_status()
                with partial.open("wb") as out:
                    for block in response.iter_bytes(BLOCK):
                        digest.update(block)
                        out.write(block)
    except (httpx.HTTPError, OSError, ValueError) as exc:
        partial.unlink(missing_ok=True)
        raise SourceError(f"download of {url} failed: {exc}") from exc
    os.replace(partial, path)
    return Fetched(name, path, digest.hexdigest(), downloaded=True)


def fetch(settings: ImdbSettings, name: str, directory: str | Path | None) -> Fetched:
    """The file from ``directory`` when given, else downloaded from the configured base URL."""
    return local(directory, name) if directory else download(settings, name)
