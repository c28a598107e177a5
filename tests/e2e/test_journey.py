"""Issue #10's journey, in real Chromium against the `make dev` stack, as a new user walks it.

register (the ``signed_in`` fixture, through the register page) → discover → open a title → watch
later → the dashboard shows it → an HTTP download of a real little video from a file server on
127.0.0.1 → it completes on the page → it is in the library, matched → it plays (presigned URL on
the moto server, Range requests) → seek and leave → reopen and it resumes → mark an episode watched
(still watched after a reload) → a game in the backlog, a collection → calendar and recommendations
render → the dashboard fills every region → a screenshot of every route visited.

Waits are explicit (``expect``/``wait_for``/``wait_for_function`` with timeouts), never sleeps.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass, field

import pytest
from e2e_support import ARTIFACTS
from playwright.sync_api import Page, Response, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from embedded.testpeers import Faults, FileServer

pytestmark = pytest.mark.e2e

# A demo-catalog movie (chalicelib/catalog/demo_data/movies.json), named the way releases are.
MOVIE = "Psycho"
VIDEO_NAME = "Psycho.1960.mp4"
VIDEO_SECONDS = 20  # long enough not to end (and count as watched) while the test looks at it
SEEK_TO = 2.0
PROGRESS_API = "/api/v1/progress"


@pytest.fixture(scope="module")
def sample_server(tmp_path_factory):
    """A 20 s H.264/AAC mp4 (moov first, so a browser can start at once) on a local HTTP server."""
    root = tmp_path_factory.mktemp("e2e-www")
    subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-y",
                    "-f", "lavfi", "-i", f"testsrc=duration={VIDEO_SECONDS}:size=320x240:rate=24",
                    "-f", "lavfi", "-i", f"sine=duration={VIDEO_SECONDS}",
                    "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac",
                    "-shortest", "-movflags", "+faststart", str(root / VIDEO_NAME)], check=True, timeout=120)
    # Throttled to ~12 s a download: long enough to see it live on the dashboard, short enough to wait for.
    server = FileServer(root, Faults(rate=max(8 * 1024, (root / VIDEO_NAME).stat().st_size // 12)))
    yield server
    server.close()


@dataclass
class Journey:
    """What the steps learn and later steps (and the dashboard check) rely on."""

    base: str
    saved_title: str = ""
    item_id: str = ""
    position: float = 0.0  # where the viewer left the movie
    show_title: str = ""
    game_title: str = ""
    media_responses: list[Response] = field(default_factory=list)

    def shot(self, page: Page, name: str) -> None:
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def sidebar(page: Page, route: str) -> None:
    """Navigate as a person does (the SPA keeps the session: no refresh call per page)."""
    page.locator(f'nav a[href="/app/{route}"]').first.click()
    page.wait_for_url(f"**/app/{route}")


def heading(page: Page, text: str | re.Pattern) -> None:
    expect(page.get_by_role("heading", level=1, name=text)).to_be_visible(timeout=15_000)


def no_error_state(page: Page) -> None:
    expect(page.get_by_role("alert").filter(has_text=re.compile("went wrong|can't reach", re.I))).to_have_count(0)


def test_a_new_user_walks_the_whole_app(dev_stack, page, sample_server):
    journey = Journey(dev_stack.base)
    page.on("response", lambda r: r.url.startswith(dev_stack.aws_endpoint) and journey.media_responses.append(r))
    page.goto(journey.base + "/app/dashboard")  # signed up by the fixture, through the register page
    heading(page, "Dashboard")

    search_suggests(page, journey)
    discover_and_save(page, journey)
    dashboard_shows_saved(page, journey)
    download_sample(page, journey, sample_server.url(VIDEO_NAME))
    library_has_it_matched(page, journey)
    play_seek_and_leave(page, journey)
    reopen_resumes(page, journey)
    mark_episode_watched(page, journey)
    put_game_in_backlog(page, journey)
    make_collection(page, journey)
    calendar_and_recommendations_render(page, journey)
    dashboard_fills_every_region(page, journey)
    assert page.errors == []


def search_suggests(page: Page, journey: Journey) -> None:
    """The top bar's search suggests as you type; Enter without a pick opens the search page."""
    box = page.get_by_role("search").get_by_role("combobox")
    box.fill(MOVIE)
    expect(page.get_by_role("listbox", name="Search suggestions").get_by_role("option", name=re.compile(MOVIE))
           .first).to_be_visible(timeout=15_000)
    box.press("Enter")
    page.wait_for_url(f"**/app/search?q={MOVIE}")
    expect(page.locator("main").get_by_role("link", name=re.compile(MOVIE)).first).to_be_visible(timeout=15_000)
    journey.shot(page, "search")


