"""The Chalice app as a WSGI application: what API Gateway does in AWS, in-process.

A WSGI request becomes the REST API proxy event Chalice's handler expects
(``requestContext.resourcePath`` is the matched route, as API Gateway's
routing would find it; path parameters, multi-value query and headers, the
body base64-encoded when it is binary), the app is called as Lambda would call
it, and its proxy response becomes the WSGI response. A path no route matches
is the 404 envelope API Gateway answers in AWS (infra/resources.yml).

Chalice keeps the request being handled on the app object (``app.current_request``):
fine in Lambda, one request per process, but a threaded server handles several at
once, so ``thread_safe`` moves that state to a thread-local first.
"""

from __future__ import annotations

import base64
import contextlib
import json
import re
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qs, quote, unquote

NOT_FOUND = json.dumps({"error": {"code": "not_found", "message": "No such API route"}}).encode()
BAD_PATH = json.dumps({"error": {"code": "bad_request", "message": "The path is not valid UTF-8"}}).encode()
JSON_HEADERS = [("Content-Type", "application/json")]

StartResponse = Callable[..., Any]
WsgiApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]

# What is left of a request body after its answer is read and dropped, up to these bounds, before the server
# closes: more than any edge lets through (Caddy's 6 MiB, the dev edge's route limits), for a bounded time.
DRAIN_BYTES = 64 * 1024 * 1024
DRAIN_SECONDS = 10.0
DRAIN_CHUNK = 256 * 1024


class Routes:
    """The app's routes compiled once. API Gateway picks the most specific match: literal paths first,
    then parameterised ones, a literal segment beating a parameter at the first place they differ."""

    def __init__(self, paths: Iterable[str]) -> None:
        paths = list(paths)
        self.literal = {path: path for path in paths if "{" not in path}
        parameterised = sorted((p for p in paths if "{" in p), key=lambda p: [s.startswith("{") for s in p.split("/")])
        self.patterns = [(re.compile(_pattern(path)), path) for path in parameterised]

    def match(self, path: str) -> tuple[str, dict[str, str]] | None:
        if path in self.literal:
            return path, {}
        for pattern, route in self.patterns:
            found = pattern.fullmatch(path)
            if found:
                return route, {name: unquote(value) for name, value in found.groupdict().items()}
        return None


def _pattern(route: str) -> str:
    parts = []
    for segment in route.split("/"):
        name = segment[1:-1] if segment.startswith("{") and segment.endswith("}") else None
        if name is None:
            parts.append(re.escape(segment))
        elif name.endswith("+"):
            parts.append(f"(?P<{name[:-1]}>.+)")
        else:
            parts.append(f"(?P<{name}>[^/]+)")
    return "/".join(parts)


@dataclass
class LambdaContext:
    """What handlers (and Powertools) read from Lambda's context object."""

    timeout_s: float
    function_name: str = "seen-api"
    memory_limit_in_mb: int = 512
    invoked_function_arn: str = "arn:aws:lambda:local:000000000000:function:seen-api"
    log_group_name: str = "seen-api"
    log_stream_name: str = "server"
    aws_request_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    started: float = field(default_factory=time.monotonic)

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self.started + self.timeout_s - time.monotonic()) * 1000))


_request_state = threading.local()


class _ThreadLocalRequest:
    """Chalice's per-request attributes, one per thread."""

    @property
    def current_request(self) -> Any:
        return getattr(_request_state, "current_request", None)

    @current_request.setter
    def current_request(self, value: Any) -> None:
        _request_state.current_request = value

    @property
    def lambda_context(self) -> Any:
        return getattr(_request_state, "lambda_context", None)

    @lambda_context.setter
    def lambda_context(self, value: Any) -> None:
        _request_state.lambda_context = value


def thread_safe(app: Any) -> Any:
    """``app`` with its per-request state thread-local (idempotent)."""
    if not isinstance(app, _ThreadLocalRequest):
        app.__class__ = type(f"ThreadLocal{type(app).__name__}", (_ThreadLocalRequest, type(app)), {})
    return app


