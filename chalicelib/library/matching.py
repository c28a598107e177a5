"""Which catalog title (and episode) a parsed file is, and how sure we are.

Candidates come from the local catalog first (title prefix, every word, or
trigram similarity: the catalog's own search vocabulary), then, when that is
not enough and a TMDB key is set, from TMDB search (``upstream.py``). Each
candidate gets a confidence in [0, 1]:

* title similarity (rapidfuzz, accents, punctuation and a leading article
  ignored), weighted 0.85;
* year: +0.15 when it agrees, +0.08 one year off (release vs premiere), -0.2
  otherwise, +0.05 when the name has no year to disagree with;
* type: -0.3 when the parse says movie and the title is a show, or the reverse;
* episode: +0.1 when the season/episode (or absolute number, or air date)
  exists in the show, -0.25 when the show's episodes are known and it does not
  (an anime's absolute numbers and MAL seasons go through ``chalicelib.anime``);
* ambiguity: -0.15 when the runner-up is within 0.03 (``Dune`` 1984 or 2021?).

At or above ``SEEN_LIBRARY_MATCH_THRESHOLD`` (0.8) the file is matched; below
it stays unmatched with its best candidates for the review queue.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TypedDict

from rapidfuzz import fuzz

from chalicelib.anime import service as anime
from chalicelib.catalog import images, search
from chalicelib.db import Conn
from chalicelib.library import queries
from chalicelib.library.rows import JobLinkRow, MatchCandidate, MediaRow, ShowEpisodeRow, TitleCandidateRow

CANDIDATE_ROWS = 12
KEEP_CANDIDATES = 5
AMBIGUOUS_WITHIN = 0.03
AMBIGUITY_PENALTY = 0.15
_ARTICLE = re.compile(r"^(?:the|a|an)\s+")


@dataclass(frozen=True)
class ParsedName:
    """The fields of a worker's guess the matcher uses, type-checked (the worker is trusted, not blindly)."""

    title: str | None = None
    year: int | None = None
    type: str | None = None
    season: int | None = None
    episode: int | None = None
    last_episode: int | None = None
    absolute: int | None = None
    air_date: date | None = None

    @classmethod
    def from_guess(cls, guess: Mapping[str, object] | None) -> ParsedName:
        guess = guess if isinstance(guess, dict) else {}
        listed = guess.get("episodes") or ()
        episodes = [e for e in listed if isinstance(e, int) and not isinstance(e, bool)] \
            if isinstance(listed, Iterable) else []
        title, kind = guess.get("title"), guess.get("type")
        return cls(title=title.strip()[:500] if isinstance(title, str) and title.strip() else None,
                   year=_int(guess.get("year")),
                   type=kind if isinstance(kind, str) and kind in ("movie", "episode") else None,
                   season=_int(guess.get("season")), episode=_int(guess.get("episode")),
                   last_episode=max(episodes) if episodes else _int(guess.get("episode")),
                   absolute=_int(guess.get("absolute")), air_date=_date(guess.get("airDate")))


