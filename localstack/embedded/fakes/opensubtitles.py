"""A fake OpenSubtitles REST API v1 (search and download), speaking its documented JSON.

``GET /api/v1/subtitles`` filters the seeded subtitles by ``moviehash`` (a hash match is flagged
``moviehash_match``), ``imdb_id``/``tmdb_id``, ``parent_imdb_id``/``parent_tmdb_id`` with
``season_number``/``episode_number``, and ``languages``; answers ``{total_pages, total_count,
per_page, page, data: [{id, type: "subtitle", attributes: {...}}]}``, 50 per page.
``POST /api/v1/download {file_id}`` answers ``{link, file_name, requests, remaining, ...}``, the
link pointing back at this server, which serves the SRT text. Every API call needs the ``Api-Key``
header (401 otherwise, the API's body). The file links do not (the real ones are signed URLs).

    python -m embedded.fakes.opensubtitles --port 18310   # then OPENSUBTITLES_BASE_URL=http://127.0.0.1:18310/api/v1
"""

from __future__ import annotations

import argparse
import itertools
import json
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs, urlsplit

from embedded.fakes import FakeServer, Recorded, Reply

PER_PAGE = 50
BAD_KEY = {"message": "You cannot consume this service", "status": 401}
SAMPLE_SRT = ("1\r\n00:00:01,000 --> 00:00:03,500\r\n{text}\r\n\r\n"
              "2\r\n00:00:04,000 --> 00:00:06,000\r\nSecond line, <i>{language}</i>.\r\n")


@dataclass
class Subtitle:
    """One seeded subtitle (one file): what a search matches on and what a download serves."""

    language: str
    moviehash: str | None = None
    imdb_id: int | None = None
    tmdb_id: int | None = None
    parent_imdb_id: int | None = None
    parent_tmdb_id: int | None = None
    season_number: int | None = None
    episode_number: int | None = None
    download_count: int = 100
    text: str | None = None  # the file's content (SRT); a sample when None
    file_id: int = 0
    subtitle_id: int = 0
    extra: dict[str, Any] = field(default_factory=dict)


