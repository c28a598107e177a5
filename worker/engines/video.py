"""The yt-dlp engine: a video page (a YouTube watch URL, any site yt-dlp knows) becomes one playable file.

yt-dlp runs in-process, one ``YoutubeDL`` per job on the job's own thread. The
page is extracted once (``download=False``), every media URL of the chosen
formats is checked, and only then is that same info downloaded. In-progress
files (``.part``, fragments, the separate video and audio parts before the
merge) live in ``workdir/video-tmp``; yt-dlp moves the finished file into
``data_dir``, so the payload never holds a half-written file. A restarted job
resumes its ``.part`` files (``continuedl``).

Egress: the page URL and every media URL (each requested format's ``url``,
``manifest_url``, ``fragment_base_url`` and absolute fragment URLs) pass
``egress.check_url`` before a byte is fetched, and the whole run sits inside
``egress.pinned_resolution``, so every connection yt-dlp's own HTTP opens in
this thread -- redirects, the site's API calls, HLS/DASH segments listed only
in a manifest -- resolves through the guard and a refused address fails the
lookup. Not covered: a proxy (none is used: ``proxy=""`` ignores the
environment's), a transport with its own resolver (curl_cffi, not installed
for the worker), threads yt-dlp would start itself (they do not inherit the
pin: ``concurrent_fragment_downloads`` stays 1), and ffmpeg fetching by
itself (``hls_prefer_native`` keeps downloads in-process; ffmpeg only merges
local files). File names are made by yt-dlp's own sanitiser (no ``/``,
control characters or leading dots in a field) inside a template that
always ends ``[<id>].<ext>``.

Stop (cancel, remove, drain) is honoured at the next progress report or
post-processing step; an extraction runs to its end, each request bounded
by ``socket_timeout``.
"""

from __future__ import annotations

import re
import shutil
import threading
from dataclasses import dataclass, field
from functools import partial
from typing import Any
from urllib.parse import urlsplit

import yt_dlp
from yt_dlp.globals import plugin_dirs
from yt_dlp.networking.exceptions import HTTPError, TransportError
from yt_dlp.utils import ContentTooShortError, ExtractorError, GeoRestrictedError, UnsupportedError, YoutubeDLError

from chalicelib import egress
from chalicelib.config import EngineSettings
from worker.engines.base import (
    EngineError,
    JobSpec,
    PayloadFile,
    PermanentError,
    Phase,
    Progress,
    StagedFile,
    ThreadPerJob,
    TransientError,
    staged_files,
)

TEMP_DIR = "video-tmp"
# Browser-playable first (H.264 + AAC in MP4), at most 1080p; then whatever yt-dlp thinks best.
FORMAT = "bv*[height<=1080][vcodec^=avc1]+ba[acodec^=mp4a]/b[height<=1080][ext=mp4]/bv*[height<=1080]+ba/b"
OUTPUT = "%(title).150B [%(id)s].%(ext)s"  # relative: yt-dlp puts it under paths.home (done) or paths.temp
TEMPORARY = re.compile(r"\.(part|ytdl)$|\.part-Frag\d+$|\.temp\.[^.]+$")
QUERY = re.compile(r"(https?://[^\s?#'\"]+)[?#][^\s'\"]*")
LOGIN = re.compile(r"\b(sign in|log in|login required|members[- ]only)\b")


class _Stopped(Exception):
    """Raised from yt-dlp's hooks when the job is stopped; yt-dlp closes its files and lets it through."""