def discover_and_save(page: Page, journey: Journey) -> None:
    sidebar(page, "discover")
    heading(page, "Discover")
    first_movie = page.locator('main a[href^="/app/movies/"]').first
    expect(first_movie).to_be_visible(timeout=15_000)
    journey.shot(page, "journey-discover")
    first_movie.click()
    page.wait_for_url(re.compile(r"/app/movies/\d+$"))
    title = page.get_by_role("heading", level=1)
    expect(title).to_be_visible(timeout=15_000)
    journey.saved_title = title.inner_text().strip()
    save = page.get_by_role("button", name=re.compile(r"^(Watch later|In watch later)$"))
    expect(save).to_have_attribute("aria-pressed", "false")
    save.click()
    expect(save).to_have_attribute("aria-pressed", "true")
    journey.shot(page, "movie-detail")


def dashboard_shows_saved(page: Page, journey: Journey) -> None:
    sidebar(page, "dashboard")
    region = page.get_by_role("region", name="Watch later")
    expect(region.get_by_role("link", name=re.compile(re.escape(journey.saved_title)))).to_be_visible(timeout=15_000)


def download_sample(page: Page, journey: Journey, url: str) -> None:
    sidebar(page, "downloads")
    heading(page, "Downloads")
    page.get_by_role("tab", name=re.compile("URL")).click()
    page.get_by_role("textbox", name=re.compile("URL")).fill(url)
    page.get_by_role("button", name="Add download").click()
    card = page.get_by_role("list", name="Downloads").get_by_role("listitem").first
    expect(card).to_be_visible()
    # While it runs, the dashboard's Downloads region shows it (finished jobs leave that widget).
    sidebar(page, "dashboard")
    expect_in_region(page, "Downloads", MOVIE)
    sidebar(page, "downloads")
    # Queued → downloading → completed, polled live by the page (no reload).
    expect(card).to_contain_text("Completed", timeout=90_000)
    expect(card.get_by_role("progressbar")).to_have_attribute("aria-valuenow", "100")
    journey.shot(page, "journey-downloads")


def library_has_it_matched(page: Page, journey: Journey) -> None:
    """The worker indexes a stored download right after it completes; the page may load first,
    so look again a few times (each a sidebar visit, not a reload)."""
    card = page.get_by_role("article", name=MOVIE, exact=True)
    for _ in range(5):
        sidebar(page, "library")
        heading(page, "Library")
        try:
            card.wait_for(timeout=8_000)
            break
        except PlaywrightTimeout:
            sidebar(page, "dashboard")  # away and back: the page loads the list again
    expect(card).to_be_visible()
    expect(card).to_contain_text("Matched")
    play = card.get_by_role("link", name=f"Play {MOVIE}")
    href = play.get_attribute("href") or ""
    assert re.fullmatch(r"/app/watch/[0-9a-f-]{36}", href), href
    journey.item_id = href.rsplit("/", 1)[1]
    journey.shot(page, "library")
    play.click()
    page.wait_for_url(f"**/app/watch/{journey.item_id}")


def wait_video(page: Page, condition: str, timeout: int = 20_000):
    return page.wait_for_function(
        f"() => {{ const v = document.querySelector('[data-testid=player-video]'); return v && ({condition}); }}",
        timeout=timeout)


