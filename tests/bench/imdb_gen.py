"""The IMDb bench set: 1,000,000 titles (movies, TV movies, series, episodes, shorts, videos), 1,000,000
people and 5,000,000 principals in IMDb's real format, and the same set with 1% of each file's rows
changed. Deterministic (no randomness): the same bytes every time, so it is generated once into
``.data/bench/imdb-1m`` (and ``imdb-1m-changed``) and reused. ``SMOKE`` is the same set at 2,000 titles and
people (the bench's smoke mode), written to directories of its own.

``python -m tests.bench.imdb_gen [DIR]`` writes both sets.
"""

from __future__ import annotations

import gzip
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import NamedTuple

TITLES = 1_000_000
PEOPLE = 1_000_000
PRINCIPALS_PER_TITLE = 5
VERSION = "2"  # bump when the rows below change: a stale set is generated again
N = "\\N"
WORDS = [
    "shadow", "kingdom", "empire", "galaxy", "river", "night", "midnight", "crimson", "silver", "golden", "iron",
    "glass", "paper", "stone", "winter", "summer", "autumn", "ocean", "desert", "forest", "mountain", "city",
    "island", "valley", "garden", "harbor", "castle", "tower", "bridge", "road", "station", "machine", "engine",
    "signal", "echo", "storm", "thunder", "lightning", "rain", "snow", "fire", "ice", "ember", "ash", "smoke",
    "mirror", "dream", "memory", "secret", "promise", "legend", "story", "song", "dance", "hunter", "ranger",
    "knight", "queen", "king", "prince", "soldier", "pilot", "captain", "doctor", "detective", "stranger",
    "neighbor", "brother", "sister", "mother", "father", "daughter", "friend", "enemy", "ghost", "spirit",
    "angel", "demon", "dragon", "wolf", "raven", "fox", "tiger", "lion", "falcon", "serpent", "whale", "horse"
]
FIRST = [
    "Anna", "Ben", "Carla", "David", "Elena", "Frank", "Greta", "Hugo", "Ines", "Jonas", "Kira", "Leo", "Mara",
    "Nico", "Olga", "Paul", "Rosa", "Sven", "Tara", "Uma"
]
LAST = [
    "Adler", "Berg", "Costa", "Diaz", "Eng", "Fischer", "Garcia", "Hansen", "Ivanova", "Jensen", "Kowalski",
    "Larsen", "Moreau", "Novak", "Olsen", "Petrov", "Quinn", "Rossi", "Schmidt", "Tanaka", "Ueda", "Vidal",
    "Weber", "Xu", "Young", "Zimmer"
]
GENRES = [
    "Action", "Adventure", "Animation", "Biography", "Comedy", "Crime", "Documentary", "Drama", "Family",
    "Fantasy", "History", "Horror", "Music", "Mystery", "Romance", "Sci-Fi", "Sport", "Thriller", "War", "Western"
]
PROFESSIONS = ("actor", "actress", "director", "writer", "producer", "composer", "cinematographer", "editor")
CATEGORIES = ("actor", "actress", "actor", "director", "writer", "producer", "composer", "self")
FILES = ("title.basics", "title.episode", "title.ratings", "name.basics", "title.principals")


class Size(NamedTuple):
    titles: int
    people: int


FULL = Size(TITLES, PEOPLE)
SMOKE = Size(2_000, 2_000)


def kind(i: int) -> str:
    slot = i % 20
    if slot < 9:
        return "movie"
    return {9: "tvMovie", 10: "tvSeries", 18: "short", 19: "video"}.get(slot, "tvEpisode")


def changed(i: int, salt: int) -> bool:
    """1% of the keys, scattered (a multiplicative hash's middle bits), a different 1% per file."""
    return (((i + salt * 1000003) * 2654435761) % 4294967296 >> 12) % 100 == 0


def _title(i: int) -> str:
    j = (i * 7919) % 999983
    n = len(WORDS)
    return f"{WORDS[j % n].title()} {WORDS[(j // n) % n]} {WORDS[(j // n // n) % n]}"


