"""The organisations endpoint and the API's own description (OpenAPI, docs without a CDN)."""

import json

from django.test import RequestFactory, override_settings

from trygg.api import api
from trygg.organisations.tests.factories import bearer


def test_the_organisations_are_listed_with_code_kind_and_municipality(
    client, coordinator, polisen, karlskoga_kommun
):
    body = client.get("/api/v1/organisations", **bearer(coordinator)).json()
    assert body["count"] == 3
    by_code = {item["code"]: item for item in body["items"]}
    assert by_code["polisen-karlstad"] == {
        "code": "polisen-karlstad",
        "name": "Polisen lokalpolisområde Karlstad",
        "kind": "police",
        "municipality": "1780",
    }
    assert by_code["karlskoga-kommun"]["municipality"] == "1883"


def test_the_organisations_can_be_narrowed_to_one_municipality(
    client, coordinator, karlskoga_kommun
):
    body = client.get("/api/v1/organisations", {"municipality": "1883"}, **bearer(coordinator))
    assert [item["code"] for item in body.json()["items"]] == ["karlskoga-kommun"]


def test_an_unknown_municipality_code_is_a_422_naming_the_parameter(client, coordinator):
    response = client.get("/api/v1/organisations", {"municipality": "0000"}, **bearer(coordinator))
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "municipality"


def test_openapi_json_lists_the_paths_and_both_ways_to_log_in(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    assert {"/api/v1/events", "/api/v1/events/{event_id}", "/api/v1/organisations"} <= set(
        schema["paths"]
    )
    assert set(schema["paths"]["/api/v1/events"]) == {"get", "post"}
    body = schema["paths"]["/api/v1/events"]["post"]["requestBody"]["content"]["application/json"]
    assert [option.get("type") for option in body["schema"]["oneOf"]] == ["object", "array"]
    assert set(schema["components"]["securitySchemes"]) == {"TokenAuth", "LoggedInSession"}
    assert "from" in {p["name"] for p in schema["paths"]["/api/v1/events"]["get"]["parameters"]}


@override_settings(
    INSTALLED_APPS=[
        "ninja",
        "django.contrib.staticfiles",
        "django.contrib.auth",
        "django.contrib.contenttypes",
    ]
)
def test_the_docs_page_loads_swagger_from_our_own_static_files_never_a_cdn():
    request = RequestFactory().get("/api/v1/docs")
    page = api.docs.render_page(request, api).content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in page
    assert "cdn" not in page.lower() and "https://" not in page
    swagger_settings = page.split('id="swagger-settings">')[1].split("</script>")[0]
    assert json.loads(swagger_settings)["validatorUrl"] is None  # no schema sent to swagger.io
