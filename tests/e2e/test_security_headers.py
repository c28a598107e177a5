"""Security headers in a real browser: the SPA and the API send them, and the app works under its CSP.

Chromium loads the signed-in app from the `make dev` stack's gateway; every
``securitypolicyviolation`` event and CSP console error is collected while the
pages render, and the document's and an API call's response headers are read.
"""

from __future__ import annotations

import re
import uuid

import pytest
from e2e_support import Account, signed_up_context

COLLECT_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (event) => {
  window.__cspViolations.push(
    `${event.effectiveDirective} blocked ${event.blockedURI} (${event.sourceFile}:${event.lineNumber})`);
});
"""
PAGES = ["/app/dashboard", "/app/discover", "/app/movies", "/app/calendar", "/app/library", "/app/settings"]


@pytest.fixture(scope="module")
def own_context(dev_stack, browser):
    """An account of its own: the shared one's session is rotated by every test before this one."""
    yield from signed_up_context(dev_stack, browser, Account(f"csp-{uuid.uuid4().hex[:8]}@seen.test",
                                                             "correct horse battery staple", "CSP Person"))


@pytest.fixture
def page(own_context):
    tab = own_context.new_page()
    tab.errors = []
    tab.on("pageerror", lambda exc: tab.errors.append(str(exc)))
    yield tab
    tab.close()


def test_the_app_renders_under_its_csp_and_both_spa_and_api_send_security_headers(dev_stack, page):
    console_errors: list[str] = []
    page.on("console", lambda msg: console_errors.append(msg.text) if msg.type == "error" else None)
    page.add_init_script(COLLECT_VIOLATIONS)
    with page.expect_response(lambda r: "/api/v1/" in r.url and r.request.resource_type in ("fetch", "xhr")) as api:
        document = page.goto(dev_stack.base + "/app/dashboard")
    page.get_by_role("main").wait_for()

    spa = document.headers
    csp = spa["content-security-policy"]
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert re.search(r"script-src 'self' 'sha256-[A-Za-z0-9+/=]+'", csp)
    assert dev_stack.aws_endpoint in csp.split("media-src")[1].split(";")[0]  # presigned video URLs
    assert spa["x-content-type-options"] == "nosniff"
    assert spa["referrer-policy"] == "strict-origin-when-cross-origin"
    assert spa["x-frame-options"] == "DENY"

    api_headers = api.value.headers
    assert api_headers["content-security-policy"] == "default-src 'none'; frame-ancestors 'none'"
    assert api_headers["x-content-type-options"] == "nosniff"
    assert api_headers["referrer-policy"] == "no-referrer"

    violations: list[str] = []
    for path in PAGES:
        page.goto(dev_stack.base + path)
        page.get_by_role("main").wait_for()
        page.wait_for_load_state("networkidle")
        violations += page.evaluate("window.__cspViolations")
    assert violations == []
    assert [text for text in console_errors if "Content Security Policy" in text] == []
    assert page.errors == []
