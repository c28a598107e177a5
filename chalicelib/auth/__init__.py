"""Accounts, sessions, roles: argon2id passwords, JWT access tokens, rotating refresh tokens.

Routes use ``auth="user"`` / ``auth="admin"`` in ``chalicelib.api.endpoint``;
the authenticators behind those names (``require_user``, ``require_admin``)
are registered when ``chalicelib.auth.routes`` is imported (``app.py`` does).
Views receive a ``Principal(user_id, role, session_id)``.
"""

from chalicelib.auth.guards import require_admin, require_user
from chalicelib.auth.users import Principal

__all__ = ["Principal", "require_admin", "require_user"]
