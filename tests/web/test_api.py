"""POST /api/route: the same routing as `helpline route --json`, for the console."""

from __future__ import annotations


def test_route_endpoint_explains_the_suggestion(app):  # type: ignore[no-untyped-def]
    response = app.test_client().post(
        "/api/route",
        json={
            "text": "mijn vader heeft alzheimer",
            "postcode": "3082",
            "at": "2026-11-24T11:00:00+01:00",
        },
    )
    body = response.get_json()
    assert response.status_code == 200
    assert body["category"] == "dementia"
    assert body["area"] == "Charlois"
    assert any(e["said"] == "alzheimer" for e in body["evidence"])
    assert body["partners"]
    assert body["partners"][0]["reason"].startswith("rule dementia")


def test_route_endpoint_names_the_bad_field(app):  # type: ignore[no-untyped-def]
    response = app.test_client().post("/api/route", json={"txt": "hallo"})
    assert response.status_code == 400
    errors = response.get_json()["errors"]
    assert any(e.startswith("text:") for e in errors)
    assert any(e.startswith("txt:") for e in errors)
