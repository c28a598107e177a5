"""The heartbeat's side of "next up": decide, claim once, enqueue. Nothing else runs inline.

``POST /progress`` is the hottest path. The heartbeat statement returns the resume point as it was,
so only the heartbeat that *crosses* ``prefetch_at`` of an episode (the previous one was below it)
costs anything here: one Redis ``SET NX`` per (user, episode) and, the one time that claim is new,
one SQS send of :class:`PlaybackPrefetch` to the events queue. Every later heartbeat past the
threshold costs nothing. The work (next episode, subtitles, file priority, a pick) runs in
``playback.service`` when the events consumer handles the message. Redis down means no claim can be
made: the prefetch is skipped and logged, the heartbeat still succeeds, and this process retries on
that episode's next heartbeat (as after a failed send).
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from chalicelib import aws, cache
from chalicelib.config import get_aws_settings, get_settings
from chalicelib.logs import get_logger
from chalicelib.messages import PlaybackPrefetch


def claim_key(user_id: Any, episode_id: int) -> str:
    """The once-per-window claim of a (user, episode) prefetch."""
    return f"{cache.PREFIX}:prefetch:{user_id}:{episode_id}"


_RETRY: set[str] = set()  # claims this process could not make or send; retried on the next due heartbeat
_RETRY_MAX = 10_000


def was_due(position: Any, duration: Any, completed: bool) -> bool:
    """Whether a stored resume point (the one a heartbeat replaced) was already past the threshold."""
    if completed:
        return True
    if position is None or not duration:
        return False
    return float(position) >= get_settings().playback.prefetch_at * float(duration)


def due(beat: Any) -> bool:
    """Whether a heartbeat (``HeartbeatOut``) of an episode is past the prefetch threshold."""
    if beat.episode_id is None or not beat.duration_seconds:
        return False
    return beat.completed or beat.position_seconds >= get_settings().playback.prefetch_at * beat.duration_seconds


def _claim(user_id: UUID, episode_id: int) -> bool | None:
    """True: claimed now; False: claimed before; None: Redis is down (cache's guard logs it and backs off)."""
    ttl = get_settings().playback.prefetch_once_seconds
    key = claim_key(user_id, episode_id)
    # The cache's guard: the same warning, and the same back-off instead of a timeout per heartbeat.
    return cache._guard("prefetch_claim", lambda: bool(cache.get_redis().set(key, b"1", nx=True, ex=ttl)), None)


def _retry_later(key: str) -> None:
    if len(_RETRY) >= _RETRY_MAX:
        _RETRY.clear()
    _RETRY.add(key)


def on_heartbeat(user_id: UUID, beat: Any, prior_due: bool = False) -> bool:
    """After a stored heartbeat: enqueue the next episode's prefetch once. Never raises; True when sent.

    ``prior_due``: the replaced resume point was already past the threshold, so the heartbeat that
    crossed it made the claim (unless that failed here, then this one retries).
    """
    if not due(beat):
        return False
    key = claim_key(user_id, beat.episode_id)
    if prior_due and key not in _RETRY:
        return False
    _RETRY.discard(key)
    claimed = _claim(user_id, beat.episode_id)
    if claimed is None:
        _retry_later(key)
        get_logger().warning("prefetch skipped: cache unavailable", extra={
            "action": "prefetch_skipped", "user_id": str(user_id), "episode_id": beat.episode_id})
    if not claimed:
        return False
    message = PlaybackPrefetch(user_id=user_id, media_id=beat.media_id, episode_id=beat.episode_id)
    try:
        aws.client("sqs").send_message(QueueUrl=aws.queue_url(get_aws_settings().events_queue),
                                       MessageBody=message.to_json())
    except Exception as exc:  # the heartbeat is stored; a later one may try again
        get_logger().warning("prefetch not enqueued", extra={
            "action": "prefetch_enqueue_failed", "error": type(exc).__name__, "user_id": str(user_id)})
        cache.invalidate(key)
        _retry_later(key)
        return False
    get_logger().info("prefetch enqueued", extra={
        "action": "prefetch_enqueued", "user_id": str(user_id), "media_id": beat.media_id,
        "episode_id": beat.episode_id})
    return True