def draining(app: WsgiApp) -> WsgiApp:
    """``app`` reading what is left of each request body once its answer went out.

    A refusal (413, 404, 405) is answered before the body is read. Closing a connection with unread bytes
    makes the kernel answer them with a reset, which can destroy the answer before the client reads it: a
    proxy still sending the body then sees a broken connection instead of the 413 (the dev edge said "The
    server is restarting"; Caddy says 502). gunicorn drains only 64 KB before it closes; this reads the rest,
    within ``DRAIN_BYTES`` and ``DRAIN_SECONDS``, as nginx's lingering close does.
    """

    def drained(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        return _Drained(app(environ, start_response), environ)

    return drained


class _Drained:
    """A response that drains its request's body when the server closes it (WSGI's ``close``, called after
    the last byte of the answer is written)."""

    def __init__(self, response: Iterable[bytes], environ: dict[str, Any]) -> None:
        self.response, self.environ = response, environ

    def __iter__(self) -> Iterator[bytes]:
        return iter(self.response)

    def close(self) -> None:
        try:
            close = getattr(self.response, "close", None)
            if close is not None:
                close()
        finally:
            drain(self.environ)


def drain(environ: dict[str, Any]) -> int:
    """Read and drop what is left of the request body (bounded); the bytes read."""
    stream, sock = environ.get("wsgi.input"), environ.get("gunicorn.socket")
    deadline, drained = time.monotonic() + DRAIN_SECONDS, 0
    # A timeout, a reset or a broken chunk ends it: there is nothing more to read, and the server closes.
    with contextlib.suppress(Exception):
        while stream is not None and drained < DRAIN_BYTES and (left := deadline - time.monotonic()) > 0:
            if sock is not None:
                sock.settimeout(left)  # a client that stops sending holds the thread no longer than this
            chunk = stream.read(DRAIN_CHUNK)
            if not chunk:
                break
            drained += len(chunk)
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.settimeout(None)  # blocking again, as gunicorn left it
    return drained


def _registered_limit(route: str, method: str) -> int | None:
    """The limit the route declared with ``chalicelib.api.endpoint`` (None: it declared none)."""
    from chalicelib import api  # the app is imported already when a request arrives; no new import cost

    return api.BODY_LIMITS.get((route, method.upper()))


class ApiAdapter:
    """The WSGI callable for the Chalice app. A body is refused (413) before it is read when it is larger
    than its route's own limit (``limit_for(route, method)``, else ``max_body_bytes``), as API Gateway and
    Lambda refuse it before the function runs in AWS."""

    def __init__(self, app: Any, max_body_bytes: int, timeout_s: float = 30.0,
                 limit_for: Callable[[str, str], int | None] = _registered_limit) -> None:
        self.app = thread_safe(app)
        self.routes = Routes(app.routes)
        self.binary_types = tuple(app.api.binary_types)
        self.max_body_bytes = max_body_bytes
        self.timeout_s = timeout_s
        self.limit_for = limit_for

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> list[bytes]:
        path = request_path(environ)
        if path is None:
            return _send(start_response, 400, JSON_HEADERS, BAD_PATH)
        matched = self.routes.match(path)
        if matched is None:
            return _send(start_response, 404, JSON_HEADERS, NOT_FOUND)
        limit = self.limit_for(matched[0], environ.get("REQUEST_METHOD", "GET")) or self.max_body_bytes
        body = read_body(environ, limit)
        if body is None:
            return _send(start_response, 413, JSON_HEADERS, too_large(limit))
        event = to_event(environ, path, matched, body, self.binary_types)
        result = self.app(event, LambdaContext(self.timeout_s))
        status, headers, payload = from_result(result)
        return _send(start_response, status, headers, payload)


def too_large(limit: int) -> bytes:
    message = f"Request body is larger than {limit} bytes"  # the app's own 413 says the same
    return json.dumps({"error": {"code": "payload_too_large", "message": message}}).encode()


def request_path(environ: dict[str, Any]) -> str | None:
    """The decoded path. Parameters are matched on the raw path (gunicorn's RAW_URI) so an encoded
    ``%2F`` inside a parameter stays inside it; PATH_INFO is WSGI's latin-1 view of the bytes."""
    return target_path(environ.get("RAW_URI") or quote(environ.get("PATH_INFO", "").encode("latin-1")))


def target_path(target: str) -> str | None:
    """The raw path of a request target (its query and fragment dropped); None when it is not valid UTF-8
    encoded."""
    raw = target.split("?", 1)[0].split("#", 1)[0]
    if raw.startswith(("http://", "https://")):  # absolute-form request target
        raw = "/" + raw.split("/", 3)[3] if raw.count("/") >= 3 else "/"
    try:
        unquote(raw, errors="strict")
    except UnicodeDecodeError:
        return None
    return raw


def read_body(environ: dict[str, Any], limit: int) -> bytes | None:
    """The request body, or None when it is larger than ``limit`` (never reads more than limit + 1 bytes)."""
    length = environ.get("CONTENT_LENGTH") or ""
    stream = environ["wsgi.input"]
    if length.isdigit():
        if int(length) > limit:
            return None
        return stream.read(int(length)) if int(length) else b""
    data = stream.read(limit + 1)  # chunked: the server de-chunks, we stop past the limit
    return None if len(data) > limit else data


def to_event(environ: dict[str, Any], raw_path: str, matched: tuple[str, dict[str, str]], body: bytes,
             binary_types: tuple[str, ...]) -> dict[str, Any]:
    """The API Gateway REST proxy event for one request."""
    route, params = matched
    headers, multi_headers = _headers(environ)
    query = parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=True)
    encoded, text = _body(body, headers.get("Content-Type", ""), binary_types)
    method = environ["REQUEST_METHOD"].upper()
    path = unquote(raw_path)
    return {
        "resource": route, "path": path, "httpMethod": method,
        "headers": headers, "multiValueHeaders": multi_headers,
        "queryStringParameters": {k: v[-1] for k, v in query.items()} or None,
        "multiValueQueryStringParameters": query or None,
        "pathParameters": params or None, "stageVariables": None,
        "body": text, "isBase64Encoded": encoded,
        "requestContext": {
            "resourcePath": route, "httpMethod": method, "path": path, "stage": "api",
            "requestId": uuid.uuid4().hex, "requestTimeEpoch": int(time.time() * 1000),
            "protocol": environ.get("SERVER_PROTOCOL", "HTTP/1.1"),
            "identity": {"sourceIp": environ.get("REMOTE_ADDR"), "userAgent": headers.get("User-Agent")},
        },
    }


