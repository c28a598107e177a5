"""Deterministic, explainable scoring: taste signals + candidates -> ranked items with reasons.

Pure functions over plain records (no database, no clock), so the same
inputs always give the same list and tests can state expected top items and
reasons exactly. Every point of score comes from a named contribution, and
the largest contributions become the item's reasons:

* ``similar``   a stored similar/recommended link from a title the user liked
                ("Because you rated Dune ★★★★½", "Because you watched Breaking Bad");
* ``franchise`` the same franchise as a title the user liked ("Same franchise as Elden Ring");
* ``addon``     an expansion or DLC of a game the user plays ("Expansion for Elden Ring");
* ``genre``     the user's genre profile, from ratings, watches, plays and
                onboarding picks, weighted by recency ("You rate Science Fiction highly");
* ``platform``  a game on a platform the user plays on;
* ``quality``   a small popularity and rating prior, the only signal at a cold start
                ("Trending in Drama", "Popular right now"); once the user has any signal a
                title with nothing else to say for it is "Popular in Comedy", never "right now".

Disliked titles (rating <= 4) pull their franchise, links and genres down.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import NamedTuple

from chalicelib.recommendations import reasons as say

DISLIKE_AT = 4.0  # a rating at or below this is a dislike
RECENCY_HALF_LIFE_DAYS = 365.0
RECENCY_FLOOR = 0.35  # an old favourite still counts for something
MAX_SEEDS = 60  # liked titles whose links and franchises are followed
PICK_WEIGHT = 1.0  # an onboarding genre pick counts like one loved title
RELATION_WEIGHT = {"recommended": 1.0, "similar": 0.8}
ADDON_WEIGHT = 0.9
FRANCHISE_WEIGHT = 0.7
GENRE_WEIGHT, SECOND_GENRE_WEIGHT, NEGATIVE_GENRE_WEIGHT = 0.5, 0.15, 0.3
PLATFORM_WEIGHT = 0.15
POPULARITY_WEIGHT, RATING_WEIGHT = 0.1, 0.1
MIN_VOTES = 10
MAX_REASONS = 3
GAME_STATUS_TASTE = {"completed": 0.6, "active": 0.5, "paused": 0.3, "wishlist": 0.25, "dropped": -0.4}


# Title, Signal, Link and Seed are named tuples rather than frozen dataclasses: a snapshot builds
# thousands of them, and a tuple is several times cheaper to build.
class Title(NamedTuple):
    id: int
    media_type: str
    title: str
    genre_ids: tuple[int, ...] = ()
    franchise_ids: tuple[int, ...] = ()
    platform_ids: tuple[int, ...] = ()
    popularity: float = 0.0
    vote_average: float | None = None
    vote_count: int = 0
    is_addon: bool = False


class Signal(NamedTuple):
    """Everything the user did with one title; ``at`` is the latest of it."""

    title: Title
    at: datetime
    rating: float | None = None
    favorite: bool = False
    watches: int = 0
    started: bool = False
    game_status: str | None = None
    game_platform_id: int | None = None
    watch_later: bool = False
    dismissed: bool = False


class Link(NamedTuple):
    seed_id: int
    media_id: int
    relation: str  # similar | recommended | dlc | expansion | standalone_expansion
    position: int = 0


@dataclass
class Inputs:
    now: datetime
    signals: list[Signal]
    candidates: dict[int, Title]
    links: list[Link] = field(default_factory=list)
    franchise_members: dict[int, tuple[int, ...]] = field(default_factory=dict)  # franchise -> titles
    genre_names: dict[int, str] = field(default_factory=dict)
    platform_names: dict[int, str] = field(default_factory=dict)
    picked_genres: frozenset[int] = frozenset()
    # ``seeds(self)`` and ``profile(self, seeds)`` when the loader computed them already (None: rank computes them).
    seeds: list[Seed] | None = None
    profile: Profile | None = None


class Seed(NamedTuple):
    title: Title
    weight: float  # taste x recency, negative for dislikes
    verb: str  # watched | played | rated | favorited | saved
    rated: bool = False
    rating: float | None = None  # the user's rating, 1-10 (shown as stars in the reason)


@dataclass
class Profile:
    affinity: dict[int, float]  # genre -> -1..1 (1 = the user's strongest genre)
    source: dict[int, str]  # genre -> rating | watch | play | pick (what made it strong)
    platforms: dict[int, float]  # platform -> share of the user's games


def taste(signal: Signal) -> float:
    """How much the user likes a title, -1..1, before recency."""
    if signal.rating is not None:
        value = (signal.rating - 5.0) / 5.0
        if signal.rating <= DISLIKE_AT:
            return min(value, -0.4)
        return min(1.0, max(value, 0.9) + 0.1) if signal.favorite else value
    if signal.favorite:
        return 1.0
    if signal.game_status in GAME_STATUS_TASTE:
        return GAME_STATUS_TASTE[signal.game_status]
    if signal.watches:
        return 0.4 + min(0.2, 0.02 * (signal.watches - 1))
    if signal.started:
        return 0.25
    if signal.watch_later:
        return 0.2
    return 0.0


def recency(signal: Signal, now: datetime) -> float:
    age_days = max(0.0, (now - signal.at).total_seconds() / 86400)
    return max(RECENCY_FLOOR, 0.5 ** (age_days / RECENCY_HALF_LIFE_DAYS))


def verb(signal: Signal) -> str:
    """What the user did, as the reason will say it: a liked rating speaks loudest (it carries the stars)."""
    if signal.rating is not None and signal.rating > DISLIKE_AT:
        return "rated"
    if signal.watches or signal.started:
        return "played" if signal.title.media_type == "game" else "watched"
    if signal.game_status and signal.game_status != "wishlist":
        return "played"
    if signal.rating is not None:
        return "rated"
    if signal.favorite:
        return "favorited"
    return "saved"


def seeds(inputs: Inputs) -> list[Seed]:
    """Every signal as a weighted seed, strongest first (ties by id, so the order is stable)."""
    found = [Seed(s.title, round(taste(s) * recency(s, inputs.now), 6), verb(s), s.rating is not None, s.rating)
             for s in inputs.signals if not s.dismissed]
    return sorted((s for s in found if s.weight != 0), key=lambda s: (-s.weight, s.title.id))


def profile(inputs: Inputs, all_seeds: list[Seed]) -> Profile:
    """Genre affinities normalised to the strongest genre, plus the user's platform shares."""
    total: dict[int, float] = defaultdict(float)
    parts: dict[int, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for seed in all_seeds:
        part = "rating" if seed.rated else ("play" if seed.title.media_type == "game" else "watch")
        for genre in seed.title.genre_ids:
            total[genre] += seed.weight
            if seed.weight > 0:
                parts[genre][part] += seed.weight
    for genre in inputs.picked_genres:
        total[genre] += PICK_WEIGHT
        parts[genre]["pick"] += PICK_WEIGHT
    strongest = max((v for v in total.values() if v > 0), default=0.0)
    affinity = {g: max(-1.0, v / strongest) for g, v in total.items()} if strongest else {}
    source = {g: min(c.items(), key=lambda kv: (-kv[1], kv[0]))[0] for g, c in parts.items() if c}
    return Profile(affinity, source, _platform_shares(inputs))


def _platform_shares(inputs: Inputs) -> dict[int, float]:
    counts: Counter = Counter()
    for signal in inputs.signals:
        if signal.title.media_type != "game" or taste(signal) <= 0:
            continue
        platforms = (signal.game_platform_id,) if signal.game_platform_id else signal.title.platform_ids
        counts.update(set(platforms))
    played = sum(1 for s in inputs.signals if s.title.media_type == "game" and taste(s) > 0)
    return {p: n / played for p, n in counts.items()} if played else {}


@dataclass
class Scored:
    title: Title
    contributions: list[tuple[float, dict]] = field(default_factory=list)  # (points, reason)

    @property
    def score(self) -> float:
        return sum(points for points, _ in self.contributions)

    def add(self, points: float, reason: dict) -> None:
        if points:
            self.contributions.append((points, reason))


def _seed_reason(seed: Seed) -> dict:
    return say.because_you(seed.title.id, seed.title.title, seed.verb, seed.rating)


def _apply_links(inputs: Inputs, scored: dict[int, Scored], by_id: dict[int, Seed]) -> None:
    """Diminishing returns: per candidate the three strongest seeds count, each seed once (its strongest link)."""
    best: dict[int, dict[int, tuple[float, Seed, str | None]]] = {}  # candidate -> seed -> (points, seed, add-on)
    for seed_id, media_id, relation, position in inputs.links:
        seed = by_id.get(seed_id)
        if seed is None or media_id not in scored:
            continue
        weight = RELATION_WEIGHT.get(relation)
        if weight is not None:
            found = (seed.weight * weight / (1 + 0.1 * position), seed, None)
        elif seed.weight > 0:  # an add-on of a game the user plays
            found = (seed.weight * ADDON_WEIGHT, seed, "DLC" if relation == "dlc" else "Expansion")
        else:
            continue
        per_seed = best.get(media_id)
        if per_seed is None:
            best[media_id] = {seed_id: found}
            continue
        current = per_seed.get(seed_id)
        if current is None or abs(found[0]) > abs(current[0]):
            per_seed[seed_id] = found
    said: dict[tuple[int, str | None], dict] = {}  # one reason per seed (and add-on kind), shared by its titles
    for media_id, per_seed in best.items():
        found = per_seed.values() if len(per_seed) == 1 else \
            sorted(per_seed.values(), key=lambda f: (-abs(f[0]), f[1].title.id))[:3]
        for points, seed, addon in found:
            reason = said.get((seed.title.id, addon))
            if reason is None:
                reason = said[seed.title.id, addon] = _seed_reason(seed) if addon is None else {
                    "code": "addon", "text": f"{addon} for {seed.title.title}", "refMediaId": seed.title.id}
            scored[media_id].add(points, reason)


def _apply_franchises(inputs: Inputs, scored: dict[int, Scored], all_seeds: list[Seed]) -> None:
    strongest: dict[int, Seed] = {}  # franchise -> the seed that speaks for it (liked beats disliked)
    for seed in all_seeds:
        for franchise in seed.title.franchise_ids:
            current = strongest.get(franchise)
            if current is None or seed.weight > current.weight:
                strongest[franchise] = seed
    for candidate in scored.values():
        shared = [strongest[f] for f in candidate.title.franchise_ids if f in strongest]
        if not shared:
            continue
        seed = max(shared, key=lambda s: (s.weight, -s.title.id))
        weight = FRANCHISE_WEIGHT if seed.weight > 0 else FRANCHISE_WEIGHT * 0.7
        candidate.add(seed.weight * weight, {"code": "same_franchise",
                                             "text": f"Same franchise as {seed.title.title}",
                                             "refMediaId": seed.title.id})


def _genre_text(inputs: Inputs, prof: Profile, genre: int, cold: bool) -> str:
    name = inputs.genre_names.get(genre, "this genre")
    if cold:
        return f"Trending in {name}"
    return {"rating": f"You rate {name} highly", "pick": f"You picked {name}",
            "play": f"You often play {name}"}.get(prof.source.get(genre, ""), f"You often watch {name}")


def _genre_points(inputs: Inputs, prof: Profile, genre_ids: tuple[int, ...], cold: bool) -> list[tuple[float, dict]]:
    """The genre contributions of a title with these genres (the best two liked ones, the worst disliked one)."""
    ranked = sorted(((prof.affinity.get(g, 0.0), g) for g in genre_ids), key=lambda ag: (-ag[0], ag[1]))
    positive = [(a, g) for a, g in ranked if a > 0]
    found = []
    if positive:
        affinity, genre = positive[0]
        points = GENRE_WEIGHT * affinity + (SECOND_GENRE_WEIGHT * positive[1][0] if len(positive) > 1 else 0)
        found.append((points, {"code": "genre", "text": _genre_text(inputs, prof, genre, cold), "refGenreId": genre}))
    worst = min((a for a, _ in ranked), default=0.0)
    if worst < 0:
        found.append((NEGATIVE_GENRE_WEIGHT * worst, {"code": "disliked_genre", "text": ""}))
    return found


def _apply_genres(inputs: Inputs, scored: dict[int, Scored], prof: Profile, cold: bool) -> None:
    by_genres: dict[tuple[int, ...], list[tuple[float, dict]]] = {}  # titles share a few genre combinations
    for candidate in scored.values():
        genre_ids = candidate.title.genre_ids
        if genre_ids not in by_genres:
            by_genres[genre_ids] = _genre_points(inputs, prof, genre_ids, cold)
        for points, reason in by_genres[genre_ids]:
            candidate.add(points, reason)


def _apply_platforms(inputs: Inputs, scored: dict[int, Scored], prof: Profile) -> None:
    for candidate in scored.values():
        if candidate.title.media_type != "game" or not prof.platforms:
            continue
        share, platform = max(((prof.platforms.get(p, 0.0), p) for p in candidate.title.platform_ids),
                              key=lambda sp: (sp[0], -sp[1]), default=(0.0, 0))
        if share >= 0.3:
            name = inputs.platform_names.get(platform, "your platform")
            candidate.add(PLATFORM_WEIGHT * share, {"code": "platform", "text": f"On {name}, where you play"})


def _apply_quality(scored: dict[int, Scored]) -> None:
    top = max((c.title.popularity for c in scored.values()), default=0.0)
    log_top = math.log1p(top)
    reason = {"code": "popular", "text": "Popular right now"}  # never shown (reasons() skips it): one for all
    for candidate in scored.values():
        title = candidate.title
        rating = (title.vote_average or 0) / 10 if title.vote_count >= MIN_VOTES else 0.5
        popularity = math.log1p(title.popularity) / log_top if top > 0 else 0.0
        candidate.add(POPULARITY_WEIGHT * popularity + RATING_WEIGHT * rating, reason)


def primary_genre(title: Title, prof: Profile) -> int | None:
    """The genre a title counts against in the diversity rule: the user's favourite among its genres."""
    if not title.genre_ids:
        return None
    return min(title.genre_ids, key=lambda g: (-prof.affinity.get(g, 0.0), g))


SPECIFIC = frozenset({"because_you", "same_franchise", "addon"})  # reasons that name a title come first


def reasons(candidate: Scored, fallback: dict | None = None) -> list[dict]:
    """The strongest positive contributions, those naming a title of the user's first ("Because you rated
    Inception ★★★★" before "You rate Science Fiction highly"); the popularity ``fallback`` only when nothing
    else speaks."""
    positive = sorted((c for c in candidate.contributions if c[0] > 0 and c[1]["code"] != "popular"),
                      key=lambda c: (c[1]["code"] not in SPECIFIC, -c[0], c[1]["text"]))
    chosen = [reason for _, reason in positive[:MAX_REASONS]]
    return chosen or [fallback or {"code": "popular", "text": "Popular right now"}]


def rank(inputs: Inputs, per_type: int = 120) -> tuple[list[dict], dict]:
    """Score every candidate and return the snapshot items (best first) and the run's stats.

    Items: ``{mediaId, mediaType, score, reasons, primaryGenreId, franchiseIds}``.
    At most ``per_type`` items per media type, so a type filter never runs dry.
    """
    all_seeds = inputs.seeds if inputs.seeds is not None else seeds(inputs)
    liked = [s for s in all_seeds if s.weight > 0][:MAX_SEEDS]
    disliked = [s for s in all_seeds if s.weight < 0]
    cold = not inputs.signals
    prof = inputs.profile if inputs.profile is not None else profile(inputs, all_seeds)
    addons_of_seeds = {link.media_id for link in inputs.links if link.relation in ("dlc", "expansion")}
    scored = {i: Scored(t) for i, t in inputs.candidates.items() if not t.is_addon or i in addons_of_seeds}
    _apply_links(inputs, scored, {s.title.id: s for s in liked + disliked})
    _apply_franchises(inputs, scored, liked + disliked)
    _apply_genres(inputs, scored, prof, cold)
    _apply_platforms(inputs, scored, prof)
    _apply_quality(scored)
    ordered = sorted(((c.score, c) for c in scored.values()), key=lambda sc: (-round(sc[0], 6), sc[1].title.id))
    kept: Counter = Counter()
    items = []
    for score, candidate in ordered:
        if score <= 0 or kept[candidate.title.media_type] >= per_type:
            continue
        kept[candidate.title.media_type] += 1
        items.append({"mediaId": candidate.title.id, "mediaType": candidate.title.media_type,
                      "score": round(score, 4),
                      "reasons": reasons(candidate, say.popular(inputs.genre_names, candidate.title, cold)),
                      "primaryGenreId": primary_genre(candidate.title, prof),
                      "franchiseIds": list(candidate.title.franchise_ids)})
    stats = {"signals": len(inputs.signals), "seeds": len(liked), "dislikes": len(disliked),
             "candidates": len(scored), "items": len(items), "coldStart": cold}
    return items, stats


def diversify(items: list[dict], page_size: int, *, per_franchise: int = 2, genre_share: float = 0.4) -> list[dict]:
    """Reorder ``items`` so no page of ``page_size`` is dominated by one franchise or genre.

    Pages are filled best-first with the best item that keeps the page within
    ``per_franchise`` titles per franchise and ``genre_share`` of the page per
    primary genre; an item that does not fit waits for a later page. When
    nothing left fits (too few genres), the genre share gives way first and
    the franchise cap last, so a page is never short while items remain.
    """
    genre_cap = max(1, math.floor(page_size * genre_share))
    remaining = list(items)
    out: list[dict] = []
    while remaining:
        franchises: Counter = Counter()
        genres: Counter = Counter()
        for _ in range(min(page_size, len(remaining))):
            index = next((i for i, item in enumerate(remaining)
                          if _fits(item, franchises, genres, per_franchise, genre_cap)), None)
            if index is None:  # relax the genre share first, the franchise cap last
                index = next((i for i, item in enumerate(remaining)
                              if _fits(item, franchises, Counter(), per_franchise, genre_cap)), 0)
            item = remaining.pop(index)
            franchises.update(item.get("franchiseIds") or ())
            if item.get("primaryGenreId") is not None:
                genres[item["primaryGenreId"]] += 1
            out.append(item)
    return out


def _fits(item: dict, franchises: Counter, genres: Counter, per_franchise: int, genre_cap: int) -> bool:
    if any(franchises[f] >= per_franchise for f in item.get("franchiseIds") or ()):
        return False
    genre = item.get("primaryGenreId")
    return genre is None or genres[genre] < genre_cap
