"""Title pages in Chromium against the `make dev` stack: quiet consoles and ratings with their scale.

Opening an unrated movie and an unrated show logs no console error and gets no 4xx/5xx answer (an unrated
title's GET /ratings/{id} is a 200 with ``rating: null``, not a 404); a rated title shows "4 of 5", never the
API's "8", its "More like this" holds Nolan's films, and the next Recommendations view says "Because you rated
Tenet ★★★★". Waits are explicit, never sleeps.
"""

from __future__ import annotations

import re

import pytest
from e2e_support import ARTIFACTS, Api
from playwright.sync_api import Page, Response, expect

pytestmark = pytest.mark.e2e


def _watch(page: Page) -> tuple[list[str], list[str]]:
    """Console errors and failed responses (4xx/5xx) of ``page`` from now on."""
    errors: list[str] = []
    failed: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)

    def answered(response: Response) -> None:
        if response.status >= 400:
            failed.append(f"{response.status} {response.request.method} {response.url}")

    page.on("response", answered)
    return errors, failed


def _demo_title(api: Api, kind: str, title: str) -> dict:
    items = api.get(f"/api/v1/search?q={title.replace(' ', '+')}")["items"]
    match = next((i for i in items if i.get("title") == title and i.get("mediaType") == kind), None)
    assert match, f"{title!r} is not in the demo catalog's search results: {items}"
    return match


def _open(page: Page, url: str, title: str) -> None:
    page.goto(url)
    expect(page.get_by_role("heading", level=1, name=title)).to_be_attached(timeout=20_000)
    expect(page.get_by_text("Your rating")).to_be_visible()
    page.wait_for_load_state("networkidle")


@pytest.mark.parametrize(("kind", "title", "path"), [("movie", "Inception", "movies"),
                                                    ("show", "Breaking Bad", "shows")])
def test_an_unrated_title_page_logs_no_console_error_and_no_failed_request(dev_stack, page: Page, account,
                                                                           kind: str, title: str, path: str):
    api = Api(dev_stack.base, account)
    media = _demo_title(api, kind, title)
    assert api.get(f"/api/v1/ratings/{media['id']}")["rating"] is None  # unrated: the case that used to 404
    errors, failed = _watch(page)

    _open(page, f"{dev_stack.base}/app/{path}/{media['id']}", title)

    expect(page.get_by_test_id("your-rating")).to_have_text("")
    page.screenshot(path=str(ARTIFACTS / f"detail-{kind}-unrated.png"), full_page=True)
    assert failed == [], failed
    assert errors == [], errors
    assert not page.errors, page.errors


def test_a_rating_shows_on_five_stars_and_reshapes_more_like_this_and_recommendations(dev_stack, page: Page, account):
    api = Api(dev_stack.base, account)
    tenet = _demo_title(api, "movie", "Tenet")
    status, _ = api.call("PUT", f"/api/v1/ratings/{tenet['id']}", {"rating": 8})
    assert status == 200
    errors, failed = _watch(page)

    _open(page, f"{dev_stack.base}/app/movies/{tenet['id']}", "Tenet")

    shown = page.get_by_test_id("your-rating")
    expect(shown).to_have_text("4 of 5")
    more = page.get_by_role("region", name="More like this")
    more.scroll_into_view_if_needed()
    expect(more.get_by_role("link", name=re.compile("Inception|Interstellar")).first).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "detail-movie-rated.png"), full_page=True)
    page.wait_for_load_state("networkidle")

    page.goto(f"{dev_stack.base}/app/recommendations")  # the next view already listens to the rating
    reasons = page.get_by_role("list", name="Why it was picked")
    expect(reasons.filter(has_text="Because you rated Tenet").first).to_be_visible(timeout=20_000)
    stars = reasons.filter(has_text="Because you rated Tenet").first.get_by_role("img", name="4 of 5 stars")
    expect(stars).to_have_text("★★★★")
    expect(page.get_by_text("Popular right now")).to_have_count(0)
    page.screenshot(path=str(ARTIFACTS / "recommendations-after-rating.png"), full_page=True)
    page.wait_for_load_state("networkidle")
    assert failed == [] and errors == [], (failed, errors)
