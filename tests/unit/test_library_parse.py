"""The scanner's name parser: on the naming corpus (tests/data/naming) against guessit alone, and on the
evidence each correction needs (folders, siblings, the name's own shape)."""

from __future__ import annotations

import library_corpus
import pytest

from chalicelib.library import naming as parsing

CORPUS = library_corpus.load()
CLASSES = {"movie", "movie-edition", "episode", "multi-episode", "season-pack", "season-folder",
           "episode-in-folder", "daily", "absolute-anime", "non-english", "junk-heavy"}


def guessit_alone(path: str) -> dict:
    return parsing.guessit_fields(parsing.run_guessit(path))


def test_the_corpus_is_big_enough_grouped_and_split():
    assert len(CORPUS) >= 500
    assert len({entry["path"] for entry in CORPUS}) == len(CORPUS)
    assert {entry["class"] for entry in CORPUS} == CLASSES
    for entry in CORPUS:
        assert set(entry) <= {"path", *library_corpus.SCORED, *library_corpus.META}, entry
        assert entry["type"] in ("movie", "episode") and entry["split"] in ("tuning", "validation"), entry
    for cls in CLASSES:
        entries = [e for e in CORPUS if e["class"] == cls]
        assert len(entries) >= 25, cls
        first = [e for e in entries if ":" not in e["source"]]  # build_corpus.py: a fifth drawn with a seed
        assert sum(e["split"] == "validation" for e in first) == len(first) // 5, cls
        for entry in entries:  # import_fixtures.py: other tools' test cases, half by a hash of the name
            if ":" in entry["source"]:
                assert entry["split"] == library_corpus.split_of(entry["path"]), entry


def test_the_project_is_never_below_guessit_alone_on_any_class(capsys):
    by_us = {entry["path"]: parsing.parse(entry["path"]) for entry in CORPUS}
    by_guessit = {entry["path"]: guessit_alone(entry["path"]) for entry in CORPUS}
    project, alone = (library_corpus.by_class(parsed.__getitem__, CORPUS) for parsed in (by_us, by_guessit))
    sources = [library_corpus.by_source(parsed.__getitem__, CORPUS) for parsed in (by_us, by_guessit)]
    with capsys.disabled():
        print("\nall-fields-right accuracy, % (tuning / validation / all)\n" + library_corpus.table(project, alone)
              + "\n" + library_corpus.table(*sources, heading="source"))
    first = [entry for entry in CORPUS if ":" not in entry["source"]]  # the corpus the 95 % floor was set on
    assert library_corpus.accuracy(by_us.__getitem__, first)["accuracy"] >= 0.95
    imported = library_corpus.accuracy(by_us.__getitem__, [entry for entry in CORPUS if ":" in entry["source"]])
    assert imported["accuracy"] >= 0.77, imported["misses"]  # other tools' own tests: measured, not yet 95 %
    assert project[("all", "validation")]["accuracy"] >= alone[("all", "validation")]["accuracy"]
    for cls in CLASSES:
        for split in ("tuning", "validation", "all"):  # no class, and neither half of one, below guessit
            ours, theirs = project[(cls, split)]["accuracy"], alone[(cls, split)]["accuracy"]
            assert ours >= theirs, (cls, split, project[(cls, split)]["misses"])


@pytest.mark.parametrize(("path", "expected", "evidence"), [
    ("Breaking.Bad.S04.1080p.WEB-DL.DD5.1.H.264-NTb", {"type": "episode", "season": 4, "episode": None, "pack": True},
     "season 4 with no episode: a season pack"),
    ("Sherlock Series 3 1080p BluRay x264", {"title": "Sherlock", "type": "episode", "season": 3, "pack": True},
     "names season 3 of `Sherlock`"),
    ("Dark.3.Staffel.German.1080p.NF.WEB.x264-GRP", {"title": "Dark", "type": "episode", "season": 3},
     "a season pack"),
    ("TV/The Simpsons/Season 16/16 - 12 Goo Goo Gai Pan.mkv", {"season": 16, "episode": 12, "absolute": None},
     "season from folder `Season 16`, episode `12` after the season number"),
    ("TV/Mad Men/Season 2/E05.mkv", {"title": "Mad Men", "season": 2, "episode": 5}, None),
    ("Friends S03/Friends - 07 - The One.mkv", {"title": "Friends", "season": 3, "episode": 7, "absolute": None},
     None),
    ("The.Daily.Show.2018_03_24.720p.mkv", {"airDate": "2018-03-24", "season": None, "episode": None, "year": None},
     "air date `2018_03_24` in the name"),
    ("The Simpsons 889.mkv", {"absolute": 889, "season": None, "episode": None}, "`889` alone after the title"),
    ("[Group] Show - 1089 [1080p].mkv", {"title": "Show", "absolute": 1089, "episode": None},
     "`- 1089` after the title: an absolute number"),
    ("www.UIndex.org - Oppenheimer 2023 1080p BluRay x264.mkv", {"title": "Oppenheimer", "year": 2023}, None),
    ("Movies/Bunker Palace Hotel (Enki Bilal) (1989)/Enki Bilal - Bunker Palace Hotel.avi",
     {"title": "Bunker Palace Hotel", "year": 1989}, None),
])
def test_each_correction_states_its_evidence(path, expected, evidence):
    guess = parsing.parse(path)
    assert {k: guess[k] for k in expected} == expected
    if evidence:
        assert any(evidence in text for text in guess["evidence"]), guess["evidence"]
    assert len(guess["evidence"]) == len(guess["corrections"])