def play_seek_and_leave(page: Page, journey: Journey) -> None:
    heading(page, MOVIE)
    video = page.get_by_test_id("player-video")
    expect(video).to_be_visible()
    expect(video).to_have_attribute("aria-label", "Video player")
    wait_video(page, "v.readyState >= 1")
    try:
        wait_video(page, "!v.paused && v.currentTime > 0.2", timeout=5_000)  # it starts by itself
    except PlaywrightTimeout:
        page.get_by_role("button", name="Play", exact=True).click()  # or waits for a click
        wait_video(page, "!v.paused && v.currentTime > 0.2")
    # The browser read the object straight from the store (moto), with Range requests.
    statuses = {r.status for r in journey.media_responses}
    assert 206 in statuses, statuses
    page.get_by_role("button", name="Pause", exact=True).click()
    paused_at = wait_video(page, "v.paused && v.currentTime").json_value()
    journey.shot(page, "watch")
    # Seek to ~2 s; the player drops a report within 0.5 s of the last one (the pause), so go further then.
    journey.position = SEEK_TO if abs(paused_at - SEEK_TO) > 0.6 else SEEK_TO + 1.5
    with page.expect_response(lambda r: is_progress_at(r, journey.position), timeout=15_000):
        page.evaluate(f"document.querySelector('[data-testid=player-video]').currentTime = {journey.position}")
    sidebar(page, "dashboard")  # leave: the player unmounts (pagehide/visibility handlers also send)


def is_progress_at(response: Response, seconds: float) -> bool:
    """A stored heartbeat at ``seconds`` (read from the API's answer: keepalive request bodies are
    not visible to Playwright)."""
    if not (response.url.endswith(PROGRESS_API) and response.request.method == "POST" and response.ok):
        return False
    try:
        return abs(float(response.json()["positionSeconds"]) - seconds) < 0.75
    except (ValueError, KeyError, TypeError):
        return False


def reopen_resumes(page: Page, journey: Journey) -> None:
    page.goto(f"{journey.base}/app/watch/{journey.item_id}")  # a fresh load: resume comes from the API
    heading(page, MOVIE)
    # The first position past 0.3 s: the saved place if it resumed, ~0.3 s if it started over.
    position = wait_video(page, "v.currentTime > 0.3 && v.currentTime").json_value()
    assert abs(position - journey.position) < 0.75, (position, journey.position)
    journey.shot(page, "watch-resumed")


def mark_episode_watched(page: Page, journey: Journey) -> None:
    sidebar(page, "shows")
    first_show = page.locator('main a[href^="/app/shows/"]').first
    expect(first_show).to_be_visible(timeout=15_000)
    first_show.click()
    page.wait_for_url(re.compile(r"/app/shows/\d+$"))
    journey.show_title = page.get_by_role("heading", level=1).inner_text().strip()
    toggle = episode_toggle(page)
    name = toggle.get_attribute("aria-label") or ""
    assert name.endswith(" watched"), name
    expect(toggle).to_have_attribute(watched_attribute(toggle), "false")
    toggle.click()
    expect(toggle).to_have_attribute(watched_attribute(toggle), "true")
    # Saved on the server, not just optimistically: a reload reads it back.
    page.reload()
    toggle = page.locator(f'[aria-label="{name}"]')
    expect(toggle).to_have_attribute(watched_attribute(toggle), "true", timeout=15_000)
    journey.shot(page, "show-detail")


def episode_toggle(page: Page):
    """The first episode's watched toggle. The contract says a button with aria-pressed; the show
    page uses role=switch + aria-checked (equally accessible): both are accepted."""
    toggles = page.locator('button[aria-label$=" watched"]:is([role=switch], [aria-pressed])')
    expect(toggles.first).to_be_visible(timeout=15_000)
    return toggles.first


def watched_attribute(toggle) -> str:
    return "aria-checked" if toggle.get_attribute("role") == "switch" else "aria-pressed"


