"""Picks: the release chosen for a movie, season or episode, persisted with its score, and its download.

A pick is kept per (user, media, season, episode, quality profile hash, device key: the hash of the
playing device's capabilities, '' when none were given), so a phone without HEVC and a desktop with it
each keep their own. Candidates are ranked for the device and for the release group of the user's
closest earlier episode of the show (``sources.continuity``). Asking again returns the
current pick and its job (no second download); naming another candidate (``infohash``) overrides it:
the old pick is marked replaced (``replaced_at``/``replaced_by``) and stays as the audit trail. The
download job is linked to what it is for, so the library files what it brings without guessing, and
its first event says why this release was chosen.
"""

from __future__ import annotations

import base64
import json
import uuid
from collections.abc import Collection
from typing import TYPE_CHECKING, TypedDict

from psycopg.types.json import Jsonb

from chalicelib import db, errors
from chalicelib.db import Conn
from chalicelib.downloads import service as downloads
from chalicelib.downloads.models import CreateDownload, Download
from chalicelib.logs import get_logger
from chalicelib.observability import traced
from chalicelib.picks import queries
from chalicelib.picks.models import DeviceCaps, Pick, PickCreated, PickHistory
from chalicelib.picks.queries import PickRow
from chalicelib.settings import profile as quality

if TYPE_CHECKING:
    from chalicelib.sources.report import SearchedData
    from chalicelib.sources.resolve import SourceKind
    from chalicelib.sources.scoring_types import Scored

TOP_REASONS = 3


class CandidateNotFound(errors.NotFound):
    code = "candidate_not_found"


class NoAcceptableCandidate(errors.ValidationFailed):
    code = "no_acceptable_candidate"


Unit = tuple[int, int | None, int | None]  # media id, season, episode
Keys = tuple[str, str]  # quality profile hash, device key


class Ref(TypedDict):
    """A pick or download as JSON; only its ``id`` is read by callers."""

    id: str


class PickCreatedJson(TypedDict):
    """``PickCreated`` as JSON (camelCase), what POST /picks answers."""

    pick: Ref
    job: Ref | None
    reused: bool


@traced("pick")
def pick(user_id: uuid.UUID, media_id: int, season: int | None, episode: int | None,
         infohash: str | None = None, *, reason: str | None = None, cutoff: int | None = None,
         device: DeviceCaps | None = None) -> PickCreatedJson:
    """Get the best candidate (or the one named by ``infohash``); returns ``{pick, job, reused}``.

    The current pick for the same unit, profile and ``device`` is returned again (``reused``) unless
    ``infohash`` names another release, or its download failed or was cancelled (then the best other
    release replaces it). Raises the search's errors (404 unknown media, 422 numbers that
    do not fit it, 429), ``CandidateNotFound`` (404: ``infohash`` is not among the current results) and
    ``NoAcceptableCandidate`` (422: every candidate is rejected, or there are none). With ``cutoff`` (a
    resolution; monitoring) only candidates at least that good are acceptable.
    """
    infohash = infohash.lower() if infohash else None
    unit = (media_id, season, episode)
    dkey = device.key() if device is not None else ""
    with db.connection() as conn:
        phash = quality.profile_hash(quality.for_user(conn, user_id))
        current, failed = _current(conn, user_id, unit, (phash, dkey))
        if current is not None and infohash in (None, current["infohash"]) and not failed:
            return _body(conn, user_id, current, reused=True)
    # The indexer search and the .torrent fetch hold no connection: they take seconds, and a pool
    # connection held meanwhile (the search takes its own as well) starves the pool under load.
    avoid = current["infohash"] if current is not None and failed and infohash is None else None
    chosen = choose(user_id, media_id, season, episode, infohash, cutoff, avoid, device)
    source = _resolve(chosen)
    with db.connection() as conn:
        key = f"seen:pick:{user_id}:{media_id}:{season}:{episode}"
        queries.lock_unit(conn, key=key)
        try:
            latest, failed = _current(conn, user_id, unit, (phash, dkey))
            if latest is not None and _made_meanwhile(latest, current, infohash, failed):
                return _body(conn, user_id, latest, reused=True)
            row = _create(conn, user_id, unit, (phash, dkey), chosen, source,
                          reason or ("chosen" if infohash else "best"), latest)
        finally:
            queries.unlock_unit(conn, key=key)
        return _body(conn, user_id, row)


def _current(conn: Conn, user_id: uuid.UUID, unit: Unit, keys: Keys) -> tuple[PickRow | None, bool]:
    """The unit's current pick under the profile and device, and whether its download failed or was cancelled."""
    media_id, season, episode = unit
    current = queries.current(conn, user_id=user_id, media_id=media_id, season=season, episode=episode,
                              profile_hash=keys[0], device_key=keys[1])
    failed = current is not None and queries.job_ended_badly(conn, job_id=current["job_id"])
    return current, failed