@dataclass
class _Transfer:
    spec: JobSpec
    stop: threading.Event = field(default_factory=threading.Event)
    thread: threading.Thread | None = None
    phase: Phase = "preparing"
    bytes_done: int = 0
    bytes_total: int | None = None
    speed: float = 0.0
    error: EngineError | None = None
    expected: dict[str, int | None] = field(default_factory=dict)  # format id -> announced size of each part
    parts: dict[str, tuple[int, int | None]] = field(default_factory=dict)  # format id -> (done, total)
    finished: list[StagedFile] = field(default_factory=list)

    def record(self, part: str, done: int, total: int | None, estimate: int | None, speed: float | None) -> None:
        """One progress report of one part; merged formats download their parts one after the other.

        A part's size is the server's exact length, else the size its format announced, else the fragment
        downloader's running guess. Parts not started count with their announced size: the total is an
        estimate, so it is only allowed to change in a way that keeps the share done from going backwards.
        """
        before = self.parts.get(part, (0, None))
        self.parts[part] = (max(done, before[0]), total or self.expected.get(part) or estimate or before[1])
        sizes = [self.parts.get(key, (0, None))[1] or self.expected.get(key) for key in {*self.expected, *self.parts}]
        all_done = sum(got for got, _ in self.parts.values())
        all_total = max(sum(size for size in sizes if size), all_done) or None
        if all_total and self.bytes_total and self.bytes_done and \
                all_done * self.bytes_total < self.bytes_done * all_total:
            all_total = all_done * self.bytes_total // self.bytes_done  # the share done as it was, not less
        self.bytes_done, self.bytes_total = all_done, all_total
        self.speed = float(speed or 0.0)
        self.phase = "downloading"


class _Log:
    """yt-dlp's ``logger``: its lines into the worker log, URLs without their query strings (signed, personal)."""

    def __init__(self, logger: Any, job_id: str):
        self.logger, self.job_id = logger, job_id

    def debug(self, message: str) -> None:
        self.logger.debug("yt-dlp said", extra={"action": "video_ytdlp", "job_id": self.job_id,
                                                "detail": redact(message)})

    info = debug

    def warning(self, message: str) -> None:
        # Info, not warning: yt-dlp warns about routine things ("Falling back on generic information extractor").
        self.logger.info("yt-dlp warning", extra={"action": "video_warning", "job_id": self.job_id,
                                                  "detail": redact(message)})

    def error(self, message: str) -> None:
        # The job's error code is reported by the monitor; this is yt-dlp's own wording of it.
        self.logger.info("yt-dlp error", extra={"action": "video_error_detail", "job_id": self.job_id,
                                                "detail": redact(message)})


def redact(text: str) -> str:
    return QUERY.sub(r"\1?…", text)


class VideoEngine(ThreadPerJob[_Transfer]):
    kinds = ("video",)

    def __init__(self, settings: EngineSettings, logger: Any):
        self.settings = settings
        self.logger = logger
        self._jobs: dict[str, _Transfer] = {}
        self._lock = threading.Lock()
        plugin_dirs.value = []  # no code from ~/.config/yt-dlp or sys.path plugins: the library as pinned

    def add(self, spec: JobSpec) -> None:
        spec.data_dir.mkdir(parents=True, exist_ok=True)
        self._start(_Transfer(spec), "video", self._run)

    def status(self, job_id: str) -> Progress:
        transfer = self._jobs[job_id]
        if transfer.error is not None:
            raise transfer.error
        return Progress(transfer.phase, transfer.bytes_done, transfer.bytes_total, transfer.speed)

    def files(self, spec: JobSpec) -> list[StagedFile]:
        """The finished files in ``data_dir`` (yt-dlp's leftovers, should one ever land there, are not payload)."""
        return [staged for staged in staged_files(spec.data_dir) if not TEMPORARY.search(staged.path)]

    def payload(self, job_id: str) -> list[PayloadFile] | None:
        """The finished file(s); None while downloading (the parts are merged only at the end)."""
        transfer = self._jobs.get(job_id)
        if transfer is None or transfer.phase != "finished":
            return None
        return [PayloadFile(index, staged.path, staged.local, staged.local.stat().st_size)
                for index, staged in enumerate(transfer.finished)]

    def _discard(self, spec: JobSpec) -> None:
        shutil.rmtree(spec.workdir / TEMP_DIR, ignore_errors=True)

    # --- the job's thread ---------------------------------------------------

    def _run(self, transfer: _Transfer) -> None:
        try:
            self._download(transfer)
        except _Stopped:
            return
        except EngineError as exc:
            transfer.error = exc
        except OSError as exc:
            transfer.error = TransientError("disk_error", f"Writing the download failed: {exc.strerror or exc}")
        except Exception as exc:  # a bug must end the job visibly, not leave it hanging
            self.logger.exception("video transfer crashed", extra={"action": "video_crashed",
                                                                   "job_id": transfer.spec.job_id})
            transfer.error = TransientError("video_error", f"Unexpected {type(exc).__name__}")

    def _download(self, transfer: _Transfer) -> None:
        spec, page = transfer.spec, transfer.spec.source or ""
        _check(page, allow_private=self.settings.allow_private)
        with egress.pinned_resolution(allow_private=self.settings.allow_private) as pin, \
                yt_dlp.YoutubeDL(self._options(transfer)) as ydl:
            try:
                info = _single(ydl.extract_info(page, download=False))
                for url in _origins(_media_urls(info)):
                    _check(url, allow_private=self.settings.allow_private, refused=pin.refused)
                transfer.expected = _sizes(info)
                if transfer.stop.is_set():
                    raise _Stopped()
                ydl.process_ie_result(info, download=True)
            except YoutubeDLError as exc:
                if transfer.stop.is_set():
                    raise _Stopped() from None
                raise classify(exc, pin.refused) from None
        transfer.finished = self.files(spec)
        if not transfer.finished:
            raise TransientError("video_error", "yt-dlp ended without a file")
        transfer.bytes_done = transfer.bytes_total = sum(f.local.stat().st_size for f in transfer.finished)
        transfer.speed = 0.0
        transfer.phase = "finished"

    def _options(self, transfer: _Transfer) -> Any:
        """yt-dlp's params (typeshed's TypedDict wants a str cachedir; False is what turns the cache off)."""
        spec = transfer.spec
        return {
            "format": FORMAT,
            "merge_output_format": "mp4",
            "paths": {"home": str(spec.data_dir), "temp": str(spec.workdir / TEMP_DIR)},
            "outtmpl": OUTPUT,
            "noplaylist": True,
            "continuedl": True,
            "cachedir": False,
            "check_formats": False,  # testing a format fetches it: nothing is fetched before its URL is checked
            "hls_prefer_native": True,  # segments through yt-dlp's HTTP (guarded), not through ffmpeg's
            "proxy": "",  # direct: the guard judges the address really connected to
            "socket_timeout": self.settings.http_timeout,
            # No max_filesize: EngineSettings has no size limit (max_total_bytes is the control plane's).
            "retries": self.settings.http_retries,
            "fragment_retries": self.settings.http_retries,
            "quiet": True,
            "no_warnings": True,
            "noprogress": True,
            "logger": _Log(self.logger, spec.job_id),
            "progress_hooks": [partial(_progress, transfer)],
            "postprocessor_hooks": [partial(_postprocessing, transfer)],
            **_js_runtime(),
        }


