"""Global search and type-ahead on the demo catalog: ranking, typos, filters, bad input, limits, cache."""

from __future__ import annotations

import pytest

from tests.integration import catalog_support as support
from tests.integration.catalog_support import body, get


@pytest.fixture(scope="module")
def demo_template(template_url):
    yield from support.demo_template(template_url)


@pytest.fixture
def app_db(demo_template):
    """This module's app database: a copy of the demo-catalog template."""
    yield from support.app_database(demo_template)


@pytest.fixture
def headers(auth_headers):
    return auth_headers()


def search(client, headers, q, **params):
    response = get(client, "/api/v1/search", headers, q=q, **params)
    assert response.status_code == 200, response.body
    return body(response)


def test_a_typo_finds_the_matrix(client, headers):
    results = search(client, headers, "matrx")["items"]

    assert (results[0]["title"], results[0]["year"], results[0]["mediaType"]) == ("The Matrix", 1999, "movie")
    assert results[0]["match"] == "fuzzy"
    assert {"The Matrix Reloaded", "The Matrix Revolutions"} <= {r["title"] for r in results}


def test_exact_beats_prefix_beats_word_beats_fuzzy(client, headers):
    results = search(client, headers, "Star Wars")["items"]
    ranked = [(r["title"], r["match"]) for r in results]

    assert ranked[0] == ("Star Wars", "exact")
    prefixes = [t for t, m in ranked if m == "prefix"]
    assert {"Star Wars: The Force Awakens", "Star Wars: Starfighter"} <= set(prefixes)
    assert ("Rogue One: A Star Wars Story", "word") in ranked
    order = [m for _, m in ranked]
    tiers = ["exact", "prefix", "word", "fuzzy"]
    assert order == sorted(order, key=tiers.index)
    assert [r["score"] for r in results] == sorted((r["score"] for r in results), reverse=True)


def test_leading_articles_and_case_do_not_matter(client, headers):
    assert search(client, headers, "MATRIX")["items"][0]["title"] == "The Matrix"
    assert search(client, headers, "matrix")["items"][0]["match"] == "exact"
    assert search(client, headers, "godfather part")["items"][0]["title"] == "The Godfather Part II"


def test_search_spans_media_types_and_filters_narrow_it(client, headers):
    mixed = {r["mediaType"] for r in search(client, headers, "witcher")["items"]}
    assert mixed == {"show", "game"}

    games = search(client, headers, "witcher", mediaType="game")
    assert games["items"] and {r["mediaType"] for r in games["items"]} == {"game"}

    nineties = search(client, headers, "the", yearFrom=1990, yearTo=1999, pageSize=100)
    assert nineties["items"] and all(1990 <= r["year"] <= 1999 for r in nineties["items"])

    dramas = search(client, headers, "the", genre="drama", pageSize=100)
    assert dramas["items"] and all("Drama" in r["genres"] for r in dramas["items"])


def test_search_pages_and_reports_the_total(client, headers):
    everything = search(client, headers, "the", pageSize=100)
    second = search(client, headers, "the", pageSize=5, page=2)
    assert second["total"] == everything["total"] > 10
    assert [r["id"] for r in second["items"]] == [r["id"] for r in everything["items"][5:10]]
    assert search(client, headers, "the", page=500)["items"] == []


def test_queries_with_sql_wildcards_are_literal(client, headers):
    for q in ("100%", "a_b", "\\", "'; drop table media_items; --", "%"):
        search(client, headers, q)
    assert search(client, headers, "%")["total"] == 0  # not "everything"


@pytest.mark.parametrize("q", ["", "   ", "x" * 500])
def test_empty_or_oversized_queries_are_422(client, headers, q):
    response = get(client, "/api/v1/search", headers, q=q)
    assert response.status_code == 422 and "q" in body(response)["error"]["fields"]


def test_missing_query_and_bad_filters_are_422(client, headers):
    assert client.http.get("/api/v1/search", headers=headers).status_code == 422
    assert get(client, "/api/v1/search", headers, q="x", mediaType="book").status_code == 422
    assert get(client, "/api/v1/search", headers, q="x", pageSize=500).status_code == 422
    assert get(client, "/api/v1/search/suggest", headers, q="").status_code == 422


def test_suggest_returns_at_most_eight_best_first(client, headers):
    suggestions = body(get(client, "/api/v1/search/suggest", headers, q="the"))
    assert 0 < len(suggestions) <= 8
    assert set(suggestions[0]) == {"id", "mediaType", "title", "year", "posterUrl"}

    matr = body(get(client, "/api/v1/search/suggest", headers, q="matr"))
    assert matr[0]["title"] == "The Matrix"
    typo = body(get(client, "/api/v1/search/suggest", headers, q="intersteller"))
    assert typo[0]["title"] == "Interstellar"
    shows = body(get(client, "/api/v1/search/suggest", headers, q="the", mediaType="show"))
    assert shows and {s["mediaType"] for s in shows} == {"show"}


def test_search_results_are_cached_and_dropped_by_a_sync(client, headers):
    from chalicelib import cache

    first = search(client, headers, "interstellar")
    support.rows("UPDATE media_items SET title = 'Interstellar Redux' WHERE title = 'Interstellar'")
    assert search(client, headers, "interstellar") == first
    assert body(get(client, "/api/v1/search/suggest", headers, q="interstel"))[0]["title"] == "Interstellar Redux"

    cache.on_catalog_synced()
    assert search(client, headers, "interstellar")["items"][0]["title"] == "Interstellar Redux"


