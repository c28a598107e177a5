"""Screenshots of the main screens, on a stack with real content, for people to look at.

Writes ``.data/screenshots/<screen>-<theme>-<size>.png`` (at the repository root) for the dashboard, Discover,
a detail page, Library, Downloads and the player, in the dark and the light theme, at desktop size
(1440x900) and phone width (390x844). The content is real: a demo movie (The Matrix) is got from the demo
indexer and downloaded from the local seeding peer, scanned into the library and matched, before the first
screenshot.

Each screenshot also checks its screen: the screen's key element is visible, no part of the app says it
couldn't load, and nothing is wider than the window (``document.documentElement.scrollWidth`` at most the
viewport's width: at 390 px a horizontal scroll is a bug).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import psycopg
import pytest
from e2e_support import Api
from playwright.sync_api import Page, expect

from embedded.services import ROOT

# Getting the movie (download, scan, match) comes before the first screenshot: more than the default 300 s.
pytestmark = [pytest.mark.e2e, pytest.mark.timeout(900)]

SHOTS = ROOT / ".data" / "screenshots"
MATRIX_TMDB = 603
SIZES = {"desktop": {"width": 1440, "height": 900}, "phone": {"width": 390, "height": 844}}
THEMES = ("dark", "light")
VIDEO = "[data-testid=player-video]"


@dataclass
class Content:
    movie_id: int
    title: str
    version_id: str


def _wait(what: str, probe: Callable[[], object], timeout: float) -> object:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = probe()
        if found:
            return found
        time.sleep(1)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


@pytest.fixture(scope="module")
def content(dev_stack, signed_in, account) -> Content:
    """The Matrix got, downloaded, scanned and matched for the shared (admin) account: a playable version."""
    api = Api(dev_stack.base, account)
    with psycopg.connect(dev_stack.database) as conn:
        movie_id, title = conn.execute("SELECT id, title FROM media_items WHERE media_type = 'movie' AND tmdb_id = %s",
                                       (MATRIX_TMDB,)).fetchone()
    status, body = api.call("POST", "/api/v1/picks", {"mediaId": movie_id})
    assert status in (200, 201), (status, body)
    pick = body["pick"]
    started = time.monotonic()

    last: dict = {}

    def completed() -> bool:
        last.update(api.get(f"/api/v1/downloads/{pick['jobId']}"))
        assert last["status"] not in ("failed", "cancelled"), last
        return last["status"] == "completed"

    try:
        _wait("the download to complete", completed, 420)
    except AssertionError as exc:
        raise AssertionError(f"{exc}; the job: {last}") from None
    best = _wait("a playable library version", lambda: api.get(f"/api/v1/library/versions?mediaId={movie_id}")
                 .get("bestId"), 180)
    print(f"\nscreenshots: {pick['name']} downloaded and playable {time.monotonic() - started:.0f} s after Get")
    SHOTS.mkdir(parents=True, exist_ok=True)
    return Content(movie_id, title, str(best))


def _dashboard(page: Page, base: str, content: Content) -> None:
    page.goto(base + "/app/dashboard")
    expect(page.get_by_role("heading", level=1, name="Dashboard")).to_be_visible()
    expect(page.get_by_role("region", name="Trending").get_by_role("link").first).to_be_visible(timeout=20_000)


def _discover(page: Page, base: str, content: Content) -> None:
    page.goto(base + "/app/discover")
    expect(page.get_by_role("heading", level=1, name="Discover")).to_be_visible()
    expect(page.locator('main a[href^="/app/movies/"]').first).to_be_visible(timeout=20_000)


def _detail(page: Page, base: str, content: Content) -> None:
    page.goto(f"{base}/app/movies/{content.movie_id}")
    expect(page.get_by_role("heading", level=1, name=content.title)).to_be_visible(timeout=20_000)


def _library(page: Page, base: str, content: Content) -> None:
    page.goto(base + "/app/library")
    expect(page.get_by_role("heading", level=1, name="Library")).to_be_visible()
    expect(page.locator("main").get_by_text(content.title).first).to_be_visible(timeout=20_000)


def _downloads(page: Page, base: str, content: Content) -> None:
    page.goto(base + "/app/downloads")
    expect(page.get_by_role("heading", level=1, name="Downloads")).to_be_visible()
    card = page.get_by_role("list", name="Downloads").get_by_role("listitem").filter(has_text=content.title).first
    expect(card).to_be_visible(timeout=20_000)


def _player(page: Page, base: str, content: Content) -> None:
    page.goto(f"{base}/app/watch/{content.version_id}")
    expect(page.locator(VIDEO)).to_be_visible(timeout=20_000)
    # A frame is on screen: playing, past the first second, then paused so the screenshot shows the controls.
    page.wait_for_function(f"() => {{ const v = document.querySelector('{VIDEO}'); "
                           "return v && v.readyState >= 2 && v.currentTime > 1; }", timeout=60_000)
    page.evaluate(f"document.querySelector('{VIDEO}').pause()")


SCREENS: dict[str, Callable[[Page, str, Content], None]] = {
    "dashboard": _dashboard, "discover": _discover, "detail": _detail, "library": _library,
    "downloads": _downloads, "player": _player,
}


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("screen", list(SCREENS))
def test_screenshot(dev_stack, page: Page, content: Content, screen: str, theme: str, size: str):
    viewport = SIZES[size]
    page.set_viewport_size(viewport)
    # The theme switch's stored choice, there before the app starts (no extra load: each load rotates the
    # session's refresh cookie, and leaving one mid-refresh would look like token reuse).
    page.add_init_script(f"localStorage.setItem('seen.theme', {theme!r})")
    SCREENS[screen](page, dev_stack.base, content)
    assert page.evaluate("document.documentElement.dataset.theme") == theme
    if screen != "player":  # a playing video keeps the network busy; its page settled before it played
        page.wait_for_load_state("networkidle")
    expect(page.get_by_test_id("part-failed")).to_have_count(0)
    width = page.evaluate("document.documentElement.scrollWidth")
    page.screenshot(path=str(SHOTS / f"{screen}-{theme}-{size}.png"), full_page=screen != "player")
    assert width <= viewport["width"], f"{screen} is {width}px wide in a {viewport['width']}px window"
    assert not page.errors, page.errors
