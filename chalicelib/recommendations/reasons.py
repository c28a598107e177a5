"""A recommendation's reasons in words: what the user did, with their rating as stars, or what is popular."""

from __future__ import annotations

import math
from typing import Any


def stars(rating: float) -> str:
    """A 1-10 rating as stars out of five with halves: 8 -> "★★★★", 9 -> "★★★★½" (the SPA's formatStars)."""
    halves = max(1, min(10, math.floor(rating + 0.5)))  # 8.5 (4.25 stars) rounds up to 4½, like the SPA
    return "★" * (halves // 2) + ("½" if halves % 2 else "")


def because_you(media_id: int, title: str, verb: str, rating: float | None) -> dict:
    """"Because you rated Inception ★★★★" (with the rating, for the SPA to show its scale) or "... watched ..."."""
    if verb == "rated" and rating is not None:
        return {"code": "because_you", "text": f"Because you rated {title} {stars(rating)}", "refMediaId": media_id,
                "refRating": rating}
    return {"code": "because_you", "text": f"Because you {verb} {title}", "refMediaId": media_id}


def popular(genre_names: dict[int, str], title: Any, cold: bool) -> dict:
    """"Popular right now" is for a user with no signal at all; anyone else hears which popular corner it is."""
    if cold:
        return {"code": "popular", "text": "Popular right now"}
    genre = next((g for g in title.genre_ids if g in genre_names), None)
    if genre is None:
        return {"code": "popular", "text": f"Popular among {title.media_type}s"}
    return {"code": "popular", "text": f"Popular in {genre_names[genre]}", "refGenreId": genre}
