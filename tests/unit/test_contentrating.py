import uuid

import pytest

from chalicelib.contentrating import DEFAULT_KID_MAX_AGE, Limit, UnknownRating, age_of, limit_for


@pytest.mark.parametrize(("label", "country", "age"), [
    ("G", None, 0), ("PG", "US", 10), ("PG-13", None, 13), ("R", "US", 17), ("NC-17", None, 18),
    ("TV-Y", None, 0), ("TV-Y7", None, 7), ("TV-G", None, 0), ("TV-PG", None, 10), ("TV-14", None, 14),
    ("TV-MA", None, 17),
    ("U", "GB", 0), ("PG", "GB", 8), ("12A", "GB", 12), ("12", "GB", 12), ("15", "GB", 15), ("18", "GB", 18),
    ("R18", "GB", 18),
    ("FSK 0", "DE", 0), ("FSK 6", None, 6), ("FSK 12", None, 12), ("FSK 16", "DE", 16), ("FSK 18", None, 18),
    ("0", "DE", 0), ("16", "DE", 16),
    ("EC", None, 3), ("E", None, 6), ("E10+", None, 10), ("T", None, 13), ("M", None, 17), ("AO", None, 18),
    ("PEGI 3", None, 3), ("PEGI 7", None, 7), ("PEGI 12", None, 12), ("PEGI 16", None, 16), ("PEGI 18", None, 18),
    ("12", None, 12), ("16+", None, 16), (" pg-13 ", None, 13), ("tv-ma", None, 17),
])
def test_age_of_maps_known_labels(label, country, age):
    assert age_of(label, country) == age


@pytest.mark.parametrize("label", ["", "  ", "NR", "Unrated", "XYZ", "99", "RP"])
def test_age_of_unknown_or_unrated_label_is_none(label):
    assert age_of(label) is None


def test_country_table_wins_over_the_us_reading():
    assert age_of("PG", "GB") == 8
    assert age_of("PG") == 10


def test_adult_has_no_limit():
    assert limit_for("adult", None) is None
    assert limit_for("adult", "R") is None


def test_kid_limit_from_label_and_collections():
    a, b = uuid.uuid4(), uuid.uuid4()
    assert limit_for("kid", "PG", [a, b, a]) == Limit(max_age=10, collections=(a, b))


def test_kid_without_max_rating_gets_the_safe_default():
    assert limit_for("kid", None) == Limit(max_age=DEFAULT_KID_MAX_AGE)
    assert limit_for("kid", " ") == Limit(max_age=DEFAULT_KID_MAX_AGE)


def test_kid_with_unknown_label_is_refused():
    with pytest.raises(UnknownRating):
        limit_for("kid", "XYZ")
    assert issubclass(UnknownRating, ValueError)


def test_unknown_kind_is_refused():
    with pytest.raises(ValueError):
        limit_for("teen", "PG")


def test_limit_is_hashable_and_frozen():
    limit = Limit(max_age=7)
    assert hash(limit) == hash(Limit(max_age=7))
    with pytest.raises(AttributeError):
        limit.max_age = 18  # type: ignore[misc]
