"""/api/v1 tracking routes: watch later, watched, progress, ratings, favorites, follows,
game backlog, collections and export. Every route needs a user and only ever
sees that user's rows; writes apply their cache rule after the commit.
"""

from __future__ import annotations

import json
from uuid import UUID

from chalice.app import Blueprint, Response

from chalicelib.api import endpoint
from chalicelib.auth import Principal
from chalicelib.contentrating import limit_of
from chalicelib.models import Page
from chalicelib.tracking import backlog, collections, errors, export, follows, history, progress, title, watchlist
from chalicelib.tracking import schemas as s
from chalicelib.tracking import service as svc

bp = Blueprint(__name__)
V1 = "/api/v1"
NF = (404,)
NF_422 = (404, 422)


def _page(found: tuple[list, int], query: s.PageQuery, model: type) -> Page:
    items, total = found
    return Page[model](items=items, page=query.page, page_size=query.page_size, total=total)


def _mid(raw: str, principal: Principal) -> int:
    """The title of the URL, if the caller may see it (a kid profile: within its rating)."""
    return svc.visible_media_id(svc.media_id_param(raw), limit_of(principal))


def _seen(media_id: int, principal: Principal) -> int:
    """A body's title, if the caller may see it (a kid profile: within its rating)."""
    return svc.visible_media_id(media_id, limit_of(principal))


def _cid(raw: str) -> UUID:
    return svc.uuid_param(raw, errors.CollectionNotFound)


# ------------------------------------------------------------- title state

@endpoint(bp, f"{V1}/me/titles/{{media_id}}", summary="Your state for one title (lists, rating, plays, resume, "
          "follow, backlog) and the library files that play it", tags=("tracking",), response=title.TitleState,
          auth="user", errors_=NF)
def get_title_state(media_id: str, principal: Principal) -> title.TitleState:
    return svc.read(title.title_state, principal.user_id, _mid(media_id, principal))


# ------------------------------------------------------------- watch later

@endpoint(bp, f"{V1}/watch-later", summary="Watch later: manual order first, then newest first", tags=("watch-later",),
          query=s.TypedPageQuery, response=Page[s.WatchLaterItem], auth="user")
def list_watch_later(principal: Principal, query: s.TypedPageQuery) -> Page:
    found = svc.read(watchlist.list_watch_later, principal.user_id, query.media_type, query.page_size, query.offset)
    return _page(found, query, s.WatchLaterItem)


@endpoint(bp, f"{V1}/watch-later/{{media_id}}", "PUT", summary="Add a title to watch later (again: no change)",
          tags=("watch-later",), response=s.WatchLaterItem, auth="user", errors_=NF)
def add_watch_later(media_id: str, principal: Principal) -> s.WatchLaterItem:
    item, _created = svc.write(svc.watch_later_changed, watchlist.add_watch_later, principal.user_id,
                               _mid(media_id, principal))
    return item


@endpoint(bp, f"{V1}/watch-later/{{media_id}}", "DELETE", summary="Remove a title from watch later",
          tags=("watch-later",), status=204, auth="user", errors_=NF)
def remove_watch_later(media_id: str, principal: Principal) -> None:
    svc.write(svc.watch_later_changed, watchlist.remove_watch_later, principal.user_id, _mid(media_id, principal))


@endpoint(bp, f"{V1}/watch-later/order", "PUT", summary="Reorder watch later: send every media id in the new order",
          tags=("watch-later",), body=s.MediaOrderIn, status=204, auth="user")
def reorder_watch_later(principal: Principal, body: s.MediaOrderIn) -> None:
    svc.write(svc.watch_later_changed, watchlist.reorder_watch_later, principal.user_id, body.media_ids)


# ----------------------------------------------------------------- watched

@endpoint(bp, f"{V1}/watched", summary="Watch history, newest first (filter by type, title, from/to)",
          tags=("watched",), query=s.HistoryQuery, response=Page[s.HistoryEntry], auth="user")
def list_watched(principal: Principal, query: s.HistoryQuery) -> Page:
    return _page(svc.read(history.list_history, principal.user_id, query), query, s.HistoryEntry)


@endpoint(bp, f"{V1}/watched", "POST", summary="Mark a movie or an episode watched (each call is one more watch)",
          tags=("watched",), body=s.WatchedIn, response=s.HistoryEntry, status=201, auth="user", errors_=NF)
def mark_watched(principal: Principal, body: s.WatchedIn) -> s.HistoryEntry:
    return svc.write(svc.history_changed, history.mark_watched, principal.user_id, _seen(body.media_id, principal),
                     body.episode_id, body.watched_at)


