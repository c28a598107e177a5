"""People's domain errors (mapped to the JSON envelope by ``chalicelib.api``)."""

from chalicelib import errors


class PersonNotFound(errors.NotFound):
    code = "person_not_found"


class NotFollowing(errors.NotFound):
    """Unfollowing someone the user does not follow (the show follows' code)."""

    code = "not_tracked"
