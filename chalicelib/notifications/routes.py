"""In-app notifications: the list (unread first) and read marks."""

from __future__ import annotations

from chalice import Blueprint

from chalicelib.api import endpoint
from chalicelib.auth import Principal
from chalicelib.notifications import service
from chalicelib.notifications.models import NotificationList, ReadIn, ReadOut

bp = Blueprint(__name__)
V1 = "/api/v1"
TAGS = ("notifications",)


@endpoint(bp, f"{V1}/notifications", summary="Your notifications, unread first, with the unread count",
          tags=TAGS, response=NotificationList, auth="user")
def list_notifications(principal: Principal) -> NotificationList:
    return service.listing(principal.user_id)


@endpoint(bp, f"{V1}/notifications/read", "POST", summary="Mark notifications read (ids, or all: true)",
          tags=TAGS, body=ReadIn, response=ReadOut, auth="user", errors_=(422,))
def mark_read(principal: Principal, body: ReadIn) -> ReadOut:
    return service.mark_read(principal.user_id, body)