def _js_runtime() -> dict[str, Any]:
    """YouTube's JavaScript challenges run in the deno that the ``deno`` wheel installs (worker/requirements.txt):
    not looked up on PATH, which a service manager may not give the worker. None installed: yt-dlp's default."""
    try:
        from deno import find_deno_bin  # optional: only the wheel's binary, when present
    except ImportError:
        return {}
    try:
        return {"js_runtimes": {"deno": {"path": find_deno_bin()}}}
    except (OSError, RuntimeError):
        return {}


def _progress(transfer: _Transfer, report: dict[str, Any]) -> None:
    if transfer.stop.is_set():
        raise _Stopped()
    if report.get("status") not in ("downloading", "finished"):
        return
    part = str((report.get("info_dict") or {}).get("format_id") or report.get("filename"))
    total, estimate = report.get("total_bytes"), report.get("total_bytes_estimate")
    transfer.record(part, int(report.get("downloaded_bytes") or 0), int(total) if total else None,
                    int(estimate) if estimate else None, report.get("speed"))


def _postprocessing(transfer: _Transfer, report: dict[str, Any]) -> None:
    if transfer.stop.is_set():
        raise _Stopped()


def _check(url: str, *, allow_private: bool, refused: list[str] | None = None) -> None:
    """``refused``: the pinned resolver's record; inside it a refused address fails the lookup itself."""
    try:
        egress.check_url(url, allow_private=allow_private)
    except egress.UrlRefused as exc:
        if refused:
            raise PermanentError("url_not_allowed", f"The egress guard refused {refused[-1]}") from None
        if exc.code == "unresolvable_host":  # DNS trouble, maybe passing; a retry decides
            raise TransientError("video_network", str(exc)) from None
        raise PermanentError("url_not_allowed", str(exc)) from None


