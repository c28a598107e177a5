"""Channels: follow by URL or handle, read the feeds on a schedule, list videos with the user's state, Get one.

A channel is shared by the household (one row per YouTube channel, one feed read for every follower); a follow is
one user's. A video is a catalog title of type ``video``, so watched, watch later and progress use the tracking
routes by its media id, and a Get is a download linked to that title (yt-dlp in the home worker) that the library
files as the video and plays like any library file.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from collections.abc import Sequence
from uuid import UUID

from chalicelib import cache, db, errors, jsondepth, ratelimit
from chalicelib.channels import queries, youtube
from chalicelib.channels.errors import (
    ChannelNotFound,
    ChannelUnreachable,
    FeedFailed,
    TooManyChannels,
    VideoNotFound,
)
from chalicelib.channels.models import (
    ChannelList,
    ChannelOut,
    ChannelPatch,
    FollowChannel,
    VideoOut,
    VideoPage,
    VideosQuery,
)
from chalicelib.channels.queries import ClaimRow, FollowRow, VideoRow
from chalicelib.channels.videos import video_out
from chalicelib.config import get_settings
from chalicelib.db import Conn
from chalicelib.downloads import service as downloads
from chalicelib.downloads.models import CreateDownload, Download
from chalicelib.jobruns import JobRun, run_recorded
from chalicelib.logs import get_logger

REFRESH_BATCH = 100  # channels per run (~0.2 s each): the rest wait for the next run
JOB_NAME = "channels.refresh"
FOLLOWS_PER_MINUTE = 10


def _uuid(raw: str, error: type[errors.NotFound]) -> UUID:
    try:
        return UUID(raw)
    except ValueError:
        raise error(f"No such channel: {raw[:60]}") from None


def _channel_out(row: FollowRow) -> ChannelOut:
    base = get_settings().channels.youtube_base_url
    return ChannelOut(id=row["id"], youtube_id=row["youtube_id"], title=row["title"], handle=row["handle"],
                      url=f"{base}/channel/{row['youtube_id']}", thumbnail_url=row["thumbnail_url"],
                      keep_newest=row["keep_newest"], video_count=row["video_count"], new_count=row["new_count"],
                      latest_at=row["latest_at"], checked_at=row["checked_at"], last_error=row["last_error"],
                      followed_at=row["followed_at"])


# --- following ----------------------------------------------------------------------------------------------


def _resolve(client: youtube.YouTube, text: str) -> tuple[str, str | None, str | None]:
    """(channel id, handle, avatar URL) of what the user typed; the page is read only for a handle or name."""
    named = youtube.parse_input(text, client.base)
    if named.channel_id:
        return named.channel_id, None, None
    page = client.page(named)
    return page.channel_id, named.handle, page.thumbnail_url


def follow(user_id: UUID, body: FollowChannel) -> ChannelOut:
    """Follow a channel (again: its keepNewest changes); its feed is read now, so its videos are there at once."""
    settings = get_settings().channels
    # Each follow reads YouTube (a page and a feed): bounded per user, so one person cannot keep it busy.
    ratelimit.check("channel_follow", user_id, FOLLOWS_PER_MINUTE, 60)
    with db.connection() as conn:
        if queries.follow_count(conn, user_id=user_id) >= settings.max_follows:
            raise TooManyChannels(f"You follow {settings.max_follows} channels, the most one person can")
    try:
        with youtube.YouTube(settings) as client:
            channel_id, handle, avatar = _resolve(client, body.url)
            feed = client.feed(channel_id)
    except FeedFailed as exc:
        if exc.code == "channel_not_found":
            raise ChannelNotFound(str(exc)) from None
        raise ChannelUnreachable(str(exc)) from None
    if not isinstance(feed, youtube.Feed):  # no validators were sent: a 304 is YouTube misbehaving
        raise ChannelUnreachable("YouTube answered 304 Not Modified to a first read")
    with db.transaction() as conn:  # the channel, the follow and its videos, or nothing
        channel = queries.channel_upsert(conn, youtube_id=channel_id, title=feed.title, handle=handle,
                                         thumbnail_url=avatar)
        queries.follow(conn, user_id=user_id, channel_id=channel["id"], keep_newest=body.keep_newest)
        _store(conn, channel["id"], feed, settings.refresh_minutes)
        row = queries.follows(conn, user_id=user_id, channel_id=channel["id"])[0]
    cache.on_follows_changed(user_id)
    _keep(channel["id"])
    return _channel_out(row)


def list_follows(user_id: UUID) -> ChannelList:
    with db.connection() as conn:
        return ChannelList(items=[_channel_out(row) for row in queries.follows(conn, user_id=user_id)])


def get(user_id: UUID, channel_id: str) -> ChannelOut:
    with db.connection() as conn:
        rows = queries.follows(conn, user_id=user_id, channel_id=_uuid(channel_id, ChannelNotFound))
    if not rows:
        raise ChannelNotFound("You do not follow this channel")
    return _channel_out(rows[0])


def update(user_id: UUID, channel_id: str, body: ChannelPatch) -> ChannelOut:
    cid = _uuid(channel_id, ChannelNotFound)
    with db.connection() as conn:
        if queries.follow_update(conn, user_id=user_id, channel_id=cid, keep_newest=body.keep_newest) is None:
            raise ChannelNotFound("You do not follow this channel")
    _keep(cid)
    return get(user_id, channel_id)


def unfollow(user_id: UUID, channel_id: str) -> None:
    """Stop following; the videos stay in the catalog (your history of them too), the feed stops being read
    once nobody follows the channel."""
    with db.connection() as conn:
        if queries.unfollow(conn, user_id=user_id, channel_id=_uuid(channel_id, ChannelNotFound)) is None:
            raise ChannelNotFound("You do not follow this channel")
    cache.on_follows_changed(user_id)


# --- videos -------------------------------------------------------------------------------------------------


def _cursor(raw: str | None) -> tuple[dt.datetime | None, int | None]:
    if raw is None:
        return None, None
    try:
        at, media_id = jsondepth.loads(base64.urlsafe_b64decode(raw.encode()))
        return dt.datetime.fromisoformat(at), int(media_id)
    except (ValueError, TypeError, binascii.Error, json.JSONDecodeError):
        raise errors.BadRequest("The cursor is not one this API gave", code="invalid_cursor") from None


def _next_cursor(rows: Sequence[VideoRow], limit: int) -> str | None:
    if len(rows) < limit:
        return None
    last = rows[-1]
    raw = json.dumps([last["published_at"].isoformat(), last["media_id"]]).encode()
    return base64.urlsafe_b64encode(raw).decode()


def videos(user_id: UUID, channel_id: str, query: VideosQuery) -> VideoPage:
    cid = _uuid(channel_id, ChannelNotFound)
    before_at, before_id = _cursor(query.cursor)
    with db.connection() as conn:
        if not queries.follows(conn, user_id=user_id, channel_id=cid):
            raise ChannelNotFound("You do not follow this channel")
        rows = queries.videos(conn, user_id=user_id, channel_id=cid, before_at=before_at, before_id=before_id,
                              limit=query.limit)
    return VideoPage(items=[video_out(row) for row in rows], next_cursor=_next_cursor(rows, query.limit))


def _media_id(raw: str) -> int:
    if not raw.isascii() or not raw.isdigit() or not 0 < int(raw) < 2**63:
        raise VideoNotFound(f"No such video: {raw[:40]}")
    return int(raw)


def video(user_id: UUID, media_id: str) -> VideoOut:
    """One video of a channel the user follows, with their state (a history or watch-later link lands here)."""
    with db.connection() as conn:
        found = queries.videos(conn, user_id=user_id, media_id=_media_id(media_id), limit=1)
    if not found:
        raise VideoNotFound("No video of a channel you follow has this id")
    return video_out(found[0])


def get_video(user_id: UUID, media_id: str) -> Download:
    """Get a video: a download through yt-dlp, linked to the video's title so the library files it as that."""
    with db.connection() as conn:
        found = queries.videos(conn, user_id=user_id, media_id=_media_id(media_id), limit=1)
        if not found:
            raise VideoNotFound("No video of a channel you follow has this id")
        video = found[0]
        if video["download_id"] is not None and video["download_status"] not in ("failed", "cancelled"):
            return downloads.get_download(conn, user_id, video["download_id"])  # asked twice: the same Get
        return _download(conn, user_id, video["media_id"], video["url"], video["title"], "Get")


