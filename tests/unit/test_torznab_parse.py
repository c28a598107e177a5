"""Torznab XML parsing and candidate normalisation: good feeds, malformed ones, XML bombs, junk, bad magnets."""

from __future__ import annotations

import base64

import pytest

from chalicelib.sources import torznab
from chalicelib.sources.candidates import Dropped, to_candidate
from chalicelib.sources.feed import MAX_ITEMS, FeedError, Item, parse_caps, parse_feed

HASH = "c9e15763f722f23e98a29decdfae341b98d53056"
B32 = base64.b32encode(bytes.fromhex(HASH)).decode()


def feed(*items: str, ns: str = 'xmlns:torznab="http://torznab.com/schemas/2015/feed"') -> bytes:
    return f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" {ns}><channel>{"".join(items)}</channel></rss>' \
        .encode()


def item(title: str = "Show.S01E02.1080p.WEB-DL.H.264-NTb", link: str = "https://idx.example/dl/1.torrent",
         attrs: dict[str, str] | None = None, extra: str = "") -> str:
    attr_xml = "".join(f'<torznab:attr name="{k}" value="{v}"/>' for k, v in (attrs or {}).items())
    return (f"<item><title>{title}</title><guid>g-{title[:10]}</guid><link>{link}</link>"
            f"<pubDate>Mon, 02 Feb 2026 10:00:00 +0100</pubDate>{extra}{attr_xml}</item>")


def test_a_good_feed_becomes_candidates_with_every_field():
    data = feed(item(attrs={"seeders": "120", "peers": "150", "size": "1500000000", "infohash": HASH.upper()},
                     extra='<enclosure url="https://idx.example/dl/1.torrent" length="1500000000" '
                           'type="application/x-bittorrent"/>'))
    [parsed] = parse_feed(data)
    candidate = to_candidate(parsed, "Prowlarr")
    assert candidate.name == "Show.S01E02.1080p.WEB-DL.H.264-NTb" and candidate.indexer == "Prowlarr"
    assert (candidate.infohash, candidate.size, candidate.seeders, candidate.leechers) == (HASH, 1_500_000_000, 120, 30)
    assert candidate.link == "https://idx.example/dl/1.torrent" and candidate.magnet is None
    assert candidate.published_at.isoformat() == "2026-02-02T10:00:00+01:00"
    assert candidate.release.resolution == 1080 and candidate.release.episodes == (2,)


def test_the_newznab_attribute_namespace_is_read_too():
    data = feed('<item><title>Movie.2020.720p.BluRay.x264-GRP</title><link>https://x.example/1</link>'
                '<newznab:attr name="size" value="123456789"/></item>',
                ns='xmlns:newznab="http://www.newznab.com/DTD/2010/feeds/attributes/"')
    assert to_candidate(parse_feed(data)[0], "n").size == 123_456_789


@pytest.mark.parametrize("magnet_hash", [HASH, HASH.upper(), B32])
def test_the_info_hash_comes_from_the_magnet_in_hex_or_base32(magnet_hash):
    magnet = f"magnet:?xt=urn:btih:{magnet_hash}&amp;dn=x"
    [parsed] = parse_feed(feed(item(link=magnet)))
    candidate = to_candidate(parsed, "i")
    assert candidate.infohash == HASH and candidate.magnet.startswith("magnet:?xt=urn:btih:")
    assert candidate.link is None


def test_a_torrent_link_without_infohash_attr_has_an_unknown_hash():
    assert to_candidate(parse_feed(feed(item()))[0], "i").infohash is None


@pytest.mark.parametrize("link", ["magnet:?xt=urn:btih:nothex", "magnet:?dn=noxt", "javascript:alert(1)",
                                  "file:///etc/passwd", "ftp://x.example/a.torrent", "", "http://", "not a url",
                                  "https://x.example/a b.torrent"])
def test_results_with_only_an_invalid_magnet_or_link_are_dropped(link):
    [parsed] = parse_feed(feed(item(link=link)))
    with pytest.raises(Dropped):
        to_candidate(parsed, "i")


def test_a_bad_magnet_falls_back_to_a_good_torrent_link():
    data = feed(item(link="magnet:?xt=urn:btih:zzz", extra='<enclosure url="https://x.example/t/1" length="5"/>'))
    candidate = to_candidate(parse_feed(data)[0], "i")
    assert candidate.magnet is None and candidate.link == "https://x.example/t/1"


