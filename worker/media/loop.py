"""The media loop: ``media.prepare`` commands off ``seen-media-commands``, one at a time.

Each command names an original in the bucket and a mode. The loop downloads
the original to scratch space, probes it, makes the variant with ffmpeg (remux:
an MP4 with the video copied and the audio copied, or converted to AAC when an
MP4 cannot carry it; hls_audio/hls: HLS uploaded while ffmpeg runs, see
``hls``; the default audio track first) and
reports ``media.prepared``: ``running`` once the first segments are stored,
then ``completed`` or ``failed``. ``SEEN_TRANSCODE_CONCURRENCY`` jobs at once
(ffmpeg takes the CPU); the control plane sends no more commands than that,
fairly across users (``chalicelib.library.preparations``).
A redelivered command for a variant already stored is answered ``completed``
without running ffmpeg again. ``media.analyze`` (intro/credits, scrub previews) runs in ``analyze``,
``media.subtitle_sync`` in ``subsync``, each one at a time per worker. While a job runs its message is kept invisible;
on SIGTERM ffmpeg is killed and the message given back for the next start.
"""

from __future__ import annotations

import shutil
import tempfile
import threading
import time
from pathlib import Path
from typing import Any, Literal

from boto3.exceptions import Boto3Error
from botocore.exceptions import BotoCoreError, ClientError
from pydantic import ValidationError

from chalicelib import aws
from chalicelib.aws import MAX_RECEIVE_COUNT
from chalicelib.messages import MediaAnalyze, MediaPrepare, MediaPrepared, SubtitleSync, parse_command
from worker import reporter
from worker.context import WorkerContext
from worker.media import analyze, hls, subsync
from worker.scanner import probe as probing
from worker.scanner import remux as remuxing

SQS_ERRORS = (BotoCoreError, ClientError)
KEEP_INVISIBLE = 300  # seconds a running job's message stays hidden; renewed every EXTEND_EVERY
EXTEND_EVERY = 60
REMUX_NAME = "stream.mp4"
CONTENT_TYPES = {".ts": "video/mp2t", ".m3u8": "application/vnd.apple.mpegurl", ".mp4": "video/mp4"}


def run(ctx: WorkerContext) -> None:
    """Thread target: ``transcode.concurrency`` jobs at once, each taking one command at a time, until stopped."""
    others = [threading.Thread(target=_take, args=(ctx,), name=f"media-{n}", daemon=True)
              for n in range(1, ctx.settings.transcode.concurrency)]
    for thread in others:
        thread.start()
    _take(ctx)
    for thread in others:
        thread.join()


def _take(ctx: WorkerContext) -> None:
    url = aws.queue_url(ctx.settings.aws.media_queue)
    while not ctx.stopping.is_set():
        try:
            messages = ctx.sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=1,
                                               WaitTimeSeconds=ctx.settings.engines.command_wait,
                                               VisibilityTimeout=KEEP_INVISIBLE,
                                               AttributeNames=["ApproximateReceiveCount"]).get("Messages", [])
        except SQS_ERRORS as exc:
            ctx.logger.warning("media queue unreachable", extra={"action": "media_receive_failed",
                                                                 "error": type(exc).__name__})
            ctx.stopping.wait(2)
            continue
        for message in messages:
            try:
                handle(ctx, url, message)
            except Exception:  # the loop outlives any one job; the message comes back for another try
                ctx.logger.exception("media job crashed", extra={"action": "media_job_crashed"})
                _visibility(ctx, url, message, 0 if ctx.stopping.is_set() else 30)


def _visibility(ctx: WorkerContext, url: str, message: dict, seconds: int) -> None:
    try:
        ctx.sqs.change_message_visibility(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"],
                                          VisibilityTimeout=seconds)
    except SQS_ERRORS:
        pass  # it becomes visible again after the queue's own timeout


def _postpone(ctx: WorkerContext, url: str, message: dict, seconds: int) -> None:
    """Ask for the command again in ``seconds`` without counting a failed receive: sent anew (delayed) and
    the old message deleted. Given back instead, each wait counted as a receive, and a busy worker's analysis
    commands ended in the dead-letter queue (10 of them in the fault test). Unsent: given back, as before."""
    try:
        ctx.sqs.send_message(QueueUrl=url, MessageBody=message["Body"], DelaySeconds=min(seconds, 900))
    except SQS_ERRORS:
        _visibility(ctx, url, message, seconds)
        return
    try:
        ctx.sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
    except SQS_ERRORS:
        pass  # both come back: analysis does nothing twice (a done file is skipped)


def _receives(message: dict) -> int:
    """How often the queue has delivered ``message`` (1 when it does not say)."""
    try:
        return int(message.get("Attributes", {}).get("ApproximateReceiveCount", 1))
    except (TypeError, ValueError):
        return 1


def handle(ctx: WorkerContext, url: str, message: dict) -> None:
    """Run one command; its message is deleted once the outcome is reported, else given back."""
    try:
        command = parse_command(message["Body"])
    except ValidationError as exc:
        ctx.logger.error("malformed media command", extra={"action": "media_command_malformed",
                                                           "errors": exc.error_count()})
        _visibility(ctx, url, message, 0)  # redelivered until the redrive policy moves it to the DLQ
        return
    keep_invisible = lambda: _visibility(ctx, url, message, KEEP_INVISIBLE)  # noqa: E731
    if isinstance(command, MediaAnalyze):
        outcome = analyze.run(ctx, command, keep_invisible, last_try=_receives(message) >= MAX_RECEIVE_COUNT)
        if outcome == "busy":  # another analysis runs on this worker: one at a time, this one comes back later
            _postpone(ctx, url, message, analyze.BUSY_RETRY)
            return
        if outcome == "later":  # a fault of the bucket or the disk: another try, counted by the queue
            _visibility(ctx, url, message, analyze.RETRY_LATER)
            return
        done = outcome == "done"
    elif isinstance(command, SubtitleSync):
        done = subsync.run(ctx, command, keep_invisible)
        if done is None:  # another sync runs on this worker: one at a time
            _postpone(ctx, url, message, subsync.BUSY_RETRY)
            return
    elif isinstance(command, MediaPrepare):
        done = MediaJob(ctx, command, keep_invisible).run()
    else:
        ctx.logger.warning("command not handled here", extra={"action": "media_command_unhandled",
                                                              "type": command.type})
        _visibility(ctx, url, message, 0)
        return
    if done:
        try:
            ctx.sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
        except SQS_ERRORS:
            pass  # redelivered: the stored variant (or analysis) is reported again
    else:
        _visibility(ctx, url, message, 0)


