"""Issue 58 in Chromium against the `make dev` stack: a PG kid profile cannot play, open or start an adult title by
any URL the app has, and the owner's profile asks for its PIN once a kid profile exists.

A household of its own adds a kid (up to PG) in Settings > Profiles, where the form asks for the owner's PIN in the
same step. The library holds two real films the scanner matches to the demo catalog: an R one and a PG one. As the
kid, the R film's player URL (where its Play button goes), its title page, a playback session started by its media
id or its file, and its library item all answer as if it did not exist: no video plays and no download starts (the
owner's downloads and the household's jobs are unchanged); the PG film plays. Switching from the kid to the owner's
profile shows the PIN pad, and a wrong PIN leaves the session acting as the kid.

Waits are explicit, never sleeps; each load waits for the network to settle before the next.
"""

from __future__ import annotations

import re
import time

import psycopg
import pytest
from e2e_support import ARTIFACTS, Account, Api
from media_fixtures import AAC, H264, Clip, clip_file
from playwright.sync_api import Page, expect
from test_profiles_ui import _profile_api, _sign_in, new_household
from test_watch_now import VIDEO, drop_into_library, video_js

pytestmark = pytest.mark.e2e

OWNER, OWNER_PIN = "Kids Household Owner", "8642"
KID = "Pip"
KID_MAX_AGE = 10  # PG (chalicelib/contentrating.py)
CAPS = {"video": ["h264"], "audio": ["aac"], "hdr": False, "maxHeight": 1080}
# Two demo-catalog films by name and year (chalicelib/catalog/demo_data/movies.json): R and PG.
R_FILM = Clip("Fight.Club.1999.720p.BluRay.x264-GRP.mp4", 12, H264, AAC, size="320x240")
PG_FILM = Clip("Up.2009.720p.BluRay.x264-GRP.mp4", 12, H264, AAC, size="320x240")


@pytest.fixture(scope="module")
def household(dev_stack, signed_in) -> Account:
    return new_household(dev_stack, "kids", OWNER)


def _matched(admin: Api, file_name: str, timeout: float = 90) -> dict:
    """The library card of ``file_name`` once the scanner has matched it to a catalog title."""
    status, scan = admin.call("POST", "/api/v1/library/rescan", {})
    assert status == 202, scan
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = [item for item in admin.get("/api/v1/library?pageSize=100")["items"] if item["fileName"] == file_name]
        if found and found[0]["matchState"] == "matched" and found[0].get("media"):
            return found[0]
        time.sleep(0.5)
    raise AssertionError(f"{file_name} was not matched: {found}")


@pytest.fixture(scope="module")
def films(dev_stack, account) -> dict[str, dict]:
    """The R and the PG film in the library, matched, with their titles' age ratings checked."""
    admin = Api(dev_stack.base, account)  # the stack's first account is its admin (rescans are the admin's)
    for clip in (R_FILM, PG_FILM):
        drop_into_library(dev_stack.library, clip_file(clip))
    cards = {"r": _matched(admin, R_FILM.name), "pg": _matched(admin, PG_FILM.name)}
    with psycopg.connect(dev_stack.database) as conn:
        ages = {key: conn.execute("SELECT min_age FROM media_items WHERE id = %s",
                                  (card["media"]["id"],)).fetchone()[0] for key, card in cards.items()}
    assert ages["r"] > KID_MAX_AGE >= ages["pg"], ages
    return cards


def _household_jobs(database: str, email: str) -> int:
    """Download jobs of every profile of the account."""
    with psycopg.connect(database) as conn:
        return conn.execute("SELECT count(*) FROM download_jobs WHERE user_id IN (SELECT p.id FROM profiles p "
                            "JOIN users u ON u.id = p.account_id WHERE u.email = %s)", (email,)).fetchone()[0]


def _add_the_kid(page: Page, base: str) -> None:
    """Settings > Profiles > Add profile, a kid up to PG: the form asks for the owner's PIN first."""
    page.goto(base + "/app/settings#profiles")
    section = page.get_by_role("region", name="Profiles")
    listed = section.get_by_role("list", name="Your profiles")
    expect(listed.get_by_role("listitem")).to_have_count(1, timeout=20_000)
    section.get_by_role("button", name="Add profile").click()
    dialog = page.get_by_role("dialog", name="Add a profile")
    dialog.get_by_label("Name").fill(KID)
    dialog.get_by_label("Kid", exact=True).check()
    dialog.get_by_label("Highest rating allowed").select_option("PG")
    owner_pin = dialog.get_by_label(f"PIN for {OWNER} (account owner)")
    expect(owner_pin).to_be_visible()
    expect(dialog.get_by_role("button", name="Add profile")).to_be_disabled()  # not without the owner's PIN
    owner_pin.fill(OWNER_PIN)
    page.screenshot(path=str(ARTIFACTS / "kid-limits-owner-pin.png"))
    dialog.get_by_role("button", name="Add profile").click()
    expect(dialog).to_be_hidden()
    expect(listed.get_by_role("listitem").filter(has_text=KID)).to_contain_text("Kid · up to PG")
    expect(listed.get_by_role("listitem").filter(has_text="Account owner")).to_contain_text("PIN")
    page.wait_for_load_state("networkidle")