@pytest.mark.parametrize("path", ["Show.S2020E1527.mkv", "Pawn.Stars.S2014E18.720p.HDTV.x264-KILLERS",
                                  "Conan.2018.03.24.720p.WEB.x264", "The.Wire.S01E03.720p.mkv",
                                  "Show Name - 102.mkv", "Show Name 722.mkv"])
def test_without_evidence_guessit_stands(path):
    guess = parsing.parse(path)
    assert guess["corrections"] == [] and guess["evidence"] == []
    assert {k: guess[k] for k in parsing.FIELDS} == guessit_alone(path)


def test_a_folder_of_rising_numbers_is_a_run_of_episodes():
    files = [f"Cosmos/Cosmos Part {n}.mkv" for n in range(1, 11)]
    alone = parsing.parse(files[4])
    together = parsing.parse_many(files)[files[4]]
    assert alone["type"] == "movie"  # one name alone says little
    assert (together["title"], together["type"], together["absolute"]) == ("Cosmos", "episode", 5)
    assert "numbered like 9 sibling files" in together["evidence"]


def test_a_movie_in_parts_is_no_run_of_episodes():
    files = [f"Movies/Dune (2021)/Dune (2021) - part{n}.mkv" for n in range(1, 4)]
    assert {g["type"] for g in parsing.parse_many(files).values()} == {"movie"}


def test_a_season_pack_maps_each_video_file_to_its_season_and_episode():
    pack = "Fargo.S02.COMPLETE.720p.HDTV.x264-GRP"
    files = [f"{pack}/fargo.s02e{n:02d}.720p.hdtv.x264-grp.mkv" for n in range(1, 11)] + [f"{pack}/Sample.mkv"]
    parsed = parsing.parse_many(files)
    assert [(g["title"], g["season"], g["episode"]) for g in list(parsed.values())[:10]] == [
        ("Fargo", 2, n) for n in range(1, 11)]
    assert parsing.parse(pack)["pack"] is True


def test_a_tree_of_a_season_pack_a_daily_show_and_an_anime_files_every_episode():
    pack = "Downloads/Severance.S02.1080p.ATVP.WEB-DL.DDP5.1.H.264-GRP"
    tree = {f"{pack}/Severance.S02E0{n}.1080p.ATVP.WEB-DL.mkv": ("Severance", 2, n, None, None) for n in (1, 2, 3)}
    tree |= {f"TV/The Daily Show/The.Daily.Show.2018_03_2{n}.720p.mkv": ("The Daily Show", None, None, None,
                                                                         f"2018-03-2{n}") for n in (4, 5, 6)}
    tree |= {f"Anime/One Piece/[SubsPlease] One Piece - 108{n} (1080p).mkv": ("One Piece", None, None, 1080 + n,
                                                                               None) for n in (7, 8, 9)}
    tree |= {f"TV/Mad Men/Season 16/16 - 0{n} Title.mkv": ("Mad Men", 16, n, None, None) for n in (1, 2, 3)}
    parsed = parsing.parse_many(list(tree))
    fields = ("title", "season", "episode", "absolute", "airDate")
    assert {path: tuple(guess[f] for f in fields) for path, guess in parsed.items()} == tree
    assert {guess["type"] for guess in parsed.values()} == {"episode"}


def test_guessit_is_cached_per_distinct_text():
    parsing.cached_guessit.cache_clear()
    first = parsing.parse("Shows/Dark/Staffel 2/Folge 4.mkv")
    assert parsing.parse("Shows/Dark/Staffel 2/Folge 4.mkv") == first
    assert parsing.cached_guessit.cache_info().hits == 1


@pytest.mark.parametrize(("path", "expected", "rule"), [
    ("Anime/Show/Season 2/Show - 101.mkv", {"title": "Show", "season": 2, "absolute": 101, "episode": None},
     "anime_absolute_number"),
    ("Movies/Blade Runner (1982) {edition-Final Cut}.mkv", {"type": "movie", "edition": "Final Cut"}, "edition_tag"),
    ("TV/The Daily Show/Season 2024/The Daily Show - 2024-03-05.mkv",
     {"title": "The Daily Show", "airDate": "2024-03-05", "season": None, "year": None}, "series_folder_title"),
    ("Dune Part Two (2024).mkv", {"title": "Dune Part Two", "year": 2024}, "title_before_year"),
    ("Anime/Frieren Beyond Journey's End/Season 1/[SubsPlease] Sousou no Frieren - 12 (1080p).mkv",
     {"title": "Frieren Beyond Journey's End", "season": 1, "absolute": 12}, "series_folder_title"),
    ("Apocalypse.Now.1979.Final.Cut.1080p.mkv", {"type": "movie", "edition": "Final Cut"},
     "movie_without_episode_numbers"),
])
def test_folder_context_corrections_name_their_rule(path, expected, rule):
    guess = parsing.parse(path)
    assert {k: guess[k] for k in expected} == expected
    assert rule in guess["corrections"]