class MediaJob:
    def __init__(self, ctx: WorkerContext, command: MediaPrepare, keep_invisible: Any):
        self.ctx, self.command, self.keep_invisible = ctx, command, keep_invisible
        self.bucket = ctx.settings.aws.bucket
        self.extended = time.monotonic()
        self.running_sent = False

    # --- outcome ---------------------------------------------------------------

    def report(self, status: Literal["running", "completed", "failed"], **fields: Any) -> bool:
        c = self.command
        event = MediaPrepared(item_id=c.item_id, key=c.key, mode=c.mode, status=status, **fields)
        sent = reporter.send(self.ctx, event)
        self.ctx.logger.info("media variant state", extra={"action": "media_prepared_sent", "item_id": c.item_id,
                                                           "mode": c.mode, "status": status, "sent": sent})
        return sent

    def run(self) -> bool:
        """Make and report the variant; False when the message is to be given back (stopping, or unsent)."""
        c = self.command
        done = self.stored()
        if done is not None:
            return self.report("completed", **done)
        scratch = Path(tempfile.mkdtemp(prefix="media-", dir=self._scratch_root()))
        try:
            fields = self.make(scratch)
        except hls.Stopped:
            self.ctx.logger.info("media job given back", extra={"action": "media_job_stopped", "item_id": c.item_id})
            return False
        except (hls.TranscodeFailed, remuxing.RemuxError, Boto3Error, *SQS_ERRORS, OSError) as exc:
            self.ctx.logger.warning("media variant failed", extra={"action": "media_prepare_failed",
                                                                   "item_id": c.item_id, "mode": c.mode,
                                                                   "error": str(exc)[:300]})
            return self.report("failed", error=str(exc)[:4000] or type(exc).__name__)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
        return self.report("completed", **fields)

    def _scratch_root(self) -> Path:
        root = Path(self.ctx.settings.staging_dir) / "media"
        root.mkdir(parents=True, exist_ok=True)
        return root

    # --- the bucket ------------------------------------------------------------

    def stored(self) -> dict[str, Any] | None:
        """The finished variant's fields when a previous delivery already stored it."""
        prefix = self.command.output_prefix
        try:
            if self.command.mode == "remux":
                head = self.ctx.s3.head_object(Bucket=self.bucket, Key=prefix + REMUX_NAME)
                return {"output_key": prefix + REMUX_NAME, "size": head["ContentLength"]}
            body = self.ctx.s3.get_object(Bucket=self.bucket, Key=prefix + hls.PLAYLIST)["Body"].read()
        except ClientError:
            return None
        return {"playlist_key": prefix + hls.PLAYLIST} if b"#EXT-X-ENDLIST" in body else None

    def put(self, local: Path, name: str) -> None:
        content_type = CONTENT_TYPES.get(local.suffix, "application/octet-stream")
        self.ctx.s3.upload_file(str(local), self.bucket, self.command.output_prefix + name,
                                ExtraArgs={"ContentType": content_type})

    # --- making it -------------------------------------------------------------

    def make(self, scratch: Path) -> dict[str, Any]:
        c = self.command
        source = scratch / ("source" + Path(c.key).suffix)
        self.ctx.s3.download_file(self.bucket, c.key, str(source))
        if self.ctx.stopping.is_set():
            raise hls.Stopped()
        summary = probing.probe(source, self.ctx.settings.library.ffprobe,
                                self.ctx.settings.library.probe_timeout).summary
        if c.mode == "remux":
            # Said before ffmpeg starts: a long remux keeps its fair-share slot (a sent request nobody
            # answered frees its slot after a while; a running one holds it until it ends).
            self.running_sent = self.report("running")
            target = scratch / REMUX_NAME
            convert = remuxing.converts_audio((summary or {}).get("audioCodecs") or ())
            remuxing.remux(source, target, self.ctx.settings.transcode.ffmpeg, self.ctx.settings.transcode.timeout,
                           summary, convert_audio=convert, nice=self.ctx.settings.transcode.nice)
            self.put(target, REMUX_NAME)
            return {"output_key": c.output_prefix + REMUX_NAME, "size": target.stat().st_size}
        uploader = hls.Uploader(scratch / "out", self.put)
        hls.run(source, scratch / "out", c.mode, self.ctx.settings.transcode, uploader, self.tick,
                self.ctx.stopping.is_set, summary)
        return {"playlist_key": c.output_prefix + hls.PLAYLIST}

    def tick(self, segments: int) -> None:
        """Between ffmpeg polls: say ``running`` once segments are stored, keep the message hidden."""
        if segments > 0 and not self.running_sent:
            self.running_sent = self.report("running", playlist_key=self.command.output_prefix + hls.PLAYLIST)
        if time.monotonic() - self.extended > EXTEND_EVERY:
            self.keep_invisible()
            self.extended = time.monotonic()