def _switch_to(page: Page, name: str) -> None:
    """Account menu > Switch profile > ``name``'s tile."""
    page.get_by_role("button", name=re.compile(r"^Account: ")).click()
    page.get_by_role("menu").get_by_role("menuitem", name="Switch profile").click()
    page.wait_for_url("**/app/profiles**")
    page.get_by_role("list", name="Profiles").get_by_role("button", name=re.compile(f"^{re.escape(name)}\\b")).click()


def test_a_pg_kid_reaches_no_r_film_by_any_url_and_the_owner_asks_its_pin(dev_stack, tab: Page, household: Account,
                                                                          films: dict[str, dict]):
    page, base = tab, dev_stack.base
    r_item, r_media = films["r"]["id"], films["r"]["media"]["id"]
    pg_item = films["pg"]["id"]
    _sign_in(page, base, household)
    page.wait_for_url("**/app/dashboard", timeout=20_000)
    page.wait_for_load_state("networkidle")
    _add_the_kid(page, base)

    owner = _profile_api(base, household, OWNER, OWNER_PIN)
    assert owner.call("GET", f"/api/v1/library/{r_item}")[0] == 200  # the grown-up reaches the R film
    downloads_before = owner.get("/api/v1/downloads")
    jobs_before = _household_jobs(dev_stack.database, household.email)

    _switch_to(page, KID)
    page.wait_for_url("**/app/dashboard", timeout=20_000)
    expect(page.get_by_role("link", name=re.compile(f"^Watching as {KID} \\(kid profile\\)"))).to_be_visible()
    page.wait_for_load_state("networkidle")
    main = page.locator("main")

    # The R film's player URL (where Play on its title page goes): not in the kid's library, no video.
    page.goto(f"{base}/app/watch/{r_item}")
    expect(page.get_by_role("heading", level=1, name="Not in your library")).to_be_visible(timeout=20_000)
    expect(page.locator(VIDEO)).to_have_count(0)
    page.screenshot(path=str(ARTIFACTS / "kid-limits-watch-r.png"))
    page.wait_for_load_state("networkidle")

    # Its title page: not found, so no Play, no Get.
    page.goto(f"{base}/app/movies/{r_media}")
    expect(page.get_by_text("This movie isn't in the catalog")).to_be_visible(timeout=20_000)
    expect(main.get_by_role("link", name=re.compile(r"^(Play|Resume)"))).to_have_count(0)
    expect(main.get_by_role("button", name="Get", exact=True)).to_have_count(0)
    page.wait_for_load_state("networkidle")

    # The library lists the PG film, not the R one.
    page.goto(f"{base}/app/library")
    expect(main.locator(f"a[href='/app/movies/{films['pg']['media']['id']}']").first).to_be_visible(timeout=20_000)
    expect(main.locator(f"a[href='/app/movies/{r_media}']")).to_have_count(0)
    expect(main.locator(f"a[href='/app/watch/{r_item}']")).to_have_count(0)
    expect(page.get_by_role("tab", name=re.compile("^Unmatched"))).to_have_count(0)
    page.wait_for_load_state("networkidle")

    # The same URLs and a playback session by the R film's ids, on the API as the kid: all not found.
    kid = _profile_api(base, household, KID)
    for path in (f"/api/v1/library/{r_item}", f"/api/v1/library/{r_item}/stream", f"/api/v1/movies/{r_media}"):
        assert kid.call("GET", path)[0] == 404, path
    for body in ({"mediaId": r_media, "deviceCaps": CAPS},
                 {"mediaId": r_media, "libraryItemId": r_item, "deviceCaps": CAPS}):
        status, answer = kid.call("POST", "/api/v1/playback/sessions", body)
        assert status == 404, (body, status, answer)
    assert owner.get("/api/v1/downloads") == downloads_before  # no download started for the kid
    assert _household_jobs(dev_stack.database, household.email) == jobs_before

    # The kid's own PG film plays.
    page.goto(f"{base}/app/watch/{pg_item}")
    video_js(page, "!v.paused && v.currentTime > 1.5", timeout=60_000)
    page.screenshot(path=str(ARTIFACTS / "kid-limits-watch-pg.png"))
    page.wait_for_load_state("networkidle")

    # From the kid to the owner: the PIN pad, and a wrong PIN does not switch.
    _switch_to(page, OWNER)
    pad = page.get_by_label(f"PIN for {OWNER}")
    expect(pad).to_be_focused()
    page.keyboard.type("0000")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Wrong PIN. Try again.")).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "kid-limits-owner-pad.png"), full_page=True)
    assert "/app/profiles" in page.url
    page.get_by_role("button", name="Back to profiles").click()
    page.goto(f"{base}/app/dashboard")
    expect(page.get_by_role("link", name=re.compile(f"^Watching as {KID} \\(kid profile\\)"))).to_be_visible(
        timeout=20_000)
    page.wait_for_load_state("networkidle")
    assert not page.errors, page.errors