@pytest.mark.parametrize("data", [b"", b"not xml at all", b"<rss><channel><item>", b"\x00\xff\xfe",
                                  b"<html><body>Cloudflare</body></html>", b'{"json": true}',
                                  b"<rss><channel></rss>", b"<rss/>"])
def test_malformed_answers_are_a_feed_error(data):
    with pytest.raises(FeedError):
        parse_feed(data)


@pytest.mark.parametrize("data", [
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">'
    b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;">]><rss><channel><item><title>&lol3;</title></item></channel></rss>',
    b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><rss><channel><item>'
    b"<title>&x;</title></item></channel></rss>",
    b'<?xml version="1.0"?><!DOCTYPE rss SYSTEM "http://evil.example/x.dtd"><rss><channel/></rss>',
])
def test_entity_bombs_and_external_entities_are_refused(data):
    with pytest.raises(FeedError, match="DTD or entities"):
        parse_feed(data)


def test_an_indexer_error_document_names_the_error():
    with pytest.raises(FeedError, match="error 100: Incorrect user credentials"):
        parse_feed(b'<?xml version="1.0"?><error code="100" description="Incorrect user credentials"/>')


def test_a_huge_feed_is_cut_to_the_item_cap_and_huge_fields_are_clipped():
    long_title = "A" * 100_000
    items = parse_feed(feed(*(item(title=f"Show.S01E{n % 99:02d}.720p-G") for n in range(MAX_ITEMS + 50)),
                            item(title=long_title)))
    assert len(items) == MAX_ITEMS
    [big] = parse_feed(feed(item(title=long_title, attrs={"seeders": "9" * 5000})))
    candidate = to_candidate(big, "i")
    assert len(candidate.name) == 500 and candidate.seeders is None


@pytest.mark.parametrize("title", ["", "   ", "\x01\x02", "!!!???###", "www.site.com - ", "[] () {}",
                                   "\u202e\u0000evil.exe", "S01E02", "1080p", "ÅÄÖ 漢字 🎬"])
def test_junk_names_never_crash(title):
    xml_title = title.replace("\x00", "").replace("\x01", "").replace("\x02", "")
    for parsed in parse_feed(feed(item(title=xml_title.replace("&", "&amp;").replace("<", "&lt;")))):
        try:
            candidate = to_candidate(parsed, "i")
        except Dropped:
            continue
        assert candidate.name.strip() and candidate.release is not None


@pytest.mark.parametrize(("attrs", "expected"), [
    ({"seeders": "-5", "peers": "abc"}, (None, None)),
    ({"seeders": "10", "peers": "4"}, (10, 0)),
    ({"seeders": "10", "leechers": "3", "peers": "99"}, (10, 3)),
    ({"seeders": "99999999999999999999999"}, (None, None)),
])
def test_swarm_numbers_are_sane_or_unknown(attrs, expected):
    candidate = to_candidate(parse_feed(feed(item(attrs=attrs)))[0], "i")
    assert (candidate.seeders, candidate.leechers) == expected


def test_bad_dates_and_sizes_are_unknown():
    data = feed(item(attrs={"size": "-1"}).replace("Mon, 02 Feb 2026 10:00:00 +0100", "yesterday-ish"))
    candidate = to_candidate(parse_feed(data)[0], "i")
    assert candidate.published_at is None and candidate.size is None


CAPS = b"""<?xml version="1.0" encoding="UTF-8"?>
<caps><server title="Prowlarr"/><limits max="100" default="50"/>
<searching><search available="yes" supportedParams="q"/>
<tv-search available="yes" supportedParams="q,season,ep,tvdbid,imdbid"/>
<movie-search available="no" supportedParams="q,imdbid"/></searching>
<categories><category id="5000" name="TV"><subcat id="5040" name="TV/HD"/></category></categories></caps>"""


def test_caps_are_read():
    caps = parse_caps(CAPS)
    assert caps["tv_search"] == {"available": True, "params": ["ep", "imdbid", "q", "season", "tvdbid"]}
    assert caps["movie_search"]["available"] is False and caps["limit_max"] == 100
    assert caps["categories"] == [{"id": 5000, "name": "TV", "subcategories": [
        {"id": 5040, "name": "TV/HD", "subcategories": []}]}]


