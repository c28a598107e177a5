"""A part of the web app that fails to render reports itself to the server log (issue 34, item 5)."""

from __future__ import annotations

URL = "/api/v1/client-errors"
REPORT = {"where": 'dashboard widget "fromPeopleYouFollow"', "message": "Cannot read properties of undefined",
          "stack": "TypeError: Cannot read properties of undefined\n    at PosterCard", "path": "/app/dashboard"}


def test_a_render_error_is_logged_with_its_user_and_part(me, caplog):
    user_id, api = me
    with caplog.at_level("WARNING", logger="seen-api"):
        status, body = api("POST", URL, REPORT)
    assert (status, body) == (204, None)
    [record] = [r for r in caplog.records if getattr(r, "action", None) == "client_render_error"]
    assert (record.user_id, record.where, record.error, record.path) == (
        str(user_id), REPORT["where"], REPORT["message"], "/app/dashboard")
    assert "at PosterCard" in record.stack


def test_reports_need_a_user_and_a_sane_body(client, me):
    _, api = me
    assert client.http.post(URL, body='{"where": "x", "message": "y"}',
                            headers={"Content-Type": "application/json"}).status_code == 401
    status, body = api("POST", URL, {"where": "", "message": "y"})
    assert status == 422 and body["error"]["code"] == "validation_error"
    status, body = api("POST", URL, {**REPORT, "message": "m" * 2001})
    assert status == 422
    status, _ = api("POST", URL, {**REPORT, "stack": "s" * 8001})
    assert status == 422


def test_a_render_loop_cannot_flood_the_log(me, caplog):
    _, api = me
    statuses = [api("POST", URL, REPORT)[0] for _ in range(31)]
    assert statuses == [204] * 30 + [429]