def _int(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 100_000 else None


def _date(value: object) -> date | None:
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


@dataclass
class Outcome:
    state: str  # matched | unmatched
    confidence: float | None
    media_id: int | None = None
    episode_id: int | None = None
    candidates: list[MatchCandidate] = field(default_factory=list)


def normalise_title(text: str | None) -> str:
    folded = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode().lower()
    folded = folded.replace("&", " and ").replace("'", "")
    return " ".join(re.findall(r"[a-z0-9]+", folded))


def title_similarity(name: str | None, *titles: str | None) -> float:
    """Best rapidfuzz similarity (0..1) of ``name`` against any of ``titles``, articles ignored."""
    a = normalise_title(name)
    if not a:
        return 0.0
    best = 0.0
    for title in titles:
        b = normalise_title(title)
        if not b:
            continue
        for x, y in ((a, b), (_ARTICLE.sub("", a), _ARTICLE.sub("", b))):
            best = max(best, fuzz.ratio(x, y), fuzz.token_sort_ratio(x, y))
    return best / 100.0


class TitleFacts(TypedDict):
    """What the confidence of a title needs: the columns of a catalog row (or a TMDB hit shaped like one)."""

    title: str
    original_title: str | None
    media_type: str
    year: int | None


Titled = TitleCandidateRow | MediaRow  # a catalog row a file may be: a search hit, or a title looked up by id


def confidence(name: ParsedName, candidate: TitleFacts | Titled, episode_verdict: str | None = None) -> float:
    """The confidence that ``name`` is ``candidate`` (a media_items row), from the rules in the module doc."""
    score = 0.85 * title_similarity(name.title, candidate["title"], candidate["original_title"])
    year = candidate["year"]
    if name.year and year:
        diff = abs(name.year - year)
        score += 0.15 if diff == 0 else 0.08 if diff == 1 else -0.2
    else:
        score += 0.05
    expected = {"movie": "movie", "episode": "show"}.get(name.type or "")
    if expected and expected != candidate["media_type"]:
        score -= 0.3
    score += {"found": 0.1, "missing": -0.25}.get(episode_verdict or "", 0.0)
    return round(min(1.0, max(0.0, score)), 3)


def resolve_episode(conn: Conn, show_id: int, name: ParsedName) -> tuple[ShowEpisodeRow | None, str]:
    """The show's episode the name points at: (row, "found"), (None, "missing") or (None, "unknown")."""
    if not any(v is not None for v in (name.episode, name.absolute, name.air_date)):
        return None, "unknown"
    episodes = queries.show_episodes(conn, media_id=show_id)
    if not episodes:
        return None, "unknown"  # a summary-only show row: nothing to check against
    found = anime_episode(conn, show_id, episodes, name) or _pick_episode(episodes, name)
    return (found, "found") if found else (None, "missing")


EpisodeKey = tuple[int | None, int | None]


def _pick_episode(episodes: list[ShowEpisodeRow], name: ParsedName) -> ShowEpisodeRow | None:
    by_number: dict[EpisodeKey, ShowEpisodeRow] = {(e["season_number"], e["episode_number"]): e for e in episodes}
    if name.air_date is not None:
        return next((e for e in episodes if e["air_date"] == name.air_date), None)
    if name.absolute is not None:
        return _by_absolute(episodes, by_number, name.absolute, name.season)
    if name.season is not None:
        return by_number.get((name.season, name.episode))
    return by_number.get((1, name.episode)) or _by_absolute(episodes, by_number, name.episode, None)


def _by_absolute(episodes: list[ShowEpisodeRow], by_number: dict[EpisodeKey, ShowEpisodeRow], number: int | None,
                 season: int | None) -> ShowEpisodeRow | None:
    """Anime numbering: the stored absolute number, else the episode's position across regular seasons.

    Inside a ``Season N`` folder a number that lands in season N wins; else
    the number counted within that season (``Show - 05`` in Season 2 = S02E05);
    else wherever the absolute number lands.
    """
    regular = [e for e in episodes if e["season_number"] > 0]
    absolute: dict[int | None, ShowEpisodeRow] = {e["absolute_number"]: e for e in regular if e["absolute_number"]}
    for position, episode in enumerate(regular, start=1):
        absolute.setdefault(position, episode)
    hit = absolute.get(number)
    if season is None:
        return hit
    if hit is not None and hit["season_number"] == season:
        return hit
    return by_number.get((season, number)) or hit


def anime_episode(conn: Conn, show_id: int, episodes: list[ShowEpisodeRow], name: ParsedName) -> ShowEpisodeRow | None:
    """The episode an anime's numbering (MAL's seasons, TMDB's absolute group) says the name is, or None.

    An absolute number goes through the numbering (inside a ``Season N`` folder only when it lands in N);
    a season and episode the catalog lacks (``Show S3 - 02`` against TMDB's one flat season) are read as
    MAL's. Shows that are not anime answer None and the catalog's own numbers decide."""
    by_number = {(e["season_number"], e["episode_number"]): e for e in episodes}
    if name.air_date is not None or not episodes:
        return None
    if name.absolute is not None:
        at = anime.catalog_episode(conn, show_id, absolute=name.absolute)
        return by_number.get(at) if at and name.season in (None, at[0]) else None
    if name.season is not None and name.episode is not None and (name.season, name.episode) not in by_number:
        at = anime.catalog_episode(conn, show_id, season=name.season, episode=name.episode)
        return by_number.get(at) if at else None
    return None


def candidate_rows(conn: Conn, name: ParsedName) -> list[TitleCandidateRow]:
    """Catalog movies and shows whose titles may be the parsed one (both types: the parse can be wrong)."""
    if not name.title:
        return []
    terms = search.terms(normalise_title(name.title) or name.title)
    return queries.title_candidates(conn, q=terms["q"], prefix=terms["prefix"], tsquery=terms["tsquery"],
                                    types=["movie", "show"], row_limit=CANDIDATE_ROWS)


def rank(conn: Conn, name: ParsedName, rows: Sequence[Titled], source: str = "local") -> list[MatchCandidate]:
    """Candidates scored and sorted, best first, episodes resolved for the shows worth it."""
    scored = sorted(((confidence(name, row), row) for row in rows), key=lambda pair: -pair[0])
    ranked = []
    for base, row in scored[:KEEP_CANDIDATES]:
        episode, verdict = (None, None)
        if row["media_type"] == "show" and name.type != "movie":
            episode, verdict = resolve_episode(conn, row["id"], name)
        ranked.append(_candidate(row, episode, confidence(name, row, verdict) if verdict else base, source))
    ranked.sort(key=lambda c: (-c["confidence"], -(c.get("popularity") or 0)))
    for candidate in ranked:
        candidate.pop("popularity", None)
    return ranked


def _candidate(row: Titled, episode: ShowEpisodeRow | None, score: float, source: str) -> MatchCandidate:
    return {"mediaId": row["id"], "mediaType": row["media_type"], "title": row["title"], "year": row["year"],
            "posterUrl": images.url(row["media_type"], row.get("poster_path"), "poster"),
            "episodeId": episode["id"] if episode else None,
            "season": episode["season_number"] if episode else None,
            "episode": episode["episode_number"] if episode else None,
            "confidence": score, "source": source, "popularity": row.get("popularity")}


def decide(ranked: list[MatchCandidate], threshold: float) -> Outcome:
    """Matched when the best candidate reaches the threshold and is not a near tie."""
    if not ranked:
        return Outcome("unmatched", 0.0)
    best = ranked[0].copy()
    if len(ranked) > 1 and best["confidence"] - ranked[1]["confidence"] <= AMBIGUOUS_WITHIN:
        best["confidence"] = round(max(0.0, best["confidence"] - AMBIGUITY_PENALTY), 3)
    candidates = [best, *ranked[1:]]
    if best["confidence"] >= threshold:
        return Outcome("matched", best["confidence"], best["mediaId"], best["episodeId"], candidates)
    return Outcome("unmatched", best["confidence"], candidates=candidates)


def match_local(conn: Conn, guess: Mapping[str, object], threshold: float) -> Outcome:
    """Match a parse against the local catalog only."""
    name = ParsedName.from_guess(guess)
    return decide(rank(conn, name, candidate_rows(conn, name)), threshold)


# --- Files of a download linked to what it is for (a pick): filed by the link, not by guessing.


def match_linked(conn: Conn, guess: Mapping[str, object], link: JobLinkRow) -> Outcome | None:
    """The match of a file from a job linked to ``link`` (``media_id``, ``season``, ``episode``), or None.

    A movie job's file is that movie. In a show job each file is the episode its own name points at within
    the linked show (a season pack's files, numbered in the season folder's sense when the name has no
    season); a name that points at no episode of the show is the job's episode when the job is for one
    episode. None (title matching decides) for a pack's file that names no episode: an extra or a sample.
    """
    media = queries.media(conn, media_id=link["media_id"])
    if media is None or media["media_type"] not in ("movie", "show", "video"):
        return None
    episode = None
    if media["media_type"] == "show":
        episode = linked_episode(conn, ParsedName.from_guess(guess), link)
        if episode is None:
            return None
    candidate = _candidate(media, episode, 1.0, "download")
    candidate.pop("popularity", None)
    return Outcome("matched", 1.0, media["id"], episode["id"] if episode else None, [candidate])


def linked_episode(conn: Conn, name: ParsedName, link: JobLinkRow) -> ShowEpisodeRow | None:
    """The show's episode a linked job's file is (see ``match_linked``)."""
    episodes = queries.show_episodes(conn, media_id=link["media_id"])
    if name.season is None and name.absolute is None and name.air_date is None and link["season"] is not None:
        name = replace(name, season=link["season"])
    named = any(v is not None for v in (name.episode, name.absolute, name.air_date))
    found = (anime_episode(conn, link["media_id"], episodes, name) or _pick_episode(episodes, name)) if named else None
    if found is None and link["episode"] is not None:
        found = next((e for e in episodes if (e["season_number"], e["episode_number"]) ==
                      (link["season"], link["episode"])), None)
    return found
