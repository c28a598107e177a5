"""AWS clients as lazy module globals (reused by a warm Lambda container).

The endpoint comes from settings: the moto server or LocalStack locally, the
real AWS endpoints when ``AWS_ENDPOINT_URL`` is unset; a service's own
(``AWS_ENDPOINT_URL_S3``, ``_SQS``, ``_DYNAMODB``) wins over the shared one. Timeouts are short and
retries few: a request should fail fast and say which dependency is down.

Clients come from one botocore session, not boto3: the control plane uses
none of boto3's additions (resources, managed transfers), and importing boto3
pulls in s3transfer — about 0.1 s of every cold start — while each boto3
Session would load botocore's service data again. Sessions are not
thread-safe, so clients are made under the lock.
"""

from __future__ import annotations

import threading
from typing import Any

from chalicelib.config import get_aws_settings

# Deliveries of a message before its queue moves it to the dead-letter queue: set on every queue (awsinit,
# infra/), and read by the worker's media loop to answer on the last try instead of leaving it to the DLQ.
MAX_RECEIVE_COUNT = 5

_clients: dict[str, Any] = {}
_queue_urls: dict[str, str] = {}
_session: Any = None
_boto3_session: Any = None  # boto3's wrapper of _session: one per session (each wrapper registers its handlers)
_lock = threading.RLock()


def _shared_session() -> Any:
    global _session
    with _lock:
        if _session is None:
            from botocore.session import get_session  # lazy: a slow import; made with the first client

            _session = get_session()
        return _session


def make_client(service: str, **kwargs: Any) -> Any:
    """A new botocore client for ``service`` from this process's one session (``create_client`` arguments)."""
    with _lock:
        return _shared_session().create_client(service, **kwargs)


def client(service: str, *, transfers: bool = False) -> Any:
    """A shared client for ``service`` ("s3", "sqs", "dynamodb").

    ``transfers=True``: a boto3 client, for boto3's managed transfers (``upload_file``,
    ``download_file``: multipart, concurrent) — the worker and backups; same session, same settings.
    """
    key = f"{service}+transfers" if transfers else service
    cached = _clients.get(key)
    if cached is not None:
        return cached
    settings = get_aws_settings()
    from botocore.config import Config  # lazy: loaded with the first client, not on a cold start

    kwargs = {"region_name": settings.region, "endpoint_url": settings.endpoint(service), "config": Config(
        connect_timeout=2,
        read_timeout=10,
        retries={"max_attempts": 2, "mode": "standard"},
        s3={"addressing_style": "path"},
    )}
    with _lock:
        if key not in _clients:
            made = _boto3_client(service, **kwargs) if transfers else make_client(service, **kwargs)
            if transfers and service == "s3":
                made.meta.events.register("before-sign.s3", _unsigned_under_checksum(kwargs["config"]))
            _clients[key] = made
        return _clients[key]


# Headers named x-amz-checksum-* that say something about the request, not a checksum of its body.
_NOT_BODY_CHECKSUMS = frozenset({"x-amz-checksum-mode", "x-amz-checksum-algorithm", "x-amz-checksum-type"})


def _unsigned_under_checksum(config: Any) -> Any:
    """A ``before-sign`` handler: a body whose checksum rides in a header goes ``UNSIGNED-PAYLOAD``.

    On plain HTTP (the home bucket) botocore signs every payload, which is a whole SHA-256 pass over each
    uploaded part on top of the checksum pass (0.2 CPU-s per 256 MiB with SHA instructions, several times
    that on a home server's CPU without them). The checksum header (SHA-256 of the part, or botocore's CRC32)
    is signed and the bucket checks the bytes against it, so the body is bound all the same, as botocore
    already has it for uploads on HTTPS. Bodies without one (a multipart upload's completion) stay signed.
    """
    unsigned = config.merge(type(config)(s3={**(config.s3 or {}), "payload_signing_enabled": False}))

    def handler(request: Any, **_: Any) -> None:
        names = {name.lower() for name in request.headers}
        if "content-md5" in names or any(name.startswith("x-amz-checksum-") for name in names - _NOT_BODY_CHECKSUMS):
            request.context["client_config"] = unsigned

    return handler


def _boto3_client(service: str, **kwargs: Any) -> Any:
    global _boto3_session
    from boto3.session import Session  # lazy: boto3 pulls in s3transfer; only managed transfers need it

    with _lock:
        if _boto3_session is None:
            _boto3_session = Session(botocore_session=_shared_session())
        return _boto3_session.client(service, **kwargs)


def queue_url(name: str) -> str:
    """The URL of the SQS queue ``name`` (looked up once per process)."""
    url = _queue_urls.get(name)
    if url is None:
        url = client("sqs").get_queue_url(QueueName=name)["QueueUrl"]
        _queue_urls[name] = url
    return url


def reset(*, keep_session: bool = False) -> None:
    """Forget the clients and queue URLs (settings changed). The session keeps the credentials it resolved and
    botocore's loaded service models: ``keep_session`` only when the credentials are the same (a test's reset)."""
    global _session, _boto3_session
    with _lock:
        _clients.clear()
        _queue_urls.clear()
        if not keep_session:
            _session = _boto3_session = None
