"""The answer every route that issues an access token gives: the SessionOut body and its cookies."""

from __future__ import annotations

from chalice import Response

from chalicelib.auth import cookies
from chalicelib.auth.models import SessionOut, UserOut
from chalicelib.auth.users import Issued


def session_response(issued: Issued, status: int = 200) -> Response:
    """SessionOut plus the refresh and CSRF cookies (only the CSRF one when no refresh token was issued:
    a profile switch keeps the session's refresh cookie)."""
    body = SessionOut(user=UserOut.model_validate(issued.user), access_token=issued.access_token,
                      expires_in=issued.expires_in, csrf_token=issued.csrf_token,
                      profile_id=issued.profile_id or issued.user.id)
    set_cookies = (cookies.session_cookies(issued.refresh_token, issued.csrf_token) if issued.refresh_token
                   else cookies.csrf_cookies(issued.csrf_token))
    return Response(body=body.model_dump(mode="json", by_alias=True), status_code=status,
                    headers={"Content-Type": "application/json", "Set-Cookie": set_cookies})