def test_a_feed_is_not_caps():
    with pytest.raises(FeedError):
        parse_caps(feed(item()))


# ------------------------------------------------------------------ query plan

SHOW = torznab.Query("show", "The Office", 2005, 3, 5, tmdb_id=2316, imdb_id="tt0386676", tvdb_id=73244)
MOVIE = torznab.Query("movie", "Heat", 1995, tmdb_id=949, imdb_id="tt0113277")


def test_a_show_is_searched_by_ids_with_season_and_episode():
    caps = parse_caps(CAPS)
    assert torznab.plan(SHOW, caps) == {"t": "tvsearch", "tvdbid": "73244", "imdbid": "tt0386676",
                                        "season": "3", "ep": "5"}


def test_without_ids_or_season_support_the_text_carries_them():
    caps = {"tv_search": {"available": True, "params": ["q"]}}
    assert torznab.plan(SHOW, caps) == {"t": "tvsearch", "q": "The Office S03E05"}
    caps = {"tv_search": {"available": True, "params": ["q", "season", "ep"]}}
    assert torznab.plan(SHOW, caps) == {"t": "tvsearch", "season": "3", "ep": "5", "q": "The Office"}


def test_a_movie_uses_imdb_then_tmdb_then_text_and_unknown_caps_use_plain_search():
    assert torznab.plan(MOVIE, {"movie_search": {"available": True, "params": ["q", "imdbid", "tmdbid"]}}) == \
        {"t": "movie", "imdbid": "0113277"}
    assert torznab.plan(MOVIE, {"movie_search": {"available": True, "params": ["q", "tmdbid"]}}) == \
        {"t": "movie", "tmdbid": "949"}
    assert torznab.plan(MOVIE, parse_caps(CAPS)) == {"t": "search", "q": "Heat 1995"}
    assert torznab.plan(SHOW, None) == {"t": "search", "q": "The Office S03E05"}


def test_the_api_key_is_added_to_the_configured_url():
    indexer = torznab.Indexer(1, "J", "http://jackett:9117/api/v2.0/indexers/all/results/torznab/api?apikey=old&x=1",
                              "s3cret")
    url = torznab.api_url(indexer, {"t": "caps"})
    assert url == "http://jackett:9117/api/v2.0/indexers/all/results/torznab/api?x=1&t=caps&apikey=s3cret"
    assert "s3cret" not in repr(indexer)


def test_item_attr_lookup_is_first_value():
    assert Item("t", None, None, None, None, None, None, (("category", "5000"), ("category", "5040"))) \
        .attr("category") == "5000"


@pytest.mark.parametrize(("link", "expected"), [
    ("/download/5.torrent?id=5", "https://idx.example/download/5.torrent?id=5"),
    ("dl/6.torrent", "https://idx.example/prowlarr/1/dl/6.torrent"),
    ("?t=get&id=7", "https://idx.example/prowlarr/1/api?t=get&id=7"),
    ("//mirror.example/8.torrent", "https://mirror.example/8.torrent"),
    ("https://other.example/9.torrent", "https://other.example/9.torrent"),
    ("magnet:?xt=urn:btih:" + "a" * 40, "magnet:?xt=urn:btih:" + "a" * 40),
])
def test_a_relative_link_is_read_against_the_feeds_address(link, expected):
    """Real feeds (issue 59) give links relative to themselves; the feed's address carries no API key."""
    from uuid import uuid4
    from xml.sax.saxutils import escape

    indexer = torznab.Indexer(uuid4(), "Relative", "https://idx.example/prowlarr/1/api?apikey=K", "K")
    enclosure = f'<enclosure url="{escape(link)}" length="10" type="application/x-bittorrent"/>'
    [parsed] = parse_feed(feed(item(link=escape(link), extra=enclosure)), torznab.feed_url(indexer))
    assert parsed.link == expected and parsed.enclosure_url == expected
    assert to_candidate(parsed, "Relative").link in (expected, None)


def test_a_link_that_cannot_be_read_is_left_for_the_candidate_step_to_refuse():
    [parsed] = parse_feed(feed(item(link="http://[::1")), "https://idx.example/api")
    with pytest.raises(Dropped, match="no valid magnet or http"):
        to_candidate(parsed, "Broken")