@endpoint(bp, f"{V1}/watched/bulk", "POST", summary="Mark a season or a whole show watched (unwatched aired episodes)",
          tags=("watched",), body=s.BulkWatchedIn, response=s.BulkWatchedOut, auth="user", errors_=NF)
def mark_bulk(principal: Principal, body: s.BulkWatchedIn) -> s.BulkWatchedOut:
    return svc.write(svc.history_changed, history.mark_bulk, principal.user_id, _seen(body.media_id, principal),
                     body.season_number, body.watched_at)


@endpoint(bp, f"{V1}/watched", "DELETE", summary="Unmark: remove the latest (scope=latest) or every (scope=all) "
          "watch of a movie, episode, season or show", tags=("watched",), query=s.UnmarkQuery,
          response=s.UnmarkOut, auth="user", errors_=NF)
def unmark(principal: Principal, query: s.UnmarkQuery) -> s.UnmarkOut:
    removed = svc.write(svc.history_changed, history.unmark, principal.user_id, _seen(query.media_id, principal),
                        query.episode_id, query.season_number, query.scope == "latest")
    return s.UnmarkOut(removed=removed)


@endpoint(bp, f"{V1}/watched/{{entry_id}}", "DELETE", summary="Remove one history entry", tags=("watched",),
          status=204, auth="user")
def delete_watched_entry(entry_id: str, principal: Principal) -> None:
    entry = svc.uuid_param(entry_id, errors.WatchedEntryNotFound)
    svc.write(svc.history_changed, history.delete_entry, principal.user_id, entry)


# ---------------------------------------------------------------- progress

@endpoint(bp, f"{V1}/progress", "POST", summary="Player heartbeat: save the resume point; at the watched threshold "
          "record the watch once", tags=("progress",), body=s.HeartbeatIn, response=s.HeartbeatOut, auth="user",
          errors_=NF)
def heartbeat(principal: Principal, body: s.HeartbeatIn) -> s.HeartbeatOut:
    return progress.heartbeat(principal.user_id, body, principal)


@endpoint(bp, f"{V1}/progress", summary="Open resume points (of one title with mediaId), newest first",
          tags=("progress",), query=s.ProgressQuery, response=s.ResumePoints, auth="user", errors_=NF)
def resume_points(principal: Principal, query: s.ProgressQuery) -> s.ResumePoints:
    return s.ResumePoints(items=svc.read(progress.resume_points, principal.user_id, query.media_id))


@endpoint(bp, f"{V1}/progress/continue-watching", summary="In progress, plus each show's next episode (cached 2 min)",
          tags=("progress",), response=s.ContinueWatching, auth="user")
def continue_watching(principal: Principal) -> dict:
    return progress.cached_continue_watching(principal.user_id)


# {show_id}: API Gateway needs one name per variable segment, and the catalog's /shows/{show_id} sets it.
@endpoint(bp, f"{V1}/shows/{{show_id}}/progress", summary="A show's progress: watched/aired, per season, next episode",
          tags=("progress",), response=s.ShowProgress, auth="user", errors_=NF_422)
def show_progress(show_id: str, principal: Principal) -> s.ShowProgress:
    return svc.read(progress.show_progress, principal.user_id, _mid(show_id, principal))


# ------------------------------------------------------- ratings, favorites

@endpoint(bp, f"{V1}/ratings", summary="Ratings, most recently changed first", tags=("ratings",),
          query=s.TypedPageQuery, response=Page[s.RatingOut], auth="user")
def list_ratings(principal: Principal, query: s.TypedPageQuery) -> Page:
    found = svc.read(watchlist.list_ratings, principal.user_id, query.media_type, query.page_size, query.offset)
    return _page(found, query, s.RatingOut)


@endpoint(bp, f"{V1}/ratings/{{media_id}}", summary="Your rating of a title (rating null when unrated)",
          tags=("ratings",), response=s.YourRating, auth="user", errors_=NF)
def get_rating(media_id: str, principal: Principal) -> s.YourRating:
    return svc.read(watchlist.your_rating, principal.user_id, _mid(media_id, principal))


@endpoint(bp, f"{V1}/ratings/{{media_id}}", "PUT", summary="Rate a title, 1 to 10 in half steps", tags=("ratings",),
          body=s.RatingIn, response=s.RatingOut, auth="user")
def set_rating(media_id: str, principal: Principal, body: s.RatingIn) -> s.RatingOut:
    return svc.write(svc.taste_changed, watchlist.set_rating, principal.user_id, _mid(media_id, principal),
                     body.rating)


