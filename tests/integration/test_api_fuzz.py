"""Property-based fuzzing of every documented operation (schemathesis over ``openapi.build()``).

One signed-in admin account calls each operation with schema examples, boundary
values (coverage phase) and generated data, valid and invalid (positive and
negative modes, including requests without the token), against make dev's API
server on its own database (see fuzz_support). Checks: schemathesis' defaults
but positive_data_acceptance: no 5xx, every answer documented (status code,
content type, headers, response schema), invalid data refused, undeclared
methods 405. The seed is fixed, so a failure replays identically; each operation
stops after SEEN_FUZZ_MAX_EXAMPLES generated examples (50: about 50 s and
10.5k requests on two cores).

Left out, because they would end the run's own session rather than exercise
input handling: ``POST /auth/logout-all`` (revokes every session of the
account, the fuzzer's included). Logout without the refresh cookie and password
changes without the current password are fuzzed: they cannot succeed here.
"""

from __future__ import annotations

import os

import pytest
import schemathesis

import app  # noqa: F401 - registers every route before the document is built
from chalicelib import openapi
from tests.integration.fuzz_support import FuzzServer, running_api

# schemathesis makes one pytest item per operation, all with one node id, which xdist cannot schedule.
pytestmark = pytest.mark.serial

SEED = 17
MAX_EXAMPLES = int(os.environ.get("SEEN_FUZZ_MAX_EXAMPLES", "50"))
EXCLUDED = {("POST", "/api/v1/auth/logout-all")}

CONFIG = schemathesis.Config.from_dict({
    "seed": SEED,
    "generation": {"mode": "all", "max-examples": MAX_EXAMPLES, "deterministic": True, "database": "none"},
    "phases": {"examples": {"enabled": True}, "coverage": {"enabled": True}, "fuzzing": {"enabled": True},
               "stateful": {"enabled": False}},
    # Schema-valid data may still be refused with 422 by rules a JSON schema cannot state (an order must list
    # every item once, month excludes from/to, a password's strength): that answer is documented, not a bug.
    "checks": {"positive_data_acceptance": {"enabled": False}},
})
schema = schemathesis.openapi.from_dict(openapi.build(), config=CONFIG).exclude(
    func=lambda ctx: (ctx.operation.method.upper(), ctx.operation.path) in EXCLUDED)


_signed_in: dict[str, str] = {}


@schema.auth(refresh_interval=None)  # not cached: collection asks before the fixture has signed in
class SignedIn:
    """The fixture's access token on every case, except those generated to go without one (negative mode)."""

    def get(self, case, context) -> str:
        return _signed_in.get("token", "")

    def set(self, case, token: str, context) -> None:
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {token}"}


@pytest.fixture(scope="module")
def fuzz_api(template_url: str) -> FuzzServer:
    with running_api(template_url) as server:
        _signed_in["token"] = server.token
        yield server
    _signed_in.clear()


@schema.parametrize()
def test_every_operation_answers_documented_non_5xx_responses(case, fuzz_api: FuzzServer) -> None:
    case.call_and_validate(base_url=fuzz_api.base_url, timeout=30)
