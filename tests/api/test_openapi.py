"""The OpenAPI description: valid OpenAPI 3.1, served, linked from the API page in every
language, and in step with the code (every route described, every described parameter
accepted, every other one refused)."""

from __future__ import annotations

import re

import pytest
from openapi_spec_validator import validate
from openapi_spec_validator.validation import OpenAPIV31SpecValidator

from remote_groups.api.openapi import openapi_path

EXAMPLES = {"integer": "1", "date": "2026-12-01", "string": "x"}


def test_the_served_description_is_valid_openapi_3_1(client, scene):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    spec = response.get_json()
    assert spec["openapi"] == "3.1.0"
    validate(spec, cls=OpenAPIV31SpecValidator)
    assert spec["servers"] == [{"url": "https://etaryhmat.example.fi/api/v1"}]


def test_every_api_route_is_described(app, openapi):
    routes = {openapi_path(rule.rule, "/api/v1") for rule in app.url_map.iter_rules()
              if rule.endpoint.startswith("api.") and rule.endpoint != "api.no_such_path"}
    assert routes == set(openapi["paths"])
    for path, item in openapi["paths"].items():
        assert set(item) == {"get"}, path
        for name in re.findall(r"{(\w+)}", path):
            assert any(p["name"] == name and p["in"] == "path"
                       for p in item["get"]["parameters"])


def _value(param: dict) -> str:
    schema = param["schema"]
    if "enum" in schema:
        return schema["enum"][-1]
    if schema.get("format") == "date":
        return EXAMPLES["date"]
    if "pattern" in schema:
        return "1-1" if "}-" in schema["pattern"] else "1"
    return EXAMPLES[schema["type"]]


@pytest.mark.parametrize("path", ["/areas", "/groups", "/sessions", "/openapi.json"])
def test_described_parameters_are_accepted_and_others_refused(client, scene, openapi, path):
    described = [p for p in openapi["paths"][path]["get"].get("parameters", [])
                 if p["in"] == "query"]
    for param in described:
        value = _value(param)
        if param["name"] in ("area", "group"):
            value = str(scene.west.id if param["name"] == "area" else scene.course.id)
        response = client.get(f"/api/v1{path}?{param['name']}={value}")
        assert response.status_code == 200, (param["name"], response.get_json())
    refused = client.get(f"/api/v1{path}?undocumented=1")
    assert refused.status_code == 400
    assert refused.get_json()["error"]["code"] == "unknown_parameter"


@pytest.mark.parametrize(("lang", "heading"), [
    ("fi", "Avoin data omalle sivustolle"),
    ("sv", "Öppna data för er egen webbplats"),
    ("en", "Open data for your own site"),
])
def test_the_api_page_links_the_description_in_every_language(client, scene, lang, heading):
    page = client.get(f"/{lang}/api")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert heading in html
    assert 'href="/api/v1/openapi.json"' in html
    assert f"/fi/areas/{scene.west.id}/embed" in html and "&lt;iframe" in html
    assert f'href="/{lang}/api"' in client.get(f"/{lang}/").get_data(as_text=True)
