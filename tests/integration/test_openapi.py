"""The OpenAPI document is valid and describes every route the app registers."""

import json

from openapi_spec_validator import validate


def test_openapi_document_is_valid_and_covers_every_route(client):
    from app import app

    response = client.http.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = json.loads(response.body)
    validate(document)
    assert document["openapi"].startswith("3.1")
    for path, entry in app.routes.items():
        for method in entry:
            assert method.lower() in document["paths"].get(path, {}), f"{method} {path} is undocumented"


def test_documented_schemas_are_the_validating_models(client):
    document = json.loads(client.http.get("/api/v1/openapi.json").body)
    ready = document["paths"]["/api/v1/health/ready"]["get"]["responses"]
    assert set(ready) == {"200", "503", "400", "413", "415"}  # 400/413/415: the edge, on every route
    schema = document["components"]["schemas"]["Ready"]
    assert set(schema["properties"]) == {"status", "components", "failed"}
    assert "ErrorEnvelope" in document["components"]["schemas"]


def test_a_parameter_that_spells_a_fixed_sibling_path_documents_the_routers_405(client, auth_headers):
    """``DELETE /downloads/{job_id}`` with ``job_id=uploads`` reaches ``/downloads/uploads`` (POST only): the
    router's 405 (the fuzzer found it) is in the document; an operation no fixed path shadows has no 405."""
    document = json.loads(client.http.get("/api/v1/openapi.json").body)
    response = client.http.delete("/api/v1/downloads/uploads", headers=auth_headers())
    assert response.status_code == 405
    assert json.loads(response.body)["error"]["code"] == "method_not_allowed"
    assert "405" in document["paths"]["/api/v1/downloads/{job_id}"]["delete"]["responses"]
    assert "405" not in document["paths"]["/api/v1/playback/sessions/{session_id}"]["get"]["responses"]
