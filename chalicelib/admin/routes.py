"""/api/v1/admin/users: list and search accounts, change roles, disable and enable."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from chalice import Blueprint
from pydantic import Field

from chalicelib.admin import users
from chalicelib.api import endpoint
from chalicelib.auth import principals
from chalicelib.auth.users import Principal
from chalicelib.models import ApiModel, Page, RequestModel

bp = Blueprint(__name__)
TAGS = ("admin",)
USERS = "/api/v1/admin/users"


class UserListQuery(RequestModel):
    page: int = Field(default=1, ge=1, le=100_000)
    page_size: int = Field(default=20, ge=1, le=100)
    q: str | None = Field(default=None, max_length=320, description="Part of the e-mail address")


class RoleChange(RequestModel):
    role: Literal["user", "admin"]


class AdminUserOut(ApiModel):
    id: uuid.UUID
    email: str
    display_name: str | None
    role: Literal["user", "admin"]
    disabled: bool
    disabled_at: datetime | None
    created_at: datetime
    last_login_at: datetime | None
    last_active_at: datetime | None


class AdminUserPage(Page[AdminUserOut]):
    """A page of accounts (a named subclass: OpenAPI schema names cannot contain brackets)."""


def _changed(user: users.ManagedUser) -> AdminUserOut:
    # Committed: the user's cached session checks go, so the change applies to their next request.
    principals.forget_user(user.id)
    return _out(user)


def _out(user: users.ManagedUser) -> AdminUserOut:
    return AdminUserOut(**vars(user), disabled=user.disabled_at is not None)


@endpoint(bp, USERS, summary="List accounts (paged, oldest first; q searches e-mails)", tags=TAGS,
          query=UserListQuery, response=AdminUserPage, auth="admin")
def list_users(principal: Principal, query: UserListQuery) -> AdminUserPage:
    found, total = users.list_users(search=query.q, page=query.page, page_size=query.page_size)
    return AdminUserPage(items=[_out(user) for user in found], page=query.page, page_size=query.page_size,
                              total=total)


@endpoint(bp, f"{USERS}/{{user_id}}", "PATCH", summary="Change an account's role", tags=TAGS, body=RoleChange,
          response=AdminUserOut, auth="admin", errors_=(409,))
def change_role(user_id: str, principal: Principal, body: RoleChange) -> AdminUserOut:
    user = users.set_role(principal, user_id, body.role)
    return _changed(user)


@endpoint(bp, f"{USERS}/{{user_id}}/disable", "POST", summary="Disable an account and end all its sessions",
          tags=TAGS, response=AdminUserOut, auth="admin", errors_=(409,))
def disable(user_id: str, principal: Principal) -> AdminUserOut:
    user = users.set_disabled(principal, user_id, True)
    return _changed(user)


@endpoint(bp, f"{USERS}/{{user_id}}/enable", "POST", summary="Enable a disabled account", tags=TAGS,
          response=AdminUserOut, auth="admin", errors_=(409,))
def enable(user_id: str, principal: Principal) -> AdminUserOut:
    user = users.set_disabled(principal, user_id, False)
    return _changed(user)