def _made_meanwhile(latest: PickRow, seen: PickRow | None, infohash: str | None, failed: bool) -> bool:
    """A concurrent ask for the same unit made a pick while this one searched: that pick is the answer."""
    is_new = seen is None or latest["id"] != seen["id"]
    return is_new and infohash in (None, latest["infohash"]) and not failed


def choose(user_id: uuid.UUID, media_id: int, season: int | None, episode: int | None,
           infohash: str | None, cutoff: int | None = None, avoid: str | Collection[str] | None = None,
           device: DeviceCaps | None = None) -> Scored:
    """The ``Scored`` candidate: the one with ``infohash`` (even a rejected one: the user's call), else the
    best that is not rejected (and, with ``cutoff``, at least that resolution; not in ``avoid``: info hashes
    or names of releases whose download failed or whose stream stalled), ranked for the user's previous
    episode's group and the ``device``."""
    from chalicelib.sources import service as sources  # lazy: ~250 ms of import, only a search needs it

    result = sources.search(user_id, media_id, season, episode,
                            device=device.device() if device is not None else None)
    if infohash is not None:
        found = next((s for s in result.candidates if (s.candidate.infohash or "").lower() == infohash), None)
        if found is None:
            raise CandidateNotFound("No current search result has this infohash; search again",
                                    fields={"infohash": "not among the current results"})
        return found
    avoided = _avoided(avoid)
    best = next((s for s in result.candidates if s.rejected is None and not _is_avoided(s, avoided)
                 and (cutoff is None or (s.candidate.release.resolution or 0) >= cutoff)), None)
    if best is None:
        failed = f"; {len(result.errors)} indexer(s) failed" if result.errors else ""
        below = f" or below {cutoff}p" if cutoff else ""
        raise NoAcceptableCandidate(
            f"No acceptable release: {len(result.candidates)} candidate(s), all rejected{below}{failed}"
            + searched_words(result.searched), fields={"candidates": "none acceptable"})
    return best


def _avoided(avoid: str | Collection[str] | None) -> frozenset[str]:
    if avoid is None:
        return frozenset()
    return frozenset(a.lower() for a in ([avoid] if isinstance(avoid, str) else avoid))


def _is_avoided(scored: Scored, avoided: frozenset[str]) -> bool:
    """By info hash, or by name for a release whose feed gives none (its hash is known only once fetched)."""
    return bool(avoided) and ((scored.candidate.infohash or "").lower() in avoided
                              or scored.candidate.name.lower() in avoided)


def searched_words(searched: list[SearchedData]) -> str:
    """" — Alpha: 3 found (2 too small for your quality profile, 1 without seeders); Beta failed: ..." (or "")."""
    said = []
    for s in searched:
        if s["error"]:
            said.append(f"{s['indexer']} failed: {s['error']}")
        elif not s["found"]:
            said.append(f"{s['indexer']}: nothing found")
        else:
            why = ", ".join(f"{r['count']} {r['reason']}" for r in s["rejections"])
            said.append(f"{s['indexer']}: {s['found']} found" + (f" ({why})" if why else ""))
    return f" — {'; '.join(said)}" if said else ""


def why(scored: Scored) -> str:
    """The job's first event: why this release was chosen (score and its top reasons)."""
    reasons = "; ".join(scored.reasons[:TOP_REASONS])
    verdict = f"rejected ({scored.rejected}) but chosen by the user" if scored.rejected else "picked"
    return f"{verdict}: {scored.candidate.name} from {scored.candidate.indexer}, score {scored.total:.1f}" + (
        f" ({reasons})" if reasons else "")


def _create(conn: Conn, user_id: uuid.UUID, unit: Unit, keys: Keys, scored: Scored,
            source: tuple[SourceKind, str], reason: str, current: PickRow | None,
            replaced_reason: str | None = None) -> PickRow:
    media_id, season, episode = unit
    job = _download(conn, user_id, unit, scored, source)
    candidate = scored.as_json()
    with conn.transaction():
        if current is not None:
            queries.replace(conn, pick_id=current["id"], user_id=user_id, replaced_reason=replaced_reason)
        row = queries.insert(
            conn, user_id=user_id, media_id=media_id, season=season, episode=episode, profile_hash=keys[0],
            device_key=keys[1], infohash=(scored.candidate.infohash or job.info_hash or None),
            name=scored.candidate.name[:1000], indexer=scored.candidate.indexer[:200], score=Jsonb(candidate),
            job_id=job.id, reason=reason)
        if current is not None:
            queries.set_replaced_by(conn, pick_id=current["id"], replaced_by=row["id"])
        queries.wanted_link_pick(conn, user_id=user_id, media_id=media_id, season=season, episode=episode,
                                 pick_id=row["id"])
    get_logger().info("pick made", extra={"action": "pick_made", "pick_id": str(row["id"]), "media_id": media_id,
                                          "job_id": str(job.id), "reason": reason,
                                          "replaced": str(current["id"]) if current else None})
    return row