@endpoint(bp, f"{V1}/ratings/{{media_id}}", "DELETE", summary="Remove a rating", tags=("ratings",), status=204,
          auth="user")
def delete_rating(media_id: str, principal: Principal) -> None:
    svc.write(svc.taste_changed, watchlist.delete_rating, principal.user_id, _mid(media_id, principal))


@endpoint(bp, f"{V1}/favorites", summary="Favorites, newest first", tags=("favorites",), query=s.TypedPageQuery,
          response=Page[s.FavoriteOut], auth="user")
def list_favorites(principal: Principal, query: s.TypedPageQuery) -> Page:
    found = svc.read(watchlist.list_favorites, principal.user_id, query.media_type, query.page_size, query.offset)
    return _page(found, query, s.FavoriteOut)


@endpoint(bp, f"{V1}/favorites/{{media_id}}", "PUT", summary="Favorite a title (again: no change)",
          tags=("favorites",), response=s.FavoriteOut, auth="user")
def add_favorite(media_id: str, principal: Principal) -> s.FavoriteOut:
    return svc.write(svc.taste_changed, watchlist.add_favorite, principal.user_id, _mid(media_id, principal))


@endpoint(bp, f"{V1}/favorites/{{media_id}}", "DELETE", summary="Unfavorite a title", tags=("favorites",),
          status=204, auth="user")
def remove_favorite(media_id: str, principal: Principal) -> None:
    svc.write(svc.taste_changed, watchlist.remove_favorite, principal.user_id, _mid(media_id, principal))


# ----------------------------------------------------------------- follows

@endpoint(bp, f"{V1}/follows", summary="Followed, muted and implicitly followed shows (items), followed people",
          tags=("follows",), response=s.FollowList, auth="user")
def list_follows(principal: Principal) -> s.FollowList:
    return svc.read(follows.follow_list, principal.user_id)


@endpoint(bp, f"{V1}/follows/{{media_id}}", "PUT", summary="Follow or mute a show (a mute beats implicit following)",
          tags=("follows",), body=s.FollowIn, response=s.FollowOut, auth="user")
def set_follow(media_id: str, principal: Principal, body: s.FollowIn) -> s.FollowOut:
    return svc.write(svc.follows_changed, follows.set_follow, principal.user_id, _mid(media_id, principal),
                     body.state)


@endpoint(bp, f"{V1}/follows/{{media_id}}", "DELETE", summary="Unfollow a show (a show followed by default "
          "gets a mute, which the default respects), or lift its mute",
          tags=("follows",), status=204, auth="user", errors_=(422,))
def clear_follow(media_id: str, principal: Principal) -> None:
    svc.write(svc.follows_changed, follows.clear_follow, principal.user_id, _mid(media_id, principal))


# ----------------------------------------------------------------- backlog

@endpoint(bp, f"{V1}/games/backlog", summary="Game backlog grouped by status", tags=("backlog",),
          query=s.BacklogQuery, response=s.Backlog, auth="user")
def list_backlog(principal: Principal, query: s.BacklogQuery) -> s.Backlog:
    return svc.read(backlog.backlog, principal.user_id, query.status)


@endpoint(bp, f"{V1}/games/backlog/{{media_id}}", summary="One game's backlog entry", tags=("backlog",),
          response=s.BacklogEntry, auth="user", errors_=(422,))
def get_backlog_entry(media_id: str, principal: Principal) -> s.BacklogEntry:
    return svc.read(backlog.get_entry, principal.user_id, _mid(media_id, principal))


@endpoint(bp, f"{V1}/games/backlog/{{media_id}}", "PUT", summary="Set a game's status, hours, completion and dates",
          tags=("backlog",), body=s.BacklogIn, response=s.BacklogEntry, auth="user")
def set_backlog_entry(media_id: str, principal: Principal, body: s.BacklogIn) -> s.BacklogEntry:
    return svc.write(svc.taste_changed, backlog.set_entry, principal.user_id, _mid(media_id, principal), body)


@endpoint(bp, f"{V1}/games/backlog/{{media_id}}", "DELETE", summary="Take a game out of the backlog",
          tags=("backlog",), status=204, auth="user", errors_=(422,))
def remove_backlog_entry(media_id: str, principal: Principal) -> None:
    svc.write(svc.taste_changed, backlog.remove_entry, principal.user_id, _mid(media_id, principal))


# ------------------------------------------------------------- collections

@endpoint(bp, f"{V1}/collections", summary="Your collections in order", tags=("collections",),
          response=s.CollectionList, auth="user")
