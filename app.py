"""The /seen/ control plane: the Chalice app, its blueprints and event handlers.

Thin on purpose: everything else lives in ``chalicelib``.
"""

from chalice import Chalice

from chalicelib import api, events, jobruns, routetable
from chalicelib.config import get_aws_settings

app = Chalice(app_name="seen")
app.register_middleware(api.http_middleware, "http")
# Every route, from chalicelib/routes.json: a route's module is imported on its first request, so a cold
# start pays for the one it answers (`python -m chalicelib.routetable` writes the table again).
routetable.register(app)
# The authenticators of the routes' ``auth=`` kinds, imported on the first route that needs one.
api.authenticators("chalicelib.auth.guards", user="require_user", admin="require_admin",
                   adult="require_adult")  # adult: 403 not_for_kids for a kid profile
# The worker events' handlers, imported by the events consumer on its first record (not on an HTTP start).
events.handlers_in("chalicelib.downloads.handlers", "chalicelib.library.handlers", "chalicelib.playback.handlers")
# Plex posts webhooks as multipart/form-data with a JPEG part: the body must arrive as bytes.
app.api.binary_types.append("multipart/form-data")


@app.on_sqs_message(queue=get_aws_settings().events_queue, batch_size=10)
def worker_events(event):
    """Apply worker events; failed records are reported for partial redelivery."""
    return events.handle_batch(event)


@app.on_sqs_message(queue=get_aws_settings().imports_queue, batch_size=1)
def import_jobs(event):
    """Parse, match and apply history imports, one message per invocation, apart from worker events."""
    from chalicelib.imports import handlers  # lazy: each Lambda function loads only its own handler

    return handlers.handle_batch(event, getattr(event, "context", None))


@app.schedule("rate(1 minute)")
def reconcile_downloads(event):
    """Resend owed commands, retry stalled downloads, stall those of silent workers."""
    from chalicelib.downloads import reconciler  # lazy: each Lambda function loads only its own handler

    return vars(reconciler.reconcile())


@app.schedule("rate(1 minute)")
def release_media_preparations(event):
    """Slots freed by media preparations the worker never answered go to the next in line (fairly per user)."""
    from chalicelib.library import preparations  # lazy: each Lambda function loads only its own handler

    return {"sent": preparations.release_waiting()}


# Catalog sync: one scheduled function per job, each recorded in sync_state.
# The sync module is imported on first run (not on an HTTP cold start).


@app.schedule("rate(1 day)")
@jobruns.unless_paused("tmdb")  # admin -> Catalog data can pause the source
def catalog_sync_tmdb_genres(event):
    """TMDB genre lists and image configuration."""
    from chalicelib.catalog import sync  # lazy: each Lambda function loads only its own handler

    return sync.run_job("catalog.tmdb_genres")


@app.schedule("rate(6 hours)")
@jobruns.unless_paused("tmdb")  # admin -> Catalog data can pause the source
def catalog_sync_tmdb_movies(event):
    """TMDB movie rows: trending, popular, top rated, upcoming, now playing."""
    from chalicelib.catalog import sync  # lazy: each Lambda function loads only its own handler

    return sync.run_job("catalog.tmdb_movies")


@app.schedule("rate(6 hours)")
@jobruns.unless_paused("tmdb")  # admin -> Catalog data can pause the source
def catalog_sync_tmdb_shows(event):
    """TMDB show rows: trending, popular, top rated, airing today, on the air."""
    from chalicelib.catalog import sync  # lazy: each Lambda function loads only its own handler

    return sync.run_job("catalog.tmdb_shows")


@app.schedule("rate(12 hours)")
@jobruns.unless_paused("tmdb")  # admin -> Catalog data can pause the source
def catalog_sync_igdb_games(event):
    """IGDB game rows (recently released, most anticipated, popular), genres and platforms."""
    from chalicelib.catalog import sync  # lazy: each Lambda function loads only its own handler

    return sync.run_job("catalog.igdb_games")


@app.schedule("rate(1 hour)")
def catalog_refresh_curated(event):
    """Curated YAML collections recomputed from the stored catalog."""
    from chalicelib.catalog import sync  # lazy: each Lambda function loads only its own handler

    return sync.run_job("catalog.curated")


@app.schedule("rate(10 minutes)")
def recommendations_refresh(event):
    """Recompute missing, stale or day-old recommendation snapshots of active users."""
    from chalicelib.recommendations import service  # lazy: each Lambda function loads only its own handler

    return service.run_job()


@app.schedule("rate(6 hours)")
def calendar_fill(event):
    """Release dates from TMDB and IGDB for followed, saved, backlog and announced titles."""
    from chalicelib.calendar import fill  # lazy: each Lambda function loads only its own handler

    return fill.run_job()


@app.schedule("rate(1 day)")
def cleanup_daily(event):
    """Expired sessions, old events of ended downloads, stale telemetry, bucket leftovers, old snapshots."""
    from chalicelib.cleanup import service  # lazy: each Lambda function loads only its own handler

    return service.run_job()


@app.schedule("rate(15 minutes)")
def picks_monitor(event):
    """Newly aired episodes of monitored shows join the wanted list; auto-get ones are searched and grabbed."""
    from chalicelib.picks import monitor  # lazy: each Lambda function loads only its own handler

    return monitor.run_job()


@app.schedule("rate(5 minutes)")
def notifications_send(event):
    """Notify new episodes of followed shows, finished and failed downloads and released wish-listed games
    (in the app and through each user's Apprise channels), once each."""
    from chalicelib.notifications import produce  # lazy: each Lambda function loads only its own handler

    return produce.run()


# --- IMDb datasets import (issue 23): resumable within the function's remaining time.
@app.schedule("rate(1 day)")
def imdb_import(event):
    """IMDb non-commercial datasets: titles, episodes, ratings, people, credits (unchanged files skipped)."""
    from chalicelib.imdb import service  # lazy: each Lambda function loads only its own handler

    return service.run_scheduled(getattr(event, "context", None))


@app.schedule("rate(15 minutes)")
@jobruns.unless_paused("media_servers")  # admin -> Catalog data can pause the source
def media_servers_sync(event):
    """Queue a sync of every enabled Jellyfin/Plex server not synced in the last 6 hours."""
    from chalicelib.mediaservers import service  # lazy: each Lambda function loads only its own handler

    return service.sync_due()


@app.schedule("rate(10 minutes)")
@jobruns.unless_paused("channels")  # admin -> Catalog data can pause the source
def channels_refresh(event):
    """Read the Atom feed of every followed YouTube channel that is due (every 30 minutes each, backed off on
    failures); new videos reach followers' calendars, and those who keep the newest downloaded get them."""
    from chalicelib.channels import service  # lazy: each Lambda function loads only its own handler

    return service.run_job()


@app.schedule("rate(1 hour)")
@jobruns.unless_paused("omdb")  # admin -> Catalog data can pause the source
def ratings_refresh(event):
    """IMDb, Rotten Tomatoes and Metacritic ratings from OMDb, in budgeted batches (library and lists first)."""
    from chalicelib.ratings import service  # lazy: each Lambda function loads only its own handler

    return service.run_job()


@app.schedule("rate(1 hour)")
def lists_sync(event):
    """Queue a sync of each collection imported from a public list not synced within 6 hours (one per user
    per run); the imports consumer reads the lists."""
    from chalicelib.lists import service  # lazy: each Lambda function loads only its own handler

    return service.sync_due()
