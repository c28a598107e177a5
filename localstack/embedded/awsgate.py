"""`make dev`'s AWS emulator as strict as AWS about who may ask: moto, behind a SigV4 gate, in one process.

moto answers any request, signed or not, and takes a presigned POST whatever its policy says (another key,
any size). S3 at home (MinIO) and in AWS verify both, so `make dev` does too: every request is checked
before moto sees it, and moto has no port of its own to go around the gate by.

- A header-signed request (``Authorization: AWS4-HMAC-SHA256 ...``) or a presigned one (``X-Amz-Signature``
  in the query) is signed again with botocore's own SigV4 signer over what the client said it signed, with
  the credentials this runtime hands out, and must match; a payload hash it signed must be the body's.
- A browser's form POST must carry a policy signed with those credentials, not expired, whose every
  condition holds (bucket, key eq/starts-with, each field; ``content-length-range`` counted as the file
  streams in), with no field the policy does not name.
- CORS preflights (``OPTIONS``) pass unsigned, as in S3; anything else unsigned is refused.

Refusals are S3's XML errors (403 ``AccessDenied``/``SignatureDoesNotMatch``, 400 ``EntityTooLarge``).
Bodies are spooled to a temporary file as they arrive (to disk past a megabyte), never held whole.

    python -m embedded.awsgate --host 127.0.0.1 --port 4566   (credentials: AWS_ACCESS_KEY_ID/_SECRET_ACCESS_KEY)
"""

from __future__ import annotations

import argparse
import base64
import binascii
import hashlib
import hmac
import json
import os
import tempfile
import uuid
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from typing import IO, Any
from urllib.parse import unquote
from xml.sax.saxutils import escape

from botocore.auth import S3SigV4Auth, S3SigV4QueryAuth, SigV4Auth, SigV4QueryAuth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from werkzeug.datastructures import Headers
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.http import parse_options_header
from werkzeug.sansio.multipart import Data, Epilogue, Field, File, MultipartDecoder, NeedData
from werkzeug.wsgi import get_input_stream

ALGORITHM = "AWS4-HMAC-SHA256"
TIMESTAMP = "%Y%m%dT%H%M%SZ"
MAX_SKEW = timedelta(minutes=15)  # S3's RequestTimeTooSkewed
MAX_EXPIRES = 7 * 24 * 3600  # S3's longest presigned URL
UNSIGNED = ("UNSIGNED-PAYLOAD", "STREAMING-UNSIGNED-PAYLOAD-TRAILER")
CHUNK = 256 * 1024
SPOOL = 1024 * 1024  # bodies past this go to disk
FORM_FIELDS_MAX = 64 * 1024  # bytes of form fields before the file (S3 allows 20 KB of policy)
MAX_PARTS = 100
NOT_CONDITIONED = ("policy", "x-amz-signature", "file")  # and x-ignore-*: S3's own list

StartResponse = Callable[..., Any]
Wsgi = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


class Refused(Exception):
    """An S3 error answer: ``status``, ``code`` and ``message`` as S3 words them."""

    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message

    def respond(self, start_response: StartResponse) -> list[bytes]:
        body = ('<?xml version="1.0" encoding="UTF-8"?>\n'
                f"<Error><Code>{escape(self.code)}</Code><Message>{escape(self.message)}</Message>"
                f"<RequestId>{uuid.uuid4().hex}</RequestId></Error>").encode()
        start_response(f"{self.status} {_REASONS.get(self.status, 'Error')}",
                       [("Content-Type", "application/xml"), ("Content-Length", str(len(body)))])
        return [body]


_REASONS = {400: "Bad Request", 403: "Forbidden", 501: "Not Implemented"}


def denied(message: str = "Access Denied") -> Refused:
    return Refused(403, "AccessDenied", message)


def mismatch() -> Refused:
    return Refused(403, "SignatureDoesNotMatch", "The request signature we calculated does not match the "
                                                 "signature you provided. Check your key and signing method.")


def policy_failed(detail: str) -> Refused:
    return Refused(403, "AccessDenied", f"Invalid according to Policy: {detail}")


class Scope:
    """A credential scope (``AKID/20260101/us-east-1/s3/aws4_request``) checked against the known key."""

    def __init__(self, credential: str, access_key: str):
        parts = credential.split("/")
        if len(parts) != 5 or parts[4] != "aws4_request":
            raise Refused(400, "AuthorizationQueryParametersError", f"Malformed credential: {credential}")
        if not _same(parts[0], access_key):
            raise Refused(403, "InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist.")
        self.date, self.region, self.service = parts[1], parts[2], parts[3]


