"""Person pages and follows of people.

A person page is one statement (``people_page``): the person, the user's follow, the titles they are
known for and their filmography with what the user has seen. Following a person puts their titles in
the user's calendar and on the dashboard ("From people you follow"), so a follow change drops those
caches (``cache.on_follows_changed``) after the commit.
"""

from __future__ import annotations

from uuid import UUID

from chalicelib import cache, db
from chalicelib.catalog import images
from chalicelib.catalog.service import summary
from chalicelib.contentrating import Limit
from chalicelib.db import Conn
from chalicelib.people import details, queries
from chalicelib.people.errors import NotFollowing, PersonNotFound
from chalicelib.people.models import FilmographyEntry, PersonCard, PersonDetail, PersonFollow
from chalicelib.people.queries import FilmographyRow, FollowRow, PersonPageRow

KNOWN_FOR_LIMIT = 8
MAX_ID = 2**63 - 1


def person_id_param(raw: str) -> int:
    """A person id from a URL segment; anything that cannot be an id is simply not found."""
    if not raw.isascii() or not raw.isdigit() or not 0 < int(raw) <= MAX_ID:
        raise PersonNotFound(f"No person with id {raw[:40]!r}")
    return int(raw)


def card(row: PersonPageRow | FollowRow) -> PersonCard:
    return PersonCard(id=row["id"], name=row["name"], profile_url=profile_url(row["profile_path"]),
                      known_for_department=row["known_for_department"])


def profile_url(path: str | None) -> str | None:
    return images.url("person", path, "profile")


def _entry(item: FilmographyRow) -> FilmographyEntry:
    return FilmographyEntry(media_id=item["media_id"], media_type=item["media_type"], title=item["title"],
                            year=item["year"], role=item["role"], kind=item["kind"], seen=item["seen"],
                            poster_url=images.url(item["media_type"], item["poster_path"], "poster"))


def _page(person_id: int, user_id: UUID, limit: Limit | None) -> PersonPageRow | None:
    with db.connection() as conn:
        return queries.page(conn, person_id=person_id, user_id=user_id, known_for_limit=KNOWN_FOR_LIMIT, limit=limit)


def person(raw_id: str, user_id: UUID, limit: Limit | None = None) -> PersonDetail:
    """A person's page as ``user_id`` sees it (follow state, seen titles; a kid profile's ``limit``: only the
    titles it allows). PersonNotFound."""
    person_id = person_id_param(raw_id)
    row = _page(person_id, user_id, limit)
    if row is None:
        raise PersonNotFound(f"No person with id {person_id}")
    if details.ensure_person(row) is not None:  # a first visit fetched the biography and photo (no connection held)
        row = _page(person_id, user_id, limit) or row
    return PersonDetail(**card(row).model_dump(), biography=row["biography"], birth_year=row["birth_year"],
                        death_year=row["death_year"], following=row["following"],
                        known_for=[summary(item) for item in row["known_for"]],
                        filmography=[_entry(item) for item in row["filmography"]])


def _follow(row: FollowRow) -> PersonFollow:
    return PersonFollow(person=card(row), since=row["since"])


def follows(conn: Conn, user_id: UUID) -> list[PersonFollow]:
    """The people ``user_id`` follows, newest follow first."""
    return [_follow(row) for row in queries.follows(conn, user_id=user_id)]


def follow(user_id: UUID, raw_id: str) -> PersonFollow:
    """Follow a person (again: no change). PersonNotFound."""
    person_id = person_id_param(raw_id)
    with db.transaction() as conn:
        row = queries.follow(conn, user_id=user_id, person_id=person_id)
    if row is None:
        raise PersonNotFound(f"No person with id {person_id}")
    cache.on_follows_changed(user_id)
    return _follow(row)


def unfollow(user_id: UUID, raw_id: str) -> None:
    """Stop following a person. PersonNotFound; NotFollowing when the user did not follow them."""
    person_id = person_id_param(raw_id)
    with db.transaction() as conn:
        if queries.unfollow(conn, user_id=user_id, person_id=person_id) == 0:
            if not queries.exists(conn, person_id=person_id):
                raise PersonNotFound(f"No person with id {person_id}")
            raise NotFollowing(f"You do not follow person {person_id}")
    cache.on_follows_changed(user_id)
