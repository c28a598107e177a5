"""Writes the IMDb fixture set (``*.tsv.gz`` in IMDb's real format) next to this file.

Run ``python tests/data/imdb/generate.py`` after editing the rows below. The rows are real titles,
episodes and people, plus the cases the import must handle: other title types (short, videoGame),
an adult title, an episode without numbers, an episode of an unknown show, ratings and principals of
titles the catalog does not hold, a principal of an unknown person.
"""

from __future__ import annotations

import gzip
from pathlib import Path

HERE = Path(__file__).resolve().parent
N = "\\N"

BASICS = [
    ("tconst", "titleType", "primaryTitle", "originalTitle", "isAdult", "startYear", "endYear", "runtimeMinutes",
     "genres"),
    ("tt0000001", "short", "Carmencita", "Carmencita", "0", "1894", N, "1", "Documentary,Short"),
    ("tt0096697", "tvSeries", "The Simpsons", "The Simpsons", "0", "1989", N, "22", "Animation,Comedy"),
    ("tt0111161", "movie", "The Shawshank Redemption", "The Shawshank Redemption", "0", "1994", N, "142", "Drama"),
    ("tt0133093", "movie", "The Matrix", "The Matrix", "0", "1999", N, "136", "Action,Sci-Fi"),
    ("tt0234215", "movie", "The Matrix Reloaded", "The Matrix Reloaded", "0", "2003", N, "138", "Action,Sci-Fi"),
    ("tt0417299", "videoGame", "Some Game", "Some Game", "0", "2005", N, N, "Action"),
    ("tt0468569", "movie", "The Dark Knight", "The Dark Knight", "0", "2008", N, "152", "Action,Crime,Drama"),
    ("tt0499549", "movie", "Avatar", "Avatar", "0", "2009", N, "162", "Action,Adventure,Fantasy"),
    ("tt0816692", "movie", "Interstellar", "Interstellar", "0", "2014", N, "169", "Adventure,Drama,Sci-Fi"),
    ("tt0903747", "tvSeries", "Breaking Bad", "Breaking Bad", "0", "2008", "2013", "49", "Crime,Drama,Thriller"),
    ("tt0944947", "tvSeries", "Game of Thrones", "Game of Thrones", "0", "2011", "2019", "57",
     "Action,Adventure,Drama"),
    ("tt0959621", "tvEpisode", "Pilot", "Pilot", "0", "2008", N, "58", "Crime,Drama,Thriller"),
    ("tt1054724", "tvEpisode", "Cat's in the Bag...", "Cat's in the Bag...", "0", "2008", N, "48", "Crime,Drama"),
    ("tt1054725", "tvEpisode", "...And the Bag's in the River", "...And the Bag's in the River", "0", "2008", N,
     "48", "Crime,Drama"),
    ("tt1232456", "tvEpisode", "Untitled Episode", "Untitled Episode", "0", "2009", N, N, "Drama"),
    ("tt1375666", "movie", "Inception", "Inception", "0", "2010", N, "148", "Action,Adventure,Sci-Fi"),
    ("tt1480055", "tvEpisode", "Winter Is Coming", "Winter Is Coming", "0", "2011", N, "62",
     "Action,Adventure,Drama"),
    ("tt7366338", "tvMiniSeries", "Chernobyl", "Chernobyl", "0", "2019", "2019", "330", "Drama,History,Thriller"),
    ("tt9000001", "tvMovie", "Quasar Lullaby", "Kvazar", "0", "2021", N, "88", "Film-Noir,Game-Show"),
    ("tt9999991", "movie", "Adult Title", "Adult Title", "1", "2020", N, "80", "Adult"),
]
EPISODES = [
    ("tconst", "parentTconst", "seasonNumber", "episodeNumber"),
    ("tt0959621", "tt0903747", "1", "1"),
    ("tt1054724", "tt0903747", "1", "2"),
    ("tt1054725", "tt0903747", "1", "3"),
    ("tt1232456", "tt0903747", N, N),
    ("tt1480055", "tt0944947", "1", "1"),
    ("tt5555555", "tt0000009", "1", "1"),
]
RATINGS = [
    ("tconst", "averageRating", "numVotes"),
    ("tt0000001", "5.7", "2100"),
    ("tt0096697", "8.7", "430000"),
    ("tt0111161", "9.3", "3000000"),
    ("tt0133093", "8.7", "2100000"),
    ("tt0234215", "7.2", "650000"),
    ("tt0468569", "9.0", "2900000"),
    ("tt0499549", "7.9", "1400000"),
    ("tt0816692", "8.7", "2200000"),
    ("tt0903747", "9.5", "2200000"),
    ("tt0944947", "9.2", "2400000"),
    ("tt0959621", "9.0", "40000"),
    ("tt1375666", "8.8", "2600000"),
    ("tt7366338", "9.3", "900000"),
]
NAMES = [
    ("nconst", "primaryName", "birthYear", "deathYear", "primaryProfession", "knownForTitles"),
    ("nm0000116", "James Cameron", "1954", N, "writer,director,producer", "tt0499549"),
    ("nm0000138", "Leonardo DiCaprio", "1974", N, "actor,producer", "tt1375666"),
    ("nm0000151", "Morgan Freeman", "1937", N, "actor,producer,director", "tt0111161"),
    ("nm0000190", "Matthew McConaughey", "1969", N, "actor,producer", "tt0816692"),
    ("nm0000206", "Keanu Reeves", "1964", N, "actor,producer,director", "tt0133093,tt0234215"),
    ("nm0000209", "Tim Robbins", "1958", N, "actor,director,writer", "tt0111161"),
    ("nm0000244", "Sigourney Weaver", "1949", N, "actress,producer", "tt0499549"),
    ("nm0000288", "Christian Bale", "1974", N, "actor,producer", "tt0468569"),
    ("nm0000401", "Laurence Fishburne", "1961", N, "actor,producer,director", "tt0133093"),
    ("nm0001104", "Frank Darabont", "1959", N, "writer,director,producer", "tt0111161"),
    ("nm0001877", "Hans Zimmer", "1957", N, "composer,soundtrack,music_department", "tt0468569,tt1375666"),
    ("nm0005251", "Carrie-Anne Moss", "1967", N, "actress", "tt0133093"),
    ("nm0186505", "Bryan Cranston", "1956", N, "actor,producer,director", "tt0903747"),
    ("nm0319213", "Vince Gilligan", "1967", N, "producer,writer,director", "tt0903747"),
    ("nm0348152", "Aaron Paul", "1979", N, "actor,producer", "tt0903747"),
    ("nm0634240", "Christopher Nolan", "1970", N, "writer,producer,director", "tt0816692,tt1375666"),
    ("nm0905152", "Lilly Wachowski", "1967", N, "writer,director,producer", "tt0133093"),
    ("nm0905154", "Lana Wachowski", "1965", N, "writer,director,producer", "tt0133093"),
]
PRINCIPALS = [
    ("tconst", "ordering", "nconst", "category", "job", "characters"),
    ("tt0111161", "1", "nm0000209", "actor", N, '["Andy Dufresne"]'),
    ("tt0111161", "2", "nm0000151", "actor", N, '["Ellis Boyd \'Red\' Redding"]'),
    ("tt0111161", "3", "nm0001104", "director", N, N),
    ("tt0133093", "1", "nm0000206", "actor", N, '["Neo"]'),
    ("tt0133093", "2", "nm0000401", "actor", N, '["Morpheus"]'),
    ("tt0133093", "3", "nm0005251", "actress", N, '["Trinity"]'),
    ("tt0133093", "4", "nm0905154", "director", N, N),
    ("tt0133093", "5", "nm0905152", "director", N, N),
    ("tt0133093", "6", "nm0905154", "writer", "written by", N),
    ("tt0133093", "7", "nm9999999", "actor", N, '["Agent Smith"]'),
    ("tt0468569", "1", "nm0000288", "actor", N, '["Bruce Wayne"]'),
    ("tt0468569", "2", "nm0634240", "director", N, N),
    ("tt0468569", "3", "nm0001877", "composer", N, N),
    ("tt0499549", "1", "nm0000244", "actress", N, '["Dr. Grace Augustine"]'),
    ("tt0499549", "2", "nm0000116", "director", N, N),
    ("tt0816692", "1", "nm0000190", "actor", N, '["Cooper"]'),
    ("tt0816692", "2", "nm0634240", "director", N, N),
    ("tt0903747", "1", "nm0186505", "actor", N, '["Walter White"]'),
    ("tt0903747", "2", "nm0348152", "actor", N, '["Jesse Pinkman"]'),
    ("tt0903747", "3", "nm0319213", "producer", "executive producer", N),
    ("tt0959621", "1", "nm0186505", "actor", N, '["Walter White"]'),
    ("tt1375666", "1", "nm0000138", "actor", N, '["Cobb"]'),
    ("tt1375666", "2", "nm0634240", "director", N, N),
    ("tt1375666", "3", "nm0001877", "composer", N, N),
]
FILES = {"title.basics": BASICS, "title.episode": EPISODES, "title.ratings": RATINGS, "name.basics": NAMES,
         "title.principals": PRINCIPALS}


def tsv(rows: list[tuple[str, ...]]) -> bytes:
    return "".join("\t".join(row) + "\n" for row in rows).encode()


def write(directory: Path = HERE) -> None:
    for name, rows in FILES.items():
        # mtime=0: the same rows give the same bytes (and SHA-256) on every run.
        (directory / f"{name}.tsv.gz").write_bytes(gzip.compress(tsv(rows), mtime=0))


if __name__ == "__main__":
    write()
