"""Notification channels go through the egress guard (issue 33, item 7).

A channel URL is an outbound request any user chooses. Saving one that Apprise would send to a link-local,
loopback or private address (in any IPv6 spelling of one), to a service outside the allow-list, or with a
user-chosen HTTP method or header is a 422 naming the channel, and nothing is stored. Sending checks again
and pins the connection to the checked address: a local listener receives nothing from a refused channel,
even when the name resolved somewhere public when it was saved; a channel stored before these rules posts
plainly, without the method and headers its URL asked for.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from cryptography.fernet import Fernet

from tests.integration.test_notifications import _events

PUBLIC = "93.184.216.34"


class Listener:
    """A local HTTP server recording every request (method, path, headers), whatever the method."""

    def __init__(self) -> None:
        self.requests: list[dict] = []
        listener = self

        class Handler(BaseHTTPRequestHandler):
            def _any(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                listener.requests.append({"method": self.command, "path": self.path, "headers": dict(self.headers)})
                self.send_response(200)
                self.end_headers()

            do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = _any

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def listener():
    running = Listener()
    yield running
    running.server.shutdown()


@pytest.fixture
def keyed(settings_env):
    settings_env(SEEN_SETTINGS_KEY=Fernet.generate_key().decode())
    return settings_env




def _put(client, headers, channels):
    return client.http.put("/api/v1/me/preferences", headers=headers,
                           body=json.dumps({"notifications": {"channels": channels}}))


def _channels(client, headers) -> list[dict]:
    return json.loads(client.http.get("/api/v1/me/preferences", headers=headers).body)["notifications"]["channels"]


def _deliveries() -> list[dict]:
    from chalicelib import db

    with db.connection() as conn:
        return conn.execute("SELECT delivery, last_error FROM notifications ORDER BY id").fetchall()


LINK_LOCAL = [  # refused even when private addresses are allowed
    "json://169.254.169.254/latest/meta-data", "json://[fe80::1]/x", "json://[::ffff:169.254.169.254]/x",
    "json://[::a9fe:a9fe]/x", "json://[64:ff9b::a9fe:a9fe]/x", "json://[2002:a9fe:a9fe::1]/x",
    "xml://[::ffff:0:a9fe:a9fe]/x", "form://[2001:0:4136:e378:8000:63bf:5601:5601]/x", "json://0.0.0.0:{port}/x",
]
PRIVATE = [  # refused unless the administrator opens private addresses
    "json://127.0.0.1:{port}/x", "form://127.0.0.1:{port}/x", "json://localhost:{port}/x", "json://[::1]:{port}/x",
    "json://[64:ff9b::7f00:1]:{port}/x", "ntfy://10.0.0.5/topic", "gotify://192.168.1.1/token",
    "mailto://user:pw@example.com?smtp=127.0.0.1&to=a@example.com", "hassio://[::ffff:192.168.1.2]/token",
]
NOT_ALLOWED = ["rsyslog://127.0.0.1", f"apprise://{PUBLIC}/token", "syslog://", "https://example.com/hook"]
INJECTED = [f"json://{PUBLIC}/x?method=PUT", f"json://{PUBLIC}/x?+X-Probe=1", f"form://{PUBLIC}/x?method=DELETE",
            f"xmls://{PUBLIC}/x?+Authorization=Basic%20eA"]


@pytest.mark.parametrize("url", LINK_LOCAL + PRIVATE + NOT_ALLOWED + INJECTED)
def test_a_channel_that_would_send_where_it_may_not_is_422_and_nothing_is_stored(client, make_user, keyed,
                                                                                   listener, url):
    _, headers = make_user()
    response = _put(client, headers, [{"label": "Ok", "url": f"json://{PUBLIC}/hook"},
                                      {"label": "Bad", "url": url.format(port=listener.port)}])
    assert response.status_code == 422, response.body
    error = json.loads(response.body)["error"]
    assert error["code"] == "validation_error" and error["message"].startswith("The channel “Bad” cannot be used")
    assert list(error["fields"]) == ["notifications.channels.1.url"]
    assert _channels(client, headers) == [] and listener.requests == []


@pytest.mark.parametrize("url", LINK_LOCAL + INJECTED[:2] + NOT_ALLOWED[:2])
def test_link_local_and_injected_methods_stay_refused_when_private_is_allowed(client, make_user, keyed, listener,
                                                                              url):
    keyed(SEEN_NOTIFY_ALLOW_PRIVATE="true")
    _, headers = make_user()
    assert _put(client, headers, [{"label": "Bad", "url": url.format(port=listener.port)}]).status_code == 422
    assert _put(client, headers, [{"label": "Lan", "url": f"json://127.0.0.1:{listener.port}/x"}]).status_code == 200
    assert listener.requests == []


@pytest.mark.parametrize("url", [
    "discord://1234/abcd", "https://discord.com/api/webhooks/1234/abcd", "slack://T1/B1/C1", "pover://user@token",
    "tgram://123456789:abcdefg_hijklmnop/12345", "pbul://token", "ntfy://mytopic", f"json://{PUBLIC}/hook",
    f"jsons://{PUBLIC}:8443/hook?-token=1&:extra=2", "json://[2606:4700::1111]/x", "json://[64:ff9b::808:808]/x",
    "json://[2002:808:808::1]/x", f"gotifys://{PUBLIC}/token", f"matrixs://user:pw@{PUBLIC}/#room",
])
def test_public_channels_of_allowed_services_are_saved(client, make_user, keyed, url):
    _, headers = make_user()
    response = _put(client, headers, [{"label": "Phone", "url": url}])
    assert response.status_code == 200, response.body
    assert [c["label"] for c in _channels(client, headers)] == ["Phone"]


def test_an_address_the_administrator_opened_is_allowed_and_no_other(client, make_user, keyed, listener):
    keyed(SEEN_NOTIFY_PRIVATE_NETWORKS=f"127.0.0.1, 192.168.1.20/32, {PUBLIC}")
    user_id, headers = make_user()
    assert _put(client, headers, [{"label": "Other", "url": "json://192.168.1.21/x"}]).status_code == 422
    assert _put(client, headers, [{"label": "Meta", "url": "json://169.254.169.254/x"}]).status_code == 422
    saved = _put(client, headers, [{"label": "Ntfy", "url": f"json://127.0.0.1:{listener.port}/notify"}])
    assert saved.status_code == 200, saved.body
    _events(user_id)
    from chalicelib.notifications import produce

    assert produce.run() == {"sent": 4}
    assert [(r["method"], r["path"]) for r in listener.requests] == [("POST", "/notify")] * 4


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_a_channel_refused_at_send_time_reaches_nothing(client, make_user, keyed, listener, host):
    keyed(SEEN_NOTIFY_ALLOW_PRIVATE="true")  # saved while the LAN was open ...
    user_id, headers = make_user()
    assert _put(client, headers, [{"label": "Lan", "url": f"json://{host}:{listener.port}/x"}]).status_code == 200
    keyed(SEEN_NOTIFY_ALLOW_PRIVATE="false")  # ... and sent after it was closed
    _events(user_id)
    from chalicelib.notifications import produce

    assert produce.run() == {"pending": 4}
    assert listener.requests == []
    assert all(row["delivery"] == "pending" and "refused" in row["last_error"] for row in _deliveries())


def test_a_name_that_rebinds_to_loopback_after_the_check_reaches_nothing(client, make_user, keyed, listener,
                                                                          resolver):
    user_id, headers = make_user()
    # public to the save and to the send's own check, loopback to the lookup the connect uses
    lookups = resolver("hook.seen.test", PUBLIC, PUBLIC, "127.0.0.1")
    url = f"json://hook.seen.test:{listener.port}/x"
    assert _put(client, headers, [{"label": "Hook", "url": url}]).status_code == 200
    _events(user_id)
    from chalicelib.notifications import produce

    assert produce.run() == {"pending": 4}
    assert listener.requests == [] and lookups["hook.seen.test"] >= 3
    assert all("refused" in row["last_error"] for row in _deliveries())


def _store_unchecked(user_id, label: str, url: str) -> None:
    """A channel saved before these rules: written the way the service writes one, without its checks."""
    from chalicelib import db
    from chalicelib.settings.crypto import fernet as _fernet

    fernet, key_id = _fernet()
    with db.transaction() as conn:
        db.queries().notify_add_channel(conn, user_id=user_id, label=label, service=url.split(":", 1)[0],
                                        key_id=key_id, url_ciphertext=fernet.encrypt(url.encode()).decode())


def test_a_stored_webhook_cannot_choose_its_method_or_headers(client, make_user, keyed, listener):
    keyed(SEEN_NOTIFY_ALLOW_PRIVATE="true")
    user_id, _ = make_user()
    base = f"127.0.0.1:{listener.port}"
    _store_unchecked(user_id, "Put", f"json://{base}/json?method=PUT&+X-Probe=1&+Host=metadata")
    _store_unchecked(user_id, "Delete", f"form://{base}/form?method=DELETE&+X-Probe=2")
    _store_unchecked(user_id, "Get", f"xml://{base}/xml?method=GET&+Authorization=Basic%20eA")
    _events(user_id)
    from chalicelib.notifications import produce

    assert produce.run() == {"sent": 4}
    assert {(r["method"], r["path"]) for r in listener.requests} == {("POST", "/json"), ("POST", "/form"),
                                                                     ("POST", "/xml")}
    assert len(listener.requests) == 12
    for request in listener.requests:
        names = {name.lower() for name in request["headers"]}
        assert "x-probe" not in names and "authorization" not in names
        assert request["headers"]["Host"] == base