def test_search_is_rate_limited_per_user(client, auth_headers, settings_env):
    settings_env(SEEN_RATE_SEARCH_USER="2/60")
    alice, bob = auth_headers(), auth_headers()
    for q in ("a1", "a2"):
        assert get(client, "/api/v1/search", alice, q=q).status_code == 200
    limited = get(client, "/api/v1/search", alice, q="a3")
    assert limited.status_code == 429 and body(limited)["error"]["code"] == "rate_limited"
    assert int(limited.headers["Retry-After"]) >= 1
    assert get(client, "/api/v1/search", bob, q="b1").status_code == 200
    assert get(client, "/api/v1/search/suggest", alice, q="a").status_code == 200  # its own bucket


@pytest.mark.parametrize(("q", "intended"), [
    ("interstllar", "Interstellar"),  # a dropped letter
    ("intersetllar", "Interstellar"),  # swapped letters
    ("breakking bad", "Breaking Bad"),  # a doubled letter
    ("the dark knigth rises", "The Dark Knight Rises"),
    ("the lst of us", "The Last of Us"),  # a three-letter word missing a letter
    ("lord rings two towers", "The Lord of the Rings: The Two Towers"),  # missing words
])
def test_typos_and_missing_words_find_the_intended_title_first(client, headers, q, intended):
    results = search(client, headers, q)["items"]
    assert results and results[0]["title"] == intended, [r["title"] for r in results[:3]]


def test_a_typo_in_the_last_word_still_completes_as_you_type(client, headers):
    assert body(get(client, "/api/v1/search/suggest", headers, q="the dark knigt ri"))[0]["title"] == \
        "The Dark Knight Rises"
    rises = search(client, headers, "knight rises")["items"][0]
    assert (rises["title"], rises["match"]) == ("The Dark Knight Rises", "word")


def test_the_spelling_dictionary_follows_the_catalog(client, headers):
    from chalicelib import cache

    assert search(client, headers, "quxbrindel")["total"] == 0
    support.rows("INSERT INTO media_items (media_type, title) VALUES ('movie', 'Quxbrindle Saga') RETURNING id")
    support.rows("UPDATE media_items SET title = 'Zorvathian Nights' WHERE title = 'Interstellar' RETURNING id")
    words = {r["word"] for r in support.rows(
        "SELECT word FROM search_word_variants WHERE variant = ANY(%(v)s)", v=["qxbrindle", "zorvathan"])}
    assert words == {"quxbrindle", "zorvathian"}
    cache.on_catalog_synced()

    typo = search(client, headers, "quxbrindel saga")["items"]  # swapped letters: one edit away
    assert (typo[0]["title"], typo[0]["match"]) == ("Quxbrindle Saga", "fuzzy")
    assert search(client, headers, "zorvathan nights")["items"][0]["title"] == "Zorvathian Nights"


def _common_word_catalog(count: int) -> None:
    """``count`` titles with the word "harbor" (a few starting with it), IMDb-style: votes, no popularity."""
    from chalicelib import cache

    support.rows("""
        INSERT INTO media_items (media_type, title, vote_count)
        SELECT CASE WHEN i %% 4 = 0 THEN 'show' ELSE 'movie' END,
               CASE WHEN i %% 10 = 0 THEN 'Harbor Lights ' || i ELSE 'Night at the Harbor ' || i END, i
        FROM generate_series(1, %(count)s) AS i RETURNING id""", count=count)
    support.rows("INSERT INTO media_items (media_type, title, vote_count) VALUES ('movie', 'Harbor', 3), "
                 "('movie', 'The Harbor', 2) RETURNING id")
    cache.on_catalog_synced()


def test_a_word_in_more_titles_than_are_counted_ranks_the_best_known_first(client, headers):
    from chalicelib.catalog.search import BROAD_AT

    _common_word_catalog(BROAD_AT + 500)

    page = search(client, headers, "harbor")
    ranked = [(r["title"], r["match"]) for r in page["items"]]
    assert (page["total"], page["totalAtLeast"], page["languages"]) == (BROAD_AT + 1, True, [])
    # Both exact titles (with and without the article), then the titles starting with the word, then the rest,
    # each the best known (most voted) first.
    assert {ranked[0], ranked[1]} == {("Harbor", "exact"), ("The Harbor", "exact")}
    assert ranked[2:4] == [(f"Harbor Lights {BROAD_AT + 500 - 10 * k}", "prefix") for k in (0, 1)]
    second = search(client, headers, "harbor", page=2, pageSize=20)["items"]
    assert not {r["id"] for r in second} & {r["id"] for r in search(client, headers, "harbor", pageSize=20)["items"]}
    shows = search(client, headers, "harbor", mediaType="show")["items"]
    assert shows and {r["mediaType"] for r in shows} == {"show"}
    suggested = body(get(client, "/api/v1/search/suggest", headers, q="harbor"))
    assert len(suggested) == 8 and {s["title"] for s in suggested[:2]} == {"Harbor", "The Harbor"}


def test_a_common_word_with_a_filter_is_counted_exactly(client, headers):
    from chalicelib.catalog.search import BROAD_AT

    _common_word_catalog(BROAD_AT + 500)

    page = search(client, headers, "harbor", minVotes=2)  # a filter: every match is ranked and counted
    assert (page["totalAtLeast"], page["total"]) == (False, BROAD_AT + 501)  # all but the one with 1 vote
    assert search(client, headers, "harbor lights")["totalAtLeast"] is False  # a rarer query: counted
