"""Issue 38's household profiles, in Chromium against the `make dev` stack.

A household account of its own (an admin, so the Admin page is something a kid could be refused) adds an
adult profile with a PIN and a kid profile (max PG) in Settings > Profiles. Signing in again shows "Who's
watching?"; a wrong PIN is refused on the pad, the right one lets the adult in. As the kid, Discover, search
and the calendar leave out an R-rated demo title the adult sees there, its direct URL is not found, and
Get, Downloads, Settings and Admin are neither in the navigation nor reachable by URL (nor by the API).
What one profile watches and rates stays its own, and the two profiles' recommendations differ.

Waits are explicit, never sleeps; each load waits for the network to settle before the next (a load rotates
the refresh cookie).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import urllib.parse
import urllib.request
import uuid
from collections.abc import Callable

import psycopg
import pytest
import redis
from e2e_support import ARTIFACTS, Account, Api
from playwright.sync_api import Locator, Page, expect

pytestmark = pytest.mark.e2e

PASSWORD = "correct horse battery staple"
OWNER, OWNER_PIN = "Household Owner", "1357"  # the kid's form asks for the owner's PIN (issue 58)
PARENT, PARENT_PIN = "Parent", "2468"
KID = "Kiddo"
KID_MAX_AGE = 10  # PG (chalicelib/contentrating.py)


def _forget_rate_limits(redis_url: str) -> None:
    """The shared stack counts sign-ups and sign-ins per address for the whole test session."""
    cache = redis.Redis.from_url(redis_url)
    for pattern in ("seen:v1:ratelimit:register*", "seen:v1:ratelimit:login*"):
        for key in cache.scan_iter(pattern):
            cache.delete(key)


def new_household(dev_stack, prefix: str, name: str) -> Account:
    """A new account of its own, signed up on the API."""
    _forget_rate_limits(dev_stack.redis_url)
    account = Account(f"{prefix}-{uuid.uuid4().hex[:8]}@seen.test", PASSWORD, name)
    request = urllib.request.Request(
        dev_stack.base + "/api/v1/auth/register", method="POST", headers={"Content-Type": "application/json"},
        data=json.dumps({"email": account.email, "password": account.password, "displayName": account.name}).encode())
    with urllib.request.urlopen(request, timeout=15) as response:
        assert response.status in (200, 201)
    return account


@pytest.fixture(scope="module")
def household(dev_stack, signed_in) -> Account:
    """A new account, made an admin in the database (the stack's first account is someone else)."""
    account = new_household(dev_stack, "profiles", OWNER)
    with psycopg.connect(dev_stack.database) as conn:
        conn.execute("UPDATE users SET role = 'admin' WHERE email = %s", (account.email,))
    return account


def _sign_in(page: Page, base: str, account: Account) -> None:
    page.goto(base + "/app/login")
    page.get_by_label("E-mail").fill(account.email)
    page.get_by_label("Password").fill(account.password)
    page.locator("button[type=submit]").click()


def _profile_api(base: str, account: Account, name: str, pin: str | None = None) -> Api:
    """The API as one profile of ``account``: a login of its own, then select (with the PIN)."""
    api = Api(base, account)
    profile = next((p for p in api.get("/api/v1/me/profiles")["items"] if p["name"] == name), None)
    assert profile, f"no profile named {name!r}"
    status, body = api.call("POST", f"/api/v1/me/profiles/{profile['id']}/select", {"pin": pin} if pin else {})
    assert status == 200, (status, body)
    api.token = body["accessToken"]
    return api


def _pick(page: Page, base: str, name: str, pin: str | None = None) -> None:
    """Who's watching? -> ``name`` (with its PIN on the pad), back on the dashboard."""
    page.goto(base + "/app/profiles")
    expect(page.get_by_role("heading", name="Who's watching?")).to_be_visible(timeout=20_000)
    page.get_by_role("list", name="Profiles").get_by_role("button", name=re.compile(f"^{re.escape(name)}\\b")).click()
    if pin:
        pad = page.get_by_label(f"PIN for {name}")
        expect(pad).to_be_focused()
        page.keyboard.type(pin)
        page.keyboard.press("Enter")
    page.wait_for_url("**/app/dashboard", timeout=20_000)
    expect(page.get_by_role("link", name=re.compile(f"^Watching as {re.escape(name)}"))).to_be_visible()
    page.wait_for_load_state("networkidle")


def _older_than_a_kid(database: str) -> dict[int, str]:
    """Movies rated above PG (R, PG-13...): id -> title."""
    with psycopg.connect(database) as conn:
        rows = conn.execute("SELECT id, title FROM media_items WHERE media_type = 'movie' AND min_age > %s",
                            (KID_MAX_AGE,)).fetchall()
    assert rows, "no demo movie is rated above PG (media_items.min_age): the demo catalog carries no ratings"
    return dict(rows)


def _kid_safe_movie(database: str) -> tuple[int, str]:
    with psycopg.connect(database) as conn:
        row = conn.execute("SELECT id, title FROM media_items WHERE media_type = 'movie' AND min_age <= %s "
                           "ORDER BY popularity DESC NULLS LAST LIMIT 1", (KID_MAX_AGE,)).fetchone()
    assert row, "no demo movie is rated PG or lower"
    return row


def _rated_above_a_kid(database: str) -> set[int]:
    """Titles of any kind rated above PG (min_age)."""
    with psycopg.connect(database) as conn:
        return {row[0] for row in conn.execute("SELECT id FROM media_items WHERE min_age > %s", (KID_MAX_AGE,))}


def _week_events(api: Api, day: dt.date) -> list[dict]:
    return api.get(f"/api/v1/calendar?view=week&from={day.isoformat()}")["items"]


def _add_profile(page: Page, section: Locator, name: str, fill: Callable[[Locator], None] | None = None) -> Locator:
    """Settings > Profiles > Add profile: the dialog, filled (``fill`` for more than the name) and sent."""
    section.get_by_role("button", name="Add profile").click()
    dialog = page.get_by_role("dialog", name="Add a profile")
    dialog.get_by_label("Name").fill(name)
    if fill:
        fill(dialog)
    dialog.get_by_role("button", name="Add profile").click()
    return dialog


def _discover_ids(api: Api) -> list[int]:
    body = api.get("/api/v1/discover?page=1&pageSize=6&rowSize=20")
    return [item["id"] for section in body["items"] for item in section["items"]]


def test_profiles_are_added_in_settings_and_a_pin_guards_the_picker(dev_stack, tab: Page, household: Account):
    page, base = tab, dev_stack.base
    _sign_in(page, base, household)
    page.wait_for_url("**/app/dashboard", timeout=20_000)  # one profile yet: no picker
    page.wait_for_load_state("networkidle")

    page.goto(base + "/app/settings#profiles")
    section = page.get_by_role("region", name="Profiles")
    listed = section.get_by_role("list", name="Your profiles")
    expect(listed.get_by_role("listitem")).to_have_count(1, timeout=20_000)

    dialog = _add_profile(page, section, PARENT, lambda form: form.get_by_label("PIN (optional)").fill(PARENT_PIN))
    expect(dialog).to_be_hidden()
    expect(listed.get_by_role("listitem").filter(has_text=PARENT)).to_contain_text("PIN")

    def kid_up_to_pg(form: Locator) -> None:
        form.get_by_label("Kid", exact=True).check()
        form.get_by_label("Highest rating allowed").select_option("PG")
        form.get_by_label(f"PIN for {OWNER} (account owner)").fill(OWNER_PIN)
        page.screenshot(path=str(ARTIFACTS / "profiles-add-kid.png"))

    dialog = _add_profile(page, section, KID, kid_up_to_pg)
    expect(dialog).to_be_hidden()
    expect(listed.get_by_role("listitem").filter(has_text=KID)).to_contain_text("Kid · up to PG")
    expect(listed.get_by_role("listitem").filter(has_text="Account owner")).to_contain_text("PIN")

    # The API's refusal shows in the form (a second "Parent").
    dialog = _add_profile(page, section, PARENT)
    expect(dialog.locator("[role=alert], p.text-danger").first).to_be_visible()
    dialog.get_by_role("button", name="Cancel").click()
    expect(listed.get_by_role("listitem")).to_have_count(3)
    page.screenshot(path=str(ARTIFACTS / "profiles-manage.png"), full_page=True)
    page.wait_for_load_state("networkidle")

    # Signing in again: who's watching?
    page.get_by_role("button", name=re.compile(r"^Account: ")).click()
    page.get_by_role("menu").get_by_role("menuitem", name="Sign out").click()
    page.wait_for_url("**/app/login**")
    _sign_in(page, base, household)
    page.wait_for_url("**/app/profiles**", timeout=20_000)
    expect(page.get_by_role("heading", name="Who's watching?")).to_be_visible()
    tiles = page.get_by_role("list", name="Profiles").get_by_role("button")
    expect(tiles).to_have_count(3)
    page.screenshot(path=str(ARTIFACTS / "profiles-picker.png"), full_page=True)

    tiles.filter(has_text=PARENT).click()
    expect(page.get_by_role("heading", name=PARENT)).to_be_visible()
    for digit in "1111":
        page.get_by_role("button", name=digit, exact=True).click()
    page.get_by_role("button", name="OK").click()
    expect(page.get_by_text("Wrong PIN. Try again.")).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "profiles-wrong-pin.png"), full_page=True)
    assert "/app/profiles" in page.url

    expect(page.get_by_label(f"PIN for {PARENT}")).to_be_focused()
    page.keyboard.type(PARENT_PIN)
    page.keyboard.press("Enter")
    page.wait_for_url("**/app/dashboard", timeout=20_000)
    expect(page.get_by_role("link", name=re.compile(f"^Watching as {PARENT}"))).to_be_visible()
    assert not page.errors, page.errors