def _same(a: str, b: str) -> bool:
    """Constant-time equality of any two strings (compare_digest refuses non-ASCII str)."""
    return hmac.compare_digest(a.encode(), b.encode())


def _timestamp(value: str) -> datetime:
    try:
        return datetime.strptime(value, TIMESTAMP).replace(tzinfo=UTC)
    except ValueError:
        raise denied("X-Amz-Date must be in the ISO8601 basic format") from None


class Gate:
    """The WSGI app: verify, then hand the request (its body from the spool) to moto."""

    def __init__(self, inner: Wsgi, access_key: str, secret_key: str, now: Callable[[], datetime] | None = None):
        self.inner = inner
        self.access_key = access_key
        self.credentials = Credentials(access_key, secret_key)
        self.now = now or (lambda: datetime.now(UTC))

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        try:
            spool = self.verify(environ)
        except Refused as refused:
            return refused.respond(start_response)
        except ValueError:  # bytes no signer could have signed (a header or field that is not text)
            return Refused(400, "InvalidRequest", "The request could not be read").respond(start_response)
        try:
            return self.inner(environ, start_response)  # moto reads the whole request before it returns
        finally:
            if spool is not None:
                spool.close()

    def verify(self, environ: dict[str, Any]) -> IO[bytes] | None:
        """Check the request; the spooled body (now ``wsgi.input``) when one was read."""
        method = environ["REQUEST_METHOD"]
        query = _query_pairs(environ.get("QUERY_STRING", ""))
        authorization = environ.get("HTTP_AUTHORIZATION", "")
        if authorization:
            return self._header_signed(environ, authorization, query)
        if any(name == "X-Amz-Signature" for name, _ in query):
            self._query_signed(environ, query)
            return None
        content_type, _ = parse_options_header(environ.get("CONTENT_TYPE", ""))
        if method == "POST" and content_type == "multipart/form-data":
            return self._form_post(environ)
        if method == "OPTIONS":
            return None  # a CORS preflight: S3 answers it unsigned, by the bucket's CORS rules
        raise denied()

    # --- header-signed requests (SDKs: the app, the worker) -------------------------------------------------

    def _header_signed(self, environ: dict[str, Any], authorization: str,
                       query: list[tuple[str, str]]) -> IO[bytes]:
        algorithm, _, rest = authorization.partition(" ")
        if algorithm != ALGORITHM:
            raise Refused(400, "InvalidArgument", "Only AWS4-HMAC-SHA256 (Signature Version 4) is accepted")
        parts: dict[str, str] = {}
        for item in rest.split(","):
            name, _, value = item.strip().partition("=")
            parts[name] = value
        if not {"Credential", "SignedHeaders", "Signature"} <= parts.keys():
            raise Refused(400, "AuthorizationHeaderMalformed", "The authorization header is malformed")
        scope = Scope(parts["Credential"], self.access_key)
        stamp = environ.get("HTTP_X_AMZ_DATE", "")
        self._fresh(_timestamp(stamp))
        body, digest = _spool_body(environ)
        try:
            declared = environ.get("HTTP_X_AMZ_CONTENT_SHA256")
            if declared is not None and declared not in UNSIGNED and declared != digest:
                if declared.startswith("STREAMING-"):
                    raise Refused(501, "NotImplemented", f"{declared} is not supported here")
                raise Refused(400, "XAmzContentSHA256Mismatch",
                              "The provided 'x-amz-content-sha256' header does not match what was computed.")
            auth_class = S3SigV4Auth if scope.service == "s3" else SigV4Auth
            auth = auth_class(self.credentials, scope.service, scope.region)
            request = _request(environ, parts["SignedHeaders"], query, stamp, body)
            self._compare(auth, request, parts["Signature"], scope)
        except Refused:
            body.close()
            raise
        body.seek(0)
        return body

    # --- presigned URLs (the browser's GETs of video) -------------------------------------------------------

    def _query_signed(self, environ: dict[str, Any], query: list[tuple[str, str]]) -> None:
        params = dict(query)
        if params.get("X-Amz-Algorithm") != ALGORITHM:
            raise Refused(400, "AuthorizationQueryParametersError", "X-Amz-Algorithm must be AWS4-HMAC-SHA256")
        scope = Scope(params.get("X-Amz-Credential", ""), self.access_key)
        stamp = params.get("X-Amz-Date", "")
        signed_at = _timestamp(stamp)
        try:
            expires = int(params.get("X-Amz-Expires", ""))
        except ValueError:
            raise Refused(400, "AuthorizationQueryParametersError", "X-Amz-Expires must be a number") from None
        if not 0 < expires <= MAX_EXPIRES:
            raise Refused(400, "AuthorizationQueryParametersError", "X-Amz-Expires must be 1 to 604800 seconds")
        now = self.now()
        if now > signed_at + timedelta(seconds=expires):
            raise denied("Request has expired")
        if signed_at > now + MAX_SKEW:
            raise denied("Request is not valid yet")
        auth_class = S3SigV4QueryAuth if scope.service == "s3" else SigV4QueryAuth
        auth = auth_class(self.credentials, scope.service, scope.region)
        unsigned = [(name, value) for name, value in query if name != "X-Amz-Signature"]
        request = _request(environ, params.get("X-Amz-SignedHeaders", ""), unsigned, stamp, None)
        self._compare(auth, request, params["X-Amz-Signature"], scope)

    def _fresh(self, signed_at: datetime) -> None:
        if abs(self.now() - signed_at) > MAX_SKEW:
            raise Refused(403, "RequestTimeTooSkewed",
                          "The difference between the request time and the current time is too large.")

    @staticmethod
    def _compare(auth: SigV4Auth, request: AWSRequest, signature: str, scope: Scope) -> None:
        """botocore signs the request as the client said it did; the signatures must be equal."""
        if request.context["timestamp"][:8] != scope.date:
            raise mismatch()
        expected = str(auth.signature(auth.string_to_sign(request, auth.canonical_request(request)), request))
        if not _same(expected, signature):
            raise mismatch()

    # --- browser form POSTs (uploads) -----------------------------------------------------------------------

    def _form_post(self, environ: dict[str, Any]) -> IO[bytes]:
        _, options = parse_options_header(environ.get("CONTENT_TYPE", ""))
        boundary = options.get("boundary", "")
        if not boundary:
            raise Refused(400, "MalformedPOSTRequest", "The body of your POST request is not well-formed "
                                                       "multipart/form-data.")
        bucket = environ.get("PATH_INFO", "/").strip("/").split("/")[0]
        form = FormPost(self, bucket, boundary.encode())
        spool = tempfile.SpooledTemporaryFile(max_size=SPOOL)  # noqa: SIM115 - moto reads it, the gate closes it
        try:
            for chunk in _chunks(get_input_stream(environ)):
                spool.write(chunk)
                form.feed(chunk)
            form.feed(b"")
        except Refused:
            spool.close()
            raise
        _hand_over(environ, spool)
        return spool

    def check_policy(self, fields: dict[str, str], bucket: str, filename: str) -> tuple[int, int]:
        """The form's policy is ours and holds for these fields: the file's (min, max) size."""
        for name in ("policy", "x-amz-algorithm", "x-amz-credential", "x-amz-date", "x-amz-signature"):
            if name not in fields:
                raise denied(f"Bucket POST must contain a field named '{name}'")
        if fields["x-amz-algorithm"] != ALGORITHM:
            raise Refused(400, "InvalidArgument", "x-amz-algorithm must be AWS4-HMAC-SHA256")
        scope = Scope(fields["x-amz-credential"], self.access_key)
        request = AWSRequest("POST", "http://post.invalid/")
        request.context["timestamp"] = fields["x-amz-date"]
        _timestamp(fields["x-amz-date"])
        if fields["x-amz-date"][:8] != scope.date:
            raise mismatch()
        auth = S3SigV4Auth(self.credentials, scope.service, scope.region)
        if not _same(str(auth.signature(fields["policy"], request)), fields["x-amz-signature"]):
            raise mismatch()
        return Policy.parse(fields["policy"]).check(fields, bucket, filename, self.now())


