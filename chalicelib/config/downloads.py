"""Download manager settings: the control plane's and the worker engines'."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ._env import _bool, _int, _seconds


@dataclass(frozen=True)
class DownloadSettings:
    """Control-plane side of the download manager: input limits, retries, staleness."""

    max_torrent_bytes: int = 2 * 1024 * 1024
    max_files: int = 10_000  # files in one torrent
    max_total_bytes: int = 2 * 1024**4  # one torrent's content (2 TiB)
    # Egress guard: HTTP sources, trackers, web seeds and peers on private or loopback
    # addresses are refused unless this is on (local development and tests);
    # link-local (169.254/16, fe80::/10) and 0.0.0.0 are refused even then.
    allow_private: bool = False
    retry_backoff: float = 15.0  # stalled -> retrying after this long
    heartbeat_stale: float = 90.0  # a running job whose worker is silent this long is stalled
    resend_after: float = 30.0  # a queued job still owed its command after this long is re-sent
    per_user_active: int = 3  # a user's jobs holding worker slots at once; the rest wait queued

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> DownloadSettings:
        return cls(
            max_torrent_bytes=_int(env, "SEEN_DOWNLOAD_MAX_TORRENT_BYTES", cls.max_torrent_bytes, 1024),
            max_files=_int(env, "SEEN_DOWNLOAD_MAX_FILES", cls.max_files, 1),
            max_total_bytes=_int(env, "SEEN_DOWNLOAD_MAX_TOTAL_BYTES", cls.max_total_bytes, 1),
            allow_private=_bool(env, "SEEN_DOWNLOAD_ALLOW_PRIVATE", cls.allow_private),
            retry_backoff=_seconds(env, "DOWNLOAD_RETRY_BACKOFF", cls.retry_backoff),
            heartbeat_stale=_seconds(env, "DOWNLOAD_HEARTBEAT_STALE", cls.heartbeat_stale, 1),
            resend_after=_seconds(env, "DOWNLOAD_RESEND_AFTER", cls.resend_after),
            per_user_active=_int(env, "SEEN_DOWNLOAD_PER_USER_ACTIVE", cls.per_user_active, 1),
        )


@dataclass(frozen=True)
class EngineSettings:
    """Worker side of the download manager: slots, polling, engines, uploads."""

    max_active: int = 3
    poll_interval: float = 3.0  # monitor tick: telemetry, state events, cancel flags
    stall_timeout: float = 300.0  # no payload progress this long -> stalled (retried by the API)
    command_wait: int = 5  # SQS long-poll seconds; also bounds how long a drain waits for it
    allow_private: bool = False  # same SSRF rule as the API, applied to every redirect
    http_timeout: float = 30.0
    http_retries: int = 3  # in-place Range resumes after a dropped connection before "stalled"
    listen_host: str = "0.0.0.0"  # noqa: S104 - a BitTorrent client accepts incoming peers
    listen_port: int = 6881  # 0 = any free port
    dht: bool = True
    lsd: bool = True
    upnp: bool = True  # UPnP and NAT-PMP port mapping
    utp: bool = True  # off on loopback for full speed
    # Pieces in file order (piece deadlines for playback still come first): the uploader can send each
    # multipart part while the rest downloads, and a file plays from its start without asking.
    sequential: bool = True
    upload_part_bytes: int = 16 * 1024 * 1024
    upload_concurrency: int = 4
    telemetry_ttl: int = 24 * 3600
    drain_timeout: float = 20.0
    # Staging of a stalled job waits this long for the control plane's retry; after that
    # the job has failed or been cancelled, and its partial data is deleted.
    parked_retention: float = 72 * 3600.0
    # Multipart uploads in the bucket older than this are abandoned (a killed worker's) and aborted.
    multipart_max_age: float = 24 * 3600.0
    multipart_sweep_every: float = 3600.0

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> EngineSettings:
        return cls(
            max_active=_int(env, "DOWNLOAD_MAX_ACTIVE", cls.max_active, 1),
            poll_interval=_seconds(env, "DOWNLOAD_POLL_INTERVAL", cls.poll_interval, 0.05),
            stall_timeout=_seconds(env, "DOWNLOAD_STALL_TIMEOUT", cls.stall_timeout, 1),
            command_wait=min(20, _int(env, "SEEN_COMMAND_WAIT", cls.command_wait)),
            allow_private=_bool(env, "SEEN_DOWNLOAD_ALLOW_PRIVATE", cls.allow_private),
            http_timeout=_seconds(env, "SEEN_HTTP_TIMEOUT", cls.http_timeout, 1),
            http_retries=_int(env, "SEEN_HTTP_RETRIES", cls.http_retries),
            listen_host=env.get("SEEN_TORRENT_LISTEN_HOST") or cls.listen_host,
            listen_port=_int(env, "SEEN_TORRENT_LISTEN_PORT", cls.listen_port),
            dht=_bool(env, "SEEN_TORRENT_DHT", cls.dht),
            lsd=_bool(env, "SEEN_TORRENT_LSD", cls.lsd),
            upnp=_bool(env, "SEEN_TORRENT_UPNP", cls.upnp),
            utp=_bool(env, "SEEN_TORRENT_UTP", cls.utp),
            sequential=_bool(env, "SEEN_TORRENT_SEQUENTIAL", cls.sequential),
            upload_part_bytes=_int(env, "SEEN_UPLOAD_PART_BYTES", cls.upload_part_bytes, 5 * 1024 * 1024),
            upload_concurrency=_int(env, "SEEN_UPLOAD_CONCURRENCY", cls.upload_concurrency, 1),
            telemetry_ttl=_int(env, "SEEN_TELEMETRY_TTL", cls.telemetry_ttl, 60),
            drain_timeout=_seconds(env, "SEEN_DRAIN_TIMEOUT", cls.drain_timeout, 1),
            parked_retention=_seconds(env, "SEEN_PARKED_RETENTION", cls.parked_retention, 60),
            multipart_max_age=_seconds(env, "SEEN_MULTIPART_MAX_AGE", cls.multipart_max_age, 1),
            multipart_sweep_every=_seconds(env, "SEEN_MULTIPART_SWEEP_EVERY", cls.multipart_sweep_every, 0.5),
        )
