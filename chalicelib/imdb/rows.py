"""The five datasets: header, key, and each valid line as a staging row (COPY text format).

A converter takes a line's fields (bytes) and returns the staging line, or None after counting the
row as malformed (``stats.bad``) or skipped (``stats.skip``: a title type the catalog does not hold,
an adult title, an episode without numbers). ``\\N`` is IMDb's and COPY's NULL alike; any other
backslash is escaped for COPY.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from chalicelib import jsondepth
from chalicelib.imdb.parse import FileStats

NULL = b"\\N"
TAB = b"\t"
KINDS = {b"movie": b"movie", b"tvMovie": b"movie", b"tvSeries": b"show", b"tvMiniSeries": b"show",
         b"tvEpisode": b"episode"}
CAST = {b"actor", b"actress", b"self"}
DEPARTMENTS = {
    "actor": "Acting", "actress": "Acting", "self": "Acting", "archive_footage": "Acting",
    "director": "Directing", "assistant_director": "Directing", "writer": "Writing",
    "producer": "Production", "executive": "Production", "casting_director": "Production",
    "casting_department": "Production", "production_manager": "Production", "manager": "Production",
    "composer": "Sound", "music_department": "Sound", "soundtrack": "Sound", "sound_department": "Sound",
    "archive_sound": "Sound", "music_artist": "Sound",
    "cinematographer": "Camera", "camera_department": "Camera",
    "editor": "Editing", "editorial_department": "Editing",
    "production_designer": "Art", "art_director": "Art", "art_department": "Art", "set_decorator": "Art",
    "costume_designer": "Costume & Make-Up", "costume_department": "Costume & Make-Up",
    "make_up_department": "Costume & Make-Up",
    "visual_effects": "Visual Effects", "special_effects": "Visual Effects",
    "animation_department": "Visual Effects", "stunts": "Crew",
}
MAX_INT = 2**31 - 1

GenreIds = Callable[[bytes], bytes]


def text(value: bytes) -> bytes:
    return value if b"\\" not in value or value == NULL else value.replace(b"\\", b"\\\\")


def _year(value: bytes) -> bool:
    return value == NULL or (len(value) == 4 and value.isdigit())


def _count(value: bytes, digits: int = 9) -> bool:
    return value == NULL or (0 < len(value) <= digits and value.isdigit())


def _positive(value: bytes) -> bytes:
    return NULL if value == NULL or int(value) == 0 else value


def department(category: str) -> bytes:
    name = DEPARTMENTS.get(category) or category.replace("_", " ").title()
    return name.encode()


def _valid_basics(f: list[bytes]) -> bool:
    return (f[4] in (b"0", b"1") and _year(f[5]) and _year(f[6]) and _count(f[7], 6)
            and f[2] != NULL and bool(f[2].strip()))


def basics(f: list[bytes], stats: FileStats, genre_ids: GenreIds | None) -> bytes | None:
    if not _valid_basics(f):
        stats.bad(TAB.join(f), "bad field")
        return None
    kind = KINDS.get(f[1])
    if kind is None:
        stats.skip(f"type {f[1].decode('utf-8', 'replace')}")
        return None
    if f[4] == b"1":
        stats.skip("adult")
        return None
    if kind != b"episode" and genre_ids is None:
        raise ValueError("title.basics rows need the genre ids")
    genres = genre_ids(f[8]) if kind != b"episode" and genre_ids else NULL
    return TAB.join((f[0], kind, text(f[2]), text(f[3]), f[5], f[6], _positive(f[7]), genres)) + b"\n"


def episode(f: list[bytes], stats: FileStats, genre_ids: GenreIds | None) -> bytes | None:
    parent = f[1]
    if not (parent.startswith(b"tt") and parent[2:].isdigit() and _count(f[2], 6) and _count(f[3], 6)):
        stats.bad(TAB.join(f), "bad field")
        return None
    if f[2] == NULL or f[3] == NULL:
        stats.skip("episode without numbers")
        return None
    return TAB.join(f) + b"\n"


def rating(f: list[bytes], stats: FileStats, genre_ids: GenreIds | None) -> bytes | None:
    try:
        value = float(f[1])
    except ValueError:
        value = -1.0
    if not (0 <= value <= 10 and len(f[1]) <= 4 and _count(f[2]) and f[2] != NULL):
        stats.bad(TAB.join(f), "bad field")
        return None
    return TAB.join(f) + b"\n"


def _professions(value: bytes) -> tuple[bytes, bytes] | None:
    if value == NULL or not value:
        return b"{}", NULL
    items = value.split(b",")
    if not all(item.replace(b"_", b"").isalpha() and item.isascii() for item in items):
        return None
    return b"{" + value + b"}", department(items[0].decode())


def person(f: list[bytes], stats: FileStats, genre_ids: GenreIds | None) -> bytes | None:
    professions = _professions(f[4])
    if professions is None or f[1] == NULL or not f[1].strip() or not _count(f[2], 4) or not _count(f[3], 4):
        stats.bad(TAB.join(f), "bad field")
        return None
    return TAB.join((f[0], text(f[1]), f[2], f[3], *professions)) + b"\n"


def character(value: bytes) -> bytes:
    """``["Neo"]`` -> ``Neo``; several names joined with " / "."""
    if value == NULL:
        return NULL
    if value.startswith(b'["') and value.endswith(b'"]') and b'","' not in value and b"\\" not in value:
        return value[2:-2]
    try:
        names = jsondepth.loads(value)
    except ValueError:
        return text(value.strip(b"[]"))
    joined = " / ".join(str(n) for n in names) if isinstance(names, list) else str(names)
    return text(joined.replace("\t", " ").replace("\n", " ").encode()) or NULL


def principal(f: list[bytes], stats: FileStats, genre_ids: GenreIds | None) -> bytes | None:
    nconst, category = f[2], f[3]
    if not (_count(f[1], 6) and f[1] != NULL and nconst.startswith(b"nm") and nconst[2:].isdigit()
            and category != NULL and category.replace(b"_", b"").isalpha()):
        stats.bad(TAB.join(f), "bad field")
        return None
    if category in CAST:
        kind, job = b"cast", NULL
    else:
        kind, job = b"crew", text(f[4]) if f[4] != NULL else category.decode().replace("_", " ").title().encode()
    char = character(f[5]) if kind == b"cast" else NULL
    return TAB.join((f[0], f[1], nconst, kind, char, job, department(category.decode()))) + b"\n"


@dataclass(frozen=True)
class Dataset:
    name: str
    columns: tuple[str, ...]
    prefix: bytes
    convert: Callable[[list[bytes], FileStats, GenreIds | None], bytes | None]
    # Several lines per key (a title's principals, replaced as a set): no duplicate-key check.
    grouped: bool = False

    @property
    def header(self) -> bytes:
        return "\t".join(self.columns).encode()


# In import order: ratings first (kept, so new titles take theirs as they are inserted), titles before
# what refers to them, people before credits.
DATASETS = (
    Dataset("title.ratings", ("tconst", "averageRating", "numVotes"), b"tt", rating),
    Dataset("title.basics", ("tconst", "titleType", "primaryTitle", "originalTitle", "isAdult", "startYear",
                             "endYear", "runtimeMinutes", "genres"), b"tt", basics),
    Dataset("title.episode", ("tconst", "parentTconst", "seasonNumber", "episodeNumber"), b"tt", episode),
    Dataset("name.basics", ("nconst", "primaryName", "birthYear", "deathYear", "primaryProfession",
                            "knownForTitles"), b"nm", person),
    Dataset("title.principals", ("tconst", "ordering", "nconst", "category", "job", "characters"), b"tt", principal,
            grouped=True),
)
NAMES = tuple(d.name for d in DATASETS)
