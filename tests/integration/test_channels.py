"""YouTube channels (issue 36): follow by URL or handle, read the public Atom feed (a fake YouTube speaking its
real shape over HTTP), track videos like titles, see them in the calendar and the dashboard, and Get one (a
download of type video for the worker's yt-dlp engine, linked to the video's title).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from embedded.fakes.youtube import FakeYouTube
from tests.integration import catalog_support as support
from tests.integration.downloads_support import drain_queue
from tests.integration.tracking_support import Api, code

V1 = "/api/v1/channels"
CHANNEL = "UCseenFakeChannel0000001"
OTHER = "UCanotherFakeChannel0002"
NOW = dt.datetime.now(dt.UTC).replace(microsecond=0)


@pytest.fixture
def youtube(settings_env):
    fake = FakeYouTube().start()
    settings_env(YOUTUBE_BASE_URL=fake.origin, YOUTUBE_ALLOW_PRIVATE="true", SEEN_DOWNLOAD_ALLOW_PRIVATE="true")
    channel = fake.add_channel(CHANNEL, "Seen Cooking", "@seencooking")
    for day in range(1, 6):  # five videos, the newest yesterday
        fake.add_video(channel.channel_id, f"seenVid{day:04d}", f"Weeknight dinner #{day}",
                       NOW - dt.timedelta(days=6 - day), description=f"Recipe {day}", views=100 * day)
    yield fake
    fake.stop()


@pytest.fixture
def user(client, make_user) -> Api:
    return Api(client, make_user()[1])


def follow(api: Api, url: str = "@seencooking", **more: Any) -> dict[str, Any]:
    status, body = api("POST", V1, {"url": url, **more})
    assert status == 201, body
    return body


def videos(api: Api, channel_id: str, **query: Any) -> dict[str, Any]:
    suffix = "&".join(f"{k}={v}" for k, v in query.items())
    status, body = api("GET", f"{V1}/{channel_id}/videos" + (f"?{suffix}" if suffix else ""))
    assert status == 200, body
    return body


def make_due() -> None:
    support.rows("UPDATE channels SET next_check_at = now() - interval '1 second'")


def test_following_by_handle_reads_the_page_once_and_the_feed_and_lists_the_videos_newest_first(user, youtube):
    channel = follow(user, "https://www.youtube.com/@seencooking/videos".replace("https://www.youtube.com",
                                                                                 youtube.origin))
    assert channel["youtubeId"] == CHANNEL and channel["title"] == "Seen Cooking"
    assert channel["handle"] == "@seencooking" and channel["videoCount"] == 5 and channel["newCount"] == 5
    assert channel["thumbnailUrl"].startswith("https://yt3.ggpht.com/")
    assert youtube.paths() == ["/@seencooking", "/feeds/videos.xml"]
    page = videos(user, channel["id"])
    assert [v["youtubeId"] for v in page["items"]] == [f"seenVid{d:04d}" for d in (5, 4, 3, 2, 1)]
    first = page["items"][0]
    assert first["title"] == "Weeknight dinner #5" and first["description"] == "Recipe 5" and first["views"] == 500
    assert first["url"] == f"{youtube.origin}/watch?v=seenVid0005" and first["mediaType"] == "video"
    assert first["watched"] is False and first["libraryItemId"] is None and first["download"] is None
    # Keyset pages: two at a time, no video twice, none lost.
    seen, cursor = [], None
    while True:
        page = videos(user, channel["id"], limit=2, **({"cursor": cursor} if cursor else {}))
        seen += [v["youtubeId"] for v in page["items"]]
        cursor = page["nextCursor"]
        if cursor is None:
            break
    assert seen == [f"seenVid{d:04d}" for d in (5, 4, 3, 2, 1)]
    status, body = user("GET", V1)
    assert status == 200 and [c["id"] for c in body["items"]] == [channel["id"]]


def test_a_channel_id_url_needs_no_page_and_two_followers_share_one_channel(client, make_user, youtube):
    first, second = Api(client, make_user()[1]), Api(client, make_user()[1])
    a = follow(first, CHANNEL)
    b = follow(second, f"{youtube.origin}/channel/{CHANNEL}", keepNewest=0)
    assert a["id"] == b["id"]
    assert "/@seencooking" not in youtube.paths()
    assert support.rows("SELECT count(*) AS n FROM channels")[0]["n"] == 1
    assert support.rows("SELECT count(*) AS n FROM channel_videos")[0]["n"] == 5
    # Following again is not an error: the option changes.
    again = follow(first, CHANNEL, keepNewest=0)
    assert again["id"] == a["id"]


@pytest.mark.parametrize(("url", "status", "error"), [
    ("https://www.youtube.com/watch?v=abcdefghijk", 422, "invalid_channel"),
    ("https://example.com/@seencooking", 422, "invalid_channel"),
    ("not a channel at all", 422, "invalid_channel"),
    ("@nobodyhere", 404, "channel_not_found"),
    ("UCnobodyFakeChannel00009", 404, "channel_not_found"),
])
def test_what_names_no_channel_is_a_clear_4xx_and_stores_nothing(user, youtube, url, status, error):
    got, body = user("POST", V1, {"url": url})
    assert (got, code(body)) == (status, error), body
    assert support.rows("SELECT count(*) AS n FROM channels")[0]["n"] == 0


def test_youtube_failing_is_a_502_and_a_refused_address_never_leaves(user, youtube, settings_env):
    youtube.fail("/feeds/videos.xml", 500, times=1)
    status, body = user("POST", V1, {"url": CHANNEL})
    assert (status, code(body)) == (502, "channel_unreachable"), body
    settings_env(YOUTUBE_ALLOW_PRIVATE="false")  # the fake listens on loopback: the egress guard refuses it
    before = len(youtube.requests)
    status, body = user("POST", V1, {"url": CHANNEL})
    assert (status, code(body)) == (502, "channel_unreachable"), body
    assert len(youtube.requests) == before
    assert support.rows("SELECT count(*) AS n FROM channels")[0]["n"] == 0


def test_a_refresh_adds_new_videos_to_the_calendar_and_the_dashboard_and_asks_with_the_etag(user, youtube):
    from chalicelib.channels import service

    channel = follow(user)
    youtube.add_video(CHANNEL, "seenVid0006", "Sunday roast", NOW - dt.timedelta(hours=2), description="Roast",
                      views=7)
    make_due()
    assert service.refresh_due() == {"channels": 1, "videos": 1}
    assert videos(user, channel["id"])["items"][0]["title"] == "Sunday roast"
    # Nothing changed: the feed answers 304 to the validators and nothing is rewritten.
    make_due()
    assert service.refresh_due() == {"channels": 1, "videos": 0}
    assert youtube.requests[-1].headers.get("if-none-match")
    # Not due: not read.
    before = len(youtube.requests)
    assert service.refresh_due() == {"channels": 0, "videos": 0}
    assert len(youtube.requests) == before

    day = (NOW - dt.timedelta(days=6)).date().isoformat()
    status, body = user("GET", f"/api/v1/calendar?view=week&from={day}")
    assert status == 200, body
    shown = [e for e in body["items"] if e["kind"] == "video_release"]
    assert len(shown) == 6, [e["title"] for e in body["items"]]
    roast = next(e for e in shown if e["media"]["title"] == "Sunday roast")
    assert roast["title"] == "Seen Cooking: Sunday roast" and roast["reason"] == "channel"
    assert roast["channel"] == {"id": channel["id"], "title": "Seen Cooking"}
    assert roast["anytime"] is False and roast["airAt"] and roast["media"]["mediaType"] == "video"

    status, body = user("GET", "/api/v1/dashboard")
    assert status == 200, body
    row = body["newFromChannels"]
    assert row["error"] is None and row["items"][0]["title"] == "Sunday roast" and len(row["items"]) == 6


def test_videos_are_tracked_by_their_media_id_like_titles(user, youtube):
    channel = follow(user)
    video = videos(user, channel["id"])["items"][1]
    status, body = user("POST", "/api/v1/watched", {"mediaId": video["mediaId"]})
    assert status == 201, body
    status, body = user("PUT", f"/api/v1/watch-later/{video['mediaId']}")
    assert status in (200, 201), body
    newest = videos(user, channel["id"])["items"][0]
    status, body = user("POST", "/api/v1/progress", {"mediaId": newest["mediaId"], "durationSeconds": 600.0,
                                                     "positionSeconds": 120.0})
    assert status == 200, body
    items = {v["mediaId"]: v for v in videos(user, channel["id"])["items"]}
    assert items[video["mediaId"]]["watched"] is True and items[video["mediaId"]]["onWatchLater"] is True
    assert items[newest["mediaId"]]["progress"] == {"positionSeconds": 120.0, "durationSeconds": 600.0}
    status, body = user("POST", "/api/v1/watched", {"mediaId": video["mediaId"], "episodeId": 1})
    assert status == 400 or status == 422, body
    # The history, watch later and title-state pages show a video like any title.
    status, body = user("GET", "/api/v1/watched")
    assert status == 200 and body["items"][0]["media"]["mediaType"] == "video", body
    status, body = user("GET", "/api/v1/watch-later")
    assert status == 200 and body["items"][0]["media"]["mediaType"] == "video", body
    status, body = user("GET", f"/api/v1/me/titles/{video['mediaId']}")
    assert status == 200, body
    assert user("GET", V1)[1]["items"][0]["newCount"] == 4  # the watched one is not new


def test_get_queues_a_video_download_linked_to_the_video_once(client, make_user, youtube):
    from chalicelib.config import get_aws_settings

    user = Api(client, make_user()[1])
    channel = follow(user)
    video = videos(user, channel["id"])["items"][0]
    drain_queue(get_aws_settings().commands_queue)
    status, job = user("POST", f"/api/v1/videos/{video['mediaId']}/get")
    assert status == 202, job
    assert job["sourceType"] == "video" and job["source"] == video["url"] and job["title"] == video["title"]
    row = support.rows("SELECT media_id, source_type FROM download_jobs WHERE id = %(id)s", id=job["id"])[0]
    assert row == {"media_id": video["mediaId"], "source_type": "video"}
    sent = [json.loads(m["Body"]) for m in drain_queue(get_aws_settings().commands_queue)]
    assert [(m["type"], m["sourceType"], m["source"]) for m in sent] == [("download.start", "video", video["url"])]
    status, again = user("POST", f"/api/v1/videos/{video['mediaId']}/get")
    assert status == 202 and again["id"] == job["id"]
    assert videos(user, channel["id"])["items"][0]["download"]["id"] == job["id"]
    # Someone who does not follow the channel cannot Get its videos (nor see them).
    stranger = Api(client, make_user()[1])
    status, body = stranger("POST", f"/api/v1/videos/{video['mediaId']}/get")
    assert (status, code(body)) == (404, "video_not_found")
    status, body = stranger("GET", f"{V1}/{channel['id']}/videos")
    assert (status, code(body)) == (404, "channel_not_found")
    status, body = stranger("GET", f"/api/v1/videos/{video['mediaId']}")
    assert (status, code(body)) == (404, "video_not_found")
    status, one = user("GET", f"/api/v1/videos/{video['mediaId']}")
    assert status == 200 and one["title"] == video["title"] and one["download"]["id"] == job["id"], one
    for bad in ("0", "abc", "99999999999999999999"):
        status, body = user("POST", f"/api/v1/videos/{bad}/get")
        assert (status, code(body)) == (404, "video_not_found"), (bad, body)


def test_keep_newest_downloads_the_newest_videos_and_follows_the_feed(user, youtube):
    from chalicelib.channels import service

    channel = follow(user, keepNewest=2)
    jobs = support.rows("SELECT j.media_id, m.title FROM download_jobs j JOIN media_items m ON m.id = j.media_id"
                        " WHERE j.source_type = 'video' ORDER BY m.title")
    assert [j["title"] for j in jobs] == ["Weeknight dinner #4", "Weeknight dinner #5"]
    youtube.add_video(CHANNEL, "seenVid0007", "Fresh pasta", NOW - dt.timedelta(minutes=5))
    make_due()
    service.refresh_due()
    titles = [r["title"] for r in support.rows(
        "SELECT m.title FROM download_jobs j JOIN media_items m ON m.id = j.media_id ORDER BY j.created_at")]
    assert titles[-1] == "Fresh pasta" and len(titles) == 3
    status, body = user("PATCH", f"{V1}/{channel['id']}", {"keepNewest": 51})
    assert status == 422, body
    status, body = user("PATCH", f"{V1}/{channel['id']}", {"keepNewest": 0})
    assert status == 200 and body["keepNewest"] == 0


def test_a_failing_feed_backs_off_and_a_broken_entry_is_skipped(user, youtube):
    from chalicelib.channels import service
    from chalicelib.channels import youtube as yt

    channel = follow(user)
    youtube.fail("/feeds/videos.xml", 503, times=1)
    make_due()
    assert service.refresh_due() == {"channels": 1, "videos": 0}
    state = support.rows("SELECT last_error, failures, next_check_at > now() + interval '25 minutes' AS later"
                         " FROM channels")[0]
    assert state == {"last_error": "feed_unreachable", "failures": 1, "later": True}
    status, body = user("GET", f"{V1}/{channel['id']}")
    assert status == 200 and body["lastError"] == "feed_unreachable"

    feed = youtube.feed_xml(youtube.channels[CHANNEL]).replace("<yt:videoId>seenVid0003</yt:videoId>", "")
    parsed = yt.parse_feed(feed.encode(), youtube.origin)
    assert [v.youtube_id for v in parsed.videos] == ["seenVid0005", "seenVid0004", "seenVid0002", "seenVid0001"]
    with pytest.raises(yt.FeedFailed):
        yt.parse_feed(b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><feed>&a;</feed>', youtube.origin)
    with pytest.raises(yt.FeedFailed):
        yt.parse_feed(b"<html>not a feed</html>", youtube.origin)


def test_unfollowing_hides_the_channel_from_that_user_only(client, make_user, youtube):
    first, second = Api(client, make_user()[1]), Api(client, make_user()[1])
    channel = follow(first)
    follow(second)
    status, _ = first("DELETE", f"{V1}/{channel['id']}")
    assert status == 204
    assert first("GET", V1)[1]["items"] == []
    status, body = first("GET", f"{V1}/{channel['id']}/videos")
    assert (status, code(body)) == (404, "channel_not_found")
    status, body = first("DELETE", f"{V1}/{channel['id']}")
    assert (status, code(body)) == (404, "channel_not_found")
    assert len(videos(second, channel["id"])["items"]) == 5
    for bad in ("nope", "00000000-0000-0000-0000-000000000000"):
        status, body = first("GET", f"{V1}/{bad}")
        assert (status, code(body)) == (404, "channel_not_found")


def test_the_schedule_and_an_admins_run_now_read_the_feeds_and_are_recorded(client, make_user, youtube):
    user = Api(client, make_user()[1])
    admin = Api(client, make_user(role="admin")[1])
    follow(user)
    youtube.add_video(CHANNEL, "seenVid0008", "Soup season", NOW - dt.timedelta(minutes=1))
    event = client.events.generate_cw_event(source="aws.events", detail_type="Scheduled Event", detail={},
                                            resources=[], region="us-east-1")
    result = client.lambda_.invoke("channels_refresh", event).payload
    assert (result["job"], result["status"], result["stats"]) == ("channels.refresh", "ok",
                                                                   {"channels": 0, "videos": 0}), result
    status, job = admin("POST", "/api/v1/admin/sync-jobs/channels.refresh/run")
    assert status == 200 and job["status"] == "ok" and job["stats"] == {"channels": 1, "videos": 1}, job


def test_following_is_bounded_per_user(client, make_user, youtube):
    from chalicelib.channels import service

    first, second = Api(client, make_user()[1]), Api(client, make_user()[1])
    for _ in range(service.FOLLOWS_PER_MINUTE):
        follow(first, CHANNEL)
    status, body = first("POST", V1, {"url": CHANNEL})
    assert (status, code(body)) == (429, "rate_limited"), body
    follow(second, CHANNEL)  # someone else is not slowed down
