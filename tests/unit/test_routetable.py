"""The route table: the file the app registers its routes from is what the route modules declare, and a
stub imports its view's module only when its route is first asked."""

import json
import subprocess
import sys

from chalicelib import routetable
from embedded.services import ROOT


def test_the_table_lists_every_route_the_modules_declare():
    declared = routetable.collect()
    assert routetable.load() == declared, "chalicelib/routes.json is stale: python -m chalicelib.routetable"
    assert len(declared) > 150 and len({(r.path, r.method) for r in declared}) == len(declared)


def test_the_table_names_every_route_module():
    assert {route.module for route in routetable.load()} == set(routetable.route_modules())


PROBE = """
import json, sys
import app


def get(path):
    event = {"resource": path, "path": path, "httpMethod": "GET", "headers": {"Accept": "application/json"},
             "multiValueQueryStringParameters": None, "pathParameters": None, "stageVariables": None,
             "body": None, "isBase64Encoded": False,
             "requestContext": {"resourcePath": path, "httpMethod": "GET", "path": path, "requestId": "t",
                                "identity": {"sourceIp": "127.0.0.1"}}}
    return app.app(event, None)["statusCode"]


before = {name for name in sys.modules if name.startswith("chalicelib.")}
status = get("/api/v1/health/live")
after = {name for name in sys.modules if name.startswith("chalicelib.")}
signed_out = get("/api/v1/genres")  # a route that needs a user, asked before any auth route was
print(json.dumps({"status": status, "before": sorted(before), "after": sorted(after),
                  "signed_out": signed_out, "last": sorted(sys.modules)}))
"""


def test_a_cold_start_imports_no_route_module_until_its_route_is_asked():
    out = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, check=True, capture_output=True, text=True,
                         env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "LOG_LEVEL": "ERROR",
                              "SEEN_STAGE": "test"}).stdout
    seen = json.loads(out.strip().splitlines()[-1])
    assert seen["status"] == 200
    route_modules = set(routetable.route_modules())
    assert not route_modules & set(seen["before"])
    assert route_modules & set(seen["after"]) == {"chalicelib.health.routes"}
    # nor the worker events' handlers, nor the message models, nor the SQL files
    assert not {"chalicelib.messages", "chalicelib.library.handlers", "chalicelib.downloads.handlers",
                "chalicelib.auth.guards"} & set(seen["after"])
    # the authenticator is imported for the first route that needs one, without the auth routes' module
    assert seen["signed_out"] == 401
    assert "chalicelib.auth.guards" in seen["last"] and "chalicelib.auth.routes" not in seen["last"]
