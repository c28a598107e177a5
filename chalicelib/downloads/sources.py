"""What a submitted source is: validated, normalised, with its info hash and a display title."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

from chalicelib import egress, errors
from chalicelib.config import DownloadSettings
from chalicelib.downloads import torrentmeta, trackerguard

MAX_SOURCE = 8192  # download_jobs.source CHECK


class UrlNotAllowed(errors.ValidationFailed):
    code = "url_not_allowed"


@dataclass(frozen=True)
class Source:
    source_type: str
    source: str | None  # magnet or URL; None for an uploaded .torrent
    torrent: bytes | None  # the .torrent file, to be stored in the bucket
    info_hash: str | None
    title: str | None

    @property
    def torrent_key(self) -> str | None:
        """Content-addressed bucket key: the same file uploaded twice is one object."""
        if self.torrent is None:
            return None
        return f"torrents/{hashlib.sha256(self.torrent).hexdigest()}.torrent"


def _url_title(url: str) -> str | None:
    name = PurePosixPath(unquote(urlsplit(url).path)).name
    return name[:1000] or None


def _check_length(value: str) -> None:
    if len(value) > MAX_SOURCE:
        raise errors.ValidationFailed("The source is too long",
                                      fields={"source": f"at most {MAX_SOURCE} characters"})


def parse_torrent(raw: bytes, settings: DownloadSettings) -> Source:
    """A .torrent file, inline (decoded) or uploaded to the bucket: the same checks either way."""
    if len(raw) > settings.max_torrent_bytes:
        raise torrentmeta.TorrentTooLarge(f"A .torrent file may be at most {settings.max_torrent_bytes} bytes")
    meta = torrentmeta.parse_torrent(raw, torrentmeta.Limits(settings.max_files, settings.max_total_bytes))
    raw = trackerguard.check_torrent(raw, allow_private=settings.allow_private)
    return Source("torrent", None, raw, meta.info_hash, meta.name)


def parse(source_type: str, value: str, settings: DownloadSettings) -> Source:
    """Validate a submitted source; raise a 4xx domain error when it cannot be downloaded."""
    if source_type == "torrent":
        return parse_torrent(torrentmeta.decode_base64(value, settings.max_torrent_bytes), settings)
    _check_length(value)
    if source_type == "magnet":
        magnet = torrentmeta.parse_magnet(value)
        value = trackerguard.check_magnet(value, allow_private=settings.allow_private)
        return Source("magnet", value, None, magnet.info_hash, magnet.name)
    try:
        url = egress.check_url(value, allow_private=settings.allow_private)
    except egress.UrlRefused as exc:
        raise UrlNotAllowed(str(exc), fields={"source": exc.code}) from None
    return Source(source_type, url, None, None, _url_title(url))
