"""The content type a streamed file is served with (shared by the Range server and the telemetry report)."""

from __future__ import annotations

import mimetypes

TYPES = {".mkv": "video/x-matroska", ".mp4": "video/mp4", ".m4v": "video/mp4", ".webm": "video/webm",
         ".avi": "video/x-msvideo", ".ts": "video/mp2t", ".mov": "video/quicktime", ".srt": "application/x-subrip",
         ".vtt": "text/vtt", ".ass": "text/x-ssa", ".ssa": "text/x-ssa"}


def mime_type(path: str) -> str:
    suffix = path[path.rfind("."):].lower() if "." in path else ""
    return TYPES.get(suffix) or mimetypes.guess_type(path)[0] or "application/octet-stream"