def test_a_kid_never_sees_an_r_rated_title_nor_reaches_get_downloads_or_admin(dev_stack, tab: Page,
                                                                               household: Account):
    page, base = tab, dev_stack.base
    adult, kid = _profile_api(base, household, PARENT, PARENT_PIN), _profile_api(base, household, KID)
    older = _older_than_a_kid(dev_stack.database)
    shown_to_adult = [media for media in _discover_ids(adult) if media in older]
    assert shown_to_adult, "the adult's Discover has no title rated above PG"
    assert not set(_discover_ids(kid)) & set(older), "the kid's Discover answer has titles above PG"
    title_id = shown_to_adult[0]
    title = older[title_id]
    today = dt.date.today()
    above = _rated_above_a_kid(dev_stack.database)
    adult_week = [event for event in _week_events(adult, today) if event["media"]["id"] in above]
    assert adult_week, "this week's calendar has no title rated above PG for the adult"
    assert not [e for e in _week_events(kid, today) if e["media"]["id"] in above], "the kid's calendar has them"
    on_calendar = adult_week[0]["media"]["title"]
    week = f"{base}/app/calendar?view=week&date={today.isoformat()}"
    main = page.locator("main")

    # The adult sees the title on Discover, in search and on the calendar.
    _pick(page, base, PARENT, PARENT_PIN)
    page.goto(base + "/app/discover")
    expect(main.get_by_text(title, exact=True).first).to_be_attached(timeout=20_000)
    page.wait_for_load_state("networkidle")
    page.goto(f"{base}/app/search?q={urllib.parse.quote(title)}")
    expect(main.get_by_role("link", name=re.compile(re.escape(title))).first).to_be_visible(timeout=20_000)
    page.wait_for_load_state("networkidle")
    page.goto(week)
    expect(main.get_by_text(on_calendar).first).to_be_attached(timeout=20_000)
    page.wait_for_load_state("networkidle")

    # The kid, picked from the account menu, does not.
    page.get_by_role("button", name=re.compile(r"^Account: ")).click()
    page.get_by_role("menu").get_by_role("menuitem", name="Switch profile").click()
    page.wait_for_url("**/app/profiles**")
    page.get_by_role("list", name="Profiles").get_by_role("button", name=re.compile(f"^{KID}, kid profile")).click()
    page.wait_for_url("**/app/dashboard", timeout=20_000)
    expect(page.get_by_role("link", name=re.compile(f"^Watching as {KID} \\(kid profile\\)"))).to_be_visible()
    page.wait_for_load_state("networkidle")

    with page.expect_response(lambda r: "/api/v1/discover?" in r.url) as answer:
        page.goto(base + "/app/discover")
    assert answer.value.status == 200
    expect(main.locator("a[href^='/app/movies/'], a[href^='/app/shows/']").first).to_be_visible(timeout=20_000)
    expect(main.get_by_text(title, exact=True)).to_have_count(0)
    page.screenshot(path=str(ARTIFACTS / "profiles-kid-discover.png"))
    page.wait_for_load_state("networkidle")

    with page.expect_response(lambda r: "/api/v1/search" in r.url and r.request.method == "GET") as answer:
        page.goto(f"{base}/app/search?q={urllib.parse.quote(title)}")
    assert answer.value.status == 200
    page.wait_for_load_state("networkidle")
    expect(main.get_by_role("link", name=re.compile(re.escape(title)))).to_have_count(0)
    expect(main.get_by_text(title, exact=True)).to_have_count(0)

    with page.expect_response(lambda r: "/api/v1/calendar?" in r.url) as answer:
        page.goto(week)
    assert answer.value.status == 200
    page.wait_for_load_state("networkidle")
    expect(main.get_by_role("heading", level=1, name="Calendar")).to_be_visible()
    expect(main.get_by_text(on_calendar)).to_have_count(0)

    page.goto(f"{base}/app/movies/{title_id}")
    expect(page.get_by_text("This movie isn't in the catalog")).to_be_visible(timeout=20_000)
    expect(page.get_by_role("heading", level=1, name=title)).to_have_count(0)
    page.wait_for_load_state("networkidle")

    # No Get on a title the kid may see; no Downloads, Settings or Admin in the navigation or by URL.
    safe_id, safe_title = _kid_safe_movie(dev_stack.database)
    page.goto(f"{base}/app/movies/{safe_id}")
    expect(page.get_by_role("heading", level=1, name=safe_title)).to_be_visible(timeout=20_000)
    expect(page.get_by_role("button", name="Get", exact=True)).to_have_count(0)
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Discover")).to_be_visible()
    for name in ("Downloads", "Wanted", "Settings", "Admin"):
        expect(nav.get_by_role("link", name=name)).to_have_count(0)
    page.wait_for_load_state("networkidle")
    refused = page.get_by_role("heading", level=1, name="Not available on a kid profile")
    for path in ("/app/downloads", "/app/admin", "/app/settings"):
        page.goto(base + path)
        expect(refused).to_be_visible(timeout=20_000)
        page.wait_for_load_state("networkidle")
    page.screenshot(path=str(ARTIFACTS / "profiles-kid-refused.png"))
    for method, path, body in (("GET", "/api/v1/downloads", None), ("POST", "/api/v1/picks", {"mediaId": safe_id}),
                               ("GET", "/api/v1/admin/users", None)):
        status, answer_body = kid.call(method, path, body)
        assert (status, answer_body.get("error", {}).get("code")) == (403, "not_for_kids"), (path, status, answer_body)
    assert kid.call("GET", f"/api/v1/movies/{title_id}")[0] == 404
    assert adult.call("GET", f"/api/v1/movies/{title_id}")[0] == 200
    assert not page.errors, page.errors


