"""List exports uploaded as files (issue 38 item 5): which service wrote one, read from its content, and the
entries of Letterboxd's and IMDb's exports."""

from __future__ import annotations

import json

import pytest

from chalicelib.config import ListSettings
from chalicelib.lists import files
from chalicelib.lists.entries import Entry
from chalicelib.lists.errors import ListFailed, ListFileTooLong, MalformedListFile, UnsupportedListFile
from embedded.fakes.lists import FakeImdbLists, ImdbTitle

SETTINGS = ListSettings()
LETTERBOXD = (
    "Letterboxd list export v7\r\n"
    "Date,Name,Tags,URL,Description\r\n"
    '2021-11-06,My Favourites,"best, rewatchable",https://letterboxd.com/seenfan/list/my-favourites/,'
    '"A list,\r\nover two lines."\r\n'
    "\r\n"
    "Position,Name,Year,URL,Description\r\n"
    "2,Alien,1979,https://boxd.it/2aHi,Still holds up\r\n"
    '1,"The Good, the Bad and the Ugly",1966,https://letterboxd.com/film/the-good-the-bad-and-the-ugly/,\r\n'
    "3,Untitled,,,\r\n")


def test_a_letterboxd_export_gives_its_name_its_list_url_and_films_in_position_order():
    found = files.read("lists/my-favourites.csv", LETTERBOXD.encode(), SETTINGS)
    assert (found.kind, found.title) == ("letterboxd", "My Favourites")
    assert found.url == "https://letterboxd.com/seenfan/list/my-favourites/"
    assert found.entries == [
        Entry(media_type=None, title="The Good, the Bad and the Ugly", year=1966,
              slug="the-good-the-bad-and-the-ugly"),
        Entry(media_type=None, title="Alien", year=1979), Entry(media_type=None, title="Untitled")]


def test_a_letterboxd_export_naming_a_short_link_or_nothing_has_no_url_and_falls_back_to_the_file_name():
    short = LETTERBOXD.replace("https://letterboxd.com/seenfan/list/my-favourites/", "https://boxd.it/list1")
    assert files.read("x.csv", short.encode(), SETTINGS).url is None
    unnamed = LETTERBOXD.replace("My Favourites", "").replace("https://letterboxd.com/seenfan/list/my-favourites/",
                                                              "")
    found = files.read("C:\\Users\\me\\Sci-fi picks.csv", ("\ufeff" + unnamed).encode(), SETTINGS)
    assert (found.url, found.title, len(found.entries)) == (None, "Sci-fi picks", 3)


def test_an_imdb_export_is_found_by_its_columns_and_has_no_url():
    body = FakeImdbLists.export_csv([ImdbTitle("tt0113277", "Heat", 1995),
                                     ImdbTitle("tt0903747", "Breaking Bad", 2008, "TV Series")])
    found = files.read("ls000000042.csv", body, SETTINGS)
    assert (found.kind, found.url, found.title) == ("imdb", None, "ls000000042")
    assert [(e.imdb_id, e.media_type) for e in found.entries] == [("tt0113277", "movie"), ("tt0903747", "show")]
    # The content decides, not the name: an IMDb export called .txt is one, a CSV of something else is not.
    assert files.read("export.txt", body, SETTINGS).kind == "imdb"


@pytest.mark.parametrize(("filename", "body", "trakt"), [
    ("trakt.json", b'[{"rank": 1, "type": "movie"}]', True),
    ("my-trakt-list.csv", b"rank,title\n1,Heat\n", True),
    ("list.csv", b"Date,Name,Year,Letterboxd URI\n2024-01-01,Heat,1995,https://boxd.it/a\n", False),
    ("list.csv", b"\xff\xfe\x00\x00junk", False),
    ("list.csv", b"a\x00b", False),
    ("list.csv", b"", False),
])
def test_anything_else_is_an_unsupported_list_file(filename, body, trakt):
    with pytest.raises(UnsupportedListFile) as raised:
        files.read(filename, body, SETTINGS)
    assert ("Trakt" in str(raised.value)) is trakt


def test_a_broken_or_too_long_export_is_refused_whole():
    with pytest.raises(MalformedListFile):
        files.read("x.csv", (LETTERBOXD + '4,"Ran,1985,,\n').encode(), SETTINGS)
    with pytest.raises(MalformedListFile):
        files.read("x.csv", LETTERBOXD.split("\r\n\r\n")[0].encode(), SETTINGS)
    with pytest.raises(MalformedListFile):
        files.read("x.csv", (LETTERBOXD + "4,,,,\n5,,1999,https://boxd.it/x,\n").encode(), SETTINGS)
    with pytest.raises(ListFileTooLong):
        files.read("x.csv", LETTERBOXD.encode(), ListSettings(max_entries=2))
    with pytest.raises(ListFailed):
        files.parse_letterboxd("Letterboxd list export v7\nPosition,Name\n1,Heat\n", SETTINGS)


def test_stored_entries_come_back_as_they_went_and_are_checked_again():
    entries = [Entry(media_type="show", title="Breaking Bad", year=2008, imdb_id="tt0903747", tmdb_id=1396),
               Entry(media_type=None, title="Heat", slug="heat")]
    assert files.entries_from(json.loads(files.entries_json(entries))) == entries
    assert files.entries_from([{"media_type": "game", "imdb_id": "nm1", "tmdb_id": -1, "title": 5}]) == [
        Entry(media_type=None)]