def _headers(environ: dict[str, Any]) -> tuple[dict[str, str], dict[str, list[str]]]:
    headers: dict[str, str] = {}
    for key, value in environ.items():
        if key.startswith("HTTP_"):
            name = key[5:].replace("_", "-").title()
        elif key in ("CONTENT_TYPE", "CONTENT_LENGTH") and value:
            name = key.replace("_", "-").title()
        else:
            continue
        headers[name] = value.encode("latin-1").decode("utf-8", "replace")
    return headers, {name: [value] for name, value in headers.items()}


def _body(body: bytes, content_type: str, binary_types: tuple[str, ...]) -> tuple[bool, str | None]:
    """(isBase64Encoded, body) as API Gateway sends it: binary media types and non-UTF-8 bytes base64."""
    if not body:
        return False, None
    media_type = content_type.split(";", 1)[0].strip().lower()
    if media_type and any(_matches(media_type, pattern) for pattern in binary_types):
        return True, base64.b64encode(body).decode()
    try:
        return False, body.decode("utf-8")
    except UnicodeDecodeError:
        return True, base64.b64encode(body).decode()


def _matches(media_type: str, pattern: str) -> bool:
    kind, _, sub = pattern.lower().partition("/")
    got_kind, _, got_sub = media_type.partition("/")
    return kind in ("*", got_kind) and sub in ("*", got_sub)


def from_result(result: dict[str, Any]) -> tuple[int, list[tuple[str, str]], bytes]:
    """(status, headers, body) from a proxy response; multi-value headers (Set-Cookie) stay separate."""
    status = int(result.get("statusCode", 500))
    headers = [(name, str(value)) for name, value in (result.get("headers") or {}).items()]
    for name, values in (result.get("multiValueHeaders") or {}).items():
        headers.extend((name, str(value)) for value in values)
    body = result.get("body") or ""
    if result.get("isBase64Encoded"):
        payload = base64.b64decode(body)
    else:
        payload = body.encode("utf-8") if isinstance(body, str) else bytes(body)
    return status, headers, payload


def status_line(status: int) -> str:
    try:
        return f"{status} {HTTPStatus(status).phrase}"
    except ValueError:
        return f"{status} Unknown"


def _send(start_response: StartResponse, status: int, headers: list[tuple[str, str]], body: bytes) -> list[bytes]:
    names = {name.lower() for name, _ in headers}
    headers = [*headers, *([("Content-Length", str(len(body)))] if "content-length" not in names else [])]
    start_response(status_line(status), headers)
    return [body]
