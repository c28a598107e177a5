"""The API's route table, registered without importing the views' modules: a cold start imports only
the module of the route it answers.

``routes.json`` beside this file lists every route ``api.endpoint`` registers: path, method, accepted
content types, body limit, and the module and function of its view. ``register`` gives the app a small
stub per route (and the CORS preflight per path); a stub imports its view's module on the route's first
request and hands the request to the handler ``endpoint`` made there. The route modules' blueprints are
never registered: the table is the app's only way to them.

``python -m chalicelib.routetable`` writes the file again from the modules; a unit test fails when the
two disagree, so a new route cannot be forgotten.
"""

from __future__ import annotations

import importlib
import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from chalice import Response

from chalicelib import api

ROUTES_FILE = Path(__file__).with_name("routes.json")
PACKAGE = Path(__file__).parent


@dataclass(frozen=True)
class Route:
    path: str
    method: str
    module: str
    function: str
    content_types: tuple[str, ...]
    max_body_bytes: int | None


def route_modules() -> list[str]:
    """Every module of chalicelib that defines routes: a domain's ``routes.py`` or ``*_routes.py``."""
    files = [*PACKAGE.glob("*/routes.py"), *PACKAGE.glob("*/*_routes.py")]
    return sorted(f"chalicelib.{file.parent.name}.{file.stem}" for file in files)


def collect() -> list[Route]:
    """The routes of every route module, as ``endpoint`` registered them on import."""
    for module in route_modules():
        importlib.import_module(module)
    return sorted((Route(path, method, view.module, view.function, view.content_types, view.max_body_bytes)
                   for (path, method), view in api.VIEWS.items() if view.module.startswith("chalicelib.")),
                  key=lambda route: (route.path, route.method))


def load() -> list[Route]:
    rows = json.loads(ROUTES_FILE.read_text())
    return [Route(**{**row, "content_types": tuple(row["content_types"])}) for row in rows]


def write(routes: list[Route]) -> None:
    """One route a line, so a change reads as a one-line diff."""
    lines = ",\n ".join(json.dumps(asdict(route)) for route in routes)
    ROUTES_FILE.write_text(f"[\n {lines}\n]\n")


def load_all() -> None:
    """Import every route module (the OpenAPI document describes all of them)."""
    for module in sorted({route.module for route in load()}):
        importlib.import_module(module)


def register(app: Any) -> None:
    """Every route of the table on ``app``, each a stub that imports its view's module on first use."""
    for route in load():
        if route.max_body_bytes is not None:
            api.BODY_LIMITS[(route.path, route.method)] = route.max_body_bytes
        api.PATH_METHODS.setdefault(route.path, set()).add(route.method)
        app.route(route.path, methods=[route.method], content_types=list(route.content_types),
                  name=route.function)(_stub(app, route))
        api.register_preflight(app, route.path)


def _stub(app: Any, route: Route) -> Any:
    key = (route.path, route.method)

    def view(**path_params: str) -> Response:
        handler = api.HANDLERS.get(key)
        if handler is None:
            importlib.import_module(route.module)  # registers the handler (the import lock serialises threads)
            handler = api.HANDLERS[key]
        return handler(app.current_request, path_params)

    view.__name__ = view.__qualname__ = route.function
    return view


if __name__ == "__main__":
    write(collect())
    print(f"{ROUTES_FILE}: {len(load())} routes")
