"""/api/v1/auth: register, login, refresh, logout, logout-all, me, password.

``me`` and the password are the account's, whichever household profile the session acts as.
Views stay thin: parse, rate-limit, one service call, shape the response
(cookies included).
"""

from __future__ import annotations

from typing import Any

from chalice import Blueprint, Response

from chalicelib import api, errors, ratelimit
from chalicelib.auth import account, cookies, service
from chalicelib.auth.clientaddr import client_ip
from chalicelib.auth.models import LoginIn, PasswordChangeIn, ProfilePatch, RegisterIn, SessionOut, UserOut
from chalicelib.auth.responses import session_response
from chalicelib.auth.users import ClientInfo, Principal
from chalicelib.config import get_settings

bp = Blueprint(__name__)

TAGS = ("auth",)
PREFIX = "/api/v1/auth"


def _client(request: Any) -> ClientInfo:
    agent = request.headers.get("user-agent")
    return ClientInfo(ip=client_ip(request), user_agent=agent[:1024] if agent else None)


def _no_content(clear_cookies: bool = True) -> Response:
    headers: dict[str, str | list[str]] = {"Set-Cookie": cookies.cleared_cookies()} if clear_cookies else {}
    return Response(body="", status_code=204, headers=headers)


@api.endpoint(bp, f"{PREFIX}/register", "POST", summary="Create an account and log in (sets the refresh cookie)",
              tags=TAGS, body=RegisterIn, response=SessionOut, status=201, errors_=(409, 429, 503))
def register(body: RegisterIn) -> Response:
    request = api.current_request()
    ratelimit.check_rate("register_ip", client_ip(request), get_settings().auth.register_per_ip, fail_closed=True)
    issued = service.register_account(email=body.email, password=body.password, display_name=body.display_name,
                                      client=_client(request))
    return session_response(issued, 201)


@api.endpoint(bp, f"{PREFIX}/login", "POST", summary="Log in with e-mail and password (sets the refresh cookie)",
              tags=TAGS, body=LoginIn, response=SessionOut, errors_=(401, 403, 429, 503))
def login(body: LoginIn) -> Response:
    issued = service.login(email=body.email, password=body.password, client=_client(api.current_request()))
    return session_response(issued)


@api.endpoint(bp, f"{PREFIX}/refresh", "POST", tags=TAGS, response=SessionOut, errors_=(401, 403, 429),
              summary="Rotate the refresh cookie and get a new access token (needs X-CSRF-Token)")
def refresh() -> Response:
    request = api.current_request()
    cookies.require_csrf(request)
    try:
        issued = service.refresh_session(cookies.refresh_token_of(request))
    except (errors.Unauthorized, errors.Forbidden) as exc:
        # The cookies are of no further use: drop them so the SPA shows the login page.
        response = api.error_response(exc)
        response.headers["Set-Cookie"] = cookies.cleared_cookies()
        return response
    return session_response(issued)


@api.endpoint(bp, f"{PREFIX}/logout", "POST", tags=TAGS, status=204, errors_=(403,),
              summary="End this session (refresh cookie + X-CSRF-Token) and clear the cookies")
def logout() -> Response:
    request = api.current_request()
    cookies.require_csrf(request)
    service.logout(cookies.refresh_token_of(request))
    return _no_content()


@api.endpoint(bp, f"{PREFIX}/logout-all", "POST", tags=TAGS, status=204, auth="adult", errors_=(403,),
              summary="End every session of this account, this one included (not as a kid profile: it is the "
                      "whole household's)")
def logout_all(principal: Principal) -> Response:
    service.logout_all(principal.account_id)
    return _no_content()


@api.endpoint(bp, f"{PREFIX}/me", summary="The signed-in account", tags=TAGS, response=UserOut, auth="user")
def me(principal: Principal) -> UserOut:
    return UserOut.model_validate(account.get_me(principal))


@api.endpoint(bp, f"{PREFIX}/me", "PATCH", summary="Change the display name (null clears it)", tags=TAGS,
              body=ProfilePatch, response=UserOut, auth="adult", errors_=(403,))
def update_me(principal: Principal, body: ProfilePatch) -> UserOut:
    return UserOut.model_validate(account.update_me(principal, body.display_name))


@api.endpoint(bp, f"{PREFIX}/password", "POST", tags=TAGS, body=PasswordChangeIn, status=204, auth="adult",
              errors_=(403, 429, 503), summary="Change the password; every other session is logged out")
def change_password(principal: Principal, body: PasswordChangeIn) -> Response:
    account.change_password(principal, body.current_password, body.new_password)
    return _no_content(clear_cookies=False)
