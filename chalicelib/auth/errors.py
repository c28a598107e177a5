"""Auth's domain errors: each has a stable ``code`` clients can rely on."""

from __future__ import annotations

from chalicelib import errors


class InvalidCredentials(errors.Unauthorized):
    code = "invalid_credentials"


class WrongCurrentPassword(errors.Forbidden):
    """A password change with the wrong current password (403: the session itself is fine)."""

    code = "invalid_credentials"


class Unauthenticated(errors.Unauthorized):
    code = "unauthorized"


class InvalidToken(errors.Unauthorized):
    code = "invalid_token"


class TokenExpired(errors.Unauthorized):
    code = "token_expired"


class SessionRevoked(errors.Unauthorized):
    code = "session_revoked"


class AccountDisabled(errors.Forbidden):
    code = "account_disabled"


class CsrfFailed(errors.Forbidden):
    code = "csrf_failed"


class AdminRequired(errors.Forbidden):
    code = "forbidden"


class NotForKids(errors.Forbidden):
    """A kid profile asked for Get, downloads, settings, admin or another grown-ups' page."""

    code = "not_for_kids"


class ProfileChanged(errors.Unauthorized):
    """An access token of a profile its session no longer acts as (another one was selected since)."""

    code = "profile_changed"


class EmailTaken(errors.Conflict):
    code = "email_taken"


class WeakPassword(errors.ValidationFailed):
    code = "weak_password"


class UserNotFound(errors.NotFound):
    code = "user_not_found"


class SelfModification(errors.Conflict):
    """An admin may not demote or disable their own account (the instance would lose its admin)."""

    code = "self_modification"