class Policy:
    """A POST policy document: ``expiration`` and ``conditions``."""

    def __init__(self, expiration: datetime, conditions: list[Any]):
        self.expiration, self.conditions = expiration, conditions

    @classmethod
    def parse(cls, encoded: str) -> Policy:
        try:
            document = json.loads(base64.b64decode(encoded, validate=True))
            expiration = datetime.fromisoformat(document["expiration"].replace("Z", "+00:00"))
            conditions = document["conditions"]
        except (binascii.Error, ValueError, KeyError, TypeError, AttributeError):
            raise Refused(400, "InvalidPolicyDocument", "Invalid Policy: Invalid JSON.") from None
        if not isinstance(conditions, list):
            raise Refused(400, "InvalidPolicyDocument", "Invalid Policy: conditions must be a list.")
        return cls(expiration, conditions)

    def check(self, fields: dict[str, str], bucket: str, filename: str, now: datetime) -> tuple[int, int]:
        if now >= self.expiration:
            raise policy_failed("Policy expired.")
        values = {**fields, "bucket": bucket}
        if "key" in values:
            values["key"] = values["key"].replace("${filename}", filename)
        named, size = {"bucket"}, (0, 5 * 1024**4)
        for condition in self.conditions:
            if isinstance(condition, list) and condition and condition[0] == "content-length-range":
                size = _length_range(condition)
                continue
            op, name, expected = _condition(condition)
            named.add(name)
            actual = values.get(name, "")
            if not (actual == expected if op == "eq" else actual.startswith(expected)):
                raise policy_failed(f"Policy Condition failed: {json.dumps([op, '$' + name, expected])}")
        extra = sorted(name for name in fields
                       if name not in named and name not in NOT_CONDITIONED and not name.startswith("x-ignore-"))
        if extra:
            raise policy_failed(f"Extra input fields: {', '.join(extra)}")
        return size


