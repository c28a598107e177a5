"""`chalice local`, answering like the deployed API where chalice's dev server does not.

Same app, same stage config, same LocalGateway as ``chalice local --stage local``,
with two differences at the HTTP layer:

- every method reaches the app: chalice's handler only defines GET..OPTIONS, so
  http.server answered TRACE or PROPFIND with an HTML 501; the app answers a
  method its route lacks with the 405 envelope and ``Allow``;
- a path no route matches is the 404 envelope, as API Gateway answers it in AWS
  (infra/resources.yml), instead of the 403 "Missing Authentication Token".

Run: ``python -m embedded.chalice_local --stage local --host 127.0.0.1 --port 8000``
from the project directory (`make dev` does).
"""

from __future__ import annotations

import argparse
import functools
import json
import logging
import sys
from pathlib import Path

from chalice import Chalice, local
from chalice.cli.factory import CLIFactory
from chalice.config import Config
from chalice.deploy.validate import validate_routes
from chalice.local import RouteMatcher

NOT_FOUND = json.dumps({"error": {"code": "not_found", "message": "No such API route"}}).encode()


class EdgeRequestHandler(local.ChaliceRequestHandler):
    def __init__(self, request, client_address, server, app_object: Chalice, config: Config) -> None:
        self.routes = RouteMatcher(list(app_object.routes))  # set first: the base class handles the request
        super().__init__(request, client_address, server, app_object=app_object, config=config)

    def __getattr__(self, name: str):
        if name.startswith("do_"):  # TRACE, PROPFIND, ...: the app answers 405 + Allow
            return self._handle
        raise AttributeError(name)

    def _handle(self) -> None:
        try:
            self.routes.match_route(self.path)
        except ValueError:
            self._parse_payload()  # read the body so the connection can be reused
            self._send_http_response(404, {"Content-Type": "application/json"}, NOT_FOUND)
            return
        self._generic_handle()

    # The base class binds its own handler to these names; route them through ours.
    do_GET = do_PUT = do_POST = do_HEAD = do_DELETE = do_PATCH = do_OPTIONS = _handle


def build(project_dir: Path, stage: str, host: str, port: int) -> local.LocalDevServer:
    """What `chalice local` builds (chalice.cli.create_local_server), with this module's handler."""
    config = CLIFactory(str(project_dir)).create_config_obj(chalice_stage_name=stage)
    app = config.chalice_app
    validate_routes(app.routes)
    server = local.create_local_server(app, config, host, port)
    server.server.RequestHandlerClass = functools.partial(EdgeRequestHandler, app_object=app, config=config)
    return server


def main() -> None:
    parser = argparse.ArgumentParser(prog="chalice_local")
    parser.add_argument("--project-dir", type=Path, default=Path(__file__).resolve().parents[2])
    parser.add_argument("--stage", default="local")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args()
    logging.basicConfig(stream=sys.stdout, level=logging.INFO, format="%(message)s")  # as `chalice local`
    server = build(args.project_dir, args.stage, args.host, args.port)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
