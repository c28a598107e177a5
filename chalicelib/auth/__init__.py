"""Accounts, sessions, roles: argon2id passwords, JWT access tokens, rotating refresh tokens.

Routes use ``auth="user"`` / ``auth="adult"`` / ``auth="admin"`` in
``chalicelib.api.endpoint``; the authenticators behind those names
(``require_user``, ``require_adult``, ``require_admin``) are registered when
``chalicelib.auth.routes`` is imported (``app.py`` does). Views receive a
``Principal(user_id, role, session_id, account_id, profile_kind, limit)``:
``user_id`` is the household profile the session acts as, ``account_id`` the
account (``chalicelib.profiles``).
"""

from chalicelib.auth.guards import require_admin, require_adult, require_user
from chalicelib.auth.users import Principal

__all__ = ["Principal", "require_admin", "require_adult", "require_user"]