def _download(conn: Conn, user_id: UUID, media_id: int, url: str, title: str, why: str) -> Download:
    request = CreateDownload(source_type="video", source=url, title=title)
    link = downloads.JobLink(media_id=media_id, why=why, data={"video": True})
    job, _ = downloads.create_download(conn, user_id, request, link=link)
    return job


# --- the feeds ------------------------------------------------------------------------------------------------


def _store(conn: Conn, channel_id: UUID, feed: youtube.Feed, every_minutes: int) -> int:
    items = [{"youtube_id": v.youtube_id, "title": v.title, "description": v.description, "url": v.url,
              "thumbnail_url": v.thumbnail_url, "published_at": v.published_at.isoformat(), "views": v.views}
             for v in feed.videos]
    counts = queries.videos_upsert(conn, channel_id=channel_id, items=json.dumps(items))
    queries.channel_checked(conn, id=channel_id, title=feed.title, etag=feed.etag, last_modified=feed.last_modified,
                            every_minutes=every_minutes)
    return counts["added"]


def _refresh(client: youtube.YouTube, claim: ClaimRow, every_minutes: int) -> int:
    """Read one channel's feed; its new videos are stored. Failures are recorded on the channel (backed off)."""
    try:
        feed = client.feed(claim["youtube_id"], claim["etag"], claim["last_modified"])
    except FeedFailed as exc:
        get_logger().warning("channel feed failed", extra={"action": "channel_feed_failed",
                                                           "channel_id": str(claim["id"]), "error": exc.code})
        with db.connection() as conn:
            queries.channel_failed(conn, id=claim["id"], error=exc.code, every_minutes=every_minutes)
        return 0
    with db.connection() as conn:
        if isinstance(feed, youtube.NotModified):
            queries.channel_checked(conn, id=claim["id"], title=None, etag=claim["etag"],
                                    last_modified=claim["last_modified"], every_minutes=every_minutes)
            return 0
        added = _store(conn, claim["id"], feed, every_minutes)
        followers = queries.followers(conn, channel_id=claim["id"]) if added else []
    cache.on_channel_videos(followers)
    _keep(claim["id"])
    return added


