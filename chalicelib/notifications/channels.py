"""Which Apprise URLs a notification channel may hold, and sending to one through the egress guard.

Any user can add a channel, and the sender runs inside the control plane, so a channel URL is an
outbound request a user chooses. Services are allow-listed by the plugin Apprise picks for the URL (a
pasted ``https://discord.com/api/webhooks/...`` is discord):

- hosted, at the service's own public address: discord, slack, tgram (Telegram), pover (Pushover),
  pbul (Pushbullet);
- self-hostable, at the host the URL names: ntfy, gotify, matrix, mmost (Mattermost), hassio (Home
  Assistant), signal (signal-cli REST), and json/xml/form webhooks (n8n, Node-RED, a script);
- email (mailto/mailtos), at the SMTP server Apprise derives from the address or ``?smtp=``.

Left out: plugins that act on this machine itself (dbus, gnome, macosx, windows, syslog), raw-socket
protocols (rsyslog, mqtt, xmpp, irc, amqp, smpp, growl) and the long tail a household has no use for.

Every host a channel names is resolved and judged by ``chalicelib.egress`` when the channel is saved
(422) and again when sending; the send itself runs inside ``egress.pinned_resolution``, so whatever
Apprise connects to (the named host, a derived SMTP server, a Matrix .well-known answer, a redirect)
is checked at the lookup its connect uses: no DNS rebinding between check and connect. Webhooks post
and nothing else: a user-chosen HTTP method (``?method=``) or header (``+Name=value``) is refused on
save and dropped on send (channels saved before this rule). ``-name=`` (the target's query string) and
``:name=`` (fields of a JSON body) stay: they only shape what the checked host receives.
"""

from __future__ import annotations

from typing import Any

import apprise

from chalicelib import egress
from chalicelib.config import NotifySettings

HOSTED = frozenset({"discord", "slack", "tgram", "pover", "pbul"})
SELF_HOSTED = frozenset({"ntfy", "gotify", "matrix", "mmost", "hassio", "signal", "json", "xml", "form"})
EMAIL = frozenset({"mailto"})
WEBHOOKS = frozenset({"json", "xml", "form"})
SERVICES = HOSTED | SELF_HOSTED | EMAIL
MAX_SOCKET_TIMEOUT = 4.0  # Apprise's own default; a URL's ?cto=/?rto= may only lower it


class ChannelRefused(ValueError):
    """The URL may not be a channel, or may not be sent to now; the message is safe to show and log."""


def _service(plugin: Any) -> str:
    """The plugin's plain protocol name (``jsons`` -> ``json``): what the allow-list names."""
    names = [name for attr in ("protocol", "secure_protocol") for name in _names(getattr(plugin, attr, None))]
    plain = [name for name in names if name in SERVICES]
    return plain[0] if plain else (names[0] if names else "unknown")


def _names(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value.lower()]
    return [str(name).lower() for name in value] if isinstance(value, (tuple, list)) else []


def plugin_for(url: str) -> tuple[Any, str]:
    """The Apprise plugin for ``url`` and its service name; ``ChannelRefused`` when not allow-listed."""
    plugin = apprise.Apprise.instantiate(url)
    if plugin is None:
        raise ChannelRefused("unsupported or malformed Apprise URL")
    service = _service(plugin)
    if service not in SERVICES:
        raise ChannelRefused(f"{service}:// is not one of the notification services this server sends to "
                             f"({', '.join(sorted(SERVICES))})")
    return plugin, service


def injected(plugin: Any, service: str) -> str | None:
    """What a webhook URL asks beyond a plain POST (a method, headers), or None."""
    if service not in WEBHOOKS:
        return None
    if str(getattr(plugin, "method", "POST")).upper() != "POST":
        return "a webhook channel always POSTs: remove ?method="
    if getattr(plugin, "headers", None):
        return "a webhook channel cannot set HTTP headers: remove the +Header= parameters"
    return None


def target(plugin: Any, service: str) -> tuple[str, int] | None:
    """The (host, port) the URL chose, or None for a hosted service (its address is the service's own)."""
    if service in EMAIL:
        return str(plugin.smtp_host), int(plugin.port or 25)
    if service not in SELF_HOSTED or not plugin.host:  # ntfy:// without a host is ntfy.sh
        return None
    port = plugin.port if isinstance(plugin.port, int) else 443 if plugin.secure else 80
    return str(plugin.host).strip("[]"), port


def check_target(plugin: Any, service: str, settings: NotifySettings) -> None:
    """Resolve the chosen host now; every answer must be allowed."""
    found = target(plugin, service)
    if found is None:
        return
    try:
        egress.allowed_addresses(found[0], found[1], allow_private=settings.allow_private,
                                 opened=settings.private_networks, purpose="notifications")
    except egress.UrlRefused as exc:
        raise ChannelRefused(_refusal_text(exc, found[0])) from None


def _refusal_text(exc: egress.UrlRefused, host: str) -> str:
    if exc.code == "private_address":
        return (f"{host} is a private, loopback or link-local address; notifications may only go there "
                "when the server's administrator opens it (SEEN_NOTIFY_PRIVATE_NETWORKS)")
    return str(exc)


def check(url: str, settings: NotifySettings) -> str:
    """The channel's service name when ``url`` may be saved; ``ChannelRefused`` (why) otherwise."""
    plugin, service = plugin_for(url)
    if reason := injected(plugin, service):
        raise ChannelRefused(reason)
    check_target(plugin, service, settings)
    return service


def _plain(plugin: Any, service: str) -> None:
    """Drop what the sender never lets a URL choose: method, headers, retries, long timeouts."""
    if service in WEBHOOKS:
        plugin.method = "POST"
        plugin.headers = {}
    plugin.retry = 0  # deliver() retries a whole notification on its own schedule
    plugin.socket_connect_timeout = min(MAX_SOCKET_TIMEOUT, plugin.socket_connect_timeout or MAX_SOCKET_TIMEOUT)
    plugin.socket_read_timeout = min(MAX_SOCKET_TIMEOUT, plugin.socket_read_timeout or MAX_SOCKET_TIMEOUT)


def send(url: str, title: str, body: str, settings: NotifySettings) -> str | None:
    """Send one message to one channel: None when it took it, else why not (safe to store and log)."""
    try:
        plugin, service = plugin_for(url)
        check_target(plugin, service, settings)
    except ChannelRefused as exc:
        return f"refused: {exc}"
    _plain(plugin, service)
    sender = apprise.Apprise()
    sender.add(plugin)
    with egress.pinned_resolution(allow_private=settings.allow_private, opened=settings.private_networks) as pin:
        taken = sender.notify(title=title, body=body or title, timeout=settings.send_timeout)
    if taken:
        return None
    return f"refused: {pin.refused[0]}" if pin.refused else f"the {service} channel did not take the message"
