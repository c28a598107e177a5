"""The installable app in Chromium: manifest, service worker, installability, the shell offline.

A browser of its own, with a real (temporary) profile: Chrome never offers to install from an
incognito-like context, which is what a plain Playwright context is, and the shared signed-in
context must not end up offline or with a worker mid-install. It signs in as the session's
account, waits for the service worker to take the whole origin, asks Chrome (CDP
``Page.getInstallabilityErrors``, the check Lighthouse's PWA audit used) whether the app can be
installed, then goes offline and reloads a page: the shell comes from the worker's cache and
the failed API calls leave it standing.
"""

from __future__ import annotations

import json
import re
import struct

from conftest import CHROMIUM, CHROMIUM_ARGS
from e2e_support import ARTIFACTS, fetch

SW_STATE = """async () => {
  const reg = await navigator.serviceWorker.ready;
  return { scope: reg.scope, state: reg.active && reg.active.state, controlled: !!navigator.serviceWorker.controller };
}"""


def png_size(body: bytes) -> tuple[int, int]:
    assert body[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return struct.unpack(">II", body[16:24])


def test_the_manifest_is_served_and_its_icons_load(dev_stack):
    status, body, headers = fetch(dev_stack.base + "/manifest.webmanifest")
    assert status == 200
    assert headers["Content-Type"] == "application/manifest+json"
    manifest = json.loads(body)
    assert {k: manifest[k] for k in ("name", "short_name", "start_url", "scope", "display")} == {
        "name": "/seen/", "short_name": "seen", "start_url": "/app/", "scope": "/", "display": "standalone"}
    assert re.fullmatch(r"#[0-9a-f]{6}", manifest["theme_color"])
    assert re.fullmatch(r"#[0-9a-f]{6}", manifest["background_color"])
    sizes = set()
    for icon in manifest["icons"]:
        status, png, headers = fetch(dev_stack.base + icon["src"])
        assert status == 200 and headers["Content-Type"] == "image/png", icon
        width, height = png_size(png)
        assert f"{width}x{height}" == icon["sizes"]
        sizes.add((icon["sizes"], icon.get("purpose", "any")))
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= sizes

    status, worker, headers = fetch(dev_stack.base + "/sw.js")
    assert status == 200
    assert headers["Content-Type"] == "text/javascript"
    assert headers["Cache-Control"] == "no-cache"
    precache = json.loads(re.search(rb"const PRECACHE = (\[.*?\]);", worker).group(1))
    assert "/index.html" in precache and any(p.startswith("/assets/index-") for p in precache)
    assert not [p for p in precache if p.startswith(("/api/", "/stream/")) or p.endswith(".map")]


def test_the_app_installs_and_its_shell_opens_offline(dev_stack, browser, account, signed_in, tmp_path):
    context = browser.browser_type.launch_persistent_context(
        str(tmp_path / "profile"), executable_path=CHROMIUM, args=CHROMIUM_ARGS,
        viewport={"width": 1280, "height": 800}, reduced_motion="reduce")
    context.set_default_timeout(15_000)
    page = context.pages[0] if context.pages else context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        page.goto(dev_stack.base + "/app/login")
        page.get_by_label("E-mail").fill(account.email)
        page.get_by_label("Password").fill(account.password)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url("**/app/dashboard", timeout=20_000)

        page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=30_000)
        state = page.evaluate(SW_STATE)
        assert state == {"scope": dev_stack.base + "/", "state": "activated", "controlled": True}
        cached = page.evaluate("""async () => {
          const keys = await caches.keys();
          const cache = await caches.open(keys.find((k) => k.startsWith('seen-shell-')));
          return { keys, urls: (await cache.keys()).map((r) => new URL(r.url).pathname) };
        }""")
        assert len([k for k in cached["keys"] if k.startswith("seen-shell-")]) == 1
        assert "/index.html" in cached["urls"]
        assert not [u for u in cached["urls"] if u.startswith("/api/")]

        cdp = context.new_cdp_session(page)
        assert cdp.send("Page.getInstallabilityErrors")["installabilityErrors"] == []
        manifest = cdp.send("Page.getAppManifest")
        assert manifest["url"] == dev_stack.base + "/manifest.webmanifest" and not manifest["errors"]

        context.set_offline(True)
        response = page.reload(wait_until="domcontentloaded")
        assert response is not None and response.from_service_worker
        page.get_by_role("navigation", name="Main").wait_for()
        page.get_by_role("banner").wait_for()
        page.get_by_text("You're offline").wait_for()
        page.get_by_role("button", name=re.compile("Notifications")).wait_for()
        page.screenshot(path=str(ARTIFACTS / "offline-shell.png"), full_page=True)
        assert page.url.endswith("/app/dashboard")  # not sent to the login page
        api_status = page.evaluate("fetch('/api/v1/health/live').then((r) => r.status, () => 'failed')")
        assert api_status == "failed"  # /api/ never comes from the cache
        assert errors == []
    finally:
        context.set_offline(False)
        context.close()