def run_job(trigger: str = "schedule") -> JobRun:
    """The scheduled run, recorded in sync_state as ``channels.refresh``; an admin's run reads every followed
    channel now, due or not."""
    return run_recorded(JOB_NAME, lambda: refresh_due(every=trigger == "manual"), trigger)


def refresh_due(limit: int = REFRESH_BATCH, *, every: bool = False) -> dict[str, int]:
    """Every followed channel whose feed is due (``every``: all of them), leased so runs never overlap on one."""
    settings = get_settings().channels
    with db.connection() as conn:
        if every:
            queries.channels_make_due(conn)
        claims = queries.channels_claim(conn, limit=limit)
    added = 0
    with youtube.YouTube(settings) as client:
        for claim in claims:
            added += _refresh(client, claim, settings.refresh_minutes)
    return {"channels": len(claims), "videos": added}


def _keep(channel_id: UUID) -> None:
    """Followers who keep the N newest videos downloaded get the ones they are missing (one failed Get never
    stops the others: it is logged and tried again on the next refresh)."""
    with db.connection() as conn:
        targets = queries.keep_targets(conn, channel_id=channel_id)
        for target in targets:
            try:
                _download(conn, target["user_id"], target["media_id"], target["url"], target["title"],
                          "Kept: one of the channel's newest videos")
            except errors.DomainError as exc:
                get_logger().warning("channel keep failed", extra={
                    "action": "channel_keep_failed", "channel_id": str(channel_id), "error": exc.code})
