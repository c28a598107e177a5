"""The AWS resource names both sides use."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

# The services /seen/ calls. Each may have an endpoint of its own (AWS_ENDPOINT_URL_S3, ..._SQS, ..._DYNAMODB:
# botocore's names), so one run can mix engines: MinIO for S3 beside another engine's queues and tables.
SERVICES = ("s3", "sqs", "dynamodb")


@dataclass(frozen=True)
class AwsSettings:
    """The AWS resources both sides use. Names are the one source of truth."""

    region: str = "us-east-1"
    endpoint_url: str | None = None  # moto server / LocalStack; None on real AWS
    # (service, endpoint) pairs that override endpoint_url for that service
    service_endpoints: tuple[tuple[str, str], ...] = ()
    bucket: str = "seen-media"
    commands_queue: str = "seen-download-commands"
    events_queue: str = "seen-worker-events"
    # API -> worker media work (media.prepare: remux/HLS), apart from downloads so a full download slot
    # count never holds a transcode back
    media_queue: str = "seen-media-commands"
    # API -> the imports consumer (parse, match, apply): heavy work kept off the worker-events path
    imports_queue: str = "seen-import-commands"
    telemetry_table: str = "seen-download-telemetry"
    heartbeat_table: str = "seen-worker-heartbeats"

    @property
    def queues(self) -> tuple[str, ...]:
        return (self.commands_queue, self.events_queue, self.media_queue, self.imports_queue)

    @property
    def tables(self) -> tuple[str, ...]:
        return (self.telemetry_table, self.heartbeat_table)

    def endpoint(self, service: str) -> str | None:
        """The endpoint of ``service``: its own when one is set, else the shared one (None: AWS itself).

        Passed to every client explicitly: botocore reads ``AWS_ENDPOINT_URL_<SERVICE>`` itself only when no
        ``endpoint_url`` is given, and an explicit shared one would hide a service's own."""
        return dict(self.service_endpoints).get(service, self.endpoint_url)

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> AwsSettings:
        return cls(
            region=env.get("AWS_DEFAULT_REGION") or env.get("AWS_REGION") or cls.region,
            endpoint_url=env.get("AWS_ENDPOINT_URL") or None,
            service_endpoints=tuple((service, url) for service in SERVICES
                                    if (url := env.get(f"AWS_ENDPOINT_URL_{service.upper()}"))),
            bucket=env.get("SEEN_BUCKET", cls.bucket),
            commands_queue=env.get("SEEN_COMMANDS_QUEUE", cls.commands_queue),
            events_queue=env.get("SEEN_EVENTS_QUEUE", cls.events_queue),
            media_queue=env.get("SEEN_MEDIA_QUEUE", cls.media_queue),
            imports_queue=env.get("SEEN_IMPORTS_QUEUE", cls.imports_queue),
            telemetry_table=env.get("SEEN_TELEMETRY_TABLE", cls.telemetry_table),
            heartbeat_table=env.get("SEEN_HEARTBEAT_TABLE", cls.heartbeat_table),
        )
