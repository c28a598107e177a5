"""One user's players and slow calls are capped before they cost anyone else (issue 58, item 3).

- Polls of a stream (a download's, a library file's: one budget per account) past ``STREAM_POLLS`` are a 429
  with the window (and up to a window more) as Retry-After, answered before the job or item is looked up; other
  accounts are unaffected.
- An account holding all its request slots in an API process gets a 429 at once for its next request there.
"""

from __future__ import annotations

import json
import uuid

from chalicelib import ratelimit

POLLS, WINDOW = 30, 10  # ratelimit.STREAM_POLLS: a few players of one household asking once a second


def _error(response) -> dict:
    return json.loads(response.body)["error"]


def test_stream_polls_past_the_cap_are_refused_before_the_lookup_and_only_for_that_account(client, make_user):
    _, headers = make_user()
    _, other = make_user()
    missing = uuid.uuid4()
    paths = [f"/api/v1/downloads/{missing}/stream", f"/api/v1/library/{missing}/stream"]
    looked_up = [client.http.get(paths[n % 2], headers=headers).status_code
                 for n in range(POLLS)]
    assert set(looked_up) == {404}, looked_up

    refused = client.http.get(paths[0], headers=headers)
    assert refused.status_code == 429, refused.body
    assert _error(refused)["code"] == "rate_limited"
    wait = _error(refused)["retryAfter"]
    assert refused.headers["Retry-After"] == str(wait) and WINDOW <= wait <= 2 * WINDOW  # a herd comes back spread
    assert client.http.get(paths[1], headers=headers).status_code == 429  # one budget for both kinds of stream
    assert client.http.get(paths[0], headers=other).status_code == 404  # another account polls on


def test_an_account_holding_all_its_request_slots_is_refused_at_once_and_others_are_served(client, make_user,
                                                                                         settings_env):
    settings_env(SEEN_USER_IN_FLIGHT="2")
    user, headers = make_user()
    _, other = make_user()
    with ratelimit.in_flight(user, 2), ratelimit.in_flight(user, 2):  # two of its calls wait on a slow server
        refused = client.http.get("/api/v1/dashboard", headers=headers)
        assert refused.status_code == 429, refused.body
        assert _error(refused)["code"] == "too_many_in_flight"
        assert refused.headers["Retry-After"] == "1" and _error(refused)["retryAfter"] == 1
        assert client.http.get("/api/v1/dashboard", headers=other).status_code == 200
    assert client.http.get("/api/v1/dashboard", headers=headers).status_code == 200  # its slots came back
