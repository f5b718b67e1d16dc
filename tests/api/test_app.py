"""The application itself: OpenAPI, errors, security headers, language."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from purposely.api.language import from_accept_language


def test_openapi_is_served_with_the_api_routes(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert spec["info"]["title"] == "purposely"
    assert all(path.startswith("/api/v1") for path in spec["paths"])


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("de-DE,de;q=0.9,en;q=0.8", "de"),
        ("en-US,en;q=0.9,de;q=0.8", "en"),
        ("fr-FR,fr;q=0.9,de;q=0.5", "de"),
        ("de;q=0.2,en;q=0.7", "en"),
        ("", "en"),
        ("fr", "en"),
        ("de;q=abc,en", "en"),
    ],
)
def test_the_browsers_language_is_chosen_by_weight(header: str, expected: str) -> None:
    assert from_accept_language(header) == expected


def test_an_unknown_page_gets_the_html_error_page_and_an_unknown_api_path_json(
    client: TestClient,
) -> None:
    page = client.get("/no/such/page")
    assert page.status_code == 404
    assert page.headers["content-type"].startswith("text/html")
    api = client.get("/api/v1/no/such/thing")
    assert api.status_code == 404
    assert api.json() == {"detail": "Not Found"}


def test_the_api_docs_are_not_held_to_the_pages_content_policy(client: TestClient) -> None:
    # Swagger UI loads its script and style from a CDN, which default-src 'self' would block.
    docs = client.get("/docs")
    assert docs.status_code == 200
    assert "content-security-policy" not in docs.headers
    assert "default-src 'self'" in client.get("/").headers["content-security-policy"]