def _condition(condition: Any) -> tuple[str, str, str]:
    """(op, lower-case field name, value) of ``{"name": value}`` or ``["eq"|"starts-with", "$name", value]``."""
    if isinstance(condition, dict) and len(condition) == 1:
        ((name, value),) = condition.items()
        return "eq", str(name).lower(), str(value)
    if (isinstance(condition, list) and len(condition) == 3 and condition[0] in ("eq", "starts-with")
            and isinstance(condition[1], str) and condition[1].startswith("$") and isinstance(condition[2], str)):
        return condition[0], condition[1][1:].lower(), condition[2]
    raise Refused(400, "InvalidPolicyDocument", f"Invalid Policy: Invalid condition {json.dumps(condition)}")


def _length_range(condition: list[Any]) -> tuple[int, int]:
    try:
        low, high = int(condition[1]), int(condition[2])
    except (IndexError, TypeError, ValueError):
        raise Refused(400, "InvalidPolicyDocument", "Invalid Policy: Invalid content-length-range") from None
    return low, high


class FormPost:
    """A multipart form read as it streams in: fields first (checked against the policy when the file
    starts), then the file (counted against ``content-length-range``); nothing may follow the file."""

    def __init__(self, gate: Gate, bucket: str, boundary: bytes):
        self.gate, self.bucket = gate, bucket
        # The decoder's buffer holds at most a chunk and what is left of a part's headers.
        self.decoder = MultipartDecoder(boundary, max_form_memory_size=CHUNK + FORM_FIELDS_MAX, max_parts=MAX_PARTS)
        self.fields: dict[str, str] = {}
        self.field: str | None = None
        self.value = bytearray()
        self.state = "fields"  # -> "file" -> "done"
        self.size, self.limits = 0, (0, 0)
        self.field_bytes = 0

    def feed(self, chunk: bytes) -> None:
        try:
            self.decoder.receive_data(chunk or None)
            event = self.decoder.next_event()
            while not isinstance(event, NeedData):
                self._event(event)
                if isinstance(event, Epilogue):
                    break
                event = self.decoder.next_event()
        except RequestEntityTooLarge:
            raise Refused(400, "MaxPostPreDataLengthExceeded",
                          "Your POST request fields preceding the upload file were too large.") from None
        except ValueError:
            raise Refused(400, "MalformedPOSTRequest", "The body of your POST request is not well-formed "
                                                       "multipart/form-data.") from None
        if not chunk and self.state != "done":
            raise Refused(400, "InvalidArgument", "POST requires exactly one file upload per request.")

    def _event(self, event: Any) -> None:
        if isinstance(event, File) and event.name == "file" and self.state == "fields":
            self.limits = self.gate.check_policy(self.fields, self.bucket, event.filename or "")
            self.state = "file"
        elif isinstance(event, File | Field):
            if self.state != "fields":
                raise Refused(400, "InvalidArgument", "The file must be the last field of the form.")
            self._start_field(event.name)
        elif isinstance(event, Data):
            self._data(event.data, event.more_data)
        elif isinstance(event, Epilogue) and self.state == "file":
            self._finish_file()

    def _start_field(self, name: str) -> None:
        lowered = name.lower()
        if lowered in self.fields or lowered == self.field:
            raise Refused(400, "InvalidArgument", f"The form field '{name}' is given more than once.")
        self.field, self.value = lowered, bytearray()

    def _data(self, data: bytes, more: bool) -> None:
        if self.state == "file":
            self.size += len(data)
            if self.size > self.limits[1]:
                raise Refused(400, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed size")
            if not more:
                self._finish_file()
            return
        self.field_bytes += len(data)
        if self.field_bytes > FORM_FIELDS_MAX:
            raise Refused(400, "MaxPostPreDataLengthExceeded",
                          "Your POST request fields preceding the upload file were too large.")
        self.value += data
        if not more and self.field is not None:
            self.fields[self.field] = self.value.decode("utf-8", "replace")
            self.field = None

    def _finish_file(self) -> None:
        if self.state == "file" and self.size < self.limits[0]:
            raise Refused(400, "EntityTooSmall", "Your proposed upload is smaller than the minimum allowed size")
        self.state = "done"


# --- the request as the client signed it ------------------------------------------------------------------


def _query_pairs(query: str) -> list[tuple[str, str]]:
    """Decoded (name, value) pairs, ``+`` kept literal (SigV4 re-encodes them itself)."""
    pairs = []
    for item in query.split("&") if query else ():
        name, _, value = item.partition("=")
        pairs.append((unquote(name), unquote(value)))
    return pairs


def _request(environ: dict[str, Any], signed_headers: str, query: list[tuple[str, str]], stamp: str,
             body: IO[bytes] | None) -> AWSRequest:
    """An AWSRequest of exactly what was signed: the raw path, the query, the named headers, the body."""
    names = [name for name in signed_headers.split(";") if name]
    if "host" not in names:
        raise denied("The host header must be signed")
    incoming = Headers([(key[5:].replace("_", "-"), value) for key, value in environ.items()
                        if key.startswith("HTTP_")])
    if environ.get("CONTENT_TYPE"):
        incoming["Content-Type"] = environ["CONTENT_TYPE"]
    if environ.get("CONTENT_LENGTH"):
        incoming["Content-Length"] = environ["CONTENT_LENGTH"]
    headers = {name: incoming.get(name, "") for name in names}
    raw = environ.get("RAW_URI") or environ.get("REQUEST_URI") or environ.get("PATH_INFO", "/")
    path = raw.split("?", 1)[0]
    request = AWSRequest(environ["REQUEST_METHOD"], f"http://{headers['host']}{path}", headers=headers,
                         data=body, params=query)
    request.context["timestamp"] = stamp
    return request


def _spool_body(environ: dict[str, Any]) -> tuple[IO[bytes], str]:
    """The body copied to a spool (disk past a megabyte) and its SHA-256; the spool becomes ``wsgi.input``."""
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL)  # noqa: SIM115 - moto reads it, the gate closes it
    digest = hashlib.sha256()
    for chunk in _chunks(get_input_stream(environ)):
        digest.update(chunk)
        spool.write(chunk)
    _hand_over(environ, spool)
    return spool, digest.hexdigest()


def _chunks(stream: IO[bytes]) -> Iterable[bytes]:
    while chunk := stream.read(CHUNK):
        yield chunk


def _hand_over(environ: dict[str, Any], spool: IO[bytes]) -> None:
    """moto reads the spooled body as the request's (its length known now, any chunked framing undone)."""
    environ["CONTENT_LENGTH"] = str(spool.tell())
    spool.seek(0)
    environ["wsgi.input"] = spool
    environ.pop("HTTP_TRANSFER_ENCODING", None)
    environ.pop("wsgi.input_terminated", None)


def make_app() -> Gate:
    from moto.moto_server.threaded_moto_server import DomainDispatcherApplication, create_backend_app

    return Gate(DomainDispatcherApplication(create_backend_app), os.environ["AWS_ACCESS_KEY_ID"],
                os.environ["AWS_SECRET_ACCESS_KEY"])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m embedded.awsgate")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=4566)
    args = parser.parse_args(argv)
    os.environ.setdefault("MOTO_PORT", str(args.port))  # moto builds its own URLs (queue URLs) on it
    from werkzeug.serving import run_simple

    run_simple(args.host, args.port, make_app(), threaded=True)


if __name__ == "__main__":
    main()
