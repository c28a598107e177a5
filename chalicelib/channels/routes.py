"""/api/v1/channels: YouTube channels a user follows and their videos; /api/v1/videos/{mediaId}/get downloads one."""

from __future__ import annotations

from chalice.app import Blueprint

from chalicelib.api import endpoint
from chalicelib.auth.users import Principal
from chalicelib.channels.models import (
    ChannelList,
    ChannelOut,
    ChannelPatch,
    FollowChannel,
    VideoOut,
    VideoPage,
    VideosQuery,
)
from chalicelib.downloads.models import Download

bp = Blueprint(__name__)
CHANNELS = "/api/v1/channels"
ONE = f"{CHANNELS}/{{channel_id}}"
TAGS = ("channels",)


@endpoint(bp, CHANNELS, summary="The channels you follow, newest video first", tags=TAGS, response=ChannelList,
          auth="adult")
def list_channels(principal: Principal) -> ChannelList:
    from chalicelib.channels import service  # lazy: the feed client loads for channel routes only

    return service.list_follows(principal.user_id)


@endpoint(bp, CHANNELS, "POST", summary="Follow a YouTube channel by URL, @handle or id (its feed is read now)",
          tags=TAGS, body=FollowChannel, response=ChannelOut, status=201, auth="adult", errors_=(404, 409, 429, 502))
def follow_channel(principal: Principal, body: FollowChannel) -> ChannelOut:
    from chalicelib.channels import service  # lazy: the feed client loads for channel routes only

    return service.follow(principal.user_id, body)


@endpoint(bp, ONE, summary="A channel you follow", tags=TAGS, response=ChannelOut, auth="adult", errors_=(404,))
def get_channel(channel_id: str, principal: Principal) -> ChannelOut:
    from chalicelib.channels import service  # lazy: the feed client loads for channel routes only

    return service.get(principal.user_id, channel_id)


@endpoint(bp, ONE, "PATCH", summary="How many of the channel's newest videos to keep downloaded", tags=TAGS,
          body=ChannelPatch, response=ChannelOut, auth="adult", errors_=(404,))
def patch_channel(channel_id: str, principal: Principal, body: ChannelPatch) -> ChannelOut:
    from chalicelib.channels import service  # lazy: the feed client loads for channel routes only

    return service.update(principal.user_id, channel_id, body)


@endpoint(bp, ONE, "DELETE", summary="Stop following a channel", tags=TAGS, status=204, auth="adult", errors_=(404,))
def unfollow_channel(channel_id: str, principal: Principal) -> None:
    from chalicelib.channels import service  # lazy: the feed client loads for channel routes only

    service.unfollow(principal.user_id, channel_id)


@endpoint(bp, f"{ONE}/videos", summary="A channel's videos with your state (watched, progress, downloaded)",
          tags=TAGS, query=VideosQuery, response=VideoPage, auth="adult", errors_=(404,))
def channel_videos(channel_id: str, principal: Principal, query: VideosQuery) -> VideoPage:
    from chalicelib.channels import service  # lazy: the feed client loads for channel routes only

    return service.videos(principal.user_id, channel_id, query)


@endpoint(bp, "/api/v1/videos/{media_id}", summary="A video of a channel you follow, with your state", tags=TAGS,
          response=VideoOut, auth="adult", errors_=(404,))
def get_one_video(media_id: str, principal: Principal) -> VideoOut:
    from chalicelib.channels import service  # lazy: the feed client loads for channel routes only

    return service.video(principal.user_id, media_id)


@endpoint(bp, "/api/v1/videos/{media_id}/get", "POST", summary=(
          "Get a video of a channel you follow: downloaded with yt-dlp, then in the library like any file "
          "(asked again while it runs or once done: the same download)"), tags=TAGS, response=Download,
          status=202, auth="adult", errors_=(404, 409, 429, 503))
def get_video(media_id: str, principal: Principal) -> Download:
    from chalicelib.channels import service  # lazy: the feed client loads for channel routes only

    return service.get_video(principal.user_id, media_id)
