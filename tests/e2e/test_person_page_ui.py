"""Issue 23's people, in Chromium against the `make dev` stack: from a title's cast to a person you follow.

Open a demo title that has credits, click a cast member, land on their page, press Follow, see it stick
after a reload, and find them in the Following list. Waits are explicit, never sleeps; each load waits
for the network to settle before the next (a load rotates the refresh cookie).
"""

from __future__ import annotations

import re

import pytest
from e2e_support import ARTIFACTS, Api
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def credited_movie(dev_stack, signed_in, account) -> dict:
    """A demo movie whose page lists a cast (the demo catalog carries credits)."""
    api = Api(dev_stack.base, account)
    for item in api.get("/api/v1/movies?sort=popular&pageSize=50")["items"]:
        movie = api.get(f"/api/v1/movies/{item['id']}")
        if movie.get("credits", {}).get("cast"):
            return movie
    pytest.fail("no demo movie has credits: GET /api/v1/movies/{id} carries no credits.cast")


def test_a_cast_member_followed_from_a_title_page_stays_followed_and_is_listed(dev_stack, page: Page,
                                                                               credited_movie: dict):
    first = min(credited_movie["credits"]["cast"], key=lambda member: member["order"])
    page.goto(f"{dev_stack.base}/app/movies/{credited_movie['id']}")
    expect(page.get_by_role("heading", level=1, name=credited_movie["title"])).to_be_attached(timeout=20_000)
    cast = page.get_by_role("list", name="Cast")
    link = cast.get_by_role("link", name=re.compile(re.escape(first["name"])))
    expect(link).to_have_attribute("href", f"/app/people/{first['personId']}")
    link.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "title-cast.png"))
    link.click()

    page.wait_for_url(f"**/app/people/{first['personId']}")
    expect(page.get_by_role("heading", level=1, name=first["name"])).to_be_visible()
    expect(page.get_by_role("heading", level=2, name="Filmography")).to_be_visible()
    follow = page.get_by_role("button", name="Follow", exact=True)
    expect(follow).to_have_attribute("aria-pressed", "false")
    with page.expect_response(lambda r: r.request.method == "PUT"
                              and r.url.endswith(f"/api/v1/follows/people/{first['personId']}")) as answer:
        follow.click()
    assert answer.value.status == 200, answer.value.status
    expect(page.get_by_role("button", name="Following", exact=True)).to_have_attribute("aria-pressed", "true")
    page.wait_for_load_state("networkidle")

    page.reload()
    expect(page.get_by_role("button", name="Following", exact=True)).to_have_attribute("aria-pressed", "true",
                                                                                      timeout=20_000)
    page.screenshot(path=str(ARTIFACTS / "person-following.png"), full_page=True)
    page.wait_for_load_state("networkidle")

    page.goto(f"{dev_stack.base}/app/following")
    people = page.get_by_role("list", name="People you follow")
    expect(people.get_by_role("link", name=first["name"], exact=True)).to_have_attribute(
        "href", f"/app/people/{first['personId']}", timeout=20_000)
    page.screenshot(path=str(ARTIFACTS / "following.png"), full_page=True)
    assert not page.errors, page.errors
