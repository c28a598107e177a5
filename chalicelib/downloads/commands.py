"""``download.start`` to the worker, sent only after the job's row is committed.

The send and the ``command_sent_at`` mark are not one transaction (they
cannot be: one is SQS, one is Postgres). The order makes the gap safe: a job
whose send failed, or whose process died between commit and send, keeps
``command_sent_at`` NULL and the reconciler sends it again. A second copy of
a command is harmless: the worker ignores an attempt it already runs.
"""

from __future__ import annotations

from botocore.exceptions import BotoCoreError, ClientError

from chalicelib import aws
from chalicelib.config import get_aws_settings
from chalicelib.db import Conn
from chalicelib.downloads import queries
from chalicelib.downloads.queries import JobRow
from chalicelib.logs import get_logger
from chalicelib.messages import DownloadStart


def start_message(job: JobRow) -> DownloadStart:
    return DownloadStart(job_id=str(job["id"]), attempt=job["attempt"], source_type=job["source_type"],
                         source=job["source"], torrent_key=job["torrent_key"])


def send_start(conn: Conn, job: JobRow) -> bool:
    """Send ``download.start`` for the job's current attempt and mark it sent; False when SQS failed."""
    message = start_message(job)
    try:
        sqs = aws.client("sqs")
        sqs.send_message(QueueUrl=aws.queue_url(get_aws_settings().commands_queue), MessageBody=message.to_json())
    except (BotoCoreError, ClientError) as exc:
        get_logger().warning("download command not sent; the reconciler will resend it", extra={
            "action": "download_command_send_failed", "job_id": message.job_id, "attempt": message.attempt,
            "error": type(exc).__name__})
        return False
    queries.mark_command_sent(conn, job_id=job["id"], attempt=job["attempt"])
    get_logger().info("download command sent", extra={
        "action": "download_command_sent", "job_id": message.job_id, "attempt": message.attempt,
        "source_type": message.source_type})
    return True
