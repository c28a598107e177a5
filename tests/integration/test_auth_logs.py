"""No password, token, CSRF value or signing secret ever reaches a log line."""

import hashlib
import json
import logging

from tests.integration.auth_support import PASSWORD, bearer, cookie_jar, login, logout, post, refresh, register

NEW_PASSWORD = "another long passphrase 42"


def formatted_lines(records) -> list[str]:
    from chalicelib.logs import get_logger

    formatter = get_logger().registered_formatter
    lines = []
    for record in records:
        if record.name == "seen-api":
            lines.append(formatter.format(record))
        else:  # anything else (chalice, psycopg, ...) with all its attributes
            lines.append(f"{record.getMessage()} {record.__dict__!r}")
    return lines


def test_auth_flows_log_events_but_never_secrets(client, caplog):
    from chalicelib.config import get_settings

    secrets: list[str] = [PASSWORD, NEW_PASSWORD, "wrong password here", get_settings().auth.jwt_secret]
    with caplog.at_level(logging.DEBUG):
        first = register(client, "logs@example.com")
        secrets += [json.loads(first.body)["accessToken"], *cookie_jar(first).values()]
        login(client, "logs@example.com", "wrong password here")
        second = login(client, "logs@example.com")
        secrets += [json.loads(second.body)["accessToken"], *cookie_jar(second).values()]
        rotated = refresh(client, cookie_jar(second))
        secrets += [json.loads(rotated.body)["accessToken"], *cookie_jar(rotated).values()]
        refresh(client, cookie_jar(second))  # reuse: logged as a warning
        post(client, "/api/v1/auth/password", {"currentPassword": PASSWORD, "newPassword": NEW_PASSWORD},
             headers=bearer(first))
        logout(client, cookie_jar(first))
    refresh_tokens = [value for value in secrets if len(value) == 43]
    secrets += [hashlib.sha256(token.encode()).hexdigest() for token in refresh_tokens]

    lines = formatted_lines(caplog.records)
    events = {json.loads(line).get("action") for line in lines if line.startswith("{")}
    assert {"user_registered", "login_failed", "login_succeeded", "refresh_rotated", "refresh_reuse_detected",
            "password_changed", "logout", "http_request"} <= events
    for line in lines:
        for secret in secrets:
            assert secret not in line, f"a secret leaked into: {line[:200]}"
