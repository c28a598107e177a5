"""Release names as indexers return them -> the attributes scoring judges (chalicelib.sources.release)."""

from __future__ import annotations

import pytest

from chalicelib.sources.release import Release, parse_release, title_words

# name -> the attributes it must yield (only the ones named are checked)
TABLE = [
    ("The.Office.US.S03E05.1080p.WEB-DL.DDP5.1.H.264-NTb",
     dict(title="The Office", season=3, episodes=(5,), pack=False, resolution=1080, source="web-dl", codec="h264",
          hdr=None, audio="ddp 5.1", group="NTb", name_title="the office us")),
    ("The.Office.US.S03.1080p.BluRay.x265.10bit.AAC5.1-Vyndros",
     dict(season=3, seasons=(3,), episodes=(), pack=True, source="bluray", codec="h265", group="Vyndros")),
    ("Breaking Bad S01-S05 Complete 1080p BluRay x264",
     dict(title="Breaking Bad", seasons=(1, 2, 3, 4, 5), pack=True, episodes=(), group=None)),
    ("Show.S02E01E02.720p.HDTV.x264-KILLERS",
     dict(season=2, episodes=(1, 2), pack=False, resolution=720, source="hdtv", group="KILLERS")),
    ("Dune.Part.Two.2024.2160p.WEB-DL.DV.HDR10+.DDP5.1.Atmos.H.265-FLUX",
     dict(year=2024, resolution=2160, source="web-dl", codec="h265", hdr="dv", group="FLUX",
          name_title="dune part two")),
    ("Movie.2019.2160p.WEB-DL.HDR10+.x265-GRP", dict(hdr="hdr10+", codec="h265")),
    ("Movie.2019.2160p.UHD.BluRay.REMUX.HDR.HEVC.TrueHD.7.1.Atmos-FGT",
     dict(hdr="hdr10", source="bluray", codec="h265", audio="truehd 7.1", group="FGT")),
    ("Movie.2019.720p.WEB.AV1.Opus-GRP", dict(codec="av1", source="web-dl", audio="opus")),  # guessit misses AV1
    ("Movie.2019.1080p.WEB.VP9-GRP", dict(codec="vp9")),
    ("Movie 2019 1080p WEBRip x264 AAC-[YTS.MX]", dict(source="webrip", codec="h264", group="YTS.MX")),
    ("Movie.2019.1080p.AMZN.WEB-DL.DDP5.1.H.264-NTG", dict(source="web-dl", group="NTG")),
    ("Movie.2019.DVDRip.XviD-GRP", dict(source="dvd", codec="xvid", resolution=None)),
    ("Movie.2019.576p.DVD.MPEG2", dict(resolution=576, codec="mpeg2")),
    ("Dune.Part.Two.2024.HDCAM.x264-SUNSCREEN", dict(source="cam")),
    ("Oppenheimer.2023.TS.1080p.x264-AAC", dict(source="telesync", year=2023)),
    ("Barbie.2023.HDTC.720p", dict(source="telecine")),
    ("Some.Movie.2023.DVDScr.XviD-GRP", dict(source="screener")),
    ("Some.Movie.2023.SCREENER.x264", dict(source="screener")),
    ("Show.Name.S01E05.GERMAN.DL.1080p.WEB.h264-SAUERKRAUT", dict(languages=("de", "mul"), group="SAUERKRAUT")),
    ("[SubsPlease] Frieren - 12 (1080p) [ABCDEF12].mkv",
     dict(title="Frieren", absolute=12, season=None, episodes=(), group="SubsPlease", name_title="frieren")),
    ("www.Torrenting.com - Movie.2019.1080p.WEB-DL", dict(title="Movie", year=2019, name_title="movie")),
    ("1917.2019.1080p.BluRay.x264", dict(title="1917", year=2019, name_title="1917")),
    ("Doctor.Who.2005.S01E01.720p.BluRay.x264", dict(year=2005, season=1, episodes=(1,), name_title="doctor who")),
]


@pytest.mark.parametrize(("name", "expected"), TABLE, ids=[name[:50] for name, _ in TABLE])
def test_real_release_names_yield_their_attributes(name, expected):
    release = parse_release(name)
    assert {field: getattr(release, field) for field in expected} == expected


JUNK = ["", "   ", "!!!$$$ ~~~ ///", "a/b\\c/../../etc/passwd", "\x00\x01\x1b[31mred", "💩💩💩 S01E01 ☃",
        "S" * 5000, "." * 300, "-" * 10 + "[" * 50, "S99999E99999", "1080p", "x264-", "((((((((((", "%s%n%x{}",
        "Show.S01E01" + ".1080p" * 200]


@pytest.mark.parametrize("name", JUNK, ids=range(len(JUNK)))
def test_junk_names_never_raise_and_still_give_a_release(name):
    release = parse_release(name)
    assert isinstance(release, Release)
    assert release.name == release.name.strip() and len(release.name) <= 300
    assert "\x00" not in release.name and "/" not in release.name
    assert isinstance(release.as_json(), dict)


def test_a_name_that_is_not_text_is_an_empty_release():
    release = parse_release(None)  # type: ignore[arg-type]
    assert (release.title, release.resolution, release.episodes, release.pack) == (None, None, (), False)


def test_a_name_is_parsed_once_and_the_same_object_returned():
    first = parse_release("Cached.Show.S01E02.1080p.WEB-DL.H.264-GRP")
    assert parse_release("Cached.Show.S01E02.1080p.WEB-DL.H.264-GRP") is first
    assert parse_release.cache_info().maxsize is not None  # bounded


def test_as_json_is_the_api_parsed_object():
    data = parse_release("The.Office.US.S03.1080p.BluRay.x265-Vyndros").as_json()
    assert data == {"title": "The Office", "year": None, "season": 3, "seasons": [3], "episodes": [], "pack": True,
                    "absolute": None, "resolution": 1080, "source": "bluray", "codec": "h265", "hdr": None,
                    "audio": None, "languages": [], "group": "Vyndros"}


@pytest.mark.parametrize(("name", "words"), [
    ("Marvel's.Agents.of.S.H.I.E.L.D.S01E01", "marvels agents of shield"),
    ("Marvels.Agents.of.SHIELD.S01E01", "marvels agents of shield"),
    ("Law & Order SVU S20E01", "law and order svu"),
    ("Amélie.2001.1080p", "amelie"),
    ("[Group] [Other] Title Here - 05 [720p]", "title here"),
])
def test_title_words_are_the_folded_words_before_the_tags(name, words):
    assert title_words(name) == words
