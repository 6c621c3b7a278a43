"""The OpenAPI schema at /api/v1/openapi.json (stable interface) and its docs page."""

import json

import pytest

pytestmark = pytest.mark.django_db

PATHS = [
    "/api/v1/programmes",
    "/api/v1/programmes/{slug}",
    "/api/v1/activities",
    "/api/v1/proposals",
    "/api/v1/risks",
    "/api/v1/milestones",
    "/api/v1/decision-points",
    "/api/v1/budget-lines",
    "/api/v1/status-reports",
    "/api/v1/benefits",
]


def test_the_schema_is_openapi_json_with_every_list(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    schema = json.loads(response.content)
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "Portefølje API"
    assert sorted(schema["paths"]) == sorted(PATHS)
    for path, operations in schema["paths"].items():
        assert list(operations) == ["get"], path  # read-only
        operation = operations["get"]
        assert operation["security"] == [{"TokenAuth": []}], path
        assert {"200", "401", "429"} <= set(operation["responses"]), path
        if "{slug}" not in path:
            params = {p["name"] for p in operation["parameters"]}
            assert params == {"programme", "changed_since", "limit", "offset"}, path
    assert schema["components"]["securitySchemes"]["TokenAuth"] == {"type": "http", "scheme": "bearer"}
    risk = schema["components"]["schemas"]["RiskOut"]["properties"]
    assert {"code", "rf", "assessments", "changed_at"} <= set(risk)


def test_every_reference_in_the_schema_resolves(client):
    schema = client.get("/api/v1/openapi.json").json()
    text = json.dumps(schema)
    names = set(schema["components"]["schemas"])
    refs = {part.split('"')[0] for part in text.split('"$ref": "#/components/schemas/')[1:]}
    assert refs and refs <= names, refs - names


def test_the_docs_page_loads_its_script_from_this_server(client):
    """The Content-Security-Policy allows scripts from 'self' only: no CDN."""
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    page = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in page and "cdn" not in page.lower()
    assert "<script>" not in page.replace('<script type="application/json"', "")