def put_game_in_backlog(page: Page, journey: Journey) -> None:
    sidebar(page, "games")
    first_game = page.locator('main a[href^="/app/games/"]').first
    expect(first_game).to_be_visible(timeout=15_000)
    first_game.click()
    page.wait_for_url(re.compile(r"/app/games/\d+$"))
    journey.game_title = page.get_by_role("heading", level=1).inner_text().strip()
    playing = page.get_by_role("radiogroup", name="Backlog status").get_by_role("radio", name="Playing")
    expect(playing).to_be_enabled(timeout=15_000)
    playing.click()
    expect(playing).to_have_attribute("aria-checked", "true")
    journey.shot(page, "game-detail")


def make_collection(page: Page, journey: Journey) -> None:
    sidebar(page, "collections")
    heading(page, "Collections")
    page.get_by_role("button", name="New collection").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Name").fill("Friday night")
    dialog.get_by_role("button", name="Create").click()
    link = page.get_by_role("link", name=re.compile("Friday night"))
    expect(link).to_be_visible()
    link.click()
    page.wait_for_url(re.compile(r"/app/collections/[^/]+$"))
    heading(page, "Friday night")
    journey.shot(page, "collection-detail")


def calendar_and_recommendations_render(page: Page, journey: Journey) -> None:
    sidebar(page, "calendar")
    heading(page, "Calendar")
    expect(page.get_by_role("button", name="Month")).to_have_attribute("aria-pressed", "true")
    days = page.get_by_role("grid").or_(page.get_by_role("table")).first
    expect(days).to_be_visible(timeout=15_000)
    expect(days.get_by_role("link").first).to_be_visible()  # the demo catalog's releases this month
    expect(page.get_by_role("link", name="Subscribe (iCal)").or_(
        page.get_by_role("button", name=re.compile("Subscribe"))).first).to_be_visible()
    no_error_state(page)
    journey.shot(page, "journey-calendar")
    page.get_by_role("button", name="Week").click()  # seven days from today, as art cards
    week = page.get_by_role("list", name=re.compile("^Releases"))
    expect(week.get_by_role("heading", level=3)).to_have_count(7, timeout=15_000)
    expect(week.get_by_role("heading", level=3).first).to_contain_text("Today")
    no_error_state(page)
    sidebar(page, "recommendations")
    heading(page, "Recommendations")
    # Computed on first visit (the user has a game in play and a watched episode to go on).
    dismiss = page.locator("main").get_by_role("button", name=re.compile(r"^Dismiss .")).first
    expect(dismiss).to_be_visible(timeout=30_000)
    title = (dismiss.get_attribute("aria-label") or "").removeprefix("Dismiss ")
    card = page.get_by_role("article", name=title, exact=True).first
    expect(card).to_be_visible()
    expect(card.get_by_role("listitem").first).not_to_be_empty()  # its reasons ("You often play …")
    no_error_state(page)
    journey.shot(page, "journey-recommendations")


DASHBOARD_REGIONS = ["Continue watching", "Watch later", "Game backlog", "Recently played", "Downloads",
                     "Recommended for you", "Upcoming releases", "Trending", "Recently watched"]


def dashboard_fills_every_region(page: Page, journey: Journey) -> None:
    sidebar(page, "dashboard")
    heading(page, "Dashboard")
    for name in DASHBOARD_REGIONS:
        expect(page.get_by_role("region", name=name)).to_be_visible(timeout=15_000)
    expect_in_region(page, "Continue watching", MOVIE)
    expect_in_region(page, "Watch later", journey.saved_title)
    expect_in_region(page, "Game backlog", journey.game_title)
    expect_in_region(page, "Recently played", journey.game_title)
    expect_in_region(page, "Recently watched", journey.show_title)
    # The download finished: the Downloads region holds an empty state now, still there (checked above).
    for name in ("Recommended for you", "Trending", "Upcoming releases"):
        expect(page.get_by_role("region", name=name).get_by_role("link").first).to_be_visible()
    no_error_state(page)
    journey.shot(page, "journey-dashboard")


def expect_in_region(page: Page, region: str, title: str) -> None:
    links = page.get_by_role("region", name=region).get_by_role("link", name=re.compile(re.escape(title)))
    expect(links.first).to_be_visible(timeout=15_000)