def basics(delta: bool, size: Size) -> Iterator[str]:
    yield "tconst\ttitleType\tprimaryTitle\toriginalTitle\tisAdult\tstartYear\tendYear\truntimeMinutes\tgenres"
    for i in range(1, size.titles + 1):
        name = _title(i) + (" Returns" if delta and changed(i, 1) else "")
        k = kind(i)
        end = str(1960 + i % 60) if k == "tvSeries" and i % 3 == 0 else N
        genres = ",".join(GENRES[(i * m) % len(GENRES)] for m in (1, 7, 13)[: 1 + i % 3])
        yield (f"tt{i:07d}\t{k}\t{name}\t{name}\t{1 if i % 997 == 0 else 0}\t{1930 + i % 90}\t{end}\t"
               f"{20 + i % 150 if i % 13 else N}\t{genres}")


def episodes(delta: bool, size: Size) -> Iterator[str]:
    yield "tconst\tparentTconst\tseasonNumber\tepisodeNumber"
    for i in range(1, size.titles + 1):
        if kind(i) == "tvEpisode":
            season = 1 + (i // 20) % 3 + (10 if delta and changed(i, 2) else 0)
            numbers = (N, N) if i % 101 == 0 else (str(season), str(i % 20 - 10))
            yield f"tt{i:07d}\ttt{i - i % 20 + 10:07d}\t{numbers[0]}\t{numbers[1]}"


def ratings(delta: bool, size: Size) -> Iterator[str]:
    yield "tconst\taverageRating\tnumVotes"
    for i in range(1, size.titles + 1):
        if i % 5 < 3:
            votes = (i * 31) % 500000 + 5 + (1 if delta and changed(i, 3) else 0)
            yield f"tt{i:07d}\t{1 + (i * 7) % 90 / 10:.1f}\t{votes}"


def names(delta: bool, size: Size) -> Iterator[str]:
    yield "nconst\tprimaryName\tbirthYear\tdeathYear\tprimaryProfession\tknownForTitles"
    for i in range(1, size.people + 1):
        suffix = " Jr." if delta and changed(i, 4) else ""
        name = f"{FIRST[i % len(FIRST)]} {LAST[(i // 20) % len(LAST)]} {i}{suffix}"
        professions = ",".join(PROFESSIONS[(i + m) % len(PROFESSIONS)] for m in range(1 + i % 3))
        yield (f"nm{i:07d}\t{name}\t{1900 + i % 100 if i % 4 else N}\t{N}\t{professions}\t"
               f"tt{1 + i % size.titles:07d}")


def principals(delta: bool, size: Size) -> Iterator[str]:
    yield "tconst\tordering\tnconst\tcategory\tjob\tcharacters"
    for i in range(1, size.titles + 1):
        for k in range(1, PRINCIPALS_PER_TITLE + 1):
            person = 1 + (i * 7 + k * 104729) % size.people
            category = CATEGORIES[(i + k) % len(CATEGORIES)]
            role = f"Role {k}" + (" (voice)" if delta and changed(i * 8 + k, 5) else "")
            characters = f'["{role}"]' if category in ("actor", "actress", "self") else N
            job = "executive producer" if category == "producer" and i % 2 else N
            yield f"tt{i:07d}\t{k}\tnm{person:07d}\t{category}\t{job}\t{characters}"


GENERATORS: dict[str, Callable[[bool, Size], Iterator[str]]] = {
    "title.basics": basics, "title.episode": episodes, "title.ratings": ratings, "name.basics": names,
    "title.principals": principals,
}


def _write(path: Path, lines: Iterator[str]) -> None:
    with gzip.open(path, "wt", compresslevel=4, encoding="utf-8", newline="\n") as out:
        block: list[str] = []
        for line in lines:
            block.append(line)
            if len(block) >= 50_000:
                out.write("\n".join(block) + "\n")
                block = []
        if block:
            out.write("\n".join(block) + "\n")


def ensure(directory: Path, delta: bool = False, size: Size = FULL) -> Path:
    """The set in ``directory`` (written unless already there at this VERSION and size)."""
    marker, version = directory / "VERSION", VERSION if size == FULL else f"{VERSION} {size.titles}x{size.people}"
    if marker.exists() and marker.read_text() == version:
        return directory
    directory.mkdir(parents=True, exist_ok=True)
    for name, generate in GENERATORS.items():
        _write(directory / f"{name}.tsv.gz", generate(delta, size))
    marker.write_text(version)
    return directory


if __name__ == "__main__":
    base = Path(sys.argv[1] if len(sys.argv) > 1 else ".data/bench")
    ensure(base / "imdb-1m")
    ensure(base / "imdb-1m-changed", delta=True)
