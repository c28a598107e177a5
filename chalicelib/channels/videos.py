"""A video as the API shows it, with the user's state; and the dashboard's "New from channels".

Apart from the service so the dashboard (built on every cold GET /dashboard) loads neither the feed client
nor the downloads stack with it.
"""

from __future__ import annotations

from uuid import UUID

from chalicelib.channels import queries
from chalicelib.channels.models import VideoDownload, VideoOut, VideoProgress
from chalicelib.channels.queries import VideoRow
from chalicelib.db import Conn

NEW_ROW = 20  # the dashboard's "New from channels"


def video_out(row: VideoRow) -> VideoOut:
    progress = None
    if row["position_seconds"] is not None:
        duration = row["duration_seconds"]
        progress = VideoProgress(position_seconds=float(row["position_seconds"]),
                                 duration_seconds=float(duration) if duration is not None else None)
    download = None
    if row["download_id"] is not None:
        download = VideoDownload(id=row["download_id"], status=row["download_status"] or "queued",
                                 percent=float(row["download_progress"] or 0))
    return VideoOut(media_id=row["media_id"], youtube_id=row["youtube_id"], title=row["title"],
                    description=row["description"], url=row["url"], thumbnail_url=row["thumbnail_url"],
                    published_at=row["published_at"], views=row["views"], channel_id=row["channel_id"],
                    channel_title=row["channel_title"], watched=row["watched"], on_watch_later=row["on_watch_later"],
                    progress=progress, library_item_id=row["library_item_id"], download=download)


def new_videos(conn: Conn, user_id: UUID) -> list[VideoOut]:
    """The dashboard row: the newest videos of the channels the user follows that they have not watched."""
    rows = queries.videos(conn, user_id=user_id, limit=NEW_ROW * 2)
    return [video_out(row) for row in rows if not row["watched"]][:NEW_ROW]
