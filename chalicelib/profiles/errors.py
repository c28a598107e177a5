"""Profiles' domain errors: each has a stable ``code``."""

from __future__ import annotations

from chalicelib import errors


class ProfileNotFound(errors.NotFound):
    """No such profile in the caller's account (another account's profile answers the same)."""

    code = "profile_not_found"


class ProfileLimit(errors.Conflict):
    code = "profile_limit"


class ProfileNameTaken(errors.Conflict):
    code = "profile_name_taken"


class OwnerProfile(errors.Conflict):
    """The owner profile is the account itself: it cannot be deleted or made a kid."""

    code = "owner_profile"


class InvalidProfile(errors.ValidationFailed):
    """A maxRating no rating table knows, a collection not the account's, a rating on an adult."""

    code = "validation_error"


class PinRequired(errors.Forbidden):
    code = "pin_required"


class WrongPin(errors.Forbidden):
    code = "wrong_pin"


class AdultRequired(errors.Forbidden):
    """Managing profiles needs an adult profile of the account."""

    code = "not_for_kids"


class OwnerPinRequired(errors.ValidationFailed):
    """A household with a kid profile keeps a PIN on the owner's profile: adding the first kid (or clearing the
    owner's PIN while one exists) without it is refused, with the field to fill."""

    code = "owner_pin_required"


class OwnerPinSetup(errors.Forbidden):
    """From a kid profile, an adult profile of a household whose owner has no PIN yet (made before kids needed
    one): the account's password and a new owner PIN open it, and set that PIN."""

    code = "owner_pin_setup"
