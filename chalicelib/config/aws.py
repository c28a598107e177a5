"""The AWS resource names both sides use."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class AwsSettings:
    """The AWS resources both sides use. Names are the one source of truth."""

    region: str = "us-east-1"
    endpoint_url: str | None = None  # moto server / LocalStack; None on real AWS
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

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> AwsSettings:
        return cls(
            region=env.get("AWS_DEFAULT_REGION") or env.get("AWS_REGION") or cls.region,
            endpoint_url=env.get("AWS_ENDPOINT_URL") or None,
            bucket=env.get("SEEN_BUCKET", cls.bucket),
            commands_queue=env.get("SEEN_COMMANDS_QUEUE", cls.commands_queue),
            events_queue=env.get("SEEN_EVENTS_QUEUE", cls.events_queue),
            media_queue=env.get("SEEN_MEDIA_QUEUE", cls.media_queue),
            imports_queue=env.get("SEEN_IMPORTS_QUEUE", cls.imports_queue),
            telemetry_table=env.get("SEEN_TELEMETRY_TABLE", cls.telemetry_table),
            heartbeat_table=env.get("SEEN_HEARTBEAT_TABLE", cls.heartbeat_table),
        )
