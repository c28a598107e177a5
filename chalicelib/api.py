"""The HTTP edge: one decorator registers a route with its pydantic models.

``endpoint`` validates the request (size, JSON, body and query models), calls
the view, serialises the result, and maps domain errors to the JSON error
envelope *inside* the view — Chalice turns any exception that escapes a view
into a 500 before middleware sees it. The same registry feeds the OpenAPI
document, so what is documented is exactly what is validated.

``http_middleware`` wraps every request: request id, access log line, security
headers, and Chalice's own error responses (405, 415, 500) rewritten into the
envelope.
"""

from __future__ import annotations

import functools
import importlib
import json
import re
import time
import uuid
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from chalice import Response
from chalice.app import MultiDict
from pydantic import BaseModel, ValidationError

from chalicelib import errors, inputpolicy, observability, ratelimit
from chalicelib.config import LAMBDA_MAX_BODY_BYTES, get_settings
from chalicelib.logs import get_logger

PATH_PARAM = re.compile(r"{(\w+)}")


@dataclass(frozen=True)
class Endpoint:
    path: str
    method: str
    summary: str
    tags: tuple[str, ...]
    body: type[BaseModel] | None
    query: type[BaseModel] | None
    response: Any
    status: int
    auth: str | None
    error_statuses: tuple[int, ...] = field(default=())
    also_ok: tuple[int, ...] = field(default=())  # other success statuses the view may answer (e.g. 200 next to 201)

    @property
    def path_params(self) -> list[str]:
        return PATH_PARAM.findall(self.path)


ENDPOINTS: list[Endpoint] = []

# Each route's own body limit by (path, method), filled by ``endpoint``. The WSGI adapter (server/wsgi.py)
# reads it to refuse a body before reading it, as API Gateway and Lambda do in AWS; routes not listed get
# the default (settings.max_body_bytes).
BODY_LIMITS: dict[tuple[str, str], int] = {}
# What ``endpoint`` registered, by (path, method), for the route table (chalicelib/routetable.py): the
# handler that answers a request, and where its view lives and what it accepts (the table's file lists them).
HANDLERS: dict[tuple[str, str], Callable[[Any, dict[str, str]], Response]] = {}


@dataclass(frozen=True)
class View:
    module: str
    function: str
    content_types: tuple[str, ...]
    max_body_bytes: int | None


VIEWS: dict[tuple[str, str], View] = {}
# Every method of each path, for the CORS preflight's answer (filled by ``endpoint`` and the route table).
PATH_METHODS: dict[str, set[str]] = {}
_REQUEST: ContextVar[Any] = ContextVar("request")


def current_request() -> Any:
    """The request the running view answers, for views that read headers or the raw body themselves."""
    return _REQUEST.get()


def public_base_url() -> str | None:
    """Where this site is, for links the API hands out: SEEN_PUBLIC_URL when set (the home install sets it), else
    the request's own Host and X-Forwarded-Proto (make dev, a Lambda behind its own domain). A Host header is
    whatever a client sent: a link carrying a secret (the iCal feed's token) must not be built on it when the
    site's address is known."""
    configured = get_settings().public_url
    if configured:
        return configured
    headers = current_request().headers or {}
    host = headers.get("host")
    if not host:
        return None
    scheme = (headers.get("x-forwarded-proto") or "http").split(",")[0].strip()
    return f"{scheme}://{host}"


# Types that are JSON or text travel as they are in the Lambda event; anything else is base64 (4 per 3 bytes).
TEXT_TYPES = ("application/json", "text/plain")