def _single(info: Any) -> Any:
    """The page's one video (yt-dlp's info dict); a page of several is refused rather than guessed at."""
    if not isinstance(info, dict):
        raise PermanentError("video_unsupported", "No video found at this address")
    if info.get("_type") in ("playlist", "multi_video"):
        entries = [entry for entry in info.get("entries") or () if entry]
        if len(entries) != 1:
            raise PermanentError("video_playlist", f"The page holds {len(entries)} videos; a job downloads one")
        return _single(entries[0])
    return info


def _media_urls(info: dict[str, Any]) -> list[str]:
    urls: list[Any] = []
    for fmt in info.get("requested_formats") or [info]:
        urls += [fmt.get("url"), fmt.get("manifest_url"), fmt.get("fragment_base_url")]
        fragments = fmt.get("fragments")
        if isinstance(fragments, list):  # a live stream's is a generator: its segments meet the pinned resolver
            urls += [fragment.get("url") for fragment in fragments if isinstance(fragment, dict)]
    return [url for url in urls if isinstance(url, str) and url and not url.startswith("data:")]


def _origins(urls: list[str]) -> list[str]:
    """One URL per scheme and host: the guard's verdict depends on nothing else, and DNS once per host."""
    seen: dict[tuple[str, str], str] = {}
    for url in urls:
        parts = urlsplit(url)
        seen.setdefault((parts.scheme, parts.netloc), url)
    return list(seen.values())


def _sizes(info: dict[str, Any]) -> dict[str, int | None]:
    return {str(fmt.get("format_id")): fmt.get("filesize") or fmt.get("filesize_approx")
            for fmt in info.get("requested_formats") or [info]}


def _causes(exc: BaseException) -> list[BaseException]:
    """The error and what caused it: yt-dlp wraps the real one in ``exc_info``, ``cause`` or ``__cause__``."""
    found: list[BaseException] = []
    pending: list[Any] = [exc]
    while pending and len(found) < 10:
        current = pending.pop(0)
        if not isinstance(current, BaseException) or any(current is seen for seen in found):
            continue
        found.append(current)
        exc_info = getattr(current, "exc_info", None)
        pending += [exc_info[1] if isinstance(exc_info, tuple) and len(exc_info) > 1 else None,
                    getattr(current, "cause", None), current.__cause__, current.__context__]
    return found


def classify(exc: BaseException, refused: list[str]) -> EngineError:
    """A stable code for what yt-dlp said: permanent when another attempt would hear the same."""
    if refused:
        return PermanentError("url_not_allowed", f"The egress guard refused a connection: {refused[0]}")
    causes = _causes(exc)
    text = " ".join(str(cause) for cause in causes).lower()
    if any(isinstance(cause, UnsupportedError) for cause in causes):
        return PermanentError("video_unsupported", "No video found at this address")
    if any(isinstance(cause, GeoRestrictedError) for cause in causes):
        return PermanentError("video_geo_blocked", "The video is not available in this server's country")
    status = next((cause.status for cause in causes if isinstance(cause, HTTPError)), None)
    if status in (404, 410):
        return PermanentError("video_unavailable", f"The site answered {status}")
    if "private video" in text:
        return PermanentError("video_private", "The video is private")
    if "not a bot" in text:  # YouTube's block of an address that asked too much: it lifts after a while
        return TransientError("video_blocked", "The site wants proof this is not a bot; trying again later")
    if any(phrase in text for phrase in ("video unavailable", "has been removed", "no longer available",
                                         "does not exist", "account associated with this video has been")):
        return PermanentError("video_unavailable", "The video is unavailable")
    if LOGIN.search(text):
        return PermanentError("video_login_required", "The video needs a signed-in account")
    if "no video formats" in text or "requested format is not available" in text:
        return PermanentError("video_no_formats", "The page offers no downloadable format")
    if status is not None and status < 500 and status not in (403, 408, 425, 429):  # 403: expired signed URLs
        return PermanentError("video_unavailable", f"The site answered {status}")
    if status is not None or any(isinstance(cause, (TransportError, ContentTooShortError, TimeoutError,
                                                    ConnectionError)) for cause in causes):
        return TransientError("video_network", f"The site cannot be reached right now ({status or 'network'})")
    if any(isinstance(cause, ExtractorError) and cause.expected for cause in causes):
        return PermanentError("video_unavailable", redact(str(exc))[:300])
    return TransientError("video_error", redact(str(exc))[:300])
