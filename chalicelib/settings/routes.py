"""/api/v1/settings (your preferences) and /api/v1/admin/settings (instance settings, admin only)."""

from __future__ import annotations

from chalice.app import Blueprint

from chalicelib.api import endpoint
from chalicelib.auth.users import Principal
from chalicelib.settings import service
from chalicelib.settings.models import InstanceSettings, InstanceSettingsPatch, UserSettings, UserSettingsPatch

bp = Blueprint(__name__)


@endpoint(bp, "/api/v1/settings", summary="Your preferences (defaults until you change one)", tags=("settings",),
          response=UserSettings, auth="user")
def get_settings(principal: Principal) -> UserSettings:
    return service.user_settings(principal.user_id)


@endpoint(bp, "/api/v1/settings", "PATCH", summary="Change some of your preferences (all or nothing)",
          tags=("settings",), body=UserSettingsPatch, response=UserSettings, auth="adult", status=200)
def patch_settings(principal: Principal, body: UserSettingsPatch) -> UserSettings:
    return service.update_user_settings(principal.user_id, body)


@endpoint(bp, "/api/v1/admin/settings", summary="Instance settings (secrets only as set / not set)",
          tags=("admin",), response=InstanceSettings, auth="admin")
def get_instance_settings(principal: Principal) -> InstanceSettings:
    return service.instance_settings()


@endpoint(bp, "/api/v1/admin/settings", "PATCH", summary="Change instance settings (secrets are write-only)",
          tags=("admin",), body=InstanceSettingsPatch, response=InstanceSettings, auth="admin", status=200,
          errors_=(503,))
def patch_instance_settings(principal: Principal, body: InstanceSettingsPatch) -> InstanceSettings:
    return service.update_instance_settings(principal.user_id, body)