def _checked_limit(path: str, method: str, limit: int, content_types: tuple[str, ...]) -> int:
    """``limit``, or an error at import when Lambda could never receive such a body (the same limits hold in
    AWS, at home and in make dev)."""
    binary = any(kind not in TEXT_TYPES for kind in content_types)
    if isinstance(limit, int) and limit >= 1 and (-(-limit // 3) * 4 if binary else limit) <= LAMBDA_MAX_BODY_BYTES:
        return limit
    raise ValueError(f"{method} {path}: max_body_bytes={limit!r} is not a positive int of at most "
                     f"{LAMBDA_MAX_BODY_BYTES} bytes as the Lambda event carries it"
                     f"{' (base64: 4 bytes per 3)' if binary else ''}; send bigger files by presigned upload")


# Authenticators by name ("user", "adult": no kid profile, "admin"), named by the app (``authenticators``) so
# this module stays free of auth logic. Each takes the Chalice request and
# returns the principal passed to the view as ``principal=``.
AUTHENTICATORS: dict[str, Callable[[Any], Any]] = {}
# Where each ``auth=`` kind's authenticator lives ("module:function"), imported on its first use: the app names
# them (``authenticators``) without importing authentication on a cold start that needs none.
_AUTHENTICATOR_PATHS: dict[str, str] = {}


def authenticators(module: str, **functions: str) -> None:
    """Name the function of ``module`` that authenticates each ``auth=`` kind (``user="require_user"``)."""
    _AUTHENTICATOR_PATHS.update({kind: f"{module}:{function}" for kind, function in functions.items()})


def _authenticator(kind: str) -> Callable[[Any], Any]:
    found = AUTHENTICATORS.get(kind)
    if found is None:
        module, _, function = _AUTHENTICATOR_PATHS[kind].partition(":")
        found = AUTHENTICATORS[kind] = getattr(importlib.import_module(module), function)
    return found


def _slot(principal: object) -> AbstractContextManager[None]:
    """The signed-in account's request slot in this process (``ratelimit.in_flight``; its profiles share it:
    one person cannot multiply threads by adding profiles); none for anonymous calls."""
    account = getattr(principal, "account_id", None)
    if account is None:
        return nullcontext()
    return ratelimit.in_flight(account, get_settings().user_in_flight)


def envelope(status: int, code: str, message: str, fields: dict[str, str] | None = None,
             headers: dict[str, str] | None = None, retry_after: int | None = None) -> Response:
    error: dict[str, object] = {"code": code, "message": message}
    if fields:
        error["fields"] = fields
    if retry_after is not None:
        error["retryAfter"] = retry_after
    return Response(body={"error": error}, status_code=status,
                    headers={"Content-Type": "application/json", **(headers or {})})


def error_response(exc: errors.DomainError) -> Response:
    headers = {}
    retry_after = getattr(exc, "retry_after", None)
    if retry_after is not None:  # 429 rate limits, 503 database outages
        headers["Retry-After"] = str(retry_after)
    return envelope(exc.status, exc.code, exc.message, exc.fields, headers, retry_after)


def _field_errors(exc: ValidationError, prefix: str = "") -> dict[str, str]:
    fields: dict[str, str] = {}
    for err in exc.errors(include_url=False):
        loc = ".".join(str(part) for part in err["loc"]) or prefix or "body"
        fields.setdefault(loc, err["msg"])
    return fields


def _parse_json(request: Any, max_bytes: int | None = None) -> Any:
    raw = request.raw_body or b""
    inputpolicy.check_size(raw, max_bytes or get_settings().max_body_bytes)
    if not raw.strip():
        raise errors.BadRequest("A JSON request body is required", code="missing_body")
    return inputpolicy.load_json(raw)


def parse_body(request: Any, model: type[BaseModel], max_bytes: int | None = None) -> BaseModel:
    data = _parse_json(request, max_bytes)
    if not isinstance(data, dict):
        raise errors.ValidationFailed("Request body must be a JSON object", fields={"body": "expected an object"})
    inputpolicy.reject_control_chars(data)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise errors.ValidationFailed("Request body is invalid", fields=_field_errors(exc)) from None


def parse_query(request: Any, model: type[BaseModel]) -> BaseModel:
    params = request.query_params or MultiDict(None)
    inputpolicy.check_query(params)
    data: dict[str, object] = {}
    list_fields = {
        (info.alias or name)
        for name, info in model.model_fields.items()
        if getattr(info.annotation, "__origin__", None) is list
    }
    for key in params:
        data[key] = params.getlist(key) if key in list_fields else params[key]
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise errors.ValidationFailed("Query parameters are invalid", fields=_field_errors(exc)) from None


def _apply_input_policy(request: Any, path_params: dict[str, str], max_bytes: int) -> None:
    """What every route gets before auth or its own code: the body size limit (raw bodies too)
    and no control characters in path or query parameters."""
    inputpolicy.check_size(request.raw_body, max_bytes)
    inputpolicy.check_path_params(path_params)
    inputpolicy.check_query(request.query_params)


def _serialise(result: Any) -> Any:
    if isinstance(result, BaseModel):
        return result.model_dump(mode="json", by_alias=True)
    if isinstance(result, list):
        return [_serialise(item) for item in result]
    return result


def to_response(result: Any, status: int) -> Response:
    if isinstance(result, Response):
        return result
    if result is None and status == 204:
        return Response(body="", status_code=204)
    return Response(body=_serialise(result), status_code=status,
                    headers={"Content-Type": "application/json"})


def endpoint(router: Any, path: str, method: str = "GET", *, summary: str, tags: tuple[str, ...] = (),
             body: type[BaseModel] | None = None, query: type[BaseModel] | None = None,
             response: Any = None, status: int = 200, auth: str | None = None,
             errors_: tuple[int, ...] = (), max_body_bytes: int | None = None,
             also_ok: tuple[int, ...] = (), content_types: tuple[str, ...] = (),
             throttle: Callable[[Any], None] | None = None) -> Callable:
    """Register ``fn`` as ``method path`` on a Chalice app or blueprint.

    The view receives path parameters by name, plus ``body=`` / ``query=`` (validated models) and
    ``principal=`` (when ``auth`` names an authenticator); it returns a model, list, dict or Response.
    ``max_body_bytes`` overrides the body size limit (at most what a Lambda event carries); ``also_ok``
    documents other success statuses; ``content_types`` are more accepted media types (the view reads raw_body).
    ``throttle(principal)`` is a per-user limit checked before the user's request slot is taken (so a client
    polling past it is refused without waiting for one, and before any body, query or database work).
    """
    spec = Endpoint(path, method.upper(), summary, tags, body, query, response, status, auth, errors_, also_ok)
    if max_body_bytes is not None:
        BODY_LIMITS[(path, spec.method)] = _checked_limit(path, spec.method, max_body_bytes, content_types)
    ENDPOINTS.append(spec)
    PATH_METHODS.setdefault(path, set()).add(spec.method)
    accepted = ("application/json", "text/plain") if body is None else ("application/json",)

    def decorator(fn: Callable) -> Callable:
        def handle(request: Any, path_params: dict[str, str]) -> Response:
            token = _REQUEST.set(request)
            try:
                limit = max_body_bytes or get_settings().max_body_bytes
                _apply_input_policy(request, path_params, limit)
                kwargs: dict[str, object] = dict(path_params)
                if auth is not None:
                    kwargs["principal"] = _authenticator(auth)(request)
                    if throttle is not None:
                        throttle(kwargs["principal"])
                with _slot(kwargs.get("principal")):
                    if body is not None:
                        kwargs["body"] = parse_body(request, body, limit)
                    if query is not None:
                        kwargs["query"] = parse_query(request, query)
                    return to_response(fn(**kwargs), status)
            except errors.DomainError as exc:
                return error_response(exc)
            finally:
                _REQUEST.reset(token)

        @functools.wraps(fn)
        def view(**path_params: str) -> Response:
            return handle(router.current_request, path_params)

        HANDLERS[(path, spec.method)] = handle
        VIEWS[(path, spec.method)] = View(fn.__module__, fn.__name__, (*accepted, *content_types),
                                          BODY_LIMITS.get((path, spec.method)))
        router.route(path, methods=[spec.method], content_types=[*accepted, *content_types])(view)
        register_preflight(router, path)
        return fn

    return decorator


# CORS: only origins listed in SEEN_CORS_ORIGINS get Access-Control-* headers
# (echoed, never "*", since credentials are allowed). Chalice's static CORS
# config holds a single origin, so every path gets an OPTIONS view answering
# preflights itself; the SPA is same-origin and needs none of this.
CORS_ALLOW_HEADERS = "Authorization, Content-Type, X-CSRF-Token"
CORS_EXPOSE_HEADERS = "Retry-After, X-Request-Id"
CORS_MAX_AGE = "600"
_PREFLIGHT_PATHS: set[str] = set()
_PREFLIGHT_VIEWS: set[tuple[int, str]] = set()  # (router, path): each router answers its paths' preflights


def allowed_origin(request: Any) -> str | None:
    """The request's Origin when it is one of the configured CORS origins."""
    origin = (request.headers or {}).get("origin")
    return origin if origin and origin in get_settings().cors_origins else None


def register_preflight(router: Any, path: str) -> None:
    """One OPTIONS view per path and router (the first route of a path on it registers it). Per router: the
    route modules' blueprints may be imported before the app is (a test of the route table, the OpenAPI
    document), and the app must still answer the preflight itself rather than Chalice's empty default."""
    if (id(router), path) in _PREFLIGHT_VIEWS:
        return
    _PREFLIGHT_VIEWS.add((id(router), path))
    if path not in _PREFLIGHT_PATHS:
        _PREFLIGHT_PATHS.add(path)
        PATH_METHODS.setdefault(path, set()).add("OPTIONS")
        ENDPOINTS.append(Endpoint(path, "OPTIONS", "CORS preflight (answers configured origins only)", ("meta",),
                                  None, None, None, 204, None))

    def preflight(**_path_params: str) -> Response:
        headers: dict[str, str | list[str]] = {}
        if allowed_origin(router.current_request):
            methods = sorted(PATH_METHODS.get(path, ()))
            headers = {"Access-Control-Allow-Methods": ", ".join(methods),
                       "Access-Control-Allow-Headers": CORS_ALLOW_HEADERS, "Access-Control-Max-Age": CORS_MAX_AGE}
        return Response(body="", status_code=204, headers=headers)

    preflight.__name__ = "preflight_" + re.sub(r"\W+", "_", path).strip("_")
    router.route(path, methods=["OPTIONS"], content_types=["application/json", "text/plain"])(preflight)


def _add_cors_headers(event: Any, response: Response) -> None:
    origin = allowed_origin(event)
    if origin is not None:
        response.headers["Access-Control-Allow-Origin"] = origin
        response.headers["Access-Control-Allow-Credentials"] = "true"
        response.headers["Access-Control-Expose-Headers"] = CORS_EXPOSE_HEADERS
    # Caches must not hand one origin's answer to another.
    vary = response.headers.get("Vary")
    response.headers["Vary"] = f"{vary}, Origin" if vary else "Origin"


# Chalice's own error bodies ({"Code": ..., "Message": ...}) -> our codes.
_CHALICE_CODES = {
    "MethodNotAllowedError": "method_not_allowed",
    "UnsupportedMediaType": "unsupported_media_type",
    "BadRequest": "bad_request",
    "BadRequestError": "bad_request",
    "NotFoundError": "not_found",
    "InternalServerError": "internal_error",
    "RequestTimeoutError": "timeout",
}

SECURITY_HEADERS = {
    # JSON only: nothing in an API response may run, load or be framed.
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


def _normalise_chalice_error(response: Response) -> Response:
    if response.status_code < 400:  # Chalice's own errors are 4xx/5xx; a success body is never re-parsed
        return response
    body = response.body
    if isinstance(body, (bytes, str)):
        try:
            body = json.loads(body)
        except (ValueError, TypeError):
            return response
    if isinstance(body, dict) and "Code" in body and "error" not in body:
        code = _CHALICE_CODES.get(body["Code"], "error")
        message = body.get("Message", "Request failed")
        if response.status_code >= 500:
            message = "An internal error occurred"
        rewritten = envelope(response.status_code, code, message)
        rewritten.headers = {**response.headers, **rewritten.headers}
        return rewritten
    return response


def http_middleware(event: Any, get_response: Callable[[Any], Response]) -> Response:
    """Request id, access log, security headers and error normalisation."""
    logger = get_logger()
    context = getattr(event, "context", None) or {}
    request_id = context.get("requestId") or uuid.uuid4().hex
    logger.thread_safe_append_keys(request_id=request_id)
    started = time.perf_counter()
    try:
        response = _normalise_chalice_error(get_response(event))
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        _add_cors_headers(event, response)
        response.headers["X-Request-Id"] = request_id
        logger.info(
            "request",
            extra={
                "action": "http_request",
                "request_id": request_id,
                "method": event.method,
                "path": context.get("path") or event.path,
                "route": event.path,
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 2),
            },
        )
        observability.http_request(event.path, event.method, response.status_code,
                                   (time.perf_counter() - started) * 1000)
        return response
    finally:
        logger.thread_safe_remove_keys(["request_id"])
