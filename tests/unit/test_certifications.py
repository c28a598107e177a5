"""TMDB and IGDB rating answers -> (label, minimum age), in the shapes the APIs document."""

from chalicelib.catalog import certifications, igdb_map, tmdb_map


def _release(country, *entries):
    return {"iso_3166_1": country, "release_dates": [
        {"certification": label, "descriptors": [], "iso_639_1": "", "note": "",
         "release_date": "2020-01-01T00:00:00.000Z", "type": kind} for label, kind in entries]}


def test_movie_prefers_the_region_then_us_then_any_rated_country():
    data = {"release_dates": {"results": [_release("DE", ("16", 3)), _release("US", ("", 4), ("R", 3)),
                                          _release("GB", ("15", 3))]}}
    assert certifications.movie(data) == ("R", 17)
    assert certifications.movie(data, "GB") == ("15", 15)
    assert certifications.movie(data, "FR") == ("R", 17)
    only_de = {"release_dates": {"results": [_release("US", ("", 3)), _release("DE", ("12", 3))]}}
    assert certifications.movie(only_de) == ("12", 12)


def test_movie_uses_the_theatrical_certification_before_others():
    data = {"release_dates": {"results": [_release("US", ("NC-17", 4), ("R", 3))]}}
    assert certifications.movie(data) == ("R", 17)


def test_no_or_unknown_certification_is_no_rating():
    assert certifications.movie({}) is None
    assert certifications.movie({"release_dates": {"results": [_release("US", ("NR", 3))]}}) is None
    assert certifications.show({"content_ratings": {"results": []}}) is None
    assert certifications.game({"age_ratings": [{"category": 1, "rating": 6}]}) is None  # rating pending


def test_show_content_ratings():
    data = {"content_ratings": {"results": [{"descriptors": [], "iso_3166_1": "GB", "rating": "12"},
                                            {"descriptors": [], "iso_3166_1": "US", "rating": "TV-MA"}]}}
    assert certifications.show(data) == ("TV-MA", 17)
    assert certifications.show(data, "GB") == ("12", 12)


def test_game_esrb_in_the_americas_pegi_elsewhere():
    game = {"age_ratings": [{"id": 1, "category": 2, "rating": 3}, {"id": 2, "category": 1, "rating": 10}]}
    assert certifications.game(game) == ("T", 13)
    assert certifications.game(game, "DE") == ("PEGI 12", 12)
    assert certifications.game({"age_ratings": [{"category": 2, "rating": 5}]}) == ("PEGI 18", 18)


def test_region_of_a_tmdb_language():
    assert certifications.region_of("en-GB") == "GB"
    assert certifications.region_of("de") == "US"
    assert certifications.region_of(None) == "US"


def test_mappers_fill_the_record():
    movie = tmdb_map.movie_details({"id": 1, "title": "A", "release_dates": {
        "results": [_release("US", ("PG-13", 3))]}})
    assert movie is not None and (movie.content_rating, movie.min_age) == ("PG-13", 13)
    assert movie.row()["content_rating"] == "PG-13" and movie.row()["min_age"] == 13
    show = tmdb_map.show_record({"id": 2, "name": "B", "content_ratings": {
        "results": [{"iso_3166_1": "US", "rating": "TV-Y7"}]}})
    assert show is not None and (show.content_rating, show.min_age) == ("TV-Y7", 7)
    game = igdb_map.game({"id": 3, "name": "C", "age_ratings": [{"category": 1, "rating": 8}]})
    assert game is not None and (game.content_rating, game.min_age) == ("E", 6)
    unrated = tmdb_map.movie_details({"id": 4, "title": "D"})
    assert unrated is not None and unrated.content_rating is None and unrated.min_age is None