def list_collections(principal: Principal) -> s.CollectionList:
    return s.CollectionList(items=svc.read(collections.list_collections, principal.user_id))


@endpoint(bp, f"{V1}/collections", "POST", summary="Create a collection", tags=("collections",),
          body=s.CollectionIn, response=s.CollectionOut, status=201, auth="user", errors_=(409,))
def create_collection(principal: Principal, body: s.CollectionIn) -> s.CollectionOut:
    return svc.write(svc.collections_changed, collections.create_collection, principal.user_id, body.name,
                     body.description)


@endpoint(bp, f"{V1}/collections/order", "PUT", summary="Reorder collections: send every collection id in order",
          tags=("collections",), body=s.CollectionOrderIn, response=s.CollectionList, auth="user")
def reorder_collections(principal: Principal, body: s.CollectionOrderIn) -> s.CollectionList:
    found = svc.write(svc.collections_changed, collections.reorder_collections, principal.user_id,
                      body.collection_ids)
    return s.CollectionList(items=found)


@endpoint(bp, f"{V1}/collections/{{collection_id}}", summary="One collection", tags=("collections",),
          response=s.CollectionOut, auth="user")
def get_collection(collection_id: str, principal: Principal) -> s.CollectionOut:
    return svc.read(collections.get_collection, principal.user_id, _cid(collection_id))


@endpoint(bp, f"{V1}/collections/{{collection_id}}", "PATCH", summary="Rename or describe a collection",
          tags=("collections",), body=s.CollectionPatch, response=s.CollectionOut, auth="user", errors_=(409,))
def update_collection(collection_id: str, principal: Principal, body: s.CollectionPatch) -> s.CollectionOut:
    return svc.write(svc.collections_changed, collections.update_collection, principal.user_id, _cid(collection_id),
                     body)


@endpoint(bp, f"{V1}/collections/{{collection_id}}", "DELETE", summary="Delete a collection and its items",
          tags=("collections",), status=204, auth="user")
def delete_collection(collection_id: str, principal: Principal) -> None:
    svc.write(svc.collections_changed, collections.delete_collection, principal.user_id, _cid(collection_id))


@endpoint(bp, f"{V1}/collections/{{collection_id}}/items", summary="A collection's items in order",
          tags=("collections",), query=s.PageQuery, response=Page[s.CollectionItemOut], auth="user")
def list_collection_items(collection_id: str, principal: Principal, query: s.PageQuery) -> Page:
    found = svc.read(collections.list_items, principal.user_id, _cid(collection_id), query.page_size, query.offset)
    return _page(found, query, s.CollectionItemOut)


@endpoint(bp, f"{V1}/collections/{{collection_id}}/items", "POST", summary="Add a title (any type) at the end",
          tags=("collections",), body=s.CollectionItemIn, response=s.CollectionItemOut, status=201, auth="user")
def add_collection_item(collection_id: str, principal: Principal, body: s.CollectionItemIn) -> s.CollectionItemOut:
    return svc.write(svc.collections_changed, collections.add_item, principal.user_id, _cid(collection_id),
                     _seen(body.media_id, principal), body.note)


@endpoint(bp, f"{V1}/collections/{{collection_id}}/items/order", "PUT",
          summary="Reorder a collection: send every media id of the collection in the new order",
          tags=("collections",), body=s.MediaOrderIn, status=204, auth="user")
def reorder_collection_items(collection_id: str, principal: Principal, body: s.MediaOrderIn) -> None:
    svc.write(svc.collections_changed, collections.reorder_items, principal.user_id, _cid(collection_id),
              body.media_ids)


@endpoint(bp, f"{V1}/collections/{{collection_id}}/items/{{media_id}}", "DELETE",
          summary="Remove a title from a collection", tags=("collections",), status=204, auth="user")
def remove_collection_item(collection_id: str, media_id: str, principal: Principal) -> None:
    svc.write(svc.collections_changed, collections.remove_item, principal.user_id, _cid(collection_id),
              svc.media_id_param(media_id))


# ------------------------------------------------------------------ export

@endpoint(bp, f"{V1}/me/export", summary="All your tracking data as one JSON document (a download; not for a "
          "kid profile, whose history may hold titles from before it was one)", tags=("export",),
          response=s.TrackingExport, auth="adult", errors_=(403,))
def export_tracking(principal: Principal) -> Response:
    document = export.export_snapshot(principal.user_id)
    filename = f"seen-export-{document['exportedAt'][:10]}.json"
    return Response(body=json.dumps(document), status_code=200, headers={
        "Content-Type": "application/json", "Content-Disposition": f'attachment; filename="{filename}"'})