class FakeOpenSubtitles(FakeServer):
    name = "opensubtitles"

    def __init__(self, api_key: str = "fake-opensubtitles-key", host: str = "127.0.0.1", port: int = 0):
        super().__init__(host, port)
        self.api_key = api_key
        self.subtitles: list[Subtitle] = []
        self._ids = itertools.count(9001)

    @property
    def url(self) -> str:
        return f"{self.origin}/api/v1"

    def add(self, language: str, **fields: Any) -> Subtitle:
        number = next(self._ids)
        subtitle = Subtitle(language=language, file_id=number * 10, subtitle_id=number, **fields)
        self.subtitles.append(subtitle)
        return subtitle

    def error_body(self, status: int) -> Any:
        if status == 429:
            return {"message": "Throttle limit reached. Retry later.", "status": 429}
        return {"message": "Internal Server Error", "status": status}

    # ---------------------------------------------------------------- routes

    def handle(self, request: Recorded) -> Reply:
        if request.path.startswith("/files/"):
            return self._file(request.path.removeprefix("/files/"))
        if request.headers.get("api-key") != self.api_key:
            return Reply(401, BAD_KEY)
        if not request.headers.get("user-agent"):
            return Reply(403, {"message": "Missing User-Agent", "status": 403})
        if request.method == "GET" and request.path == "/api/v1/subtitles":
            return self._search(request.query)
        if request.method == "POST" and request.path == "/api/v1/download":
            return self._download(request.body)
        return Reply(404, {"message": "Not found", "status": 404})

    def _matches(self, sub: Subtitle, query: dict[str, str]) -> tuple[bool, bool]:
        """(listed, moviehash_match) for one subtitle and the query."""
        languages = [lang for lang in (query.get("languages") or "").split(",") if lang]
        if languages and sub.language not in languages:
            return False, False
        hashed = bool(query.get("moviehash")) and sub.moviehash == query["moviehash"]
        ids = {name: int(query[name]) for name in ("imdb_id", "tmdb_id", "parent_imdb_id", "parent_tmdb_id",
                                                     "season_number", "episode_number") if query.get(name)}
        by_ids = bool(ids) and all(getattr(sub, name) == value for name, value in ids.items())
        if query.get("moviehash") and not ids:
            return hashed, hashed
        return by_ids or hashed, hashed

    def _search(self, query: dict[str, str]) -> Reply:
        if not any(query.get(n) for n in ("moviehash", "imdb_id", "tmdb_id", "parent_imdb_id", "parent_tmdb_id",
                                          "query")):
            return Reply(400, {"errors": ["You must provide at least one search parameter"], "status": 400})
        found = [(sub, hashed) for sub in self.subtitles for listed, hashed in [self._matches(sub, query)] if listed]
        found.sort(key=lambda pair: (not pair[1], -pair[0].download_count))
        page = max(1, int(query.get("page") or 1))
        chunk = found[(page - 1) * PER_PAGE: page * PER_PAGE]
        return Reply(200, {"total_pages": max(1, -(-len(found) // PER_PAGE)), "total_count": len(found),
                           "per_page": PER_PAGE, "page": page,
                           "data": [self._entry(sub, hashed) for sub, hashed in chunk]})

    def _entry(self, sub: Subtitle, hashed: bool) -> dict[str, Any]:
        kind = "episode" if sub.season_number is not None else "movie"
        details = {"feature_id": sub.tmdb_id or sub.parent_tmdb_id or 0, "feature_type": kind.capitalize(),
                   "year": 2020, "title": "Fake title", "movie_name": "Fake title", "imdb_id": sub.imdb_id,
                   "tmdb_id": sub.tmdb_id, "season_number": sub.season_number,
                   "episode_number": sub.episode_number, "parent_imdb_id": sub.parent_imdb_id,
                   "parent_tmdb_id": sub.parent_tmdb_id}
        attributes = {"subtitle_id": str(sub.subtitle_id), "language": sub.language,
                      "download_count": sub.download_count, "new_download_count": 0, "hearing_impaired": False,
                      "hd": True, "fps": 23.976, "votes": 0, "ratings": 0.0, "from_trusted": True,
                      "foreign_parts_only": False, "ai_translated": False, "machine_translated": False,
                      "moviehash_match": hashed, "release": f"Fake.Release.{sub.language}",
                      "upload_date": "2020-01-01T00:00:00Z", "url": f"{self.origin}/subtitles/{sub.subtitle_id}",
                      "feature_details": details,
                      "files": [{"file_id": sub.file_id, "cd_number": 1,
                                 "file_name": f"fake.{sub.language}.srt"}], **sub.extra}
        return {"id": str(sub.subtitle_id), "type": "subtitle", "attributes": attributes}

    def _download(self, body: str) -> Reply:
        try:
            file_id = json.loads(body or "{}").get("file_id")
        except ValueError:
            file_id = None
        sub = next((s for s in self.subtitles if s.file_id == file_id), None)
        if sub is None:
            return Reply(404, {"message": "Invalid file_id", "status": 404})
        return Reply(200, {"link": f"{self.origin}/files/{sub.file_id}/fake.{sub.language}.srt",
                           "file_name": f"fake.{sub.language}.srt", "requests": 1, "remaining": 99,
                           "message": "Your quota will be renewed in 23 hours",
                           "reset_time": "23 hours", "reset_time_utc": "2030-01-01T00:00:00.000Z"})

    def _file(self, rest: str) -> Reply:
        number = rest.split("/", 1)[0]
        sub = next((s for s in self.subtitles if str(s.file_id) == number), None)
        if sub is None:
            return Reply(404, {"message": "Not found", "status": 404})
        text = sub.text or SAMPLE_SRT.format(text=f"Fake subtitle {sub.file_id}", language=sub.language)
        return Reply(200, text, {"Content-Type": "application/x-subrip; charset=utf-8"})

    def downloads(self) -> list[Recorded]:
        return [r for r in self.requests if r.path == "/api/v1/download"]

    def api_calls(self) -> list[Recorded]:
        return [r for r in self.requests if r.path.startswith("/api/v1/")]

    # ------------------------------------------------------- raw text replies

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        """The base handler, except that a ``str`` body is sent as is (the subtitle files are not JSON)."""
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def _serve(self) -> None:
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode("utf-8", "replace") if length else ""
                query = {k: v[-1] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
                reply = fake._dispatch(Recorded(self.command, parts.path, query,
                                                {k.lower(): v for k, v in self.headers.items()}, body))
                raw = isinstance(reply.body, str)
                payload = reply.body.encode() if raw else json.dumps(reply.body).encode()
                self.send_response(reply.status)
                headers = {"Content-Type": "application/json;charset=utf-8", **reply.headers}
                headers["Content-Length"] = str(len(payload))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = _serve

        return Handler


def main() -> None:  # pragma: no cover - manual use
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=18310)
    parser.add_argument("--api-key", default="fake-opensubtitles-key")
    args = parser.parse_args()
    fake = FakeOpenSubtitles(api_key=args.api_key, port=args.port)
    fake.add("en", text=None)
    print(f"fake OpenSubtitles on {fake.url}", flush=True)
    fake._server.serve_forever()


if __name__ == "__main__":
    main()