def test_two_profiles_keep_progress_ratings_and_recommendations_apart(dev_stack, tab: Page, household: Account):
    page, base = tab, dev_stack.base
    parent, owner = _profile_api(base, household, PARENT, PARENT_PIN), _profile_api(base, household, OWNER, OWNER_PIN)
    movie_id, movie_title = _kid_safe_movie(dev_stack.database)

    # The parent marks the movie watched on its page, and rates titles (the API) so their taste differs.
    _pick(page, base, PARENT, PARENT_PIN)
    page.goto(f"{base}/app/movies/{movie_id}")
    expect(page.get_by_role("heading", level=1, name=movie_title)).to_be_visible(timeout=20_000)
    with page.expect_response(lambda r: r.request.method == "POST" and "/api/v1/watched" in r.url) as answer:
        page.get_by_role("button", name="Mark watched").click()
    assert answer.value.status in (200, 201), answer.value.status
    expect(page.get_by_role("button", name="Remove the latest watch")).to_be_visible()
    for media in [movie_id, *list(_older_than_a_kid(dev_stack.database))[:4]]:
        status, body = parent.call("PUT", f"/api/v1/ratings/{media}", {"rating": 9.0})
        assert status == 200, (status, body)
    page.reload()
    expect(page.get_by_test_id("your-rating")).not_to_have_text("", timeout=20_000)
    page.wait_for_load_state("networkidle")

    parent_recs = [item["media"]["id"] for item in parent.get("/api/v1/recommendations?pageSize=24")["items"]]
    owner_recs = [item["media"]["id"] for item in owner.get("/api/v1/recommendations?pageSize=24")["items"]]
    assert parent_recs and parent_recs != owner_recs, (parent_recs, owner_recs)

    # The owner's profile: not watched, not rated, its own history.
    _pick(page, base, OWNER, OWNER_PIN)
    with page.expect_response(lambda r: r.url.endswith(f"/api/v1/ratings/{movie_id}")) as rating:
        page.goto(f"{base}/app/movies/{movie_id}")
    assert rating.value.status == 200, rating.value.status
    expect(page.get_by_role("heading", level=1, name=movie_title)).to_be_visible(timeout=20_000)
    expect(page.get_by_role("button", name="Mark watched")).to_be_enabled()
    expect(page.get_by_test_id("your-rating")).to_have_text("")
    page.wait_for_load_state("networkidle")
    page.goto(base + "/app/watched")
    expect(page.get_by_role("heading", level=1, name="Watched")).to_be_visible(timeout=20_000)
    page.wait_for_load_state("networkidle")
    expect(page.locator("main")).not_to_contain_text(movie_title)
    assert not any(entry["media"]["id"] == movie_id for entry in owner.get("/api/v1/watched")["items"])
    assert any(entry["media"]["id"] == movie_id for entry in parent.get("/api/v1/watched")["items"])
    page.screenshot(path=str(ARTIFACTS / "profiles-owner-watched.png"), full_page=True)
    assert not page.errors, page.errors