def _resolve(scored: Scored) -> tuple[SourceKind, str]:
    """(source type, source) of the chosen candidate: its magnet, or its .torrent fetched and base64-encoded."""
    from chalicelib.sources.resolve import resolve_source  # lazy: loads with the search (~250 ms, cold start)

    kind, magnet, torrent = resolve_source(scored.candidate)
    if kind == "magnet" and magnet is not None:
        return kind, magnet
    return kind, base64.b64encode(torrent or b"").decode()


def _download(conn: Conn, user_id: uuid.UUID, unit: Unit, scored: Scored, source: tuple[SourceKind, str]) -> Download:
    """The download job for the chosen candidate, linked to the unit, through the downloads' submit path."""
    request = CreateDownload(source_type=source[0], source=source[1], title=scored.candidate.name[:1000])
    link = downloads.JobLink(media_id=unit[0], season=unit[1], episode=unit[2], why=why(scored), data={
        "pick": {"score": scored.total, "reasons": list(scored.reasons[:TOP_REASONS]),
                 "indexer": scored.candidate.indexer, "rejected": scored.rejected}})
    job, _ = downloads.create_download(conn, user_id, request, link=link)
    return job


def _body(conn: Conn, user_id: uuid.UUID, row: PickRow, reused: bool = False) -> PickCreatedJson:
    job = None
    if row["job_id"] is not None:
        try:
            job = downloads.get_download(conn, user_id, row["job_id"])
        except downloads.JobNotFound:
            job = None
    body = PickCreated(pick=Pick.model_validate(row), job=job, reused=reused)
    return json.loads(body.model_dump_json(by_alias=True))


def picks_for(user_id: uuid.UUID, media_id: int, season: int | None, episode: int | None) -> PickHistory:
    """The current pick of the unit (under the user's quality profile) and the audit trail."""
    with db.connection() as conn:
        phash = quality.profile_hash(quality.for_user(conn, user_id))
        rows = [Pick.model_validate(r) for r in queries.picks_for(
            conn, user_id=user_id, media_id=media_id, season=season, episode=episode)]
    current = next((p for p in rows if p.replaced_at is None and p.profile_hash == phash), None)
    return PickHistory(current=current, trail=[p for p in rows if p is not current])


# ------------------------------------------------------------------------------------------ sessions


def get_pick(conn: Conn, user_id: uuid.UUID, pick_id: uuid.UUID) -> Pick | None:
    """The user's pick ``pick_id`` (current or replaced); None when it is not theirs."""
    row = queries.get(conn, pick_id=pick_id, user_id=user_id)
    return Pick.model_validate(row) if row is not None else None


def pick_of_job(conn: Conn, user_id: uuid.UUID, job_id: uuid.UUID) -> Pick | None:
    """The user's pick whose download ``job_id`` is; None for a download added by hand."""
    row = queries.of_job(conn, user_id=user_id, job_id=job_id)
    return Pick.model_validate(row) if row is not None else None


@traced("pick")
def fallback(user_id: uuid.UUID, pick_id: uuid.UUID, *, avoid: Collection[str], why: str,
             device: DeviceCaps | None = None) -> PickCreatedJson:
    """Replace the current pick ``pick_id`` with the next-best candidate (the same ranking as ``pick``, for
    ``device``), leaving out the releases in ``avoid``; its download starts. The old pick stays in the audit
    trail with ``why`` as its ``replacedReason``; the new one's reason is ``fallback``.

    Kept in the old pick's slot (its quality profile and device key), so it replaces that pick whatever
    the device asks now. When the pick was replaced meanwhile (another switch, a person's Get), that
    current pick is returned (``reused``). Raises ``CandidateNotFound`` (404) when ``pick_id`` is not the
    user's, and the search's errors (``NoAcceptableCandidate`` 422 when nothing else fits).
    """
    with db.connection() as conn:
        old = queries.get(conn, pick_id=pick_id, user_id=user_id)
    if old is None:
        raise CandidateNotFound("No such pick")
    unit = (old["media_id"], old["season"], old["episode"])
    keys = (old["profile_hash"], old["device_key"])
    chosen = choose(user_id, *unit, None, None, {*avoid, *([old["infohash"]] if old["infohash"] else [])}, device)
    source = _resolve(chosen)
    with db.connection() as conn:
        key = f"seen:pick:{user_id}:{unit[0]}:{unit[1]}:{unit[2]}"
        queries.lock_unit(conn, key=key)
        try:
            latest, _ = _current(conn, user_id, unit, keys)
            if latest is not None and latest["id"] != old["id"]:
                return _body(conn, user_id, latest, reused=True)
            row = _create(conn, user_id, unit, keys, chosen, source, "fallback", latest, replaced_reason=why)
        finally:
            queries.unlock_unit(conn, key=key)
        return _body(conn, user_id, row)