@pytest.mark.parametrize(("path", "expected", "rule"), [
    ("[字幕组][青之驱魔师/Some Show][07][BIG5][720P].mp4", {"title": "Some Show", "absolute": 7, "type": "episode"},
     "bracketed_parts"),
    ("【字幕组】★10月新番[青之驱魔师][第05话][1080p][简体]", {"title": "青之驱魔师", "absolute": 5}, "bracketed_parts"),
    ("[GM-Team][国漫][Some Show][2021][150][AVC][GB][1080P]",
     {"title": "Some Show", "absolute": 150, "season": None, "year": None}, "bracketed_parts"),
    ("Some Show 2nd Season 07 (BD 1080p) [Grp].mkv", {"title": "Some Show", "season": 2, "episode": 7},
     "anime_season_form"),
    ("[Grp] Some Show S2 - 05v2 [720p].mkv", {"title": "Some Show", "season": 2, "episode": 5}, "anime_season_form"),
    ("[Grp] Some Show (4).mkv", {"title": "Some Show", "absolute": 4, "type": "episode"}, "anime_trailing_number"),
    ("[Grp] Some Show 300-nen Title 03 [720p][ABCD1234].mkv",
     {"title": "Some Show 300-nen Title", "absolute": 3, "episodes": None}, "anime_trailing_number"),
    ("[Grp] 42 - 03 [1080p].mkv", {"title": "42", "absolute": 3, "episodes": None}, "anime_absolute_number"),
    ("[Grp]_007-2_-_04_(H264)_[ABCD1234].mkv", {"title": "007-2", "absolute": 4}, "anime_absolute_number"),
    ("Some Show (DVD) - 01v2 [h-b].mkv", {"title": "Some Show", "absolute": 1, "type": "episode"},
     "anime_absolute_number"),
    ("Some.Show.E207.Title.German.2004.DVDRip-Grp", {"season": None, "absolute": 207}, "year_is_no_season"),
    ("12-03 Some Episode Title.mkv", {"title": None, "season": 12, "episode": 3, "type": "episode"},
     "season_dash_episode"),
    ("S4E2 - Some Episode Title [1080p].mkv", {"title": None, "season": 4, "episode": 2,
                                                "episodeTitle": "Some Episode Title"}, "episode_title_only"),
    ("[Grp] Some Show S10E14 214 [720p].mkv", {"season": 10, "episode": 14, "absolute": 214},
     "sonarr_absolute_number"),
])
def test_fansub_and_number_forms_name_their_rule(path, expected, rule):
    guess = parsing.parse(path)
    assert {k: guess[k] for k in expected} == expected
    assert rule in guess["corrections"]


@pytest.mark.parametrize(("path", "expected"), [
    ("[Grp] Some Show - S03E04v2 (1080p WEB)", {"title": "Some Show", "type": "episode", "season": 3, "episode": 4}),
    ("Some Film - 2 (2013).mkv", {"type": "movie", "absolute": None, "year": 2013}),
])
def test_a_revision_and_a_sequel_number_are_read_as_such(path, expected):
    guess = parsing.parse(path)
    assert {k: guess[k] for k in expected} == expected


@pytest.mark.parametrize(("path", "expected"), [
    ("Shows/Dark/Staffel 2/Folge 4.mkv", {"title": "Dark", "season": 2, "episode": 4}),
    ("Friends - S10E17-E18.mkv", {"episode": 17, "episodes": [17, 18]}),
])
def test_what_guessit_gets_right_is_kept(path, expected):
    guess = parsing.parse(path)
    assert {k: guess[k] for k in expected} == expected


@pytest.mark.parametrize("name", ["", "/", "..", "x", "....mkv", "🎬🎬.mkv", "a" * 5000 + ".mkv",
                                  "\\\\server\\share\\x.avi", "[ ] - .mkv", "Season 1/", "- 01 -.mkv", "1.mkv",
                                  "S01E01.mkv"])
def test_names_nothing_can_be_read_from_still_parse(name):
    guess = parsing.parse(name)
    assert set(parsing.FIELDS) <= set(guess)
    assert guess["title"] is None or isinstance(guess["title"], str)


def test_split_name_keeps_unknown_extensions_in_the_stem():
    assert parsing.split_name("a/b/Movie (2010).mkv") == (["a", "b"], "Movie (2010)", ".mkv")
    assert parsing.split_name("Movie.2010.part") == ([], "Movie.2010.part", "")
    assert parsing.split_name("../../etc/passwd") == (["etc"], "passwd", "")
